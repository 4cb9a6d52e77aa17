/**
 * Giant centipede (Scolopendra subspinipes) on the myriapod body plan: a flat head with
 * long antennae and the forcipules (venom claws) folded under it, 21 flattened trunk
 * segments with one leg pair each, and the long ultimate legs trailing behind. The trunk
 * follows a gentle S-shaped walking wave. Layout in millimetres of a ~165 mm adult (antenna
 * tips to ultimate-leg tips along Z), scaled to `bodyLength` along Z.
 *
 * Simplifications: tergite and sternite plates are one shell per segment; legs have two
 * segments plus a claw (no separate coxa, trochanter, tarsal articles or spines).
 */
import type { ModelPart, Vec3 } from '../core/types.js';
import type { SpeciesModel } from '../core/types.js';
import { ARTHROPOD_MATERIALS, buildArthropodModel, checkRanges, mergeGroups, type ArthropodPlan } from './arthropod-plan.js';
import { myriapodPlan, type SegmentSection } from './myriapod-plan.js';

export interface CentipedeParams {
  /** Antenna tips to ultimate-leg tips along Z, metres. */
  bodyLength: number;
  /** Amplitude of the lateral walking wave over the trunk length (0 = straight). */
  wave: number;
  /** Multiplier on the trunk's width. */
  bodyWidth: number;
  /** Cuticle thickness over bodyLength (0.25 mm at 165 mm). */
  cuticleRatio: number;
  /** Multiplier on tessellation density. */
  detail: number;
}

export const CENTIPEDE_DEFAULTS: Readonly<CentipedeParams> = Object.freeze({
  bodyLength: 0.165,
  wave: 0.06,
  bodyWidth: 1,
  cuticleRatio: 0.25 / 165,
  detail: 1,
});

const LIMITS: Record<keyof CentipedeParams, [number, number]> = {
  bodyLength: [0.01, 0.5],
  wave: [0, 0.15],
  bodyWidth: [0.6, 1.6],
  cuticleRatio: [0.0005, 0.01],
  detail: [0.5, 2],
};

const SEGMENTS = 21;
const SEGMENT_LENGTH = 6.2;

/** The plan in millimetres (see the module comment). */
export function centipedePlan(wave: number, bodyWidth: number): ArthropodPlan {
  const trunk = SEGMENTS * SEGMENT_LENGTH;
  const section = (u: number): SegmentSection => {
    // Widest at mid-body, narrower behind the head and towards the tail.
    const w = (4.2 + 1.6 * Math.sin(Math.PI * Math.min(1, 0.15 + 0.9 * u))) * bodyWidth;
    return { rx: w, yUp: 1.9, yDown: 1.5 };
  };
  const uLeg = (sec: SegmentSection): Array<{ name: string; radius: [number, number] }> => [
    { name: 'femur', radius: [0.85, 0.7] },
    { name: 'tibia', radius: [0.6, 0.45] },
    { name: 'claw', radius: [0.4, 0.15] },
  ].map((s) => ({ ...s, radius: [s.radius[0] * (0.8 + 0.04 * sec.rx), s.radius[1] * (0.8 + 0.04 * sec.rx)] as [number, number] }));
  return myriapodPlan({
    segmentCount: SEGMENTS,
    segmentLength: SEGMENT_LENGTH,
    overlap: 0.12,
    section,
    lengthExponent: 0.45,
    crossExponent: 0.65,
    lateral: (d) => wave * trunk * Math.sin((2 * Math.PI * d) / (0.9 * trunk)),
    legPairs: 1,
    leg: (u, _pair, sec) => {
      // Legs splay outwards and back, longer towards the tail, claws on the ground.
      const len = 8 + 3 * u;
      const joints: Vec3[] = [[0.75 * sec.rx, -1, 0.5], [sec.rx + 0.45 * len, -0.8, -0.6], [sec.rx + 0.8 * len, -3.2, -2.2], [sec.rx + len, -4.2, -3.6]];
      return { joints, segments: uLeg(sec), pointed: true };
    },
    head: {
      segments: [{ name: 'head', centre: [0, 0.2, 4.6], shape: { rx: 4.8 * bodyWidth, yUp: 1.8, yDown: 1.5, rz: 5.2, lengthExponent: 0.55, crossExponent: 0.7, taper: -0.1 }, detail: 0.6 }],
      limbs: [],
      appendages: [
        {
          name: 'antenna.{side}',
          path: [[2, 0.6, 8.5], [4, 0.9, 13], [7.5, 1.2, 20], [10.5, 1.2, 27], [12, 1, 31]],
          radius: [[0, 0.65], [0.5, 0.45], [1, 0.25]],
          kind: 'solid',
          rings: 12,
          around: 6,
          articulated: { parent: 'head', limits: { x: [-20, 20], y: [-25, 25], z: [0, 0] } },
        },
        {
          // Forcipule: a stout base curving in to a sharp claw under the head front.
          name: 'forcipule.{side}',
          path: [[1.8, -1.6, -0.5], [4.2, -1.8, 3], [4.4, -1.9, 7], [2.6, -1.9, 9.6], [0.8, -1.9, 10.2]],
          radius: [[0, 1.3, 1.7], [0.45, 1.0, 1.3], [0.75, 0.6], [1, 0.25]],
          kind: 'auto',
          rings: 10,
          around: 8,
        },
      ],
    },
    tail: {
      segments: [],
      limbs: [
        {
          // Ultimate legs: long, stout, trailing backwards.
          name: 'leg.{side}.ultimate',
          joints: [[2.5, -0.6, 1.5], [5, -0.8, -6], [6.5, -1.0, -13], [7.2, -1.2, -19]],
          segments: [
            { name: 'femur', radius: [1.25, 1.1] },
            { name: 'tibia', radius: [1.0, 0.85] },
            { name: 'claw', radius: [0.7, 0.25] },
          ],
          pointed: true,
          limits: [{ x: [-15, 15], y: [-25, 25], z: [0, 0] }, { x: [-15, 30], y: [-10, 10], z: [0, 0] }, { x: [-15, 30], y: [-10, 10], z: [0, 0] }],
        },
      ],
      appendages: [],
    },
    segmentDetail: 0.6,
    legDetail: 0.65,
    // Scolopendra bends sideways freely (it turns within its own length) and little up or down.
    bend: { lateral: 14, vertical: 8, twist: 4 },
  });
}

/** Builds the centipede as material parts (+Z forward, +Y up, centred, spanning bodyLength along Z). */
export function buildCentipede(params: Partial<CentipedeParams> = {}): ModelPart[] {
  return buildCentipedeModel(params).parts;
}

/** The centipede with its skeleton: head (root), 21 trunk joints, a joint per leg, ultimate legs and antennae. */
export function buildCentipedeModel(params: Partial<CentipedeParams> = {}): SpeciesModel {
  const p: CentipedeParams = { ...CENTIPEDE_DEFAULTS, ...params };
  checkRanges('centipede builder', p, LIMITS);
  const { parts, skeleton } = buildArthropodModel(centipedePlan(p.wave, p.bodyWidth), {
    length: p.bodyLength,
    wall: p.cuticleRatio * p.bodyLength,
    detail: p.detail,
    hardMaterial: ARTHROPOD_MATERIALS.hard,
    softMaterial: ARTHROPOD_MATERIALS.soft,
  }, 'centipede');
  // One part per kind of repeated element: hundreds of parts would be hundreds of draw calls.
  return { parts: mergeGroups(parts, (n) => (/^leg\.[LR]\d+\./.test(n) ? 'legs' : /^trunk\d+$/.test(n) ? 'trunk' : undefined)), skeleton };
}
