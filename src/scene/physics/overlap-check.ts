/**
 * An independent measure of interpenetration, from the meshes the renderer draws rather
 * than the engine's colliders: points on the surface of one object (its vertices, and its
 * triangles sampled every few millimetres) are tested for being inside another object's
 * closed meshes (ray parity), and the depth of each such point is its distance to that
 * object's surface. The deepest over all pairs is the scene's interpenetration. Pure.
 */
import type { ModelPart, SceneDescription, SceneObject, Vec3 } from '../../core/types.js';
import { shapeToMesh } from '../../geometry/primitives.js';
import { rotateVec, type Aabb } from '../placement.js';

/** One closed mesh in world coordinates, with a grid over X-Z for vertical ray casts. */
interface WorldMesh {
  /** Nine numbers per triangle. */
  tris: Float64Array;
  box: Aabb;
  grid: { x0: number; z0: number; cell: number; nx: number; nz: number; cells: number[][] };
}

interface Body {
  id: string;
  meshes: WorldMesh[];
  box: Aabb;
}

export interface OverlapReport {
  /** Deepest surface point of one object inside another, metres (0: none). */
  maxDepth: number;
  /** The two objects of that point. */
  pair: [string, string] | null;
  /** Object pairs whose boxes overlap and were tested. */
  pairsTested: number;
  /** Surface points tested in all. */
  pointsTested: number;
}

export interface OverlapOptions {
  /** Spacing of the points sampled on large triangles, metres. */
  spacing?: number;
  /** Pairs not to test (an animal inside its concealment nests by design). */
  skip?: (a: SceneObject, b: SceneObject) => boolean;
}

/** A concealment-N holds animal-N: the two nest, they do not collide. */
export function nestedPair(a: SceneObject, b: SceneObject): boolean {
  const holds = (x: SceneObject, y: SceneObject) => x.id.startsWith('concealment-') && y.id === x.id.replace('concealment-', 'animal-');
  return holds(a, b) || holds(b, a);
}

/** The deepest interpenetration between the scene's non-container objects. `assets` gives a species model's parts. */
export function measureOverlap(scene: SceneDescription, assets: (kind: string, obj: SceneObject) => readonly ModelPart[], o: OverlapOptions = {}): OverlapReport {
  const spacing = o.spacing ?? 0.004;
  const skip = o.skip ?? nestedPair;
  const objects = scene.objects.filter((x) => x.role !== 'container');
  const bodies = objects.map((x) => worldBody(x, assets));
  const report: OverlapReport = { maxDepth: 0, pair: null, pairsTested: 0, pointsTested: 0 };
  for (let i = 0; i < bodies.length; i++) {
    for (let j = 0; j < bodies.length; j++) {
      if (i === j || skip(objects[i]!, objects[j]!)) continue;
      const a = bodies[i]!;
      const b = bodies[j]!;
      if (!boxesOverlap(a.box, b.box)) continue;
      if (i < j) report.pairsTested++;
      // Points of a's surface inside b.
      for (const m of a.meshes) {
        forEachSurfacePoint(m.tris, spacing, b.box, (p) => {
          report.pointsTested++;
          for (const target of b.meshes) {
            if (!inBox(p, target.box) || !inside(target, p)) continue;
            const d = distanceToSurface(target, p);
            if (d > report.maxDepth) {
              report.maxDepth = d;
              report.pair = [a.id, b.id];
            }
          }
        });
      }
    }
  }
  return report;
}

function worldBody(obj: SceneObject, assets: (kind: string, obj: SceneObject) => readonly ModelPart[]): Body {
  const meshes: WorldMesh[] = [];
  const place = (local: Vec3, q: [number, number, number, number], off: Vec3): Vec3 => {
    const r = rotateVec(q, local);
    const s: Vec3 = [(r[0] + off[0]) * obj.scale, (r[1] + off[1]) * obj.scale, (r[2] + off[2]) * obj.scale];
    const w = rotateVec(obj.quaternion, s);
    return [w[0] + obj.position[0], w[1] + obj.position[1], w[2] + obj.position[2]];
  };
  const add = (positions: ArrayLike<number>, indices: ArrayLike<number>, q: [number, number, number, number], off: Vec3) => {
    const tris = new Float64Array(indices.length * 3);
    const world: Vec3[] = [];
    for (let v = 0; v < positions.length; v += 3) world.push(place([positions[v]!, positions[v + 1]!, positions[v + 2]!], q, off));
    for (let t = 0; t < indices.length; t++) {
      const p = world[indices[t]!]!;
      tris[3 * t] = p[0];
      tris[3 * t + 1] = p[1];
      tris[3 * t + 2] = p[2];
    }
    meshes.push(indexMesh(tris));
  };
  for (const part of obj.parts) {
    if (part.shape.type === 'asset') {
      for (const mp of assets(obj.kind, obj)) add(mp.mesh.positions, mp.mesh.indices, [0, 0, 0, 1], [0, 0, 0]);
      continue;
    }
    const mesh = shapeToMesh(part.shape);
    add(mesh.positions, mesh.indices, part.rotation ?? [0, 0, 0, 1], part.offset ?? [0, 0, 0]);
  }
  const box: Aabb = { min: [Infinity, Infinity, Infinity], max: [-Infinity, -Infinity, -Infinity] };
  for (const m of meshes) grow(box, m.box);
  return { id: obj.id, meshes, box };
}

function grow(box: Aabb, b: Aabb): void {
  for (let k = 0; k < 3; k++) {
    box.min[k] = Math.min(box.min[k]!, b.min[k]!);
    box.max[k] = Math.max(box.max[k]!, b.max[k]!);
  }
}

function indexMesh(tris: Float64Array): WorldMesh {
  const box: Aabb = { min: [Infinity, Infinity, Infinity], max: [-Infinity, -Infinity, -Infinity] };
  for (let i = 0; i < tris.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      box.min[k] = Math.min(box.min[k]!, tris[i + k]!);
      box.max[k] = Math.max(box.max[k]!, tris[i + k]!);
    }
  }
  const count = tris.length / 9;
  const n = Math.max(1, Math.min(64, Math.ceil(Math.sqrt(count / 2))));
  const cell = Math.max((box.max[0] - box.min[0]) / n, (box.max[2] - box.min[2]) / n, 1e-6);
  const nx = Math.max(1, Math.ceil((box.max[0] - box.min[0]) / cell));
  const nz = Math.max(1, Math.ceil((box.max[2] - box.min[2]) / cell));
  const cells: number[][] = Array.from({ length: nx * nz }, () => []);
  for (let t = 0; t < count; t++) {
    const o = 9 * t;
    const xs = [tris[o]!, tris[o + 3]!, tris[o + 6]!];
    const zs = [tris[o + 2]!, tris[o + 5]!, tris[o + 8]!];
    const i0 = clampCell(Math.floor((Math.min(...xs) - box.min[0]) / cell), nx);
    const i1 = clampCell(Math.floor((Math.max(...xs) - box.min[0]) / cell), nx);
    const k0 = clampCell(Math.floor((Math.min(...zs) - box.min[2]) / cell), nz);
    const k1 = clampCell(Math.floor((Math.max(...zs) - box.min[2]) / cell), nz);
    for (let i = i0; i <= i1; i++) for (let k = k0; k <= k1; k++) cells[i * nz + k]!.push(t);
  }
  return { tris, box, grid: { x0: box.min[0], z0: box.min[2], cell, nx, nz, cells } };
}

function clampCell(i: number, n: number): number {
  return Math.max(0, Math.min(n - 1, i));
}

function boxesOverlap(a: Aabb, b: Aabb): boolean {
  for (let k = 0; k < 3; k++) if (a.max[k]! < b.min[k]! || b.max[k]! < a.min[k]!) return false;
  return true;
}

function inBox(p: Vec3, b: Aabb): boolean {
  for (let k = 0; k < 3; k++) if (p[k]! < b.min[k]! || p[k]! > b.max[k]!) return false;
  return true;
}

/** Calls f with the triangles' vertices and, on triangles larger than the spacing, a grid of points across them; only points in `within`. */
function forEachSurfacePoint(tris: Float64Array, spacing: number, within: Aabb, f: (p: Vec3) => void): void {
  for (let o = 0; o < tris.length; o += 9) {
    const a: Vec3 = [tris[o]!, tris[o + 1]!, tris[o + 2]!];
    const b: Vec3 = [tris[o + 3]!, tris[o + 4]!, tris[o + 5]!];
    const c: Vec3 = [tris[o + 6]!, tris[o + 7]!, tris[o + 8]!];
    const tb = { min: [Math.min(a[0], b[0], c[0]), Math.min(a[1], b[1], c[1]), Math.min(a[2], b[2], c[2])] as Vec3, max: [Math.max(a[0], b[0], c[0]), Math.max(a[1], b[1], c[1]), Math.max(a[2], b[2], c[2])] as Vec3 };
    if (!boxesOverlap(tb, within)) continue;
    const longest = Math.max(dist(a, b), dist(b, c), dist(c, a));
    const n = Math.max(1, Math.ceil(longest / spacing));
    for (let i = 0; i <= n; i++) {
      for (let j = 0; i + j <= n; j++) {
        const u = i / n;
        const v = j / n;
        const w = 1 - u - v;
        const p: Vec3 = [w * a[0] + u * b[0] + v * c[0], w * a[1] + u * b[1] + v * c[1], w * a[2] + u * b[2] + v * c[2]];
        if (inBox(p, within)) f(p);
      }
    }
  }
}

function dist(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Parity of the crossings of a vertical ray upward from p (nudged off edges by an odd offset). */
function inside(m: WorldMesh, p: Vec3): boolean {
  const x = p[0] + 1.234567e-9;
  const z = p[2] + 7.654321e-10;
  const g = m.grid;
  const i = Math.floor((x - g.x0) / g.cell);
  const k = Math.floor((z - g.z0) / g.cell);
  if (i < 0 || k < 0 || i >= g.nx || k >= g.nz) return false;
  let crossings = 0;
  const t = m.tris;
  for (const id of g.cells[i * g.nz + k]!) {
    const o = 9 * id;
    const ax = t[o]!, ay = t[o + 1]!, az = t[o + 2]!;
    const bx = t[o + 3]!, by = t[o + 4]!, bz = t[o + 5]!;
    const cx = t[o + 6]!, cy = t[o + 7]!, cz = t[o + 8]!;
    // Barycentric coordinates of (x, z) in the triangle's X-Z projection.
    const det = (bz - cz) * (ax - cx) + (cx - bx) * (az - cz);
    if (Math.abs(det) < 1e-18) continue;
    const l1 = ((bz - cz) * (x - cx) + (cx - bx) * (z - cz)) / det;
    const l2 = ((cz - az) * (x - cx) + (ax - cx) * (z - cz)) / det;
    const l3 = 1 - l1 - l2;
    if (l1 < 0 || l2 < 0 || l3 < 0) continue;
    if (l1 * ay + l2 * by + l3 * cy > p[1]) crossings++;
  }
  return crossings % 2 === 1;
}

/** Distance from p to the nearest triangle of the mesh. */
function distanceToSurface(m: WorldMesh, p: Vec3): number {
  let best = Infinity;
  const t = m.tris;
  for (let o = 0; o < t.length; o += 9) {
    best = Math.min(best, pointTriangle(p, [t[o]!, t[o + 1]!, t[o + 2]!], [t[o + 3]!, t[o + 4]!, t[o + 5]!], [t[o + 6]!, t[o + 7]!, t[o + 8]!]));
  }
  return best;
}

/** Distance from p to triangle abc (closest point by Voronoi regions). */
export function pointTriangle(p: Vec3, a: Vec3, b: Vec3, c: Vec3): number {
  const sub = (u: Vec3, v: Vec3): Vec3 => [u[0] - v[0], u[1] - v[1], u[2] - v[2]];
  const dot = (u: Vec3, v: Vec3) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
  const ab = sub(b, a);
  const ac = sub(c, a);
  const ap = sub(p, a);
  const d1 = dot(ab, ap);
  const d2 = dot(ac, ap);
  if (d1 <= 0 && d2 <= 0) return dist(p, a);
  const bp = sub(p, b);
  const d3 = dot(ab, bp);
  const d4 = dot(ac, bp);
  if (d3 >= 0 && d4 <= d3) return dist(p, b);
  const vc = d1 * d4 - d3 * d2;
  if (vc <= 0 && d1 >= 0 && d3 <= 0) {
    const v = d1 / (d1 - d3);
    return dist(p, [a[0] + v * ab[0], a[1] + v * ab[1], a[2] + v * ab[2]]);
  }
  const cp = sub(p, c);
  const d5 = dot(ab, cp);
  const d6 = dot(ac, cp);
  if (d6 >= 0 && d5 <= d6) return dist(p, c);
  const vb = d5 * d2 - d1 * d6;
  if (vb <= 0 && d2 >= 0 && d6 <= 0) {
    const w = d2 / (d2 - d6);
    return dist(p, [a[0] + w * ac[0], a[1] + w * ac[1], a[2] + w * ac[2]]);
  }
  const va = d3 * d6 - d5 * d4;
  if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
    const w = (d4 - d3) / (d4 - d3 + (d5 - d6));
    return dist(p, [b[0] + w * (c[0] - b[0]), b[1] + w * (c[1] - b[1]), b[2] + w * (c[2] - b[2])]);
  }
  const denom = 1 / (va + vb + vc);
  const v = vb * denom;
  const w = vc * denom;
  return dist(p, [a[0] + ab[0] * v + ac[0] * w, a[1] + ab[1] * v + ac[1] * w, a[2] + ab[2] * v + ac[2] * w]);
}

/**
 * How far each object's mesh reaches out of the container's interior (the bag's own frame,
 * the belt rotation undone), metres, by object id (0: inside). Needs the scene's randomisation record.
 */
export function outsideInterior(scene: SceneDescription, assets: (kind: string, obj: SceneObject) => readonly ModelPart[]): Map<string, number> {
  const r = scene.randomisation;
  const out = new Map<string, number>();
  if (!r) return out;
  const a = (-r.beltYawDeg * Math.PI) / 180;
  const unturn: [number, number, number, number] = [0, Math.sin(a / 2), 0, Math.cos(a / 2)];
  for (const obj of scene.objects) {
    if (obj.role === 'container') continue;
    let worst = 0;
    for (const m of worldBody(obj, assets).meshes) {
      for (let i = 0; i < m.tris.length; i += 3) {
        const p = rotateVec(unturn, [m.tris[i]!, m.tris[i + 1]!, m.tris[i + 2]!]);
        for (let k = 0; k < 3; k++) worst = Math.max(worst, r.interior.min[k]! - p[k]!, p[k]! - r.interior.max[k]!);
      }
    }
    out.set(obj.id, worst);
  }
  return out;
}
