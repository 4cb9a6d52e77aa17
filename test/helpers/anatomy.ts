import type { MeshData, ModelPart } from '../../src/core/types.js';
import { computeBounds, type Bounds } from '../../src/geometry/mesh.js';
import { inside } from './inside.js';

const disjointBoxes = (a: Bounds, b: Bounds) => [0, 1, 2].some((k) => a.max[k]! < b.min[k]! || b.max[k]! < a.min[k]!);

/** Whether any vertex of `a` lies inside `b` or any vertex of `b` inside `a` (bounding boxes first). */
export function overlaps(a: MeshData, b: MeshData): boolean {
  if (disjointBoxes(computeBounds(a), computeBounds(b))) return false;
  const anyInside = (m: MeshData, other: MeshData) => {
    for (let i = 0; i < m.positions.length; i += 3) if (inside(other, m.positions[i]!, m.positions[i + 1]!, m.positions[i + 2]!)) return true;
    return false;
  };
  return anyInside(a, b) || anyInside(b, a);
}

/** Pairs [i, j] of components that overlap (each pair once). */
export function overlappingPairs(list: readonly MeshData[]): Array<[number, number]> {
  const boxes = list.map(computeBounds);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      if (disjointBoxes(boxes[i]!, boxes[j]!)) continue;
      if (overlaps(list[i]!, list[j]!)) out.push([i, j]);
    }
  }
  return out;
}

/** Vertices of `inner` that lie in none of the `outer` meshes (bounding boxes first). */
export function verticesOutside(inner: readonly MeshData[], outer: readonly MeshData[]): number {
  const boxes = outer.map(computeBounds);
  let n = 0;
  for (const m of inner) {
    const p = m.positions;
    for (let i = 0; i < p.length; i += 3) {
      const x = p[i]!, y = p[i + 1]!, z = p[i + 2]!;
      const hit = outer.some((o, k) => {
        const b = boxes[k]!;
        if (x < b.min[0] || x > b.max[0] || y < b.min[1] || y > b.max[1] || z < b.min[2] || z > b.max[2]) return false;
        return inside(o, x, y, z);
      });
      if (!hit) n++;
    }
  }
  return n;
}

export const triangleTotal = (parts: readonly ModelPart[]) => parts.reduce((s, p) => s + p.mesh.indices.length / 3, 0);

/** Van der Corput radical inverse: deterministic, evenly spread sample coordinates. */
function radicalInverse(i: number, base: number): number {
  let f = 1, r = 0;
  for (let n = i; n > 0; n = Math.floor(n / base)) {
    f /= base;
    r += f * (n % base);
  }
  return r;
}

/**
 * Share of the volume of `meshes` (their union) that also lies inside `others`, estimated on
 * `samples` Halton points in the bounding box of `meshes`: how much tissue the path-length
 * renderer counts twice where limbs root inside the body.
 */
export function overlapShare(meshes: readonly MeshData[], others: readonly MeshData[], samples = 4000): number {
  const b = meshes.map(computeBounds).reduce((a, c) => ({
    min: [0, 1, 2].map((k) => Math.min(a.min[k]!, c.min[k]!)),
    max: [0, 1, 2].map((k) => Math.max(a.max[k]!, c.max[k]!)),
  }) as Bounds);
  let inA = 0, inBoth = 0;
  for (let i = 1; i <= samples; i++) {
    const p = [radicalInverse(i, 2), radicalInverse(i, 3), radicalInverse(i, 5)].map((t, k) => b.min[k]! + t * (b.max[k]! - b.min[k]!));
    if (!meshes.some((m) => inside(m, p[0]!, p[1]!, p[2]!))) continue;
    inA++;
    if (others.some((m) => inside(m, p[0]!, p[1]!, p[2]!))) inBoth++;
  }
  return inA === 0 ? 0 : inBoth / inA;
}
