/**
 * Brings meshes under a triangle budget with meshoptimizer's edge-collapse simplifier
 * (through @gltf-transform/functions), which keeps the silhouette by minimising the
 * geometric error. The allowed error grows step by step only as far as the budget needs,
 * and a result that repair cannot make a closed volume again (edge collapses can leave
 * zero-thickness fins) is not accepted.
 */
import { Document } from '@gltf-transform/core';
import { simplifyPrimitive } from '@gltf-transform/functions';
import { MeshoptSimplifier } from 'meshoptimizer';
import type { MeshData } from '../../core/types.js';
import { compactVertices } from './compact.js';
import { repairMesh, type RepairOptions } from './repair.js';

/** Error limits tried in turn, as fractions of the mesh radius. */
const ERROR_STEPS = [0.001, 0.005, 0.02, 0.05, 0.1];

function simplifyOnce(mesh: MeshData, ratio: number, error: number): MeshData {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const prim = doc
    .createPrimitive()
    .setAttribute('POSITION', doc.createAccessor().setType('VEC3').setArray(mesh.positions.slice()).setBuffer(buffer))
    .setIndices(doc.createAccessor().setType('SCALAR').setArray(mesh.indices.slice()).setBuffer(buffer));
  doc.createMesh().addPrimitive(prim);
  simplifyPrimitive(prim, { simplifier: MeshoptSimplifier, ratio, error, lockBorder: false });
  const positions = prim.getAttribute('POSITION')!.getArray() as Float32Array;
  const indices = prim.getIndices()?.getArray();
  return compactVertices({ positions: Float32Array.from(positions), indices: Uint32Array.from(indices ?? []) });
}


export interface SimplifyResult {
  mesh: MeshData;
  /** The error limit that met the budget (fraction of the mesh radius), or null when unchanged. */
  error: number | null;
}

/**
 * Simplifies a closed mesh to at most `maxTriangles` (when possible within the largest
 * error step; otherwise the smallest closed result found), repaired and checked under
 * `name`. Unchanged when under budget.
 */
export async function simplifyToBudget(mesh: MeshData, maxTriangles: number, name: string, repair?: RepairOptions): Promise<SimplifyResult> {
  const triangles = mesh.indices.length / 3;
  if (triangles <= maxTriangles) return { mesh, error: null };
  await MeshoptSimplifier.ready;
  const ratio = maxTriangles / triangles;
  let best: SimplifyResult = { mesh, error: null };
  for (const error of ERROR_STEPS) {
    let out: MeshData;
    try {
      out = repairMesh(simplifyOnce(mesh, ratio, error), name, repair).mesh;
    } catch {
      continue;
    }
    const n = out.indices.length / 3;
    if (n === 0) continue;
    if (n < best.mesh.indices.length / 3) best = { mesh: out, error };
    if (n <= maxTriangles) break;
  }
  return best;
}
