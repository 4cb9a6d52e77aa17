/**
 * Packs items into a container without interpenetration. Each item is bounded
 * by the world-aligned box of its rotated local box (conservative), dropped
 * straight down onto whatever is below it, and rejected if it would stick out
 * of the top. Boxes never overlap, so meshes never do.
 */
import type { Rng } from '../core/rng.js';
import type { Quat, Vec3 } from '../core/types.js';

export interface Aabb {
  min: Vec3;
  max: Vec3;
}

export function rotateVec(q: Quat, v: Vec3): Vec3 {
  const [x, y, z, w] = q;
  // v' = v + 2w (q x v) + 2 q x (q x v)
  const cx = y * v[2] - z * v[1];
  const cy = z * v[0] - x * v[2];
  const cz = x * v[1] - y * v[0];
  const ccx = y * cz - z * cy;
  const ccy = z * cx - x * cz;
  const ccz = x * cy - y * cx;
  return [v[0] + 2 * (w * cx + ccx), v[1] + 2 * (w * cy + ccy), v[2] + 2 * (w * cz + ccz)];
}

/** Half extents of the world box enclosing a local box of half extents `h` rotated by `q`. */
export function rotatedHalfExtents(q: Quat, h: Vec3): Vec3 {
  const ex = rotateVec(q, [1, 0, 0]);
  const ey = rotateVec(q, [0, 1, 0]);
  const ez = rotateVec(q, [0, 0, 1]);
  return [0, 1, 2].map((i) => Math.abs(ex[i]!) * h[0] + Math.abs(ey[i]!) * h[1] + Math.abs(ez[i]!) * h[2]) as Vec3;
}

export function yawQuat(angle: number): Quat {
  return [0, Math.sin(angle / 2), 0, Math.cos(angle / 2)];
}

export function overlaps(a: Aabb, b: Aabb, gap = 0): boolean {
  for (let i = 0; i < 3; i++) {
    if (a.max[i]! + gap <= b.min[i]! || b.max[i]! + gap <= a.min[i]!) return false;
  }
  return true;
}

export interface PlacementRequest {
  /** World-space half extents of the item at its chosen rotation. */
  half: Vec3;
  /** Offset of the item's box centre from its origin, in world axes (non-zero for off-centre models). */
  centreOffset: Vec3;
}

export class Packer {
  readonly placed: Aabb[] = [];

  /** `interior` is the free space inside the container. `gap` keeps items this far apart. */
  constructor(
    private readonly interior: Aabb,
    private readonly gap = 0.0005,
  ) {}

  /**
   * Finds a position for the item's origin, or null if none was found in
   * `attempts` tries (the container is full).
   */
  /**
   * Like place(), but of `candidates` random spots takes the one where the item comes to
   * rest lowest: items settle into the gaps as in a bag that is shaken down, so bags
   * reach a realistic fill.
   */
  placeLowest(rng: Rng, item: PlacementRequest, candidates = 24): Vec3 | null {
    const { interior } = this;
    const h = item.half;
    const lo = [interior.min[0] + h[0], interior.min[2] + h[2]];
    const hi = [interior.max[0] - h[0], interior.max[2] - h[2]];
    if (lo[0]! > hi[0]! || lo[1]! > hi[1]!) return null;
    let best: Vec3 | null = null;
    for (let a = 0; a < candidates; a++) {
      const cx = rng.uniform(lo[0]!, hi[0]!);
      const cz = rng.uniform(lo[1]!, hi[1]!);
      const cy = this.restingHeight(cx, cz, h);
      if (cy + h[1] > interior.max[1]) continue;
      if (!best || cy < best[1]) best = [cx, cy, cz];
    }
    if (!best) return null;
    const [cx, cy, cz] = best;
    this.placed.push({ min: [cx - h[0], cy - h[1], cz - h[2]], max: [cx + h[0], cy + h[1], cz + h[2]] });
    return [cx - item.centreOffset[0], cy - item.centreOffset[1], cz - item.centreOffset[2]];
  }

  /** Height of the centre of a box of half size h dropped at (cx, cz) onto the floor or what is below. */
  private restingHeight(cx: number, cz: number, h: Vec3): number {
    const { gap } = this;
    let floor = this.interior.min[1];
    for (const p of this.placed) {
      const footprint =
        cx + h[0] + gap > p.min[0] && p.max[0] + gap > cx - h[0] && cz + h[2] + gap > p.min[2] && p.max[2] + gap > cz - h[2];
      if (footprint) floor = Math.max(floor, p.max[1] + gap);
    }
    return floor + h[1];
  }

  place(rng: Rng, item: PlacementRequest, attempts = 200): Vec3 | null {
    const { interior, gap } = this;
    const h = item.half;
    for (let a = 0; a < attempts; a++) {
      const lo = [interior.min[0] + h[0], interior.min[2] + h[2]];
      const hi = [interior.max[0] - h[0], interior.max[2] - h[2]];
      if (lo[0]! > hi[0]! || lo[1]! > hi[1]!) return null;
      const cx = rng.uniform(lo[0]!, hi[0]!);
      const cz = rng.uniform(lo[1]!, hi[1]!);
      // Drop: rest on the floor or on the highest item below the footprint.
      let floor = interior.min[1];
      for (const p of this.placed) {
        const footprint =
          cx + h[0] + gap > p.min[0] && p.max[0] + gap > cx - h[0] && cz + h[2] + gap > p.min[2] && p.max[2] + gap > cz - h[2];
        if (footprint) floor = Math.max(floor, p.max[1] + gap);
      }
      const cy = floor + h[1];
      if (cy + h[1] > interior.max[1]) continue;
      const box: Aabb = { min: [cx - h[0], cy - h[1], cz - h[2]], max: [cx + h[0], cy + h[1], cz + h[2]] };
      this.placed.push(box);
      return [cx - item.centreOffset[0], cy - item.centreOffset[1], cz - item.centreOffset[2]];
    }
    return null;
  }
}
