/**
 * A height field of the pile's top surface over the container floor, for choosing drop
 * spots. Every collider is taken as its oriented box (never smaller than the collider), so
 * the field lies on or above the real surface and a body spawned on it starts clear of the
 * pile. Finding where a body would rest is then a max over its footprint instead of a shape
 * cast against the engine, so every grid position can be tried: the body goes where it
 * lies lowest (a bag shaken down), nearest the place it aims at. Pure: no engine objects.
 */
import type { Quat, Vec3 } from '../../core/types.js';
import { rotateVec } from '../placement.js';
import { multiplyQuat, type ColliderSpec } from './shapes.js';

/** An oriented box: its centre, the world directions of its local axes, and its half sizes. */
export interface Obb {
  centre: Vec3;
  axes: [Vec3, Vec3, Vec3];
  half: Vec3;
}

/** The footprint of a body about its origin: per grid cell offset, how far its underside reaches below the origin. */
export interface Stencil {
  di: Int32Array;
  dk: Int32Array;
  /** Height of the underside above the origin (negative: below), metres. */
  bottom: Float64Array;
  /** Cell offsets the footprint spans. */
  minDi: number;
  maxDi: number;
  minDk: number;
  maxDk: number;
}

export interface RestSpot {
  /** Cell of the body origin. */
  i: number;
  k: number;
  /** Origin height where its underside touches the field. */
  y: number;
  /** What the choice minimised: centre height plus the pull towards the aim. */
  key: number;
}

/** A collider's box: its centre and rotation in the body frame, and its half sizes. */
export interface ColliderBox {
  offset: Vec3;
  rotation: Quat;
  half: Vec3;
}

/** The box round a collider (never smaller than it), in the body frame. */
export function colliderBox(c: ColliderSpec): ColliderBox {
  const s = c.shape;
  switch (s.type) {
    case 'cuboid':
      return { offset: c.offset, rotation: c.rotation, half: s.half };
    case 'ball':
      return { offset: c.offset, rotation: c.rotation, half: [s.radius, s.radius, s.radius] };
    case 'cylinder':
      return { offset: c.offset, rotation: c.rotation, half: [s.radius, s.halfHeight, s.radius] };
    case 'capsule':
      return { offset: c.offset, rotation: c.rotation, half: [s.radius, s.halfHeight + s.radius, s.radius] };
    case 'hull': {
      const min: Vec3 = [Infinity, Infinity, Infinity];
      const max: Vec3 = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < s.points.length; i += 3) {
        for (let a = 0; a < 3; a++) {
          min[a] = Math.min(min[a]!, s.points[i + a]!);
          max[a] = Math.max(max[a]!, s.points[i + a]!);
        }
      }
      const mid = rotateVec(c.rotation, [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2]);
      return {
        offset: [c.offset[0] + mid[0], c.offset[1] + mid[1], c.offset[2] + mid[2]],
        rotation: c.rotation,
        half: [(max[0] - min[0]) / 2, (max[1] - min[1]) / 2, (max[2] - min[2]) / 2],
      };
    }
  }
}

/** The colliders' oriented boxes for a body at `position` turned by `q`. */
export function bodyObbs(boxes: readonly ColliderBox[], q: Quat, position: Vec3): Obb[] {
  return boxes.map((b) => {
    const r = multiplyQuat(q, b.rotation);
    const o = rotateVec(q, b.offset);
    return {
      centre: [o[0] + position[0], o[1] + position[1], o[2] + position[2]],
      axes: [rotateVec(r, [1, 0, 0]), rotateVec(r, [0, 1, 0]), rotateVec(r, [0, 0, 1])],
      half: b.half,
    };
  });
}

/** Half the box's extent along the world x and z axes (the half sides of its level bounding rectangle). */
function horizontalHalfExtent(b: Obb): [number, number] {
  let ex = 0;
  let ez = 0;
  for (let a = 0; a < 3; a++) {
    ex += Math.abs(b.axes[a]![0]) * b.half[a]!;
    ez += Math.abs(b.axes[a]![2]) * b.half[a]!;
  }
  return [ex, ez];
}

/**
 * Where the vertical line through (x, z) enters and leaves the box: [bottom, top] heights,
 * or null when it misses. Axes that lie mostly level are widened by `pad`, so a box edge
 * between two cell centres still covers the cells it touches.
 */
function verticalSpan(b: Obb, x: number, z: number, pad: number): [number, number] | null {
  let lo = -Infinity;
  let hi = Infinity;
  const px = x - b.centre[0];
  const pz = z - b.centre[2];
  const py = -b.centre[1];
  for (let a = 0; a < 3; a++) {
    const ax = b.axes[a]!;
    const d = ax[1];
    const o = ax[0] * px + ax[1] * py + ax[2] * pz;
    const h = b.half[a]! + (Math.abs(d) < 0.7 ? pad : 0);
    if (Math.abs(d) < 1e-9) {
      if (Math.abs(o) > h) return null;
      continue;
    }
    let t1 = (-h - o) / d;
    let t2 = (h - o) / d;
    if (t1 > t2) [t1, t2] = [t2, t1];
    lo = Math.max(lo, t1);
    hi = Math.min(hi, t2);
    if (lo > hi) return null;
  }
  return [lo, hi];
}

/** Origin cells above which rest() first tries every other one. */
const FINE_CELLS = 600;
/** Metres of resting height one metre of mean air gap under a body is worth in choosing its spot. */
const GAP_WEIGHT = 2;

export class Heightmap {
  readonly nx: number;
  readonly nz: number;
  readonly heights: Float64Array;

  /** A flat field at `floor` over [x0, x0 + nx * cell] x [z0, z0 + nz * cell]. */
  constructor(
    readonly x0: number,
    readonly z0: number,
    readonly cell: number,
    nx: number,
    nz: number,
    floor: number,
    heights?: Float64Array,
  ) {
    this.nx = nx;
    this.nz = nz;
    this.heights = heights ? Float64Array.from(heights) : new Float64Array(nx * nz).fill(floor);
  }

  /** A field covering the floor [min, max] (x, z) with cells of at most `cell`, whole cells inside it. */
  static over(min: [number, number], max: [number, number], cell: number, floor: number): Heightmap {
    const nx = Math.max(1, Math.floor((max[0] - min[0]) / cell));
    const nz = Math.max(1, Math.floor((max[1] - min[1]) / cell));
    // Cells are spread evenly, centred, so the outermost cell centres sit half a cell from the walls.
    const c = Math.min((max[0] - min[0]) / nx, (max[1] - min[1]) / nz);
    const x0 = (min[0] + max[0]) / 2 - (nx * c) / 2;
    const z0 = (min[1] + max[1]) / 2 - (nz * c) / 2;
    return new Heightmap(x0, z0, c, nx, nz, floor);
  }

  clone(): Heightmap {
    return new Heightmap(this.x0, this.z0, this.cell, this.nx, this.nz, 0, this.heights);
  }

  /** The lowest point of the field. */
  lowest(): number {
    let low = Infinity;
    for (const v of this.heights) if (v < low) low = v;
    return low;
  }

  cellX(i: number): number {
    return this.x0 + (i + 0.5) * this.cell;
  }

  cellZ(k: number): number {
    return this.z0 + (k + 0.5) * this.cell;
  }

  /** Raises the field to the top of the boxes wherever they cover it. */
  stamp(boxes: readonly Obb[]): void {
    const pad = this.cell * 0.71;
    for (const b of boxes) {
      const [ex, ez] = horizontalHalfExtent(b);
      const i0 = Math.max(0, Math.floor((b.centre[0] - ex - pad - this.x0) / this.cell));
      const i1 = Math.min(this.nx - 1, Math.floor((b.centre[0] + ex + pad - this.x0) / this.cell));
      const k0 = Math.max(0, Math.floor((b.centre[2] - ez - pad - this.z0) / this.cell));
      const k1 = Math.min(this.nz - 1, Math.floor((b.centre[2] + ez + pad - this.z0) / this.cell));
      for (let i = i0; i <= i1; i++) {
        for (let k = k0; k <= k1; k++) {
          const span = verticalSpan(b, this.cellX(i), this.cellZ(k), pad);
          if (span && span[1] > this.heights[i * this.nz + k]!) this.heights[i * this.nz + k] = span[1];
        }
      }
    }
  }

  /**
   * The underside of boxes about a body origin placed at a cell centre. Not widened: the
   * field is (every stamped box reaches 0.71 cell further), so a body whose edge passes a
   * cell centre by up to half a cell still meets a raised cell wherever it would touch.
   */
  stencil(boxes: readonly Obb[], pad = 0): Stencil {
    let ex0 = Infinity;
    let ex1 = -Infinity;
    let ez0 = Infinity;
    let ez1 = -Infinity;
    for (const b of boxes) {
      const [ex, ez] = horizontalHalfExtent(b);
      ex0 = Math.min(ex0, b.centre[0] - ex);
      ex1 = Math.max(ex1, b.centre[0] + ex);
      ez0 = Math.min(ez0, b.centre[2] - ez);
      ez1 = Math.max(ez1, b.centre[2] + ez);
    }
    const c = this.cell;
    const minDi = Math.floor((ex0 - pad) / c);
    const maxDi = Math.ceil((ex1 + pad) / c);
    const minDk = Math.floor((ez0 - pad) / c);
    const maxDk = Math.ceil((ez1 + pad) / c);
    const nk = maxDk - minDk + 1;
    const low = new Float64Array((maxDi - minDi + 1) * nk).fill(Infinity);
    // Each box fills only the cells under its own footprint.
    for (const b of boxes) {
      const [ex, ez] = horizontalHalfExtent(b);
      const i0 = Math.floor((b.centre[0] - ex - pad) / c);
      const i1 = Math.ceil((b.centre[0] + ex + pad) / c);
      const k0 = Math.floor((b.centre[2] - ez - pad) / c);
      const k1 = Math.ceil((b.centre[2] + ez + pad) / c);
      for (let i = i0; i <= i1; i++) {
        for (let k = k0; k <= k1; k++) {
          const span = verticalSpan(b, i * c, k * c, pad);
          const at = (i - minDi) * nk + (k - minDk);
          if (span && span[0] < low[at]!) low[at] = span[0];
        }
      }
    }
    const di: number[] = [];
    const dk: number[] = [];
    const bottom: number[] = [];
    let used = [Infinity, -Infinity, Infinity, -Infinity];
    // Cells in a scattered order (a stride prime to the count), so that a spot too high
    // somewhere under the footprint is met after a few cells, not after a whole row.
    const count = low.length;
    let stride = Math.max(1, Math.round(count * 0.618));
    while (gcd(stride, count) !== 1) stride++;
    for (let n = 0, at = 0; n < count; n++, at = (at + stride) % count) {
      const v = low[at]!;
      if (v === Infinity) continue;
      const i = minDi + Math.floor(at / nk);
      const k = minDk + (at % nk);
      di.push(i);
      dk.push(k);
      bottom.push(v);
      used = [Math.min(used[0]!, i), Math.max(used[1]!, i), Math.min(used[2]!, k), Math.max(used[3]!, k)];
    }
    // A body thinner than a cell may cover no cell centre: it is widened to half a cell.
    if (di.length === 0 && pad === 0) return this.stencil(boxes, this.cell / 2);
    return { di: Int32Array.from(di), dk: Int32Array.from(dk), bottom: Float64Array.from(bottom), minDi: used[0]!, maxDi: used[1]!, minDk: used[2]!, maxDk: used[3]! };
  }

  /**
   * The cell where the body rests lowest (by its centre height, `centre` above the origin),
   * pulled towards `aim` (x, z) by `pull` metres of height per metre of distance, with its
   * top (`top` above the origin) no higher than `lid`. Null when it fits nowhere.
   */
  rest(s: Stencil, centre: number, top: number, lid: number, aim: [number, number], pull: number): RestSpot | null {
    if (s.di.length === 0) return null;
    const iLo = -s.minDi;
    const iHi = this.nx - 1 - s.maxDi;
    const kLo = -s.minDk;
    const kHi = this.nz - 1 - s.maxDk;
    if (iLo > iHi || kLo > kHi) return null;
    const h = this.heights;
    const nz = this.nz;
    const n = s.di.length;
    let best: RestSpot | null = null;
    const tryCell = (i: number, k: number): void => {
      const bias = pull * Math.hypot(this.cellX(i) - aim[0], this.cellZ(k) - aim[1]) + centre;
      // Give up on a cell as soon as it cannot beat the best, or its top would be above the lid.
      const limit = Math.min(best ? best.key - bias : Infinity, lid - top);
      let y = -Infinity;
      for (let j = 0; j < n; j++) {
        const v = h[(i + s.di[j]!) * nz + k + s.dk[j]!]! - s.bottom[j]!;
        if (v > y) {
          y = v;
          if (y >= limit) return;
        }
      }
      // The air left under it: a body that lies flush on what is below (a shirt on a shirt)
      // beats one bridging a step, which would tilt or leave a hollow nobody can fill.
      let gap = 0;
      for (let j = 0; j < n; j++) gap += y - (h[(i + s.di[j]!) * nz + k + s.dk[j]!]! - s.bottom[j]!);
      const key = y + bias + (GAP_WEIGHT * gap) / n;
      if (!best || key < best.key) best = { i, k, y, key };
    };
    // Every other cell first, then the cells round the best of those: a quarter of the work
    // on a suitcase floor, and the spot still ends on the fine grid.
    const stride = (iHi - iLo + 1) * (kHi - kLo + 1) > FINE_CELLS ? 2 : 1;
    for (let i = iLo; i <= iHi; i += stride) for (let k = kLo; k <= kHi; k += stride) tryCell(i, k);
    // (best is assigned inside tryCell, which the compiler does not follow.)
    const coarse = best as RestSpot | null;
    if (stride > 1 && coarse) {
      for (let i = Math.max(iLo, coarse.i - 1); i <= Math.min(iHi, coarse.i + 1); i++) {
        for (let k = Math.max(kLo, coarse.k - 1); k <= Math.min(kHi, coarse.k + 1); k++) if (i !== coarse.i || k !== coarse.k) tryCell(i, k);
      }
    }
    return best;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
