/**
 * Procedural chelonians on the chelonian body plan (plans/chelonian.ts):
 *
 * - Indian star tortoise (Geochelone elegans): a high, steep-sided dome (height 0.4 of the
 *   carapace length, width 0.72), a thick shell, columnar limbs with blunt feet, the head
 *   half out. Adults 150-250 mm straight carapace length (Sri Lankan females to 380 mm);
 *   the trade moves mostly hatchlings and juveniles of 30-100 mm.
 * - Red-eared slider hatchling (Trachemys scripta elegans): a nearly round, low carapace
 *   (width 0.88, height 0.28), a thin, still poorly ossified shell, a large head, a longer
 *   tail and broad webbed feet. 23-35 mm carapace length at hatching.
 *
 * Sizes are carapace lengths; the model's Z extent also holds the head and tail, so the
 * catalog's sizeMm is the carapace range times modelLengthMm / (carapaceLength in mm).
 * Not modelled: scute seams and growth rings, the beak's keratin sheath, girdles, claws,
 * lungs and gut (all soft tissue). Deterministic.
 */
import type { ModelPart, SpeciesModel } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { buildChelonianModel, type ChelonianPlan } from './plans/chelonian.js';
import type { FootSpec, LimbSpec } from './plans/limb.js';

export interface ChelonianParams {
  /** Straight carapace length, metres. */
  carapaceLength: number;
  /** Multiplier on tessellation density. */
  detail: number;
}

export const STAR_TORTOISE_DEFAULTS: Readonly<ChelonianParams> = Object.freeze({ carapaceLength: 0.2, detail: 1 });
export const SLIDER_HATCHLING_DEFAULTS: Readonly<ChelonianParams> = Object.freeze({ carapaceLength: 0.03, detail: 1 });

function resolve(what: string, defaults: ChelonianParams, params: Partial<ChelonianParams>): ChelonianParams {
  const p = { ...defaults, ...params };
  if (!(typeof p.carapaceLength === 'number' && p.carapaceLength >= 0.01 && p.carapaceLength <= 1.5)) {
    throw new ExorayError('E_ASSET', `${what} builder: carapaceLength must be a number in [0.01, 1.5] metres, got ${JSON.stringify(p.carapaceLength)}`);
  }
  return p;
}

function limb(name: string, joints: LimbSpec['joints'], radii: LimbSpec['radii'], foot: FootSpec): LimbSpec {
  return { name, joints, radii, rootDepth: 1.2, proximalBone: 0.3, distalBone: 0.42, pairedDistal: true, jointGap: 0.25, foot };
}

export function starTortoisePlan(params: Partial<ChelonianParams> = {}): ChelonianPlan {
  const p = resolve('star tortoise', STAR_TORTOISE_DEFAULTS, params);
  const y = -0.055;
  const foot = (heading: number, length: number, width: number): FootSpec => ({ length, width, thickness: 0.03, heading, offset: 0.15, drop: 0.02, digits: 5, digitRadius: 0.3 });
  return {
    what: 'star tortoise',
    carapaceLength: p.carapaceLength,
    detail: p.detail,
    halfWidth: 0.36,
    domeHeight: 0.4,
    domeExponent: 2.3,
    shellThickness: 0.02,
    plastronThickness: 0.025,
    plastronHalfLength: 0.46,
    plastronHalfWidth: 0.29,
    gap: 0.11,
    clearance: 0.008,
    head: {
      out: 0.14,
      cervical: 8,
      profile: {
        frontCap: 0.03,
        rear: 'round',
        keys: [
          { u: 0.03, w: 0.022, h: 0.02, y: y + 0.004 },
          { u: 0.13, w: 0.046, h: 0.036, y: y + 0.004 },
          { u: 0.21, w: 0.042, h: 0.034, y },
          { u: 0.3, w: 0.03, h: 0.028, y },
          { u: 0.92, w: 0.03, h: 0.028, y },
        ],
      },
      skull: {
        head: 0.26,
        braincase: { at: 0.66, halfLength: 0.26, w: 0.55, h: 0.55, y: 0.1 },
        snout: { at: 0.24, halfLength: 0.13, w: 0.45, h: 0.4, y: 0.1 },
        mandible: { from: 0.08, to: 0.9, w: 0.7, y: -0.5, radius: 0.1 },
      },
    },
    tail: {
      out: 0.04,
      caudal: 12,
      profile: { frontCap: 0.06, rear: 'pointed', keys: [{ u: 0.06, w: 0.03, h: 0.022, y }, { u: 0.6, w: 0.025, h: 0.02, y }, { u: 0.94, w: 0.007, h: 0.006, y }] },
    },
    column: { width: 0.3, height: 0.24, maxWidth: 0.012 },
    dorsal: { count: 10, halfWidth: 0.014 },
    limbs: [
      limb('forelimb', [[0.16, y, 0.3], [0.24, y - 0.004, 0.38], [0.27, -0.11, 0.42]], [0.04, 0.036, 0.032], foot(0.3, 0.07, 0.065)),
      limb('hindlimb', [[0.15, y, -0.3], [0.25, y - 0.004, -0.37], [0.28, -0.11, -0.41]], [0.045, 0.04, 0.036], foot(0.6, 0.07, 0.07)),
    ],
  };
}

export function sliderHatchlingPlan(params: Partial<ChelonianParams> = {}): ChelonianPlan {
  const p = resolve('red-eared slider hatchling', SLIDER_HATCHLING_DEFAULTS, params);
  const y = -0.05;
  const foot = (heading: number, length: number, width: number): FootSpec => ({ length, width, thickness: 0.016, heading, offset: 0.3, drop: 0.018, digits: 5, digitRadius: 0.3 });
  return {
    what: 'red-eared slider hatchling',
    carapaceLength: p.carapaceLength,
    detail: p.detail,
    halfWidth: 0.44,
    domeHeight: 0.28,
    domeExponent: 2,
    shellThickness: 0.016,
    plastronThickness: 0.016,
    plastronHalfLength: 0.45,
    plastronHalfWidth: 0.36,
    gap: 0.1,
    clearance: 0.008,
    head: {
      out: 0.2,
      cervical: 8,
      profile: {
        frontCap: 0.03,
        rear: 'round',
        keys: [
          { u: 0.03, w: 0.03, h: 0.024, y: y + 0.006 },
          { u: 0.15, w: 0.07, h: 0.045, y: y + 0.006 },
          { u: 0.26, w: 0.06, h: 0.04, y },
          { u: 0.36, w: 0.036, h: 0.03, y },
          { u: 0.92, w: 0.036, h: 0.03, y },
        ],
      },
      skull: {
        head: 0.3,
        braincase: { at: 0.64, halfLength: 0.26, w: 0.55, h: 0.55, y: 0.1 },
        snout: { at: 0.24, halfLength: 0.13, w: 0.45, h: 0.4, y: 0.1 },
        mandible: { from: 0.08, to: 0.9, w: 0.7, y: -0.5, radius: 0.1 },
      },
    },
    tail: {
      out: 0.12,
      caudal: 16,
      profile: { frontCap: 0.05, rear: 'pointed', keys: [{ u: 0.05, w: 0.028, h: 0.022, y }, { u: 0.55, w: 0.022, h: 0.018, y }, { u: 0.95, w: 0.005, h: 0.004, y }] },
    },
    column: { width: 0.3, height: 0.24, maxWidth: 0.012 },
    dorsal: { count: 10, halfWidth: 0.013 },
    limbs: [
      limb('forelimb', [[0.2, y, 0.28], [0.38, y - 0.004, 0.38], [0.48, -0.07, 0.44]], [0.032, 0.028, 0.022], foot(0.6, 0.1, 0.085)),
      limb('hindlimb', [[0.19, y, -0.28], [0.38, y - 0.004, -0.36], [0.46, -0.07, -0.44]], [0.034, 0.03, 0.024], foot(2.3, 0.11, 0.09)),
    ],
  };
}

/** Builds the star tortoise as material parts. */
export function buildStarTortoise(params: Partial<ChelonianParams> = {}): ModelPart[] {
  return buildStarTortoiseModel(params).parts;
}

export function buildStarTortoiseModel(params: Partial<ChelonianParams> = {}): SpeciesModel {
  return buildChelonianModel(starTortoisePlan(params));
}

/** Builds the red-eared slider hatchling as material parts. */
export function buildSliderHatchling(params: Partial<ChelonianParams> = {}): ModelPart[] {
  return buildSliderHatchlingModel(params).parts;
}

export function buildSliderHatchlingModel(params: Partial<ChelonianParams> = {}): SpeciesModel {
  return buildChelonianModel(sliderHatchlingPlan(params));
}
