/**
 * Vertex normals and normal offsets. Pure typed-array code (bundled into the browser page).
 */
import type { MeshData } from '../core/types.js';

/**
 * Area-weighted vertex normals (unit length), pointing to the side the triangles face.
 * Area weighting keeps normals at the poles of UV spheres symmetric, which the
 * shell offset below relies on.
 */
export function computeVertexNormals(mesh: MeshData): Float32Array {
  const p = mesh.positions;
  const idx = mesh.indices;
  const acc = new Float64Array(p.length);
  for (let t = 0; t < idx.length; t += 3) {
    const a = 3 * idx[t]!, b = 3 * idx[t + 1]!, c = 3 * idx[t + 2]!;
    const ux = p[b]! - p[a]!, uy = p[b + 1]! - p[a + 1]!, uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!, vy = p[c + 1]! - p[a + 1]!, vz = p[c + 2]! - p[a + 2]!;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    for (const v of [a, b, c]) {
      acc[v] += nx;
      acc[v + 1] += ny;
      acc[v + 2] += nz;
    }
  }
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) {
    const len = Math.hypot(acc[i]!, acc[i + 1]!, acc[i + 2]!);
    // Unreferenced vertices get a fixed, valid unit normal instead of NaN.
    if (len === 0) {
      out[i + 1] = 1;
      continue;
    }
    out[i] = acc[i]! / len;
    out[i + 1] = acc[i + 1]! / len;
    out[i + 2] = acc[i + 2]! / len;
  }
  return out;
}

/**
 * Moves every vertex by `distance` along its normal (negative: inward), keeping the
 * topology. Used for the cavity of a cuticle shell: the offset surface lies at a
 * uniform wall thickness, which scaling the outer surface would not give on elongated
 * shapes. Valid while |distance| is below the smallest radius of curvature.
 */
export function offsetAlongNormals(mesh: MeshData, distance: number): MeshData {
  const n = computeVertexNormals(mesh);
  const p = mesh.positions;
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! + distance * n[i]!;
  return { positions: out, indices: mesh.indices.slice() };
}
