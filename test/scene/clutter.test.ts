import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { MeshData, Part } from '../../src/core/types.js';
import { computeBounds, transformMeshTRS } from '../../src/geometry/mesh.js';
import { shapeToMesh } from '../../src/geometry/primitives.js';
import { validateClosedMesh } from '../../src/geometry/validate.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { CLUTTER_KINDS, HARD_NEGATIVE_KINDS, buildClutter } from '../../src/scene/clutter/index.js';
import { inside } from '../helpers/inside.js';

const partMesh = (p: Part): MeshData => transformMeshTRS(shapeToMesh(p.shape), p.offset ?? [0, 0, 0], p.rotation ?? [0, 0, 0, 1], 1);

describe('clutter library', () => {
  const materials = loadMaterialLibrary();

  it('has at least 25 kinds plus the hard negatives (coiled cable, dried fruit, toy insect, rubber snake)', () => {
    expect(CLUTTER_KINDS.length).toBeGreaterThanOrEqual(29);
    for (const k of ['coiled-cable', 'dried-fruit-bag', 'toy-insect', 'rubber-snake'] as const) expect(HARD_NEGATIVE_KINDS).toContain(k);
  });

  for (const kind of CLUTTER_KINDS) {
    it(`${kind}: closed outward parts of known materials, bounds that hold them, varies with the seed`, () => {
      const signatures = new Set<string>();
      for (let seed = 1; seed <= 12; seed++) {
        const item = buildClutter(kind, new Rng(seed), 0.2);
        expect(item.kind.length).toBeGreaterThan(0);
        expect(item.parts.length).toBeGreaterThan(0);
        const min = [Infinity, Infinity, Infinity];
        const max = [-Infinity, -Infinity, -Infinity];
        for (const [i, p] of item.parts.entries()) {
          expect(materials.has(p.material), `${kind} part ${i} material ${p.material}`).toBe(true);
          const mesh = partMesh(p);
          const r = validateClosedMesh(mesh, `${kind}#${i}`);
          expect(r, `${kind} seed ${seed} part ${i} (${p.shape.type})`).toMatchObject({ closed: true, outward: true, degenerateTriangles: 0 });
          const b = computeBounds(mesh);
          for (let k = 0; k < 3; k++) {
            min[k] = Math.min(min[k]!, b.min[k]!);
            max[k] = Math.max(max[k]!, b.max[k]!);
          }
        }
        // The item's box contains its meshes (the three original kinds keep nominal boxes, which the tessellation
        // passes by < 0.1 mm) and is tight to within the padding (a tube's pointed tips fall short of it).
        const tubeR = Math.max(0, ...item.parts.map((p) => (p.shape.type === 'tube' ? p.shape.radius : 0)));
        for (let k = 0; k < 3; k++) {
          expect(min[k]!).toBeGreaterThanOrEqual(-item.halfExtents[k]! - 1e-4);
          expect(max[k]!).toBeLessThanOrEqual(item.halfExtents[k]! + 1e-4);
          expect(max[k]! - min[k]!).toBeGreaterThan(2 * item.halfExtents[k]! - Math.max(0.06 * item.halfExtents[k]!, 0.006, 2.2 * tubeR));
        }
        expect(2 * item.halfExtents[1]).toBeLessThanOrEqual(0.2);
        signatures.add(JSON.stringify(item.halfExtents.map((v) => v.toFixed(4))));
      }
      expect(signatures.size).toBeGreaterThan(3);
    });
  }

  it('parts of one item never overlap (points inside two parts at once), over several seeds', () => {
    const rng = new Rng(5);
    const problems: string[] = [];
    for (const kind of CLUTTER_KINDS) {
      for (let seed = 1; seed <= 2; seed++) {
        const item = buildClutter(kind, new Rng(seed * 7919), 0.2);
        const meshes = item.parts.map(partMesh);
        const boxes = meshes.map(computeBounds);
        for (let i = 0; i < meshes.length; i++) {
          for (let j = i + 1; j < meshes.length; j++) {
            const lo = [0, 1, 2].map((k) => Math.max(boxes[i]!.min[k]!, boxes[j]!.min[k]!));
            const hi = [0, 1, 2].map((k) => Math.min(boxes[i]!.max[k]!, boxes[j]!.max[k]!));
            // Parts may touch: a shared face (within float32 rounding) is no overlap.
            if (lo.some((v, k) => v >= hi[k]! - 2e-5)) continue;
            let both = 0;
            for (let s = 0; s < 60; s++) {
              const p = [0, 1, 2].map((k) => rng.uniform(lo[k]!, hi[k]!));
              if (inside(meshes[i]!, p[0]!, p[1]!, p[2]!) && inside(meshes[j]!, p[0]!, p[1]!, p[2]!)) both++;
            }
            if (both > 0) problems.push(`${kind} seed ${seed}: parts ${i} (${item.parts[i]!.material}) and ${j} (${item.parts[j]!.material}) share ${both}/60 points`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
