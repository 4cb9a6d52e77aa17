/**
 * Mexican red-knee tarantula (Brachypelma hamorii) on the arthropod body plan: prosoma
 * (carapace), pedicel and a large round opisthosoma with spinnerets, chelicerae with
 * fangs, pedipalps and eight legs of six segments (coxa-trochanter, femur, patella, tibia,
 * metatarsus, tarsus) with the knees raised above the carapace, as a tarantula stands.
 * Layout in millimetres of an adult with a 61 mm body; the model spans `span` along Z from
 * the tips of legs I to the tips of legs IV (a leg span, the way keepers size tarantulas).
 *
 * Simplifications: no hair (urticating setae are too light to show), no book lungs or
 * heart (soft tissue fills every shell), tarsi are blunt capsules without claws.
 */
import type { ModelPart, SpeciesModel, Vec3 } from '../core/types.js';
import { ARTHROPOD_MATERIALS, buildArthropodModel, checkRanges, walkingLeg, type ArthropodPlan, type LimbSpec, type WalkingLegSegment } from './arthropod-plan.js';
import { FIXED } from './rig/rig-builder.js';

export interface TarantulaParams {
  /** Extent along Z, leg I tips to leg IV tips, metres. */
  span: number;
  /** Multiplier on the opisthosoma's size (well fed ~1.2, after moulting ~0.8). */
  abdomenSize: number;
  /** Multiplier on leg segment radii. */
  legThickness: number;
  /** Cuticle thickness over span (0.25 mm at 110 mm). */
  cuticleRatio: number;
  /** Multiplier on tessellation density. */
  detail: number;
}

export const TARANTULA_DEFAULTS: Readonly<TarantulaParams> = Object.freeze({
  span: 0.11,
  abdomenSize: 1,
  legThickness: 1,
  cuticleRatio: 0.25 / 110,
  detail: 1,
});

const LIMITS: Record<keyof TarantulaParams, [number, number]> = {
  span: [0.01, 0.4],
  abdomenSize: [0.7, 1.4],
  legThickness: [0.6, 1.5],
  cuticleRatio: [0.0005, 0.01],
  detail: [0.5, 2],
};

/** Leg I to IV (mm): attachment under the carapace, direction, segment lengths coxa to tarsus. */
const LEGS: ReadonlyArray<{ id: string; attach: Vec3; angle: number; lengths: [number, number, number, number, number, number] }> = [
  { id: '1', attach: [6, 0, 16], angle: 0.45, lengths: [5, 15, 7, 11, 10, 7] },
  { id: '2', attach: [7.5, 0, 11.5], angle: 1.0, lengths: [5, 13, 6, 10, 10, 6] },
  { id: '3', attach: [7.5, 0, 7], angle: 1.95, lengths: [5, 12, 6, 9, 11, 6] },
  { id: '4', attach: [6, 0, 2.5], angle: 2.6, lengths: [5, 15, 7, 12, 14, 7] },
];

const SEGMENTS = ['coxa', 'femur', 'patella', 'tibia', 'metatarsus', 'tarsus'] as const;
/** Rise of each segment over its length: up to the knee, then down to the ground. */
const RISE = [0.2, 0.4, 0.1, -0.45, -0.5, -0.35];
const RADIUS: Array<[number, number]> = [[2.6, 2.4], [2.3, 2.0], [2.0, 1.9], [1.9, 1.7], [1.45, 1.25], [1.2, 1.0]];

function leg(id: string, attach: Vec3, angle: number, lengths: readonly number[], thick: number, name = `leg.{side}${id}`): LimbSpec {
  const segs: WalkingLegSegment[] = lengths.map((len, i) => ({
    name: SEGMENTS[i]!,
    length: len,
    rise: RISE[i]! * len,
    radius: [RADIUS[i]![0] * thick, RADIUS[i]![1] * thick],
  }));
  return walkingLeg(name, attach, angle, segs, false);
}

/** The plan in millimetres (see the module comment). */
export function tarantulaPlan(abdomenSize: number, legThickness: number): ArthropodPlan {
  const a = abdomenSize;
  const palp = walkingLeg('pedipalp.{side}', [4, 0.5, 19], 0.25, [
    { name: 'coxa', length: 4, rise: 0.5, radius: [1.9, 1.7] },
    { name: 'femur', length: 10, rise: 3, radius: [1.7, 1.5] },
    { name: 'patella', length: 5, rise: 0, radius: [1.5, 1.5] },
    { name: 'tibia', length: 7, rise: -3, radius: [1.5, 1.4] },
    { name: 'tarsus', length: 6, rise: -3, radius: [1.4, 1.2] },
  ], false);
  return {
    segments: [
      { name: 'prosoma', centre: [0, 2.5, 10], shape: { rx: 10, yUp: 4.5, yDown: 3, rz: 11.5, lengthExponent: 0.8, crossExponent: 0.8, taper: -0.1 } },
      { name: 'pedicel', centre: [0, 2.5, -2.5], shape: { rx: 2.5, yUp: 2, yDown: 2, rz: 2.5, lengthExponent: 1, crossExponent: 1 }, detail: 0.4 },
      { name: 'opisthosoma', joint: 'opisthosoma', centre: [0, 4, -2 - 16 * a], shape: { rx: 12.5 * a, yUp: 10 * a, yDown: 8.5 * a, rz: 16 * a, lengthExponent: 0.95, crossExponent: 0.95 } },
      { name: 'chelicera.{side}', centre: [2.6, 2.6, 22.5], pitch: -0.2, shape: { rx: 2.6, yUp: 3, yDown: 2.8, rz: 4.5, lengthExponent: 0.9, crossExponent: 0.9 }, detail: 0.5 },
    ],
    limbs: [...LEGS.map((l) => leg(l.id, l.attach, l.angle, l.lengths, legThickness)), palp],
    appendages: [
      { name: 'fang.{side}', path: [[2.6, 0.2, 25.5], [2.7, -1.2, 26.5], [2.4, -2.4, 25.6], [2.0, -2.8, 24.2]], radius: [[0, 0.9], [1, 0.2]], kind: 'solid', rings: 6, around: 6 },
      {
        name: 'spinneret.{side}',
        path: [[1.5, 2.5, -2 - 30 * a], [2.2, 3.2, -2 - 32.5 * a], [2.8, 4.2, -2 - 34.5 * a]],
        radius: [[0, 1.0], [1, 0.5]],
        kind: 'solid',
        rings: 5,
        around: 6,
        joint: 'opisthosoma',
      },
    ],
    // The opisthosoma turns on the pedicel; legs and pedipalps hang from the prosoma (the root).
    joints: [
      { name: 'prosoma', parent: null, at: [0, 2.5, 10], dir: [0, 0, 1], limits: FIXED, role: 'root', radius: 10 },
      { name: 'opisthosoma', parent: 'prosoma', at: [0, 2.5, -2.5], dir: [0, 0, -1], limits: { x: [-15, 15], y: [-20, 20], z: [-5, 5] }, role: 'axial', radius: 12.5 * a },
    ],
  };
}

/** Builds the tarantula as material parts (+Z forward, +Y up, centred, spanning `span` along Z). */
export function buildTarantula(params: Partial<TarantulaParams> = {}): ModelPart[] {
  return buildTarantulaModel(params).parts;
}

/** The tarantula with its skeleton: prosoma (root), opisthosoma, 6 joints per leg, 5 per pedipalp. */
export function buildTarantulaModel(params: Partial<TarantulaParams> = {}): SpeciesModel {
  const p: TarantulaParams = { ...TARANTULA_DEFAULTS, ...params };
  checkRanges('tarantula builder', p, LIMITS);
  return buildArthropodModel(tarantulaPlan(p.abdomenSize, p.legThickness), {
    length: p.span,
    wall: p.cuticleRatio * p.span,
    detail: p.detail,
    hardMaterial: ARTHROPOD_MATERIALS.hard,
    softMaterial: ARTHROPOD_MATERIALS.soft,
  }, 'tarantula');
}
