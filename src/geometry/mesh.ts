/**
 * Whole-mesh operations on MeshData (plain typed arrays). Pure code: this module is
 * bundled into the browser page, so it must not import Node modules.
 *
 * Accumulations (volume, area) run in float64 even though positions are float32,
 * so that the sums of thousands of small signed terms do not lose the result.
 */
import type { MeshData, Quat, Vec3 } from '../core/types.js';

/** Column-major 4x4 matrix, the layout glTF and three.js use. */
export type Mat4 = ArrayLike<number>;

export interface Bounds {
  min: Vec3;
  max: Vec3;
}

export function vertexCount(mesh: MeshData): number {
  return mesh.positions.length / 3;
}

export function triangleCount(mesh: MeshData): number {
  return mesh.indices.length / 3;
}

/** Concatenates meshes into one (vertices are not welded across meshes). */
export function mergeMeshes(meshes: readonly MeshData[]): MeshData {
  let nPos = 0;
  let nIdx = 0;
  for (const m of meshes) {
    nPos += m.positions.length;
    nIdx += m.indices.length;
  }
  const positions = new Float32Array(nPos);
  const indices = new Uint32Array(nIdx);
  let pOff = 0;
  let iOff = 0;
  for (const m of meshes) {
    positions.set(m.positions, pOff);
    const base = pOff / 3;
    for (let i = 0; i < m.indices.length; i++) indices[iOff + i] = m.indices[i]! + base;
    pOff += m.positions.length;
    iOff += m.indices.length;
  }
  return { positions, indices };
}

/** Reverses every triangle, turning an outward mesh inward (used for shell cavities). */
export function flipWinding(mesh: MeshData): MeshData {
  const indices = new Uint32Array(mesh.indices.length);
  for (let t = 0; t < mesh.indices.length; t += 3) {
    indices[t] = mesh.indices[t]!;
    indices[t + 1] = mesh.indices[t + 2]!;
    indices[t + 2] = mesh.indices[t + 1]!;
  }
  return { positions: mesh.positions.slice(), indices };
}

/** Column-major matrix of translate * rotate * scale (the glTF node TRS order). */
export function composeMatrix(translation: Vec3, rotation: Quat, scale: Vec3 | number): Float64Array {
  const [x, y, z, w] = rotation;
  const [sx, sy, sz] = typeof scale === 'number' ? [scale, scale, scale] : scale;
  const x2 = x + x, y2 = y + y, z2 = z + z;
  const xx = x * x2, xy = x * y2, xz = x * z2;
  const yy = y * y2, yz = y * z2, zz = z * z2;
  const wx = w * x2, wy = w * y2, wz = w * z2;
  const m = new Float64Array(16);
  m[0] = (1 - (yy + zz)) * sx;
  m[1] = (xy + wz) * sx;
  m[2] = (xz - wy) * sx;
  m[4] = (xy - wz) * sy;
  m[5] = (1 - (xx + zz)) * sy;
  m[6] = (yz + wx) * sy;
  m[8] = (xz + wy) * sz;
  m[9] = (yz - wx) * sz;
  m[10] = (1 - (xx + yy)) * sz;
  m[12] = translation[0];
  m[13] = translation[1];
  m[14] = translation[2];
  m[15] = 1;
  return m;
}

function det3(m: Mat4): number {
  return (
    m[0]! * (m[5]! * m[10]! - m[9]! * m[6]!) -
    m[4]! * (m[1]! * m[10]! - m[9]! * m[2]!) +
    m[8]! * (m[1]! * m[6]! - m[5]! * m[2]!)
  );
}

/**
 * Applies an affine matrix. A mirroring matrix (negative determinant) would turn the
 * mesh inside out, so the winding is reversed to keep it outward-facing.
 */
export function transformMesh(mesh: MeshData, matrix: Mat4): MeshData {
  const p = mesh.positions;
  const out = new Float32Array(p.length);
  const m = matrix;
  for (let i = 0; i < p.length; i += 3) {
    const x = p[i]!, y = p[i + 1]!, z = p[i + 2]!;
    out[i] = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
    out[i + 1] = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
    out[i + 2] = m[2]! * x + m[6]! * y + m[10]! * z + m[14]!;
  }
  if (det3(m) < 0) return { positions: out, indices: flipWinding(mesh).indices };
  return { positions: out, indices: mesh.indices.slice() };
}

/** transformMesh with translate * rotate * scale. */
export function transformMeshTRS(
  mesh: MeshData,
  translation: Vec3 = [0, 0, 0],
  rotation: Quat = [0, 0, 0, 1],
  scale: Vec3 | number = 1,
): MeshData {
  return transformMesh(mesh, composeMatrix(translation, rotation, scale));
}

/** Axis-aligned bounds of the referenced vertices ([Infinity..-Infinity] for an empty mesh). */
export function computeBounds(mesh: MeshData): Bounds {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  const p = mesh.positions;
  for (const v of mesh.indices) {
    for (let k = 0; k < 3; k++) {
      const c = p[3 * v + k]!;
      if (c < min[k]!) min[k] = c;
      if (c > max[k]!) max[k] = c;
    }
  }
  return { min, max };
}

/** Bounds of several meshes together. */
export function boundsOf(meshes: readonly MeshData[]): Bounds {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const m of meshes) {
    const b = computeBounds(m);
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, b.min[k]!);
      max[k] = Math.max(max[k]!, b.max[k]!);
    }
  }
  return { min, max };
}

/**
 * Signed volume by the divergence theorem (sum of origin-apex tetrahedra). Positive when
 * the mesh is closed and outward-facing; for a shell it is outer minus cavity.
 * Vertices are taken relative to the first one, so meshes far from the origin keep precision.
 */
export function signedVolume(mesh: MeshData): number {
  const p = mesh.positions;
  const idx = mesh.indices;
  if (idx.length === 0) return 0;
  const ox = p[0]!, oy = p[1]!, oz = p[2]!;
  let v6 = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const a = 3 * idx[t]!, b = 3 * idx[t + 1]!, c = 3 * idx[t + 2]!;
    const ax = p[a]! - ox, ay = p[a + 1]! - oy, az = p[a + 2]! - oz;
    const bx = p[b]! - ox, by = p[b + 1]! - oy, bz = p[b + 2]! - oz;
    const cx = p[c]! - ox, cy = p[c + 1]! - oy, cz = p[c + 2]! - oz;
    v6 += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  }
  return v6 / 6;
}

export function surfaceArea(mesh: MeshData): number {
  const p = mesh.positions;
  const idx = mesh.indices;
  let a2 = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const a = 3 * idx[t]!, b = 3 * idx[t + 1]!, c = 3 * idx[t + 2]!;
    const ux = p[b]! - p[a]!, uy = p[b + 1]! - p[a + 1]!, uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!, vy = p[c + 1]! - p[a + 1]!, vz = p[c + 2]! - p[a + 2]!;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    a2 += Math.sqrt(nx * nx + ny * ny + nz * nz);
  }
  return a2 / 2;
}

/**
 * Merges vertices with bit-identical positions. Exporters split vertices along UV and
 * normal seams, which leaves a closed surface looking open to an edge check; only
 * positions matter for path lengths, so welding exact duplicates loses nothing.
 */
export function weldVertices(mesh: MeshData): MeshData {
  return weldWithSource(mesh).mesh;
}

/** weldVertices, and for each welded vertex the first input vertex it came from (to carry skins and morphs along). */
export function weldWithSource(mesh: MeshData): { mesh: MeshData; source: Uint32Array } {
  const p = mesh.positions;
  const n = p.length / 3;
  const bits = new Uint32Array(p.buffer, p.byteOffset, p.length);
  const remap = new Uint32Array(n);
  const seen = new Map<string, number>();
  const out: number[] = [];
  const source: number[] = [];
  for (let v = 0; v < n; v++) {
    const key = `${bits[3 * v]},${bits[3 * v + 1]},${bits[3 * v + 2]}`;
    let id = seen.get(key);
    if (id === undefined) {
      id = out.length / 3;
      seen.set(key, id);
      out.push(p[3 * v]!, p[3 * v + 1]!, p[3 * v + 2]!);
      source.push(v);
    }
    remap[v] = id;
  }
  const indices = new Uint32Array(mesh.indices.length);
  for (let i = 0; i < indices.length; i++) indices[i] = remap[mesh.indices[i]!]!;
  return { mesh: { positions: new Float32Array(out), indices }, source: Uint32Array.from(source) };
}
