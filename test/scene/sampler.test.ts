import { beforeAll, describe, expect, it } from 'vitest';
import { initPhysics } from '../../src/scene/physics/engine.js';
import { loadPreset, parsePreset, presetsDir } from '../../src/scene/preset.js';
import { loadScannerModel, scannersDir } from '../../src/scene/scanner-model.js';
import { sampleScene, type SpeciesForScene } from '../../src/scene/sampler.js';
import { overlaps, rotatedHalfExtents, rotateVec, type Aabb } from '../../src/scene/placement.js';
import type { SceneObject, Vec3 } from '../../src/core/types.js';
import { shapeToMesh } from '../../src/geometry/primitives.js';
import { computeBounds } from '../../src/geometry/mesh.js';

const beetle: SpeciesForScene = {
  id: 'stag-beetle',
  scientificName: 'Dorcus titanus',
  commonName: 'Giant stag beetle',
  sizeMm: { min: 40, max: 90 },
  modelLengthMm: 60,
  bounds: { min: [-0.02, -0.008, -0.03], max: [0.02, 0.006, 0.03] },
  orientation: 'any',
};

/** World box of an object from its parts' meshes (or the species bounds), transformed exactly. */
function worldBox(obj: SceneObject): Aabb {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  const add = (local: Vec3) => {
    const w = rotateVec(obj.quaternion, [local[0] * obj.scale, local[1] * obj.scale, local[2] * obj.scale]);
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, w[k]! + obj.position[k]!);
      max[k] = Math.max(max[k]!, w[k]! + obj.position[k]!);
    }
  };
  for (const part of obj.parts) {
    if (part.shape.type === 'asset') {
      const b = beetle.bounds;
      for (let c = 0; c < 8; c++) add([c & 1 ? b.max[0] : b.min[0], c & 2 ? b.max[1] : b.min[1], c & 4 ? b.max[2] : b.min[2]]);
      continue;
    }
    const mesh = shapeToMesh(part.shape);
    const off = part.offset ?? [0, 0, 0];
    const p = mesh.positions;
    for (let i = 0; i < p.length; i += 3) add([p[i]! + off[0], p[i + 1]! + off[1], p[i + 2]! + off[2]]);
  }
  return { min, max };
}

beforeAll(initPhysics);

// The box packer (placement: boxes) keeps world-aligned boxes apart; physics placement has its own tests (physics*.test.ts).
describe('scene sampler (parcel preset, box packer)', () => {
  const preset = { ...loadPreset('parcel'), placement: 'boxes' as const };

  for (const seed of [1, 2, 3, 42, 1234, 99999]) {
    it(`seed ${seed}: contents inside the box, no two items interpenetrating, 1-3 beetles of real size`, () => {
      const scene = sampleScene(preset, [beetle], seed);
      const container = scene.objects[0]!;
      expect(container.role).toBe('container');
      const shape = container.parts[0]!.shape as { type: 'hollowBox'; size: Vec3; wall: number };
      const inner: Aabb = {
        min: [-shape.size[0] / 2 + shape.wall, shape.wall, -shape.size[2] / 2 + shape.wall],
        max: [shape.size[0] / 2 - shape.wall, shape.size[1] - shape.wall, shape.size[2] / 2 - shape.wall],
      };
      const items = scene.objects.slice(1);
      const boxes = items.map(worldBox);
      for (const b of boxes) {
        for (let k = 0; k < 3; k++) {
          expect(b.min[k]!).toBeGreaterThanOrEqual(inner.min[k]! - 1e-6);
          expect(b.max[k]!).toBeLessThanOrEqual(inner.max[k]! + 1e-6);
        }
      }
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!)).toBe(false);
      const animals = items.filter((o) => o.role === 'animal');
      expect(animals.length).toBeGreaterThanOrEqual(1);
      expect(animals.length).toBeLessThanOrEqual(3);
      for (const a of animals) {
        expect(a.label!.lengthMm).toBeGreaterThanOrEqual(40);
        expect(a.label!.lengthMm).toBeLessThanOrEqual(90);
        expect(a.scale * beetle.modelLengthMm).toBeCloseTo(a.label!.lengthMm, 2);
      }
      expect(items.some((o) => o.kind === 'folded-shirt')).toBe(true);
    });
  }

  it('is a pure function of (preset, species, seed): same seed, same JSON; other seed, other scene', () => {
    const a = JSON.stringify(sampleScene(preset, [beetle], 7));
    expect(JSON.stringify(sampleScene(preset, [beetle], 7))).toBe(a);
    expect(JSON.stringify(sampleScene(preset, [beetle], 8))).not.toBe(a);
    // Plain JSON: survives a round trip unchanged.
    expect(JSON.stringify(JSON.parse(a))).toBe(a);
  });

  it('turns beetles uniformly: rotated bounds grow, orientations vary', () => {
    const ups = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      for (const a of sampleScene(preset, [beetle], seed).objects.filter((o) => o.role === 'animal')) {
        const up = rotateVec(a.quaternion, [0, 1, 0]);
        ups.add(up.map((v) => Math.sign(Math.round(v * 2))).join(','));
      }
    }
    expect(ups.size).toBeGreaterThan(6);
    expect(rotatedHalfExtents([0, 0, Math.sin(Math.PI / 8), Math.cos(Math.PI / 8)], [1, 0.1, 0.1])[1]).toBeGreaterThan(0.3);
  });

  it('names an unknown species in the preset', () => {
    expect(() => sampleScene({ ...preset, animals: { ...preset.animals, species: ['unicorn'], count: [1, 1] } }, [beetle], 1)).toThrow(/unicorn.*not in the species catalog/);
  });
});

describe('preset validation', () => {
  const good = {
    name: 'x',
    scanner: { model: 'ideal-mono-60kev', width: 64, height: 64 },
    container: { kind: 'cardboard-box', material: 'cardboard', size: { x: [0.2, 0.3], y: [0.1, 0.2], z: [0.2, 0.3] }, wall: [0.003, 0.004] },
    clutter: [{ kind: 'phone', count: [0, 1] }],
    animals: { species: ['stag-beetle'], count: [1, 2] },
  };

  const models = (name: string) => loadScannerModel(name, scannersDir(presetsDir()));

  it('accepts a complete preset', () => {
    const p = parsePreset(good, 'good.yaml', models);
    expect(p.scanner.margin).toBe(0.02);
    expect(p.scanner.model.geometry).toBe('parallel');
  });

  it('lets a preset choose views and override or switch off detector effects', () => {
    const p = parsePreset({ ...good, scanner: { model: 'dual-energy-160kv', width: 64, height: 64, views: ['top', 'side'], effects: { blurSigmaPx: 0 } } }, 'v.yaml', models);
    expect(p.scanner.model.views).toEqual(['top', 'side']);
    expect(p.scanner.model.effects).toMatchObject({ blurSigmaPx: 0, photonsPerPixel: 20000 });
    const off = parsePreset({ ...good, scanner: { model: 'dual-energy-160kv', width: 64, height: 64, effects: null } }, 'o.yaml', models);
    expect(off.scanner.model.effects).toBeUndefined();
    expect(() => parsePreset({ ...good, scanner: { model: 'nope', width: 64, height: 64 } }, 'n.yaml', models)).toThrow(/model "nope" not found.*dual-energy-160kv/);
  });

  it('names the file and field of a bad value', () => {
    const bad = { ...good, scanner: { ...good.scanner, views: ['side'] } };
    expect(() => parsePreset(bad, 'bad.yaml', models)).toThrow(/bad\.yaml: field "scanner\.views" must be \[top\] or \[top, side\]/);
    const range = { ...good, animals: { species: ['stag-beetle'], count: [3, 1] } };
    expect(() => parsePreset(range, 'r.yaml', models)).toThrow(/"animals\.count" has min 3 above max 1/);
    const clutter = { ...good, clutter: [{ kind: 'anvil', count: [1, 1] }] };
    expect(() => parsePreset(clutter, 'c.yaml', models)).toThrow(/clutter\[0\]\.kind/);
  });

  it('reports YAML syntax errors with the file', () => {
    expect(() => loadPreset('/nonexistent/dir/p.yaml')).toThrow(/not found/);
  });
});

describe('every bundled preset samples without failing', () => {
  // Physics settling takes 20-50 ms a parcel scene: 600 of them need more than the default minute on a loaded machine.
  it('300 seeds each of parcel and reptile-box place at least one animal, inside the container', { timeout: 300_000 }, async () => {
    const { SpeciesLibrary } = await import('../../src/dataset/species-library.js');
    const { makePlan, planScene } = await import('../../src/dataset/plan.js');
    const species = await SpeciesLibrary.load();
    for (const name of ['parcel', 'reptile-box']) {
      const plan = makePlan(species, 99, { presets: [{ name, weight: 1 }], size: 64 });
      for (let i = 0; i < 300; i++) {
        const scene = planScene(plan, i);
        expect(scene.objects.some((o) => o.role === 'animal')).toBe(true);
      }
    }
  });
});
