/**
 * Concealment: how smugglers hide an animal inside a parcel. A concealment is a small
 * closed container built around the animal's box (a sock, a cloth or paper wrap, a
 * plastic tube, a film canister, a food box, a mesh bag); the animal sits in its
 * cavity, so the two never overlap. Pure: (kind, rng, animal box) -> parts.
 */
import type { Rng } from '../core/rng.js';
import type { Part, Quat, Vec3 } from '../core/types.js';

export const CONCEALMENT_KINDS = ['loose', 'sock', 'cloth-wrap', 'paper-wrap', 'plastic-tube', 'film-canister', 'food-box', 'mesh-bag'] as const;
export type ConcealmentKind = (typeof CONCEALMENT_KINDS)[number];

export interface Concealment {
  kind: Exclude<ConcealmentKind, 'loose'>;
  /** Parts centred on the animal's box centre, world-aligned. */
  parts: Part[];
  /** Half size of the concealment's box (world-aligned). */
  half: Vec3;
}

const ALONG_X: Quat = [0, 0, Math.SQRT1_2, Math.SQRT1_2];
const ALONG_Z: Quat = [Math.SQRT1_2, 0, 0, Math.SQRT1_2];
/** Tessellated round walls reach this much beyond their radius (volume correction). */
const ROUND_PAD = 1.003;

function wrap(kind: Concealment['kind'], material: string, wall: number, margin: Vec3, a: Vec3): Concealment {
  const size: Vec3 = [2 * (a[0] + margin[0] + wall), 2 * (a[1] + margin[1] + wall), 2 * (a[2] + margin[2] + wall)];
  return { kind, parts: [{ shape: { type: 'hollowBox', size, wall }, material }], half: [size[0] / 2, size[1] / 2, size[2] / 2] };
}

/** A tube closed at both ends lying along the animal's longer horizontal axis. */
function tube(rng: Rng, a: Vec3): Concealment {
  const alongX = a[0] >= a[2];
  const long = alongX ? a[0] : a[2];
  const across = alongX ? a[2] : a[0];
  const wall = rng.uniform(0.0008, 0.0015);
  const radius = Math.hypot(across, a[1]) + rng.uniform(0.001, 0.004) + wall;
  const height = 2 * (long + wall) + rng.uniform(0.004, 0.02);
  const material = rng.next() < 0.6 ? 'polypropylene' : 'pet';
  const r = radius * ROUND_PAD;
  return {
    kind: 'plastic-tube',
    parts: [{ shape: { type: 'hollowCylinder', radius, height, wall }, material, rotation: alongX ? ALONG_X : ALONG_Z }],
    half: alongX ? [height / 2, r, r] : [r, r, height / 2],
  };
}

/**
 * The concealment for an animal whose world-aligned box has half size `a`, or null when
 * the kind cannot hold it (a film canister is 35 mm film's size) or is 'loose'.
 */
export function buildConcealment(kind: ConcealmentKind, rng: Rng, a: Vec3): Concealment | null {
  switch (kind) {
    case 'loose':
      return null;
    case 'sock': {
      const c = wrap('sock', rng.next() < 0.6 ? 'cotton' : 'polyester', rng.uniform(0.0015, 0.003), [0.003, 0.002, 0.003], a);
      // A sock is long: the toe end past the animal along its longer horizontal axis.
      const extra = rng.uniform(0.03, 0.08);
      const shape = c.parts[0]!.shape as { type: 'hollowBox'; size: Vec3; wall: number };
      const k = a[0] >= a[2] ? 0 : 2;
      shape.size[k] += extra;
      c.half[k] += extra / 2;
      return c;
    }
    case 'cloth-wrap':
      return wrap('cloth-wrap', rng.next() < 0.5 ? 'cotton' : 'polyester', rng.uniform(0.001, 0.003), [0.002, 0.001, 0.002], a);
    case 'paper-wrap':
      return wrap('paper-wrap', 'paper', rng.uniform(0.0002, 0.0006), [0.001, 0.0005, 0.001], a);
    case 'mesh-bag':
      // Knotted netting: a thin homogenised nylon layer.
      return wrap('mesh-bag', 'nylon', 0.0002, [rng.uniform(0.002, 0.01), 0.001, rng.uniform(0.002, 0.01)], a);
    case 'food-box': {
      const m = rng.uniform(0.004, 0.02);
      return wrap('food-box', 'paper', rng.uniform(0.0005, 0.0008), [m, rng.uniform(0.002, 0.008), m], a);
    }
    case 'plastic-tube':
      return tube(rng, a);
    case 'film-canister': {
      const radius = 0.0165;
      const height = 0.052;
      const wall = 0.001;
      if (Math.hypot(a[0], a[2]) > radius - wall - 0.0005 || a[1] > height / 2 - wall - 0.0005) return tube(rng, a);
      const r = radius * ROUND_PAD;
      return { kind: 'film-canister', parts: [{ shape: { type: 'hollowCylinder', radius, height, wall }, material: 'polypropylene' }], half: [r, height / 2, r] };
    }
  }
}
