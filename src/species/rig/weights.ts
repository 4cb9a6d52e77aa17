/**
 * Per-vertex skins for the procedural models.
 *
 * - `rigidSkin`: every vertex on one joint, weight 1. Hard parts (a leg segment, a body
 *   segment's shell, a bone) move as solids and stay closed with their volume exact.
 * - `uniformSkin`: every vertex with the same joints and weights: one affine map for the
 *   whole component, so it stays a closed solid too; used for small bones (vertebrae, ribs)
 *   inside a blended body, so they follow the flesh around them instead of poking out.
 * - `chainSkin`: soft tubes (a snake's body, a limb's flesh) blended along a chain of joint
 *   points: each vertex projects onto the polyline; between two points it belongs to the
 *   joint owning that stretch, and within a window around a point it blends linearly from
 *   the stretch before to the stretch after.
 *
 * Weights are quantised to multiples of 1/255 summing to exactly 1, as the GLB stores them
 * (normalised unsigned bytes), so a model read back poses exactly as it was built.
 */
import type { MeshData, Vec3, VertexSkin } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { mergeMeshes } from '../../geometry/mesh.js';

export interface SkinnedMesh {
  mesh: MeshData;
  skin: VertexSkin;
}

/** Up to four [joint, weight] pairs, quantised to 1/255 (largest remainders), zero weights dropped. */
export function quantise(pairs: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const merged = new Map<number, number>();
  for (const [j, w] of pairs) if (w > 0) merged.set(j, (merged.get(j) ?? 0) + w);
  const list = [...merged].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 4);
  const total = list.reduce((s, [, w]) => s + w, 0);
  if (!(total > 0)) throw new ExorayError('E_ASSET', `skin: a vertex has no positive weight (${JSON.stringify(pairs)})`);
  const raw = list.map(([j, w]) => [j, (255 * w) / total] as [number, number]);
  const units = raw.map(([j, w]) => [j, Math.floor(w)] as [number, number]);
  let left = 255 - units.reduce((s, [, u]) => s + u, 0);
  const order = raw.map(([, w], i) => [w - Math.floor(w), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    units[i]![1]++;
    left--;
  }
  return units.filter(([, u]) => u > 0).map(([j, u]) => [j, u / 255]);
}

function fill(n: number, pairs: ReadonlyArray<readonly [number, number]>): VertexSkin {
  const q = quantise(pairs);
  const joints = new Uint16Array(4 * n);
  const weights = new Float32Array(4 * n);
  for (let v = 0; v < n; v++) {
    q.forEach(([j, w], k) => {
      joints[4 * v + k] = j;
      weights[4 * v + k] = w;
    });
  }
  return { joints, weights };
}

export function rigidSkin(mesh: MeshData, joint: number): SkinnedMesh {
  return { mesh, skin: fill(mesh.positions.length / 3, [[joint, 1]]) };
}

export function uniformSkin(mesh: MeshData, pairs: ReadonlyArray<readonly [number, number]>): SkinnedMesh {
  return { mesh, skin: fill(mesh.positions.length / 3, pairs) };
}

/** Centroid of a mesh's vertices. */
export function centroid(mesh: MeshData): Vec3 {
  const p = mesh.positions;
  const n = p.length / 3;
  const c: Vec3 = [0, 0, 0];
  for (let i = 0; i < p.length; i += 3) {
    c[0] += p[i]!;
    c[1] += p[i + 1]!;
    c[2] += p[i + 2]!;
  }
  return [c[0] / n, c[1] / n, c[2] / n];
}

/**
 * A chain of joint points: `owners[k]` owns the stretch before `points[k]` (k = 0: everything
 * before the first point), `owners[points.length]` everything after the last; around
 * `points[k]`, within `windows[k]` along the chain, the vertex blends from owners[k] to owners[k + 1].
 */
export interface Chain {
  points: Vec3[];
  owners: number[];
  windows: number[];
}

/** Arc position along the chain's polyline (extended straight beyond both ends) of the point nearest to v. */
export function chainPosition(points: readonly Vec3[], arc: readonly number[], v: Vec3): number {
  if (points.length === 1) return 0;
  let best = Infinity;
  let pos = 0;
  const last = points.length - 2;
  for (let k = 0; k <= last; k++) {
    const a = points[k]!, b = points[k + 1]!;
    const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    const len2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    let t = len2 > 0 ? ((v[0] - a[0]) * d[0] + (v[1] - a[1]) * d[1] + (v[2] - a[2]) * d[2]) / len2 : 0;
    if (k > 0) t = Math.max(0, t);
    if (k < last) t = Math.min(1, t);
    const q: Vec3 = [a[0] + d[0] * t, a[1] + d[1] * t, a[2] + d[2] * t];
    const dist = Math.hypot(v[0] - q[0], v[1] - q[1], v[2] - q[2]);
    if (dist < best - 1e-12) {
      best = dist;
      pos = arc[k]! + t * Math.sqrt(len2);
    }
  }
  return pos;
}

/** The [joint, weight] pairs at arc position s of the chain. */
export function chainWeights(chain: Chain, arc: readonly number[], s: number): Array<[number, number]> {
  const { owners, windows } = chain;
  let k = 0;
  while (k < arc.length && s >= arc[k]!) k++;
  // s lies in stretch k (before point k). Blend with a neighbouring stretch near a point.
  for (const p of [k - 1, k]) {
    if (p < 0 || p >= arc.length) continue;
    const h = windows[p]!;
    if (h > 0 && Math.abs(s - arc[p]!) < h) {
      const after = (s - arc[p]! + h) / (2 * h);
      return [[owners[p]!, 1 - after], [owners[p + 1]!, after]];
    }
  }
  return [[owners[k]!, 1]];
}

function arcOf(points: readonly Vec3[]): number[] {
  const arc = [0];
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1]!, b = points[k]!;
    arc.push(arc[k - 1]! + Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]));
  }
  return arc;
}

/** Windows no wider than `share` of the stretch on either side of each point. */
export function clampWindows(points: readonly Vec3[], wanted: readonly number[], share = 0.5): number[] {
  const arc = arcOf(points);
  return wanted.map((w, k) => {
    const before = k > 0 ? arc[k]! - arc[k - 1]! : Infinity;
    const after = k < arc.length - 1 ? arc[k + 1]! - arc[k]! : Infinity;
    return Math.max(0, Math.min(w, share * before, share * after));
  });
}

/** Every vertex blended along the chain. */
export function chainSkin(mesh: MeshData, chain: Chain): SkinnedMesh {
  if (chain.owners.length !== chain.points.length + 1 || chain.windows.length !== chain.points.length) {
    throw new ExorayError('E_ASSET', `skin: a chain of ${chain.points.length} points needs ${chain.points.length + 1} owners and ${chain.points.length} windows`);
  }
  const arc = arcOf(chain.points);
  const p = mesh.positions;
  const n = p.length / 3;
  const joints = new Uint16Array(4 * n);
  const weights = new Float32Array(4 * n);
  for (let v = 0; v < n; v++) {
    const s = chainPosition(chain.points, arc, [p[3 * v]!, p[3 * v + 1]!, p[3 * v + 2]!]);
    quantise(chainWeights(chain, arc, s)).forEach(([j, w], k) => {
      joints[4 * v + k] = j;
      weights[4 * v + k] = w;
    });
  }
  return { mesh, skin: { joints, weights } };
}

/** The weights a whole component gets from the chain at its centroid (see uniformSkin). */
export function chainUniformSkin(mesh: MeshData, chain: Chain, at: Vec3 = centroid(mesh)): SkinnedMesh {
  const arc = arcOf(chain.points);
  return uniformSkin(mesh, chainWeights(chain, arc, chainPosition(chain.points, arc, at)));
}

/** Concatenates skinned meshes (as mergeMeshes does the meshes). */
export function mergeSkinned(list: readonly SkinnedMesh[]): SkinnedMesh {
  const mesh = mergeMeshes(list.map((s) => s.mesh));
  const n = mesh.positions.length / 3;
  const joints = new Uint16Array(4 * n);
  const weights = new Float32Array(4 * n);
  let off = 0;
  for (const s of list) {
    joints.set(s.skin.joints, off);
    weights.set(s.skin.weights, off);
    off += s.skin.joints.length;
  }
  return { mesh, skin: { joints, weights } };
}

/** The same skin for a transformed copy of the mesh (vertex order is kept by transformMesh). */
export function withMesh(s: SkinnedMesh, mesh: MeshData): SkinnedMesh {
  if (mesh.positions.length !== s.mesh.positions.length) throw new ExorayError('E_ASSET', 'skin: a transformed mesh must keep its vertices');
  return { mesh, skin: s.skin };
}
