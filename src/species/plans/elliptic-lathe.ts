/**
 * Closed surfaces whose horizontal sections are ellipses centred on the Y axis: a lathe
 * with a different radius along X and Z at each height. Domes, bowls and slabs of shells
 * and eggs are built this way. Same ring topology as geometry/rings.ts lathe (vertex i of
 * a ring at angle 2 pi i / n, at (rx sin a, y, rz cos a)), so the surface is outward when
 * the profile, read from the first pole to the last, keeps the solid on its left in the
 * (radius, y) half-plane (as a sphere's profile from the bottom pole up the outside does).
 */
import type { MeshData } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { ringSurface } from '../../geometry/rings.js';

/** [half-width along X, half-length along Z, height]; the first and last are poles (zero radii). */
export type EllipseRing = readonly [number, number, number];

export function ellipticLathe(profile: readonly EllipseRing[], around: number, what: string): MeshData {
  const n = Math.max(3, Math.round(around));
  const first = profile[0], last = profile[profile.length - 1];
  const inner = profile.slice(1, -1);
  if (!first || !last || inner.length < 1 || first[0] !== 0 || first[1] !== 0 || last[0] !== 0 || last[1] !== 0 || !inner.every((r) => r[0] > 0 && r[1] > 0)) {
    throw new ExorayError('E_MESH_INVALID', `${what}: an elliptic lathe needs a pole [0, 0, y] at each end and positive radii between (got ${profile.length} rings)`);
  }
  const pts = new Float64Array(3 * n * inner.length);
  let o = 0;
  for (const [rx, rz, y] of inner) {
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      pts[o++] = rx * Math.sin(a);
      pts[o++] = y;
      pts[o++] = rz * Math.cos(a);
    }
  }
  return ringSurface([0, first[2], 0], pts, n, [0, last[2], 0]);
}
