/** Vertex compaction and tolerant welding for imported meshes. Pure typed-array code. */
import type { MeshData } from '../../core/types.js';

/**
 * Drops vertices no triangle uses, which would otherwise widen the model's bounds: glTF
 * primitives often index a slice of a vertex buffer shared with others, and
 * simplification leaves collapsed vertices behind.
 */
export function compactVertices(mesh: MeshData): MeshData {
  const nv = mesh.positions.length / 3;
  const remap = new Int32Array(nv).fill(-1);
  const positions: number[] = [];
  const indices = new Uint32Array(mesh.indices.length);
  mesh.indices.forEach((v, i) => {
    if (remap[v] === -1) {
      remap[v] = positions.length / 3;
      positions.push(mesh.positions[3 * v]!, mesh.positions[3 * v + 1]!, mesh.positions[3 * v + 2]!);
    }
    indices[i] = remap[v]!;
  });
  return { positions: new Float32Array(positions), indices };
}

/**
 * Merges vertices closer than `tolerance` (a grid of that cell size, searched in the 27
 * neighbouring cells so that pairs straddling a cell border are found too). Exporters
 * that recompute positions per face leave seams a rounding error apart, which an exact
 * weld does not close. Returns the mesh and how many vertices were merged away.
 */
export function weldNear(mesh: MeshData, tolerance: number): { mesh: MeshData; merged: number } {
  const p = mesh.positions;
  const n = p.length / 3;
  const cells = new Map<string, number[]>();
  const remap = new Uint32Array(n);
  const out: number[] = [];
  const tol2 = tolerance * tolerance;
  for (let v = 0; v < n; v++) {
    const x = p[3 * v]!, y = p[3 * v + 1]!, z = p[3 * v + 2]!;
    const cx = Math.floor(x / tolerance), cy = Math.floor(y / tolerance), cz = Math.floor(z / tolerance);
    let found = -1;
    for (let dx = -1; dx <= 1 && found < 0; dx++) {
      for (let dy = -1; dy <= 1 && found < 0; dy++) {
        for (let dz = -1; dz <= 1 && found < 0; dz++) {
          for (const id of cells.get(`${cx + dx},${cy + dy},${cz + dz}`) ?? []) {
            const ex = out[3 * id]! - x, ey = out[3 * id + 1]! - y, ez = out[3 * id + 2]! - z;
            if (ex * ex + ey * ey + ez * ez <= tol2) {
              found = id;
              break;
            }
          }
        }
      }
    }
    if (found < 0) {
      found = out.length / 3;
      out.push(x, y, z);
      const key = `${cx},${cy},${cz}`;
      const list = cells.get(key);
      if (list) list.push(found);
      else cells.set(key, [found]);
    }
    remap[v] = found;
  }
  const indices = new Uint32Array(mesh.indices.length);
  for (let i = 0; i < indices.length; i++) indices[i] = remap[mesh.indices[i]!]!;
  return { mesh: { positions: new Float32Array(out), indices }, merged: n - out.length / 3 };
}
