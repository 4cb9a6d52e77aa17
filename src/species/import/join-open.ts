/**
 * Joins open parts that close each other. Real models often split one closed surface into
 * several open meshes: a CAD export splits a body per face material, a game model gives
 * the upper and lower halves of a body different materials (so different glTF
 * primitives). Each such part has holes that no cap can fix, but together their boundaries
 * coincide edge for edge. Parts whose boundary edges coincide exactly (same vertex
 * positions, after each part's exact weld) are merged into one part when the union has
 * fewer open edges and no new non-manifold edges; everything else is left as it was.
 * Pure typed-array code.
 */
import type { MeshData } from '../../core/types.js';
import { mergeMeshes, weldVertices } from '../../geometry/mesh.js';
import { validateClosedMesh } from '../../geometry/validate.js';
import { compactVertices } from './compact.js';

export interface JoinResult {
  /** Groups of input indices, in input order of their first member; singletons for parts left alone. */
  groups: number[][];
  /** One welded mesh per group. */
  meshes: MeshData[];
  /** Per group: boundary edges shared by its members (0 for singletons). */
  sharedEdges: number[];
}

/** Exact position key of vertex v (the bit pattern of its float32 coordinates). */
function positionKey(p: Float32Array, v: number): string {
  return `${p[3 * v]},${p[3 * v + 1]},${p[3 * v + 2]}`;
}

/** Boundary edges (used by one triangle) of a welded mesh, as order-free keys of their end positions. */
export function boundaryEdgeKeys(mesh: MeshData): string[] {
  const nv = mesh.positions.length / 3;
  const uses = new Map<number, number>();
  const idx = mesh.indices;
  for (let t = 0; t < idx.length; t += 3) {
    for (let k = 0; k < 3; k++) {
      const a = idx[t + k]!, b = idx[t + ((k + 1) % 3)]!;
      const key = a < b ? a * nv + b : b * nv + a;
      uses.set(key, (uses.get(key) ?? 0) + 1);
    }
  }
  const out: string[] = [];
  for (const [key, n] of uses) {
    if (n !== 1) continue;
    const a = positionKey(mesh.positions, Math.floor(key / nv)), b = positionKey(mesh.positions, key % nv);
    out.push(a < b ? `${a}|${b}` : `${b}|${a}`);
  }
  return out;
}

function weldMerged(meshes: readonly MeshData[]): MeshData {
  return compactVertices(weldVertices(mergeMeshes(meshes)));
}

/** Joins welded parts along coincident boundaries (see the module comment). */
export function joinOpenParts(meshes: readonly MeshData[]): JoinResult {
  const n = meshes.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  meshes.forEach((m, i) => {
    for (const key of boundaryEdgeKeys(m)) {
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else if (j !== i) {
        const [a, b] = [find(i), find(j)];
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const list = byRoot.get(r);
    if (list) list.push(i);
    else byRoot.set(r, [i]);
  }
  const groups: number[][] = [];
  const out: MeshData[] = [];
  const sharedEdges: number[] = [];
  for (const members of [...byRoot.values()].sort((a, b) => a[0]! - b[0]!)) {
    if (members.length === 1) {
      groups.push(members);
      out.push(meshes[members[0]!]!);
      sharedEdges.push(0);
      continue;
    }
    const joined = weldMerged(members.map((i) => meshes[i]!));
    const before = members.map((i) => validateClosedMesh(meshes[i]!));
    const after = validateClosedMesh(joined);
    const openBefore = before.reduce((s, r) => s + r.boundaryEdges, 0);
    const nonManifoldBefore = before.reduce((s, r) => s + r.nonManifoldEdges, 0);
    if (after.boundaryEdges < openBefore && after.nonManifoldEdges <= nonManifoldBefore) {
      groups.push(members);
      out.push(joined);
      sharedEdges.push((openBefore - after.boundaryEdges) / 2);
    } else {
      // The coincidence did not help (or made a fin): keep the parts apart.
      for (const i of members) {
        groups.push([i]);
        out.push(meshes[i]!);
        sharedEdges.push(0);
      }
    }
  }
  // Keep input order of each group's first member.
  const order = groups.map((g, k) => [g[0]!, k] as const).sort((a, b) => a[0] - b[0]).map(([, k]) => k);
  return { groups: order.map((k) => groups[k]!), meshes: order.map((k) => out[k]!), sharedEdges: order.map((k) => sharedEdges[k]!) };
}
