/**
 * Giant African millipede (Archispirostreptus gigas) on the myriapod body plan: a rounded
 * head with short antennae, the collum, 56 cylindrical body rings telescoping into each
 * other, each (a diplosegment) with two leg pairs under the body, and the anal valves.
 * The body follows a gentle S-curve. Layout in millimetres of a 270 mm adult; the model
 * spans `bodyLength` along Z (head to anal valves, a little less than the body's length
 * along its curve).
 *
 * Simplifications: rings are closed shells (no ozopores, no separate sternites), legs are
 * single tapered segments.
 */
import type { ModelPart, Vec3 } from '../core/types.js';
import type { SpeciesModel } from '../core/types.js';
import { ARTHROPOD_MATERIALS, buildArthropodModel, checkRanges, mergeGroups, type ArthropodPlan } from './arthropod-plan.js';
import { myriapodPlan, type SegmentSection } from './myriapod-plan.js';

export interface MillipedeParams {
  /** Extent along Z, head front to anal valves, metres. */
  bodyLength: number;
  /** Amplitude of the lateral S-curve over the body length (0 = straight). */
  wave: number;
  /** Cuticle thickness over bodyLength (0.5 mm at 270 mm). */
  cuticleRatio: number;
  /** Multiplier on tessellation density. */
  detail: number;
}

export const MILLIPEDE_DEFAULTS: Readonly<MillipedeParams> = Object.freeze({
  bodyLength: 0.27,
  wave: 0.05,
  cuticleRatio: 0.5 / 270,
  detail: 1,
});

const LIMITS: Record<keyof MillipedeParams, [number, number]> = {
  bodyLength: [0.02, 0.5],
  wave: [0, 0.12],
  cuticleRatio: [0.0005, 0.01],
  detail: [0.5, 2],
};

const RINGS = 56;
const RING_LENGTH = 4.6;
const RADIUS = 10;

/** The plan in millimetres (see the module comment). */
export function millipedePlan(wave: number): ArthropodPlan {
  const trunk = RINGS * RING_LENGTH;
  const section = (u: number): SegmentSection => {
    // Full girth from the collum on, tapering over the last rings.
    const r = RADIUS * (u < 0.9 ? 1 : 1 - 2.5 * (u - 0.9));
    return { rx: r, yUp: r, yDown: 0.92 * r };
  };
  return myriapodPlan({
    segmentCount: RINGS,
    segmentLength: RING_LENGTH,
    overlap: 0.2,
    section,
    lengthExponent: 0.35,
    crossExponent: 0.95,
    lateral: (d) => wave * trunk * Math.sin((2 * Math.PI * d) / trunk),
    legPairs: 2,
    leg: (_u, pair, sec) => {
      // Short legs under the body, hanging down and a little out, the two pairs of a ring side by side;
      // one tapered segment each, to keep 224 legs within the triangle budget.
      const z = pair === 0 ? 1.1 : -1.1;
      const joints: Vec3[] = [[0.3 * sec.rx, -0.75 * sec.yDown, z], [0.45 * sec.rx + 3.5, -sec.yDown - 5.5, z - 1.0]];
      return { joints, segments: [{ name: 'leg', radius: [0.75, 0.2] }], pointed: true };
    },
    head: {
      segments: [
        { name: 'head', centre: [0, -0.5, 4.5], shape: { rx: 8.5, yUp: 8, yDown: 7.5, rz: 6, lengthExponent: 0.9, crossExponent: 0.9 }, detail: 0.5 },
        { name: 'collum', centre: [0, 0.8, 0.5], shape: { rx: 10.3, yUp: 10.3, yDown: 9, rz: 3.5, lengthExponent: 0.4, crossExponent: 0.95 }, detail: 0.5 },
      ],
      limbs: [],
      appendages: [
        {
          name: 'antenna.{side}',
          path: [[4, -1, 9], [6.5, -3, 12.5], [8, -5, 14.5], [8.5, -7, 15.5]],
          radius: [[0, 0.9], [0.8, 0.7], [1, 0.9]],
          kind: 'solid',
          rings: 7,
          around: 6,
          articulated: { parent: 'head', limits: { x: [-20, 20], y: [-20, 20], z: [0, 0] } },
        },
      ],
    },
    tail: {
      segments: [{ name: 'anal-valves', centre: [0, 0, -1.5], shape: { rx: 6.5, yUp: 7, yDown: 6.5, rz: 3.5, lengthExponent: 0.8, crossExponent: 0.9 }, detail: 0.5 }],
      limbs: [],
      appendages: [],
    },
    segmentDetail: 0.5,
    legDetail: 0.5,
    // 224 legs move with their rings; rings telescope, so each joint bends a little but 56 of them coil the body.
    legJoints: 'none',
    bend: { lateral: 12, vertical: 10, twist: 4 },
  });
}

/** Builds the millipede as material parts (+Z forward, +Y up, centred, spanning bodyLength along Z). */
export function buildMillipede(params: Partial<MillipedeParams> = {}): ModelPart[] {
  return buildMillipedeModel(params).parts;
}

/** The millipede with its skeleton: head (root), 56 ring joints and the antennae. */
export function buildMillipedeModel(params: Partial<MillipedeParams> = {}): SpeciesModel {
  const p: MillipedeParams = { ...MILLIPEDE_DEFAULTS, ...params };
  checkRanges('millipede builder', p, LIMITS);
  const { parts, skeleton } = buildArthropodModel(millipedePlan(p.wave), {
    length: p.bodyLength,
    wall: p.cuticleRatio * p.bodyLength,
    detail: p.detail,
    segmentAlong: 10,
    hardMaterial: ARTHROPOD_MATERIALS.hard,
    softMaterial: ARTHROPOD_MATERIALS.soft,
  }, 'millipede');
  // One part per kind of repeated element: hundreds of parts would be hundreds of draw calls.
  return { parts: mergeGroups(parts, (n) => (n.startsWith('leg.') ? 'legs' : /^trunk\d+$/.test(n) ? 'trunk' : undefined)), skeleton };
}
