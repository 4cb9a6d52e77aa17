/**
 * Procedural dyeing poison frog (Dendrobates tinctorius) on the tetrapod body plan: a
 * broad flat head without a neck, a short round trunk, no tail, slender forelimbs and
 * long hind limbs folded beside the body (the sitting posture of a resting frog).
 * Skeleton as in anurans: skull (braincase, broad snout, mandibles), 8 presacral
 * vertebrae without ribs, one sacral vertebra, the urostyle (a single rod), humerus and
 * radioulna, femur and tibiofibula (fused, one bone each), digit rods (4 in front, 5 behind).
 *
 * Size: snout-vent length, the model's Z extent (the folded feet stay within it): adults
 * 35-60 mm, froglets from ~15 mm. Not modelled: the ilia, the long tarsal bones apart
 * from the foot rods, toe discs, eyes, lungs and gut (soft tissue). Deterministic.
 */
import type { ModelPart, SpeciesModel } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import type { FootSpec, LimbSpec } from './plans/limb.js';
import { buildTetrapodModel, type TetrapodPlan } from './plans/tetrapod.js';

export interface DartFrogParams {
  /** Snout-vent length, metres. */
  length: number;
  /** Multiplier on tessellation density. */
  detail: number;
}

export const DART_FROG_DEFAULTS: Readonly<DartFrogParams> = Object.freeze({ length: 0.045, detail: 1 });

function limb(name: string, joints: LimbSpec['joints'], radii: LimbSpec['radii'], jointGap: number, foot: FootSpec): LimbSpec {
  return { name, joints, radii, rootDepth: 0.6, proximalBone: 0.3, distalBone: 0.3, pairedDistal: false, jointGap, foot };
}

export function dartFrogPlan(params: Partial<DartFrogParams> = {}): TetrapodPlan {
  const p = { ...DART_FROG_DEFAULTS, ...params };
  if (!(typeof p.length === 'number' && p.length >= 0.005 && p.length <= 0.3)) {
    throw new ExorayError('E_ASSET', `dart frog builder: length must be a number in [0.005, 0.3] metres, got ${JSON.stringify(p.length)}`);
  }
  return {
    what: 'dart frog',
    length: p.length,
    detail: p.detail,
    // Eight presacral vertebrae and a urostyle: a frog's trunk hardly bends.
    spineBend: { neck: [8, 10, 4], head: [10, 12, 5], trunk: [4, 6, 3], tail: [0, 0, 0] },
    body: {
      frontCap: 0.05,
      rear: 'round',
      keys: [
        { u: 0.05, w: 0.1, h: 0.06, y: 0.02 },
        { u: 0.16, w: 0.19, h: 0.11, y: 0.02 },
        { u: 0.3, w: 0.23, h: 0.14, y: 0.03 },
        { u: 0.55, w: 0.24, h: 0.16, y: 0.03 },
        { u: 0.8, w: 0.2, h: 0.15, y: 0.04 },
        { u: 0.9, w: 0.15, h: 0.12, y: 0.05 },
      ],
    },
    column: {
      regions: [
        { name: 'cervical', from: 0.27, to: 0.31, count: 1, ribs: false },
        { name: 'dorsal', from: 0.31, to: 0.6, count: 7, ribs: false },
        { name: 'sacral', from: 0.6, to: 0.66, count: 1, ribs: false, size: 1.2 },
        { name: 'urostyle', from: 0.675, to: 0.92, count: 1, ribs: false, size: 0.4 },
      ],
      width: 0.26,
      height: 0.16,
      maxWidth: 0.04,
      centreHeight: 0.4,
      ribLength: 0.5,
      ribWall: 0.8,
      ribRadius: 0.1,
    },
    skull: {
      head: 0.28,
      braincase: { at: 0.76, halfLength: 0.2, w: 0.3, h: 0.45, y: 0.15 },
      snout: { at: 0.3, halfLength: 0.16, w: 0.5, h: 0.3, y: 0.15 },
      mandible: { from: 0.05, to: 0.95, w: 0.8, y: -0.45, radius: 0.05 },
    },
    ribClearance: 0,
    limbs: [
      limb('forelimb', [[0.16, -0.03, -0.33], [0.27, -0.08, -0.37], [0.27, -0.15, -0.22]], [0.045, 0.035, 0.028], 0.25, {
        length: 0.12, width: 0.1, thickness: 0.025, heading: 0.3, offset: 0.3, drop: 0.012, digits: 4, digitRadius: 0.3,
      }),
      limb('hindlimb', [[0.13, 0, -0.82], [0.35, -0.05, -0.6], [0.44, -0.1, -0.8]], [0.07, 0.05, 0.035], 0.9, {
        length: 0.32, width: 0.12, thickness: 0.03, heading: 0.2, offset: 0.45, drop: 0.03, digits: 5, digitRadius: 0.3,
      }),
    ],
  };
}

/** Builds the dart frog as material parts (see plans/tetrapod.ts). */
export function buildDartFrog(params: Partial<DartFrogParams> = {}): ModelPart[] {
  return buildDartFrogModel(params).parts;
}

/** The same with its skeleton (plans/tetrapod.ts, tetrapodSpine). */
export function buildDartFrogModel(params: Partial<DartFrogParams> = {}): SpeciesModel {
  return buildTetrapodModel(dartFrogPlan(params));
}
