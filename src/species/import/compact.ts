/** Vertex compaction for imported meshes. Pure typed-array code. */
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
