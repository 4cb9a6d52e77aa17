/**
 * Closed torus: a ring of tube about +Y, lying in the X-Z plane, centred at the origin.
 * It has genus one, so it cannot come from the two-pole ring surfaces of rings.ts: the
 * grid wraps around in both directions instead, which keeps it watertight (no seam
 * vertices are duplicated).
 *
 * Volume-corrected like the other round primitives: the section polygon gets the area of
 * its circle, and the centre line the length of its circle (Pappus), so path lengths
 * through a key ring or a cable loop are not biased low.
 *
 * Pure typed-array code (bundled into the browser page).
 */
import type { MeshData } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { polygonAreaCorrection } from './rings.js';

export const DEFAULT_TORUS_SEGMENTS = { around: 48, section: 16 } as const;

/** `radius`: of the centre line; `tube`: of the section. The hole needs tube < radius. */
export function torus(radius: number, tube: number, segments: { around: number; section: number } = DEFAULT_TORUS_SEGMENTS): MeshData {
  if (!(Number.isFinite(radius) && Number.isFinite(tube) && tube > 0 && radius > tube)) {
    throw new ExorayError(
      'E_MESH_INVALID',
      `torus: needs 0 < tube < radius (got radius ${radius}, tube ${tube}); for a ring with no hole use a cylinder or an ellipsoid`,
    );
  }
  const n = Math.max(3, Math.round(segments.around));
  const m = Math.max(3, Math.round(segments.section));
  const r = tube * polygonAreaCorrection(m);
  // A regular n-gon centre line is shorter than its circle by n sin(pi/n) / pi.
  const big = (radius * Math.PI) / (n * Math.sin(Math.PI / n));
  const positions = new Float32Array(3 * n * m);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const u = (2 * Math.PI * i) / n;
    for (let j = 0; j < m; j++) {
      const v = (2 * Math.PI * j) / m;
      const rr = big + r * Math.cos(v);
      positions[o++] = rr * Math.sin(u);
      positions[o++] = r * Math.sin(v);
      positions[o++] = rr * Math.cos(u);
    }
  }
  const at = (i: number, j: number) => (i % n) * m + (j % m);
  const indices = new Uint32Array(6 * n * m);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const a = at(i, j), b = at(i + 1, j), c = at(i + 1, j + 1), d = at(i, j + 1);
      // Counter-clockwise seen from outside: u runs about +Y, v from the outer equator upward.
      indices[k++] = a; indices[k++] = b; indices[k++] = c;
      indices[k++] = a; indices[k++] = c; indices[k++] = d;
    }
  }
  return { positions, indices };
}
