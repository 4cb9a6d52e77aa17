/**
 * Closedness and orientation checks. The X-ray renderer sums +depth on back faces and
 * -depth on front faces; that equals the path length only for closed, 2-manifold,
 * consistently outward meshes, so every mesh is checked before it is rendered.
 *
 * Pure typed-array code (bundled into the browser page).
 */
import type { MeshData } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { signedVolume } from './mesh.js';

export interface MeshReport {
  /** The name the mesh was checked under (for messages and logs). */
  name: string;
  /** Every undirected edge is used by exactly two triangles, in opposite directions. */
  closed: boolean;
  /** Closed and signed volume > 0 (triangles counter-clockwise seen from outside). */
  outward: boolean;
  /** Edges used by one triangle only (holes, cracks at unwelded seams). */
  boundaryEdges: number;
  /** Edges used by three or more triangles. */
  nonManifoldEdges: number;
  /** Edges used twice in the same direction: neighbouring triangles wound oppositely. */
  inconsistentEdges: number;
  /** Triangles with a repeated vertex index or (near-)zero area. */
  degenerateTriangles: number;
  /** Indices pointing past the vertex array, and non-finite vertex coordinates. */
  invalidIndices: number;
  nonFiniteVertices: number;
  triangles: number;
  vertices: number;
  signedVolume: number;
}

/** Area below this share of the squared longest edge counts as degenerate (a sliver or a point). */
const DEGENERATE_RATIO = 1e-10;

export function validateClosedMesh(mesh: MeshData, name = 'mesh'): MeshReport {
  const p = mesh.positions;
  const idx = mesh.indices;
  const nv = p.length / 3;
  let nonFiniteVertices = 0;
  for (let i = 0; i < p.length; i += 3) {
    if (!Number.isFinite(p[i]!) || !Number.isFinite(p[i + 1]!) || !Number.isFinite(p[i + 2]!)) nonFiniteVertices++;
  }
  // Per undirected edge (lo, hi): count of lo->hi and of hi->lo uses, packed as two 16-bit halves.
  const edges = new Map<number, number>();
  let invalidIndices = 0;
  let degenerateTriangles = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const tri = [idx[t]!, idx[t + 1]!, idx[t + 2]!] as const;
    if (tri.some((v) => v >= nv)) {
      invalidIndices++;
      continue;
    }
    const [a, b, c] = tri;
    if (a === b || b === c || c === a) {
      degenerateTriangles++;
      continue;
    }
    const ux = p[3 * b]! - p[3 * a]!, uy = p[3 * b + 1]! - p[3 * a + 1]!, uz = p[3 * b + 2]! - p[3 * a + 2]!;
    const vx = p[3 * c]! - p[3 * a]!, vy = p[3 * c + 1]! - p[3 * a + 1]!, vz = p[3 * c + 2]! - p[3 * a + 2]!;
    const wx = vx - ux, wy = vy - uy, wz = vz - uz;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const longest2 = Math.max(ux * ux + uy * uy + uz * uz, vx * vx + vy * vy + vz * vz, wx * wx + wy * wy + wz * wz);
    if (Math.sqrt(nx * nx + ny * ny + nz * nz) <= DEGENERATE_RATIO * longest2) degenerateTriangles++;
    for (const [from, to] of [[a, b], [b, c], [c, a]] as const) {
      const key = from < to ? from * nv + to : to * nv + from;
      const inc = from < to ? 1 : 0x10000;
      edges.set(key, (edges.get(key) ?? 0) + inc);
    }
  }
  let boundaryEdges = 0;
  let nonManifoldEdges = 0;
  let inconsistentEdges = 0;
  for (const packed of edges.values()) {
    const fwd = packed & 0xffff;
    const back = packed >>> 16;
    const uses = fwd + back;
    if (uses === 1) boundaryEdges++;
    else if (uses > 2) nonManifoldEdges++;
    else if (fwd !== 1) inconsistentEdges++;
  }
  const closed = boundaryEdges === 0 && nonManifoldEdges === 0 && inconsistentEdges === 0 && invalidIndices === 0 && idx.length > 0;
  const vol = signedVolume(mesh);
  return {
    name,
    closed,
    outward: closed && vol > 0,
    boundaryEdges,
    nonManifoldEdges,
    inconsistentEdges,
    degenerateTriangles,
    invalidIndices,
    nonFiniteVertices,
    triangles: idx.length / 3,
    vertices: nv,
    signedVolume: vol,
  };
}

/** What is wrong with a mesh and how to fix it, one clause per problem; empty when valid. */
export function describeMeshProblems(report: MeshReport): string[] {
  const out: string[] = [];
  if (report.triangles === 0) out.push('it has no triangles');
  if (report.invalidIndices > 0) out.push(`${report.invalidIndices} triangles index past the ${report.vertices} vertices (corrupt index buffer)`);
  if (report.nonFiniteVertices > 0) out.push(`${report.nonFiniteVertices} vertices have NaN or infinite coordinates`);
  if (report.boundaryEdges > 0) out.push(`${report.boundaryEdges} boundary edges: the surface has holes or unwelded seams (weld duplicate vertices, fill holes)`);
  if (report.nonManifoldEdges > 0) out.push(`${report.nonManifoldEdges} non-manifold edges shared by 3+ triangles (split touching volumes into separate parts)`);
  if (report.inconsistentEdges > 0) out.push(`${report.inconsistentEdges} edges where neighbouring triangles are wound oppositely (recalculate normals outside / unify winding)`);
  if (report.degenerateTriangles > 0) out.push(`${report.degenerateTriangles} degenerate (zero-area) triangles (merge by distance / dissolve degenerate)`);
  if (report.closed && !(report.signedVolume > 0)) out.push(`it is inside out (signed volume ${report.signedVolume.toExponential(3)}; flip all faces so they wind counter-clockwise seen from outside)`);
  return out;
}

/**
 * Throws E_MESH_INVALID unless the mesh is closed, 2-manifold, outward-facing and free of
 * degenerate triangles; the message names the mesh, each problem and its fix.
 */
export function assertClosedOutward(mesh: MeshData, name: string): MeshReport {
  const report = validateClosedMesh(mesh, name);
  const problems = describeMeshProblems(report);
  if (problems.length > 0) {
    throw new ExorayError(
      'E_MESH_INVALID',
      `Mesh "${name}" is not a closed outward-facing volume, so its X-ray path lengths would be wrong: ${problems.join('; ')}.`,
    );
  }
  return report;
}
