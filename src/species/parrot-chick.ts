/**
 * A grey parrot (Psittacus erithacus) nestling on the tetrapod body plan, lying on its
 * belly as chicks are packed: a large round head with a short hooked beak, a thin neck, a
 * round body with a big belly (crop and yolk sac), wing stubs hanging along the flanks,
 * short legs with zygodactyl feet under the body, a tail stub; no feathers yet (down only,
 * negligible under X-ray). Skeleton: skull (a hollow braincase, beak bones, mandibles), 12 cervical
 * and 6 thoracic vertebrae (ribs on those clear of the shoulders), the synsacrum as one
 * long bone, 5 caudal vertebrae; humerus, radius and ulna, the hand (carpometacarpus) as
 * one rod; femur, tibiotarsus and four toe rods. The sternum and keel of a nestling are
 * mostly cartilage and are left to soft tissue, as are the crop and gut.
 *
 * Size: beak tip to rump (the model's Z extent): ~50 mm at hatching, ~180 mm at fledging.
 * Deterministic.
 */
import type { ModelPart, SpeciesModel } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import type { FootSpec, LimbSpec } from './plans/limb.js';
import { buildTetrapodModel, type TetrapodPlan } from './plans/tetrapod.js';

export interface ParrotChickParams {
  /** Beak tip to rump, metres. */
  length: number;
  detail: number;
}

export const PARROT_CHICK_DEFAULTS: Readonly<ParrotChickParams> = Object.freeze({ length: 0.1, detail: 1 });

/**
 * Wings start their own tissue at the shoulder, just under the skin; legs at the knee, the
 * thigh lying inside the belly (so the belly's tissue is not counted twice there).
 */
function limb(name: string, joints: LimbSpec['joints'], radii: LimbSpec['radii'], pairedDistal: boolean, foot: FootSpec): LimbSpec {
  const wing = name === 'wing';
  return { name, joints, radii, rootDepth: wing ? 0.6 : 1, tissueFrom: wing ? 'proximal' : 'middle', proximalBone: 0.3, distalBone: 0.36, pairedDistal, jointGap: 0.3, foot };
}

export function parrotChickPlan(params: Partial<ParrotChickParams> = {}): TetrapodPlan {
  const p = { ...PARROT_CHICK_DEFAULTS, ...params };
  if (!(typeof p.length === 'number' && p.length >= 0.01 && p.length <= 0.5)) {
    throw new ExorayError('E_ASSET', `parrot chick builder: length must be a number in [0.01, 0.5] metres, got ${JSON.stringify(p.length)}`);
  }
  return {
    what: 'parrot chick',
    length: p.length,
    detail: p.detail,
    // A bird's trunk is fused (notarium, synsacrum): the body barely bends; the short, thick
    // neck of a nestling turns the big head.
    spineBend: { neck: [12, 18, 8], head: [15, 20, 8], trunk: [3, 4, 2], tail: [10, 12, 4] },
    body: {
      frontCap: 0.04,
      rear: 'round',
      keys: [
        { u: 0.04, w: 0.04, h: 0.05, y: -0.01 }, // hooked beak tip
        { u: 0.1, w: 0.09, h: 0.1, y: 0 }, // beak base
        { u: 0.2, w: 0.16, h: 0.15, y: 0.03 }, // head
        { u: 0.3, w: 0.15, h: 0.14, y: 0.03 },
        { u: 0.37, w: 0.11, h: 0.11, y: 0.02 }, // neck
        { u: 0.5, w: 0.24, h: 0.22, y: 0 }, // chest
        { u: 0.7, w: 0.27, h: 0.24, y: -0.01 }, // belly
        { u: 0.88, w: 0.18, h: 0.16, y: 0 },
        { u: 0.95, w: 0.08, h: 0.07, y: 0.02 }, // tail stub
      ],
    },
    column: {
      regions: [
        { name: 'cervical', from: 0.315, to: 0.45, count: 12, ribs: false },
        { name: 'dorsal', from: 0.45, to: 0.62, count: 6, ribs: true },
        { name: 'sacral', from: 0.625, to: 0.82, count: 1, ribs: false, size: 1.2 },
        { name: 'caudal', from: 0.83, to: 0.94, count: 5, ribs: false },
      ],
      width: 0.22,
      height: 0.18,
      maxWidth: 0.03,
      centreHeight: 0.45,
      ribLength: 0.6,
      ribWall: 0.8,
      ribRadius: 0.12,
    },
    skull: {
      head: 0.33,
      braincase: { at: 0.68, halfLength: 0.22, w: 0.6, h: 0.6, y: 0.1 },
      braincaseWall: 0.15,
      snout: { at: 0.27, halfLength: 0.15, w: 0.45, h: 0.45, y: 0.15 },
      mandible: { from: 0.22, to: 0.88, w: 0.55, y: -0.45, radius: 0.08 },
    },
    ribClearance: 0.04,
    limbs: [
      limb('wing', [[0.17, 0.05, -0.46], [0.27, 0.04, -0.56], [0.29, 0, -0.68]], [0.035, 0.03, 0.022], true, {
        length: 0.08, width: 0.045, thickness: 0.022, heading: Math.PI, offset: 0.4, drop: 0, digits: 1, digitRadius: 0.35,
      }),
      limb('leg', [[0.12, -0.06, -0.72], [0.17, -0.12, -0.62], [0.19, -0.22, -0.72]], [0.05, 0.04, 0.028], false, {
        length: 0.12, width: 0.09, thickness: 0.03, heading: 0.3, offset: 0.3, drop: 0.02, digits: 4, digitRadius: 0.3,
      }),
    ],
  };
}

/** Builds the parrot chick as material parts (see plans/tetrapod.ts). */
export function buildParrotChick(params: Partial<ParrotChickParams> = {}): ModelPart[] {
  return buildParrotChickModel(params).parts;
}

/** The same with its skeleton (plans/tetrapod.ts, tetrapodSpine). */
export function buildParrotChickModel(params: Partial<ParrotChickParams> = {}): SpeciesModel {
  return buildTetrapodModel(parrotChickPlan(params));
}
