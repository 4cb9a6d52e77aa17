import type { MeshData } from '../../src/core/types.js';

/** Whether a point is inside a closed mesh: odd number of crossings along a slightly skewed ray (Moller-Trumbore). */
export function inside(mesh: MeshData, px: number, py: number, pz: number): boolean {
  const d = [1, 0.0123, 0.0071];
  const p = mesh.positions;
  let hits = 0;
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const a = 3 * mesh.indices[t]!, b = 3 * mesh.indices[t + 1]!, c = 3 * mesh.indices[t + 2]!;
    const e1 = [p[b]! - p[a]!, p[b + 1]! - p[a + 1]!, p[b + 2]! - p[a + 2]!];
    const e2 = [p[c]! - p[a]!, p[c + 1]! - p[a + 1]!, p[c + 2]! - p[a + 2]!];
    const h = [d[1]! * e2[2]! - d[2]! * e2[1]!, d[2]! * e2[0]! - d[0]! * e2[2]!, d[0]! * e2[1]! - d[1]! * e2[0]!];
    const det = e1[0]! * h[0]! + e1[1]! * h[1]! + e1[2]! * h[2]!;
    if (Math.abs(det) < 1e-30) continue;
    const s = [px - p[a]!, py - p[a + 1]!, pz - p[a + 2]!];
    const u = (s[0]! * h[0]! + s[1]! * h[1]! + s[2]! * h[2]!) / det;
    if (u < 0 || u > 1) continue;
    const q = [s[1]! * e1[2]! - s[2]! * e1[1]!, s[2]! * e1[0]! - s[0]! * e1[2]!, s[0]! * e1[1]! - s[1]! * e1[0]!];
    const v = (d[0]! * q[0]! + d[1]! * q[1]! + d[2]! * q[2]!) / det;
    if (v < 0 || u + v > 1) continue;
    if ((e2[0]! * q[0]! + e2[1]! * q[1]! + e2[2]! * q[2]!) / det > 0) hits++;
  }
  return hits % 2 === 1;
}
