import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Quat, SceneObject, Vec3 } from '../../src/core/types.js';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { MAX_MATERIAL_CHANNELS } from '../../src/render/request.js';
import { partBounds } from '../../src/scene/clutter/bounds.js';
import { listPresets, loadPreset, resolvePresetSpecies } from '../../src/scene/preset.js';
import { rotateVec, type Aabb } from '../../src/scene/placement.js';
import { sampleScene, type SpeciesForScene } from '../../src/scene/sampler.js';
import { outsideInterior } from '../../src/scene/physics/overlap-check.js';
import { posedBounds } from '../../src/species/rig/pose-rig.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { tempDir } from '../helpers/tmp.js';

/** Seeds per preset: many, but within a test's time limit on a loaded machine (physics settling takes 20-300 ms a scene). */
const SEEDS = 30;
const NEW_PRESETS = ['small-parcel', 'large-parcel', 'padded-envelope', 'postal-bag', 'hard-suitcase', 'soft-suitcase', 'backpack', 'carry-on-trolley', 'dried-seahorse-parcel'];

const conj = (q: Quat): Quat => [-q[0], -q[1], -q[2], q[3]];

/** An object's box in the bag's own frame (the belt rotation undone), from its parts' analytic bounds or the species' (posed) bounds. */
function boxInBagFrame(obj: SceneObject, yawDeg: number, species: Map<string, SpeciesForScene>): Aabb {
  const a = (yawDeg * Math.PI) / 180;
  const unturn = conj([0, Math.sin(a / 2), 0, Math.cos(a / 2)]);
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  const add = (local: Vec3) => {
    const world = rotateVec(obj.quaternion, [local[0] * obj.scale, local[1] * obj.scale, local[2] * obj.scale]);
    const p = rotateVec(unturn, [world[0] + obj.position[0], world[1] + obj.position[1], world[2] + obj.position[2]]);
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, p[k]!);
      max[k] = Math.max(max[k]!, p[k]!);
    }
  };
  for (const part of obj.parts) {
    // A posed animal is placed by the bounds of its pose.
    const sp = species.get(obj.kind);
    const b = part.shape.type !== 'asset' ? partBounds(part) : obj.pose && sp!.rig ? posedBounds(sp!.rig, obj.pose) : sp!.bounds;
    for (let c = 0; c < 8; c++) add([c & 1 ? b.max[0] : b.min[0], c & 2 ? b.max[1] : b.min[1], c & 4 ? b.max[2] : b.min[2]]);
  }
  return { min, max };
}

describe('bundled presets', async () => {
  const library = await SpeciesLibrary.load();
  const species = library.forScenes();
  const byId = new Map(species.map((s) => [s.id, s]));
  const materials = loadMaterialLibrary();

  it('are all listed and all validate', () => {
    const names = listPresets();
    for (const n of [...NEW_PRESETS, 'parcel', 'reptile-box']) expect(names).toContain(n);
    for (const n of names) expect(() => resolvePresetSpecies(loadPreset(n), library.ids())).not.toThrow();
  });

  for (const name of NEW_PRESETS) {
    it(`${name}: ${SEEDS} seeds sample deterministic scenes, everything inside the interior, settled without interpenetration, channels within the limit`, { timeout: 300_000 }, () => {
      const preset = resolvePresetSpecies(loadPreset(name), library.ids());
      let negatives = 0;
      let animals = 0;
      let concealed = 0;
      for (let seed = 0; seed < SEEDS; seed++) {
        const scene = sampleScene(preset, species, seed);
        if (seed < 5) expect(JSON.stringify(sampleScene(preset, species, seed))).toBe(JSON.stringify(scene));
        const r = scene.randomisation!;
        expect(r.containerKind).toBe(preset.container.kind);
        const container = scene.objects[0]!;
        expect(container.role).toBe('container');
        expect(container.parts.length).toBeGreaterThanOrEqual(2);
        // The container's own parts stay in its outer box.
        const cbox = boxInBagFrame(container, r.beltYawDeg, byId);
        for (let k = 0; k < 3; k++) {
          const lo = k === 1 ? 0 : -r.containerSize[k]! / 2;
          expect(cbox.min[k]!).toBeGreaterThanOrEqual(lo - 1e-6);
          expect(cbox.max[k]!).toBeLessThanOrEqual(lo + r.containerSize[k]! + 1e-6);
        }
        const items = scene.objects.slice(1);
        const boxes = items.map((o) => boxInBagFrame(o, r.beltYawDeg, byId));
        // Every item's rendered mesh lies inside the interior (physics placement keeps a millimetre off the walls).
        const outside = outsideInterior(scene, (kind, obj) => library.posedParts(kind, obj.pose));
        for (const [id, d] of outside) expect(d, `${id} seed ${seed}`).toBeLessThanOrEqual(1e-6);
        // Settled by the physics engine: no contact deeper than the 2 mm tolerance (the mesh-level check is in physics.test.ts).
        expect(r.placement).toBe('physics');
        expect(r.penetrationMm!).toBeLessThan(2);
        // A concealment holds its animal (same index): that pair nests, turned together.
        const holder = (a: SceneObject, b: SceneObject) => a.id.startsWith('concealment-') && b.id === a.id.replace('concealment-', 'animal-');
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [items[i]!, items[j]!];
            if (holder(a, b) || holder(b, a)) {
              const [outer, inner] = holder(a, b) ? [boxes[i]!, boxes[j]!] : [boxes[j]!, boxes[i]!];
              for (let k = 0; k < 3; k++) {
                expect(inner.min[k]!).toBeGreaterThanOrEqual(outer.min[k]! - 1e-6);
                expect(inner.max[k]!).toBeLessThanOrEqual(outer.max[k]! + 1e-6);
              }
              concealed++;
            }
          }
        }
        const used = new Set<string>();
        for (const o of scene.objects) {
          for (const p of o.parts) {
            if (p.shape.type === 'asset') library.parts(o.kind).forEach((mp) => used.add(mp.material));
            else used.add(p.material);
          }
        }
        expect(used.size).toBeLessThanOrEqual(MAX_MATERIAL_CHANNELS);
        for (const m of used) expect(materials.has(m), m).toBe(true);
        const placed = items.filter((o) => o.role === 'animal');
        expect(placed.length).toBe(r.animalCount);
        if (r.negative) negatives++;
        else expect(placed.length).toBeGreaterThanOrEqual(1);
        animals += placed.length;
        expect(Math.abs(r.beltYawDeg)).toBeLessThanOrEqual(Math.max(...preset.belt!.yawDeg.map(Math.abs)));
        expect(new Set(scene.objects.map((o) => o.id)).size).toBe(scene.objects.length);
      }
      // The negative share is honoured (10-15 % in the presets), and the rest carry animals.
      // Within three binomial standard deviations of the share (30 seeds are few).
      const share = preset.animals.negativeShare;
      const sd = Math.sqrt(SEEDS * share * (1 - share));
      expect(negatives).toBeGreaterThan(SEEDS * share - 3 * sd);
      expect(negatives).toBeLessThan(SEEDS * share + 3 * sd);
      expect(animals).toBeGreaterThan(SEEDS * 0.7);
      // Every bundled preset hides some animals (in socks, tubes, boxes, wraps).
      expect(concealed).toBeGreaterThan(animals * 0.2);
    });
  }
});

describe('preset errors name the file and line', () => {
  const good = `name: bad
scanner:
  model: dual-energy-160kv
  width: 64
  height: 64
container:
  kind: backpack
  material: nylon
  size:
    x: [0.28, 0.34]
    y: [0.16, 0.24]
    z: [0.40, 0.50]
  wall: [0.001, 0.002]
clutter:
  - kind: laptop
    count: [0, 1]
  - {kind: socks, count: [1, 2]}
animals:
  species: [stag-beetle]
  count: [1, 2]
`;
  const write = (text: string): string => {
    const file = path.join(tempDir('exoray-preset-').dir, 'bad.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('a good preset loads', () => {
    expect(loadPreset(write(good)).container.kind).toBe('backpack');
  });

  it('a wrong value: file, line and field', () => {
    expect(() => loadPreset(write(good.replace('y: [0.16, 0.24]', 'y: [0.24, 0.16]')))).toThrow(/bad\.yaml:11: field "container\.size\.y" has min 0\.24 above max 0\.16/);
    expect(() => loadPreset(write(good.replace('count: [0, 1]', 'count: [0, many]')))).toThrow(/bad\.yaml:16: field "clutter\[0\]\.count\[1\]" must be a number/);
    expect(() => loadPreset(write(good.replace('kind: socks', 'kind: sock')))).toThrow(/bad\.yaml:17: field "clutter\[1\]\.kind" must be one of/);
    expect(() => loadPreset(write(good.replace('kind: backpack', 'kind: crate')))).toThrow(/bad\.yaml:7: field "container\.kind" must be one of .*hard-suitcase/);
  });

  it('a misspelt field is an error, not ignored', () => {
    expect(() => loadPreset(write(`${good}  negativeshare: 0.1\n`))).toThrow(/bad\.yaml:21: field "animals\.negativeshare" is not a known field here; known: .*negativeShare/);
  });

  it('species: required ids must be in the catalog (with the line), optional ones are skipped when absent', () => {
    const unknown = loadPreset(write(good.replace('species: [stag-beetle]', 'species:\n    - stag-beetle\n    - unicorn')));
    expect(() => resolvePresetSpecies(unknown, ['stag-beetle', 'ball-python'])).toThrow(/bad\.yaml:21: field "animals\.species\[1\]" names "unicorn".*animals\.optional/);
    const optional = loadPreset(write(good.replace('species: [stag-beetle]', 'species: [stag-beetle]\n  optional: [unicorn, ball-python]')));
    expect(resolvePresetSpecies(optional, ['stag-beetle', 'ball-python']).animals.species).toEqual(['stag-beetle', 'ball-python']);
  });
});
