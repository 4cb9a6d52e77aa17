/**
 * Collision hulls of a species model: its triangles split into a few compact clusters
 * (recursive median cuts of the triangle centres along the longest side), each cluster
 * reduced to its extreme vertices in a fixed set of directions. The convex hulls of those
 * point sets cover the body piece by piece: a coiled snake is a ring of chunks rather than
 * one disc, a beetle's legs are not one block with its body. Pure; computed once per model
 * when the species library loads.
 */
import type { ModelPart, Vec3 } from '../../core/types.js';

/** Default number of hull pieces per model. */
export const HULL_CLUSTERS = 12;
/** Directions each cluster keeps its extreme vertex in (points of a Fibonacci sphere). */
const SUPPORT_DIRECTIONS = 96;
/** Outward scale of each hull about its centre (about 1 / cos of half the angle between neighbouring directions). */
const HULL_PAD = 1.02;

/** n near-uniform unit vectors (the golden-angle spiral). */
export function fibonacciDirections(n: number): Vec3[] {
  const golden = Math.PI * (3 - Math.sqrt(5));
  return Array.from({ length: n }, (_, i) => {
    const y = 1 - (2 * (i + 0.5)) / n;
    const r = Math.sqrt(1 - y * y);
    return [Math.cos(golden * i) * r, y, Math.sin(golden * i) * r] as Vec3;
  });
}

const DIRECTIONS = fibonacciDirections(SUPPORT_DIRECTIONS);
const DIR = Float64Array.from(DIRECTIONS.flat());

/**
 * Hull point sets of the model (model frame, as stored, xyz flattened), `clusters` of them
 * at most. Every triangle's three vertices go to the cluster of its centre, so the union of
 * the hulls covers every triangle.
 */
export function speciesHulls(parts: readonly ModelPart[], clusters = HULL_CLUSTERS): number[][] {
  let vertexCount = 0;
  let triCount = 0;
  for (const part of parts) {
    vertexCount += part.mesh.positions.length / 3;
    triCount += part.mesh.indices.length / 3;
  }
  const pos = new Float64Array(vertexCount * 3);
  const tri = new Uint32Array(triCount * 3);
  let vBase = 0;
  let t = 0;
  for (const part of parts) {
    pos.set(part.mesh.positions, vBase * 3);
    for (const i of part.mesh.indices) tri[t++] = i + vBase;
    vBase += part.mesh.positions.length / 3;
  }
  const centre = new Float64Array(triCount * 3);
  for (let k = 0; k < triCount; k++) {
    for (let a = 0; a < 3; a++) centre[3 * k + a] = (pos[3 * tri[3 * k]! + a]! + pos[3 * tri[3 * k + 1]! + a]! + pos[3 * tri[3 * k + 2]! + a]!) / 3;
  }
  const leaves: number[][] = [];
  const split = (set: number[], k: number): void => {
    if (k <= 1 || set.length < 8) {
      leaves.push(set);
      return;
    }
    const min = [Infinity, Infinity, Infinity];
    const max = [-Infinity, -Infinity, -Infinity];
    for (const id of set) {
      for (let a = 0; a < 3; a++) {
        min[a] = Math.min(min[a]!, centre[3 * id + a]!);
        max[a] = Math.max(max[a]!, centre[3 * id + a]!);
      }
    }
    const ext = [max[0]! - min[0]!, max[1]! - min[1]!, max[2]! - min[2]!];
    const axis = ext[0]! >= ext[1]! && ext[0]! >= ext[2]! ? 0 : ext[1]! >= ext[2]! ? 1 : 2;
    // Sorted by position, ties by triangle number: the split is the same on every machine.
    const order = [...set].sort((a, b) => centre[3 * a + axis]! - centre[3 * b + axis]! || a - b);
    const left = Math.floor(k / 2);
    const cut = Math.round((set.length * left) / k);
    split(order.slice(0, cut), left);
    split(order.slice(cut), k - left);
  };
  split(Array.from({ length: triCount }, (_, i) => i), clusters);
  const mark = new Uint32Array(vertexCount);
  return leaves
    .filter((l) => l.length > 0)
    .map((leaf, n) => {
      // The leaf's distinct vertices (each is shared by about six triangles).
      const verts: number[] = [];
      for (const id of leaf) {
        for (let c = 0; c < 3; c++) {
          const v = tri[3 * id + c]!;
          if (mark[v] !== n + 1) {
            mark[v] = n + 1;
            verts.push(v);
          }
        }
      }
      return supportPoints(pos, verts);
    });
}

/** The extreme vertex in each direction, duplicates removed. */
function supportPoints(pos: Float64Array, verts: readonly number[]): number[] {
  const n = DIRECTIONS.length;
  const bestD = new Float64Array(n).fill(-Infinity);
  const bestV = new Int32Array(n).fill(-1);
  for (const v of verts) {
    const x = pos[3 * v]!;
    const y = pos[3 * v + 1]!;
    const z = pos[3 * v + 2]!;
    for (let i = 0; i < n; i++) {
      const d = x * DIR[3 * i]! + y * DIR[3 * i + 1]! + z * DIR[3 * i + 2]!;
      if (d > bestD[i]!) {
        bestD[i] = d;
        bestV[i] = v;
      }
    }
  }
  const seen = new Set<number>();
  const kept: number[] = [];
  for (const v of bestV) {
    if (v < 0 || seen.has(v)) continue;
    seen.add(v);
    kept.push(v);
  }
  // Pushed out from their centre by HULL_PAD: the hull of the extreme points lies a hair inside
  // the hull of all the vertices (by the angle between neighbouring directions).
  const c = [0, 0, 0];
  for (const v of kept) for (let a = 0; a < 3; a++) c[a]! += pos[3 * v + a]! / kept.length;
  return kept.flatMap((v) => [0, 1, 2].map((a) => c[a]! + (pos[3 * v + a]! - c[a]!) * HULL_PAD));
}
