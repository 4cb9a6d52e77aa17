/**
 * Hercules beetle (Dynastes hercules, major male) on the arthropod body plan: a long domed
 * elytral shell, a rounded pronotum, a small head, the long thoracic horn curving forward
 * over the upturned cephalic horn, six long legs with hooked tarsi and short lamellate
 * antennae. Layout in millimetres of a ~145 mm male (horn tip to elytral apex, as the
 * species is measured), scaled to `bodyLength` along Z.
 *
 * Simplifications: the horns are smooth solid cuticle (no teeth, no hair brush under the
 * thoracic horn, no cavity: their tips are too thin for one); elytra and abdomen are one
 * shell, no subelytral air space or hind wings.
 */
import type { ModelPart, SpeciesModel, Vec3 } from '../core/types.js';
import { ARTHROPOD_MATERIALS, buildArthropodModel, checkRanges, type AppendageSpec, type ArthropodPlan, type LimbSpec } from './arthropod-plan.js';
import { FIXED } from './rig/rig-builder.js';

export interface RhinoBeetleParams {
  /** Horn tip to elytral apex, metres. */
  bodyLength: number;
  /** Horn length relative to a major male (1); minor males ~0.3. */
  hornLength: number;
  /** Cuticle thickness over bodyLength (0.6 mm at 145 mm). */
  cuticleRatio: number;
  /** Multiplier on tessellation density. */
  detail: number;
}

export const RHINO_BEETLE_DEFAULTS: Readonly<RhinoBeetleParams> = Object.freeze({
  bodyLength: 0.145,
  hornLength: 1,
  cuticleRatio: 0.6 / 145,
  detail: 1,
});

const LIMITS: Record<keyof RhinoBeetleParams, [number, number]> = {
  bodyLength: [0.01, 0.5],
  hornLength: [0.2, 1.3],
  cuticleRatio: [0.001, 0.02],
  detail: [0.5, 3],
};

const leg = (id: string, joints: Vec3[], femur: number): LimbSpec => ({
  name: `leg.{side}${id}`,
  joints,
  segments: [
    { name: 'femur', radius: [femur, 0.85 * femur] },
    { name: 'tibia', radius: [1.3, 1.6] },
    { name: 'tarsus', radius: [0.8, 0.35] },
  ],
  pointed: true,
});

/** The plan in millimetres (see the module comment). */
export function rhinoBeetlePlan(hornLength: number): ArthropodPlan {
  // Horns grow forward from their roots; `hornLength` stretches them along Z and lifts accordingly.
  const horn = (root: Vec3, pts: Vec3[]): Vec3[] => [root, ...pts.map((p): Vec3 => [p[0], root[1] + (p[1] - root[1]) * hornLength, root[2] + (p[2] - root[2]) * hornLength])];
  const appendages: AppendageSpec[] = [
    {
      name: 'horn.thoracic',
      path: horn([0, 7, 14], [[0, 12.5, 30], [0, 12.5, 50], [0, 10, 70], [0, 5, 85]]),
      radius: [[0, 5.5, 5], [0.3, 3.6, 3.4], [0.8, 2.0], [1, 0.9]],
      kind: 'solid',
      rings: 18,
      around: 10,
    },
    {
      name: 'horn.cephalic',
      path: horn([0, -2, 27], [[0, -3.5, 42], [0, -2, 56], [0, 2.5, 68], [0, 5, 73]]),
      radius: [[0, 3.4], [0.4, 2.3], [0.85, 1.3], [1, 0.7]],
      joint: 'head',
      kind: 'solid',
      rings: 16,
      around: 10,
    },
    {
      name: 'antenna.{side}',
      path: [[4.5, -1.5, 30], [8, -1.8, 32.5], [10.5, -1.5, 35.5]],
      radius: [[0, 0.5], [0.7, 0.45], [0.75, 0.6, 1.1], [1, 0.6, 1.1]],
      kind: 'solid',
      rings: 6,
      around: 6,
      articulated: { parent: 'head', limits: { x: [-15, 15], y: [-20, 20], z: [0, 0] } },
    },
  ];
  return {
    segments: [
      { name: 'abdomen', joint: 'abdomen', centre: [0, 0, -28], shape: { rx: 20, yUp: 13, yDown: 8, rz: 32, lengthExponent: 0.72, crossExponent: 0.8, taper: 0.05 } },
      { name: 'pronotum', centre: [0, 1.5, 12], shape: { rx: 17.5, yUp: 11, yDown: 7, rz: 11.5, lengthExponent: 0.6, crossExponent: 0.75, taper: -0.12 } },
      { name: 'head', joint: 'head', centre: [0, -2, 27], shape: { rx: 7, yUp: 4.5, yDown: 4, rz: 6, lengthExponent: 0.7, crossExponent: 0.85 }, detail: 0.6 },
    ],
    limbs: [
      leg('1', [[6, -5, 14], [20, -5, 23], [30, -15, 33], [36, -21, 47]], 2.2),
      { ...leg('2', [[8, -7, -3], [27, -6, -4], [38, -16, -10], [46, -21, -22]], 2.4), parent: 'abdomen' },
      { ...leg('3', [[8, -7, -10], [26, -6, -20], [35, -16, -34], [40, -21, -50]], 2.4), parent: 'abdomen' },
    ],
    appendages,
    // The pronotum (with the thoracic horn) the root; the head (with the cephalic horn) nods and
    // turns; elytra and abdomen (mid and hind legs) tilt a little against the pronotum.
    joints: [
      { name: 'pronotum', parent: null, at: [0, 1.5, 12], dir: [0, 0, 1], limits: FIXED, role: 'root', radius: 17.5 },
      { name: 'head', parent: 'pronotum', at: [0, -2, 22], dir: [0, 0, 1], limits: { x: [-10, 10], y: [-12, 12], z: [-5, 5] }, role: 'head', radius: 7 },
      { name: 'abdomen', parent: 'pronotum', at: [0, 0, 2], dir: [0, 0, -1], limits: { x: [-4, 4], y: [-4, 4], z: [-2, 2] }, role: 'axial', radius: 20 },
    ],
  };
}

/** Builds the beetle as material parts (+Z forward, +Y up, centred, spanning bodyLength along Z). */
export function buildRhinoBeetle(params: Partial<RhinoBeetleParams> = {}): ModelPart[] {
  return buildRhinoBeetleModel(params).parts;
}

/** The beetle with its skeleton: pronotum (root), head, abdomen, 3 joints per leg, antennae. */
export function buildRhinoBeetleModel(params: Partial<RhinoBeetleParams> = {}): SpeciesModel {
  const p: RhinoBeetleParams = { ...RHINO_BEETLE_DEFAULTS, ...params };
  checkRanges('rhinoceros beetle builder', p, LIMITS);
  return buildArthropodModel(rhinoBeetlePlan(p.hornLength), {
    length: p.bodyLength,
    wall: p.cuticleRatio * p.bodyLength,
    detail: p.detail,
    hardMaterial: ARTHROPOD_MATERIALS.hard,
    softMaterial: ARTHROPOD_MATERIALS.soft,
  }, 'rhinoceros beetle');
}
