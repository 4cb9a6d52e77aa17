/**
 * Procedural leopard gecko (Eublepharis macularius) on the tetrapod body plan: a broad
 * head, a flattened trunk, the thick fat-storing tail of a well-fed animal, four sprawling
 * limbs with five-toed feet. Skeleton: skull (braincase, snout, mandibles), 8 cervical,
 * 18 dorsal (ribbed), 2 sacral and 30 caudal vertebrae, humerus, radius and ulna, femur,
 * tibia and fibula, five digit rods per foot. Proportions (body lengths of a 22 cm adult):
 * snout-vent length 0.55, head 0.135, trunk up to 0.16 wide and 0.09 high.
 *
 * Posture: standing, feet flat beside the body and never past the snout or the tail tip,
 * so the Z extent is the total length (how geckos are measured and sold).
 * Not modelled: eyes, tongue, hemipenes, scales and osteoderms (E. macularius has none),
 * girdles (scapula, pelvis) and phalanx joints. Deterministic.
 */
import type { ModelPart, SpeciesModel } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import type { LimbSpec } from './plans/limb.js';
import { buildTetrapodModel, type TetrapodPlan } from './plans/tetrapod.js';

export interface LeopardGeckoParams {
  /** Snout to tail tip, metres. */
  totalLength: number;
  /** Multiplier on the tail's girth (0.7 a thin tail, 1.3 a very fat one). */
  tailGirth: number;
  /** Multiplier on tessellation density (1 gives ~20k triangles). */
  detail: number;
}

export const LEOPARD_GECKO_DEFAULTS: Readonly<LeopardGeckoParams> = Object.freeze({ totalLength: 0.22, tailGirth: 1, detail: 1 });

const LIMITS: Record<keyof LeopardGeckoParams, [number, number]> = {
  totalLength: [0.02, 1],
  tailGirth: [0.7, 1.3],
  detail: [0.5, 3],
};

function limb(name: string, joints: LimbSpec['joints'], radii: LimbSpec['radii'], foot: { length: number; width: number; heading: number }): LimbSpec {
  return {
    name,
    joints,
    radii,
    rootDepth: 1.2,
    proximalBone: 0.3,
    distalBone: 0.42,
    pairedDistal: true,
    jointGap: 0.25,
    foot: { ...foot, thickness: 0.009, offset: 0.32, drop: 0.009, digits: 5, digitRadius: 0.3 },
  };
}

/** The gecko as tetrapod-plan numbers. */
export function leopardGeckoPlan(params: Partial<LeopardGeckoParams> = {}): TetrapodPlan {
  const p: LeopardGeckoParams = { ...LEOPARD_GECKO_DEFAULTS, ...params };
  for (const key of Object.keys(LIMITS) as Array<keyof LeopardGeckoParams>) {
    const [lo, hi] = LIMITS[key];
    const v = p[key];
    if (!(typeof v === 'number' && v >= lo && v <= hi)) {
      throw new ExorayError('E_ASSET', `leopard gecko builder: ${key} must be a number in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
    }
  }
  const t = p.tailGirth;
  return {
    what: 'leopard gecko',
    length: p.totalLength,
    detail: p.detail,
    body: {
      frontCap: 0.025,
      rear: 'pointed',
      keys: [
        { u: 0.025, w: 0.024, h: 0.016, y: -0.004 }, // snout
        { u: 0.075, w: 0.052, h: 0.03, y: 0 },
        { u: 0.12, w: 0.062, h: 0.036, y: 0.002 }, // jaw angle: the widest part of the head
        { u: 0.155, w: 0.046, h: 0.033, y: 0.001 }, // neck
        { u: 0.22, w: 0.066, h: 0.04, y: 0 }, // shoulders
        { u: 0.36, w: 0.08, h: 0.045, y: 0 },
        { u: 0.48, w: 0.064, h: 0.039, y: 0 }, // hips
        { u: 0.56, w: 0.05 * t, h: 0.034 * t, y: 0 }, // tail base
        { u: 0.66, w: 0.056 * t, h: 0.036 * t, y: 0 }, // fat store
        { u: 0.86, w: 0.03 * t, h: 0.022 * t, y: 0 },
        { u: 0.965, w: 0.008, h: 0.007, y: 0 },
      ],
    },
    column: {
      regions: [
        { name: 'cervical', from: 0.14, to: 0.205, count: 8, ribs: false },
        { name: 'dorsal', from: 0.205, to: 0.47, count: 18, ribs: true },
        { name: 'sacral', from: 0.47, to: 0.495, count: 2, ribs: false },
        { name: 'caudal', from: 0.495, to: 0.955, count: 30, ribs: false },
      ],
      width: 0.3,
      height: 0.22,
      maxWidth: 0.012,
      centreHeight: 0.35,
      ribLength: 0.62,
      ribWall: 0.8,
      ribRadius: 0.14,
    },
    skull: {
      head: 0.135,
      braincase: { at: 0.68, halfLength: 0.24, w: 0.5, h: 0.5, y: 0.12 },
      snout: { at: 0.26, halfLength: 0.13, w: 0.4, h: 0.35, y: 0.15 },
      mandible: { from: 0.06, to: 0.92, w: 0.72, y: -0.5, radius: 0.08 },
    },
    ribClearance: 0.03,
    limbs: [
      limb('forelimb', [[0.052, -0.012, -0.215], [0.1, -0.016, -0.205], [0.113, -0.047, -0.18]], [0.014, 0.011, 0.008], { length: 0.042, width: 0.032, heading: 0.5 }),
      limb('hindlimb', [[0.05, -0.012, -0.485], [0.108, -0.014, -0.455], [0.124, -0.047, -0.49]], [0.018, 0.013, 0.009], { length: 0.05, width: 0.036, heading: 1.1 }),
    ],
  };
}

/** Builds the leopard gecko as material parts (see plans/tetrapod.ts). */
export function buildLeopardGecko(params: Partial<LeopardGeckoParams> = {}): ModelPart[] {
  return buildLeopardGeckoModel(params).parts;
}

/** The same with its skeleton (plans/tetrapod.ts, tetrapodSpine). */
export function buildLeopardGeckoModel(params: Partial<LeopardGeckoParams> = {}): SpeciesModel {
  return buildTetrapodModel(leopardGeckoPlan(params));
}
