/**
 * Collision shapes for the scene's parts, as plain data (no engine objects), so the
 * mapping is pure and testable without the physics engine. Convex primitives map to
 * the engine's primitives; concave ones become compounds of convex pieces:
 *
 * - box, cylinder, capsule: the engine's own primitive (all three share the Y axis).
 * - ellipsoid: a ball when round, else the convex hull of 42 points on its surface.
 * - torus: a ring of capsules along its centre line (its hole stays open).
 * - tube: a chain of capsules along its path, the path thinned where it is nearly straight
 *   and the radius grown by what the thinning cut off.
 * - hollowBox / hollowCylinder of a movable item: the solid outline. They are closed shells,
 *   so nothing can enter them from outside; a solid is cheaper and cannot be tunnelled.
 *   `openBoxWalls` gives the container's open tray of wall slabs instead.
 */
import type { Part, Quat, Vec3 } from '../../core/types.js';
import { partBounds } from '../clutter/bounds.js';
import { rotateVec } from '../placement.js';

export type ColliderShape =
  | { type: 'cuboid'; half: Vec3 }
  | { type: 'cylinder'; halfHeight: number; radius: number }
  | { type: 'capsule'; halfHeight: number; radius: number }
  | { type: 'ball'; radius: number }
  /** Convex hull of the points, xyz flattened. */
  | { type: 'hull'; points: number[] };

/** One convex piece of a body, placed in the body's frame. */
export interface ColliderSpec {
  shape: ColliderShape;
  offset: Vec3;
  rotation: Quat;
}

const IDENTITY: Quat = [0, 0, 0, 1];
/** Tessellated round shapes reach this far beyond their radius (see clutter/bounds.ts); the colliders do too. */
const ROUND_PAD = 1.003;
const TORUS_SEGMENTS = 8;
/** Rings smaller than this (outer radius, metres) collide as discs. */
const SMALL_RING = 0.012;
/** Capsules per tube at most. */
const MAX_TUBE_SEGMENTS = 12;
/** A tube's path may be thinned where it strays at most this share of its radius from the chord. */
const TUBE_SLACK = 0.25;

export function multiplyQuat(a: Quat, b: Quat): Quat {
  return [
    a[3] * b[0] + a[0] * b[3] + a[1] * b[2] - a[2] * b[1],
    a[3] * b[1] - a[0] * b[2] + a[1] * b[3] + a[2] * b[0],
    a[3] * b[2] + a[0] * b[1] - a[1] * b[0] + a[2] * b[3],
    a[3] * b[3] - a[0] * b[0] - a[1] * b[1] - a[2] * b[2],
  ];
}

/** The rotation that turns +Y onto the unit vector d. */
export function quatFromY(d: Vec3): Quat {
  const dot = d[1];
  if (dot < -0.999999) return [1, 0, 0, 0];
  // axis = Y x d = (d.z, 0, -d.x); q = normalize(axis, 1 + dot)
  const q: Quat = [d[2], 0, -d[0], 1 + dot];
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

/** 42 unit directions, near-uniform over the sphere (an icosahedron and its edge midpoints). */
export const SPHERE_DIRECTIONS: readonly Vec3[] = (() => {
  const t = (1 + Math.sqrt(5)) / 2;
  const v: Vec3[] = [
    [-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0],
    [0, -1, t], [0, 1, t], [0, -1, -t], [0, 1, -t],
    [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1],
  ];
  const unit = (p: Vec3): Vec3 => {
    const n = Math.hypot(p[0], p[1], p[2]);
    return [p[0] / n, p[1] / n, p[2] / n];
  };
  const out = v.map(unit);
  // Edges of the icosahedron are the vertex pairs at distance 2.
  for (let i = 0; i < v.length; i++) {
    for (let j = i + 1; j < v.length; j++) {
      const d = Math.hypot(v[i]![0] - v[j]![0], v[i]![1] - v[j]![1], v[i]![2] - v[j]![2]);
      if (Math.abs(d - 2) < 1e-9) out.push(unit([v[i]![0] + v[j]![0], v[i]![1] + v[j]![1], v[i]![2] + v[j]![2]]));
    }
  }
  return out;
})();

/**
 * 1 / cos of the largest angle between any direction and its nearest net direction: the hull
 * of the net's points, scaled by this, contains the unit sphere (each face's cap is no wider).
 */
const NET_PAD = (() => {
  const golden = Math.PI * (3 - Math.sqrt(5));
  const n = 4000;
  let worst = 1;
  for (let i = 0; i < n; i++) {
    const y = 1 - (2 * (i + 0.5)) / n;
    const r = Math.sqrt(1 - y * y);
    const d: Vec3 = [Math.cos(golden * i) * r, y, Math.sin(golden * i) * r];
    let best = -1;
    for (const s of SPHERE_DIRECTIONS) best = Math.max(best, d[0] * s[0] + d[1] * s[1] + d[2] * s[2]);
    worst = Math.min(worst, best);
  }
  // A little more for the directions between the sampled ones.
  return 1.01 / worst;
})();

/** A capsule from a to b of radius r. */
function segmentCapsule(a: Vec3, b: Vec3, r: number): ColliderSpec {
  const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const len = Math.hypot(d[0], d[1], d[2]);
  const mid: Vec3 = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
  if (len < 1e-9) return { shape: { type: 'ball', radius: r }, offset: mid, rotation: IDENTITY };
  return { shape: { type: 'capsule', halfHeight: len / 2, radius: r }, offset: mid, rotation: quatFromY([d[0] / len, d[1] / len, d[2] / len]) };
}

function distanceToSegment(p: Vec3, a: Vec3, b: Vec3): number {
  const ab: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const ap: Vec3 = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
  const l2 = ab[0] ** 2 + ab[1] ** 2 + ab[2] ** 2;
  const t = l2 > 0 ? Math.max(0, Math.min(1, (ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / l2)) : 0;
  return Math.hypot(ap[0] - t * ab[0], ap[1] - t * ab[1], ap[2] - t * ab[2]);
}

/**
 * The path's points kept for a capsule chain: a point is dropped while every point since
 * the last kept one stays within `slack` of the chord. Returns the kept points and the
 * largest distance cut off, which the caller adds to the radius (so the chain still covers the tube).
 */
export function thinPath(path: readonly Vec3[], slack: number): { points: Vec3[]; cut: number } {
  const points: Vec3[] = [path[0]!];
  let cut = 0;
  let start = 0;
  // Worst distance of the points inside the chord start..end-1 (the chord being grown).
  let chordWorst = 0;
  for (let end = start + 2; end < path.length; end++) {
    let worst = 0;
    for (let k = start + 1; k < end; k++) worst = Math.max(worst, distanceToSegment(path[k]!, path[start]!, path[end]!));
    if (worst > slack) {
      points.push(path[end - 1]!);
      cut = Math.max(cut, chordWorst);
      start = end - 1;
      chordWorst = 0;
    } else {
      chordWorst = worst;
    }
  }
  cut = Math.max(cut, chordWorst);
  points.push(path[path.length - 1]!);
  return { points, cut };
}

/** Colliders of one part in its own frame (before the part's offset and rotation). */
function shapeColliders(part: Part): ColliderSpec[] {
  const s = part.shape;
  switch (s.type) {
    case 'box':
    case 'hollowBox':
      return [{ shape: { type: 'cuboid', half: [s.size[0] / 2, s.size[1] / 2, s.size[2] / 2] }, offset: [0, 0, 0], rotation: IDENTITY }];
    case 'cylinder':
    case 'hollowCylinder':
      return [{ shape: { type: 'cylinder', halfHeight: s.height / 2, radius: s.radius * ROUND_PAD }, offset: [0, 0, 0], rotation: IDENTITY }];
    case 'capsule':
      return [{ shape: { type: 'capsule', halfHeight: s.length / 2, radius: s.radius * ROUND_PAD }, offset: [0, 0, 0], rotation: IDENTITY }];
    case 'ellipsoid': {
      const r = s.radii;
      if (Math.abs(r[0] - r[1]) < 1e-9 && Math.abs(r[1] - r[2]) < 1e-9) {
        return [{ shape: { type: 'ball', radius: r[0] * ROUND_PAD }, offset: [0, 0, 0], rotation: IDENTITY }];
      }
      // The hull of points on the surface lies inside it; pushed out by 1/cos of the net's
      // covering angle it encloses the sphere, and so (the map by the radii is linear) the ellipsoid.
      const pad = ROUND_PAD * NET_PAD;
      const points = SPHERE_DIRECTIONS.flatMap((d) => [d[0] * r[0] * pad, d[1] * r[1] * pad, d[2] * r[2] * pad]);
      return [{ shape: { type: 'hull', points }, offset: [0, 0, 0], rotation: IDENTITY }];
    }
    case 'torus': {
      // A small ring (an eyelet, a key ring) is a disc: nothing fits through its hole anyway.
      if (s.radius + s.tube < SMALL_RING) {
        return [{ shape: { type: 'cylinder', halfHeight: s.tube * 1.02, radius: (s.radius + s.tube) * 1.02 }, offset: [0, 0, 0], rotation: IDENTITY }];
      }
      // Capsule ends on a circle a little wider than the centre line, so the chords' mid
      // points sag inward by as much as the ends stick out.
      const sag = (1 + Math.cos(Math.PI / TORUS_SEGMENTS)) / 2;
      const R = s.radius / sag;
      const ring: Vec3[] = Array.from({ length: TORUS_SEGMENTS }, (_, i) => {
        const a = (2 * Math.PI * i) / TORUS_SEGMENTS;
        return [R * Math.cos(a), 0, R * Math.sin(a)];
      });
      const tube = s.tube * 1.02 + s.radius * (1 / sag - 1);
      return ring.map((p, i) => segmentCapsule(p, ring[(i + 1) % ring.length]!, tube));
    }
    case 'tube': {
      // Thinned until it is at most MAX_TUBE_SEGMENTS capsules: a tight coil becomes a few fat
      // chunks, which cover it (the radius grows by what was cut off) at a fraction of the cost.
      let thin = thinPath(s.path, s.radius * TUBE_SLACK);
      for (let slack = TUBE_SLACK * 2; thin.points.length > MAX_TUBE_SEGMENTS + 1 && slack < 64; slack *= 2) thin = thinPath(s.path, s.radius * slack);
      const r = s.radius * 1.03 + thin.cut;
      const out: ColliderSpec[] = [];
      for (let i = 0; i + 1 < thin.points.length; i++) out.push(segmentCapsule(thin.points[i]!, thin.points[i + 1]!, r));
      return out;
    }
    case 'asset':
      return [];
  }
}

/** Colliders of one part, in its item's frame. */
export function partColliders(part: Part): ColliderSpec[] {
  const o = part.offset ?? [0, 0, 0];
  const q = part.rotation ?? IDENTITY;
  return shapeColliders(part).map((c) => {
    const p = rotateVec(q, c.offset);
    return { shape: c.shape, offset: [p[0] + o[0], p[1] + o[1], p[2] + o[2]] as Vec3, rotation: multiplyQuat(q, c.rotation) };
  });
}

function isUnrotated(q: Quat | undefined): boolean {
  return !q || (Math.abs(q[0]) < 1e-12 && Math.abs(q[1]) < 1e-12 && Math.abs(q[2]) < 1e-12);
}

/**
 * Colliders of an item: those of its parts, leaving out parts that lie inside a square box
 * part (a phone's board inside its case, a bottle's water inside the bottle): they can
 * never touch another item, and every collider costs time at each step.
 */
export function itemColliders(parts: readonly Part[]): ColliderSpec[] {
  const boxes = parts
    .filter((p) => (p.shape.type === 'box' || p.shape.type === 'hollowBox') && isUnrotated(p.rotation))
    .map((p) => ({ part: p, b: partBounds(p) }));
  const out: ColliderSpec[] = [];
  for (const part of parts) {
    const b = partBounds(part);
    const nested = boxes.some(
      (c) => c.part !== part && [0, 1, 2].every((k) => b.min[k]! >= c.b.min[k]! - 1e-9 && b.max[k]! <= c.b.max[k]! + 1e-9),
    );
    if (!nested) out.push(...partColliders(part));
  }
  return boxedWhenBoxy(out);
}

/** A box part taking at least this share of its item's box makes the whole item collide as that box. */
const BOXY = 0.8;

/**
 * An item that is nearly its own box (a folded shirt with its buttons, a book, a laptop)
 * collides as that one box: it covers every part, so nothing can sink into the item, and
 * one box against boxes is the cheapest contact the engine computes (a shirt's buttons were
 * six cylinders, each a costlier contact at every step, for 2 mm of height).
 */
function boxedWhenBoxy(colliders: ColliderSpec[]): ColliderSpec[] {
  if (colliders.length < 2) return colliders;
  const box = collidersBox(colliders);
  const volume = (box.max[0] - box.min[0]) * (box.max[1] - box.min[1]) * (box.max[2] - box.min[2]);
  const dominant = colliders.some((c) => c.shape.type === 'cuboid' && isUnrotated(c.rotation) && 8 * c.shape.half[0] * c.shape.half[1] * c.shape.half[2] >= BOXY * volume);
  if (!dominant) return colliders;
  return [
    {
      shape: { type: 'cuboid', half: [(box.max[0] - box.min[0]) / 2, (box.max[1] - box.min[1]) / 2, (box.max[2] - box.min[2]) / 2] },
      offset: [(box.max[0] + box.min[0]) / 2, (box.max[1] + box.min[1]) / 2, (box.max[2] + box.min[2]) / 2],
      rotation: IDENTITY,
    },
  ];
}

/**
 * The container's static tray: a floor slab under the interior box and four wall slabs
 * around it, `height` tall so that items dropped from above stay in; no lid while filling.
 * `inset` moves every inner face that far into the interior, so resting contacts (which
 * the solver lets sink a fraction of a millimetre) still end inside the interior.
 */
export function openBoxWalls(interior: { min: Vec3; max: Vec3 }, height: number, thickness = 0.05, inset = 0): ColliderSpec[] {
  const min: Vec3 = [interior.min[0] + inset, interior.min[1] + inset, interior.min[2] + inset];
  const max: Vec3 = [interior.max[0] - inset, interior.max[1], interior.max[2] - inset];
  const cx = (min[0] + max[0]) / 2;
  const cz = (min[2] + max[2]) / 2;
  const hx = (max[0] - min[0]) / 2 + thickness;
  const hz = (max[2] - min[2]) / 2 + thickness;
  const top = min[1] + height;
  const hy = (top - min[1]) / 2 + thickness / 2;
  const cy = min[1] - thickness / 2 + hy;
  const slab = (half: Vec3, offset: Vec3): ColliderSpec => ({ shape: { type: 'cuboid', half }, offset, rotation: IDENTITY });
  return [
    slab([hx, thickness / 2, hz], [cx, min[1] - thickness / 2, cz]),
    slab([thickness / 2, hy, hz], [min[0] - thickness / 2, cy, cz]),
    slab([thickness / 2, hy, hz], [max[0] + thickness / 2, cy, cz]),
    slab([hx, hy, thickness / 2], [cx, cy, min[2] - thickness / 2]),
    slab([hx, hy, thickness / 2], [cx, cy, max[2] + thickness / 2]),
  ];
}

/** Half size of the box round a set of colliders, about the body origin (for spawning and lid checks). */
export function collidersBox(colliders: readonly ColliderSpec[]): { min: Vec3; max: Vec3 } {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  const add = (p: Vec3) => {
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, p[k]!);
      max[k] = Math.max(max[k]!, p[k]!);
    }
  };
  for (const c of colliders) {
    for (const p of colliderPoints(c)) add(p);
  }
  return { min, max };
}

/** Points whose hull contains the collider, in the body frame (box corners, round shapes by their boxes). */
export function colliderPoints(c: ColliderSpec): Vec3[] {
  const s = c.shape;
  let local: Vec3[];
  if (s.type === 'hull') {
    local = [];
    for (let i = 0; i < s.points.length; i += 3) local.push([s.points[i]!, s.points[i + 1]!, s.points[i + 2]!]);
  } else {
    const h: Vec3 =
      s.type === 'cuboid' ? s.half
      : s.type === 'ball' ? [s.radius, s.radius, s.radius]
      : s.type === 'cylinder' ? [s.radius, s.halfHeight, s.radius]
      : [s.radius, s.halfHeight + s.radius, s.radius];
    local = [];
    for (let k = 0; k < 8; k++) local.push([k & 1 ? h[0] : -h[0], k & 2 ? h[1] : -h[1], k & 4 ? h[2] : -h[2]]);
  }
  return local.map((p) => {
    const w = rotateVec(c.rotation, p);
    return [w[0] + c.offset[0], w[1] + c.offset[1], w[2] + c.offset[2]] as Vec3;
  });
}
