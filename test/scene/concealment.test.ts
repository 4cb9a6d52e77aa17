import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { Vec3 } from '../../src/core/types.js';
import { transformMeshTRS } from '../../src/geometry/mesh.js';
import { shapeToMesh } from '../../src/geometry/primitives.js';
import { validateClosedMesh } from '../../src/geometry/validate.js';
import { partBounds } from '../../src/scene/clutter/bounds.js';
import { CONCEALMENT_KINDS, buildConcealment } from '../../src/scene/concealment.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { inside } from '../helpers/inside.js';

describe('concealments', () => {
  const materials = loadMaterialLibrary();
  const beetle: Vec3 = [0.012, 0.007, 0.03];
  const python: Vec3 = [0.09, 0.03, 0.08];

  for (const kind of CONCEALMENT_KINDS.filter((k) => k !== 'loose')) {
    it(`${kind}: a closed shell of a known material whose cavity holds the animal's box and whose box holds the shell`, () => {
      for (const [seed, a] of [[1, beetle], [2, python], [3, [0.006, 0.004, 0.01] as Vec3]] as const) {
        const c = buildConcealment(kind, new Rng(seed), a)!;
        expect(c).not.toBeNull();
        for (const p of c.parts) {
          expect(materials.has(p.material)).toBe(true);
          const mesh = transformMeshTRS(shapeToMesh(p.shape), p.offset ?? [0, 0, 0], p.rotation ?? [0, 0, 0, 1], 1);
          expect(validateClosedMesh(mesh)).toMatchObject({ closed: true, outward: true });
          const b = partBounds(p);
          for (let k = 0; k < 3; k++) {
            expect(b.min[k]!).toBeGreaterThanOrEqual(-c.half[k]! - 1e-9);
            expect(b.max[k]!).toBeLessThanOrEqual(c.half[k]! + 1e-9);
          }
          // The animal's box corners are in the cavity, not in the wall: no point of the shell inside the box.
          for (let corner = 0; corner < 8; corner++) {
            const q = [corner & 1 ? a[0] : -a[0], corner & 2 ? a[1] : -a[1], corner & 4 ? a[2] : -a[2]];
            expect(inside(mesh, q[0]!, q[1]!, q[2]!), `${kind} corner ${corner}`).toBe(false);
          }
          expect(inside(mesh, 0, 0, 0)).toBe(false);
        }
      }
    });
  }

  it('a film canister too small for the animal becomes a tube; loose is no concealment', () => {
    expect(buildConcealment('film-canister', new Rng(1), [0.005, 0.004, 0.008])!.kind).toBe('film-canister');
    expect(buildConcealment('film-canister', new Rng(1), python)!.kind).toBe('plastic-tube');
    expect(buildConcealment('loose', new Rng(1), beetle)).toBeNull();
  });
});
