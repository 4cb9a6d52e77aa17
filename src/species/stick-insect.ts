/**
 * Jungle nymph stick insect (Heteropteryx dilatata, adult female), one of the heaviest
 * giant stick insects in the pet trade, on the arthropod body plan: head, a long
 * pro-, meso- and metathorax, short tegmina (wing pads) on the back, a broad abdomen of
 * eight visible tergites ending in the ovipositor sheath, long antennae and six long legs.
 * Layout in millimetres of a 158 mm female (head to abdomen tip); the model spans
 * `span` along Z, from the antenna and foreleg tips to the ovipositor.
 *
 * Simplifications: no spines on the legs or thorax; eggs are not modelled (a gravid
 * female's abdomen holds soft tissue throughout); the hind wings are omitted.
 */
import type { ModelPart, SpeciesModel, Vec3 } from '../core/types.js';
import { ARTHROPOD_MATERIALS, buildArthropodModel, checkRanges, walkingLeg, type ArthropodPlan, type SegmentSpec } from './arthropod-plan.js';
import { FIXED, type JointSpec } from './rig/rig-builder.js';

export interface StickInsectParams {
  /** Extent along Z, antenna and foreleg tips to the ovipositor, metres. */
  span: number;
  /** Multiplier on the abdomen's width and height (a gravid female ~1.15, a male-like slender form ~0.6). */
  abdomenWidth: number;
  /** Cuticle thickness over span (0.5 mm at 190 mm). */
  cuticleRatio: number;
  /** Multiplier on tessellation density. */
  detail: number;
}

export const STICK_INSECT_DEFAULTS: Readonly<StickInsectParams> = Object.freeze({
  span: 0.19,
  abdomenWidth: 1,
  cuticleRatio: 0.5 / 190,
  detail: 1,
});

const LIMITS: Record<keyof StickInsectParams, [number, number]> = {
  span: [0.02, 0.5],
  abdomenWidth: [0.5, 1.3],
  cuticleRatio: [0.0005, 0.01],
  detail: [0.5, 2],
};

/** Abdominal tergites 1-8 (mm): half-width at abdomenWidth 1, tergite length 10.5. */
const TERGITES = [10.5, 12, 13, 13, 12.5, 11.5, 9.5, 7];

const LEGS: ReadonlyArray<{ id: string; attach: Vec3; angle: number; femur: number; tibia: number; tarsus: number }> = [
  { id: '1', attach: [3, -2, 40], angle: 0.3, femur: 24, tibia: 24, tarsus: 10 },
  { id: '2', attach: [5, -2, 22], angle: 1.15, femur: 18, tibia: 18, tarsus: 8 },
  { id: '3', attach: [6.5, -2, 6], angle: 2.3, femur: 23, tibia: 23, tarsus: 9 },
];

/** The plan in millimetres (see the module comment). */
export function stickInsectPlan(abdomenWidth: number): ArthropodPlan {
  const w = abdomenWidth;
  const segments: SegmentSpec[] = [
    { name: 'head', joint: 'head', centre: [0, 1, 52], shape: { rx: 5, yUp: 4, yDown: 3.5, rz: 6, lengthExponent: 0.85, crossExponent: 0.85 }, detail: 0.6 },
    { name: 'prothorax', joint: 'prothorax', centre: [0, 1, 41], shape: { rx: 4.5, yUp: 3.8, yDown: 3, rz: 6, lengthExponent: 0.6, crossExponent: 0.8 }, detail: 0.6 },
    { name: 'mesothorax', centre: [0, 1.5, 25], shape: { rx: 6.5, yUp: 5, yDown: 4, rz: 11.5, lengthExponent: 0.6, crossExponent: 0.8, taper: -0.15 }, detail: 0.8 },
    { name: 'metathorax', joint: 'metathorax', centre: [0, 2, 8], shape: { rx: 8.5, yUp: 6, yDown: 5, rz: 8, lengthExponent: 0.6, crossExponent: 0.8 }, detail: 0.7 },
    { name: 'tegmen.{side}', centre: [4, 6.8, 19], yaw: 0.08, shape: { rx: 3.5, yUp: 0.9, yDown: 0.9, rz: 9, lengthExponent: 0.8, crossExponent: 0.9 }, detail: 0.5 },
  ];
  TERGITES.forEach((rx, i) => {
    segments.push({
      name: `abdomen${i + 1}`,
      joint: `abdomen${i + 1}`,
      centre: [0, 2, -5 - 10.5 * i],
      shape: { rx: rx * w, yUp: 7.5 * w, yDown: 8 * w, rz: 6.2, lengthExponent: 0.5, crossExponent: 0.8 },
      detail: 0.6,
    });
  });
  const thorax = ['prothorax', 'mesothorax', 'metathorax'];
  const legs = LEGS.map((l, k) => ({
    parent: thorax[k]!,
    ...walkingLeg(`leg.{side}${l.id}`, l.attach, l.angle, [
      { name: 'femur', length: l.femur, rise: 0.2 * l.femur, radius: [1.9, 1.7] },
      { name: 'tibia', length: l.tibia, rise: -0.45 * l.tibia, radius: [1.3, 1.1] },
      { name: 'tarsus', length: l.tarsus, rise: -0.3 * l.tarsus, radius: [0.9, 0.4] },
    ]),
  }));
  // Mesothorax the root; prothorax and head forward, metathorax and eight abdominal joints back.
  const joints: JointSpec[] = [
    { name: 'mesothorax', parent: null, at: [0, 1.5, 25], dir: [0, 0, 1], limits: FIXED, role: 'root', radius: 6.5 },
    { name: 'prothorax', parent: 'mesothorax', at: [0, 1, 36], dir: [0, 0, 1], limits: { x: [-10, 10], y: [-15, 15], z: [-3, 3] }, role: 'axial', radius: 4.5 },
    { name: 'head', parent: 'prothorax', at: [0, 1, 47], dir: [0, 0, 1], limits: { x: [-15, 15], y: [-20, 20], z: [-5, 5] }, role: 'head', radius: 5 },
    { name: 'metathorax', parent: 'mesothorax', at: [0, 1.8, 14], dir: [0, 0, -1], limits: { x: [-8, 8], y: [-8, 8], z: [-3, 3] }, role: 'axial', radius: 8.5 },
  ];
  TERGITES.forEach((rx, i) => {
    const z = 0.25 - 10.5 * i;
    joints.push({ name: `abdomen${i + 1}`, parent: i === 0 ? 'metathorax' : `abdomen${i}`, at: [0, 2, z], dir: [0, 0, -1], limits: { x: [-12, 12], y: [-12, 12], z: [-3, 3] }, role: 'axial', radius: rx * w });
  });
  const tip = -5 - 10.5 * (TERGITES.length - 1) - 5;
  return {
    segments,
    limbs: legs,
    appendages: [
      { name: 'antenna.{side}', path: [[2, 2, 57], [5, 3, 66], [8, 3.5, 76], [10, 3.5, 85]], radius: [[0, 0.6], [1, 0.3]], kind: 'solid', rings: 12, around: 6, articulated: { parent: 'head', limits: { x: [-20, 20], y: [-25, 25], z: [0, 0] } } },
      { name: 'ovipositor', joint: `abdomen${TERGITES.length}`, path: [[0, -1, tip + 2], [0, -1.5, tip - 5], [0, -1, tip - 11], [0, 0.5, tip - 15]], radius: [[0, 3.2, 3.6], [0.6, 2.2, 2.4], [1, 0.6]], kind: 'auto', rings: 9, around: 8 },
    ],
    joints,
  };
}

/** Builds the stick insect as material parts (+Z forward, +Y up, centred, spanning `span` along Z). */
export function buildStickInsect(params: Partial<StickInsectParams> = {}): ModelPart[] {
  return buildStickInsectModel(params).parts;
}

/** The stick insect with its skeleton: thorax, head, abdomen chain, leg chains, antennae. */
export function buildStickInsectModel(params: Partial<StickInsectParams> = {}): SpeciesModel {
  const p: StickInsectParams = { ...STICK_INSECT_DEFAULTS, ...params };
  checkRanges('stick insect builder', p, LIMITS);
  return buildArthropodModel(stickInsectPlan(p.abdomenWidth), {
    length: p.span,
    wall: p.cuticleRatio * p.span,
    detail: p.detail,
    hardMaterial: ARTHROPOD_MATERIALS.hard,
    softMaterial: ARTHROPOD_MATERIALS.soft,
  }, 'stick insect');
}
