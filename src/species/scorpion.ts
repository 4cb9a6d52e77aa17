/**
 * Emperor scorpion (Pandinus imperator) on the arthropod body plan: carapace, seven
 * mesosomal tergites, the five metasomal segments curled up over the back and the telson
 * (venom vesicle and aculeus), small chelicerae, pedipalps with the broad chelae (hand,
 * fixed and movable finger) held forward, and four pairs of walking legs. Layout in
 * millimetres of an adult of 140 mm total length (chelicerae to telson tip, stretched);
 * the posed model spans `span` along Z, from the chela tips to the back of the curled tail.
 *
 * Simplifications: tergites and sternites are one shell per segment; no pectines,
 * granulation or setae; the venom gland is soft tissue inside the vesicle's cuticle.
 */
import type { JointLimits, ModelPart, SpeciesModel, Vec3 } from '../core/types.js';
import { FIXED, type JointSpec } from './rig/rig-builder.js';
import {
  ARTHROPOD_MATERIALS,
  buildArthropodModel,
  checkRanges,
  walkingLeg,
  type AppendageSpec,
  type ArthropodPlan,
  type SegmentSpec,
} from './arthropod-plan.js';

export interface ScorpionParams {
  /** Extent along Z, chela tips to the back of the curled metasoma, metres. */
  span: number;
  /** How far the metasoma curls over the back: 0 flat behind, 1 the usual raised curl. */
  curl: number;
  /** Multiplier on the chela (hand and fingers) size. */
  chelaSize: number;
  /** Cuticle thickness over span (0.35 mm at 110 mm). */
  cuticleRatio: number;
  /** Multiplier on tessellation density. */
  detail: number;
}

export const SCORPION_DEFAULTS: Readonly<ScorpionParams> = Object.freeze({
  span: 0.11,
  curl: 1,
  chelaSize: 1,
  cuticleRatio: 0.35 / 110,
  detail: 1,
});

const LIMITS: Record<keyof ScorpionParams, [number, number]> = {
  span: [0.01, 0.4],
  curl: [0, 1.2],
  chelaSize: [0.6, 1.4],
  cuticleRatio: [0.0005, 0.01],
  detail: [0.5, 2],
};

/** Metasomal segments I-V (mm) and the angle each rises to at full curl (radians, 0 = straight back). */
const METASOMA = [
  { length: 9, radius: 4.3, angle: 0.35 },
  { length: 10, radius: 4.2, angle: 0.95 },
  { length: 10.5, radius: 4.1, angle: 1.55 },
  { length: 11, radius: 4.0, angle: 2.1 },
  { length: 13, radius: 3.9, angle: 2.6 },
];
/** Mesosomal tergites 1-7: half-widths (mm). */
const TERGITES = [10, 11, 11.8, 12, 11.8, 11, 8.5];

/** The metasoma and telson as segments and the aculeus, curled by `curl`. */
/**
 * Total bend of each metasomal joint from a straight tail, degrees: up to 45 upwards (negative
 * X, since positive is ventral), a little downwards, 25 sideways. Scorpions rest with the
 * tail raised or laid to one side.
 */
const TAIL_BEND: JointLimits = { x: [-45, 12], y: [-25, 25], z: [-5, 5] };

function tail(curl: number, start: Vec3): { segments: SegmentSpec[]; sting: AppendageSpec; joints: JointSpec[] } {
  const segments: SegmentSpec[] = [];
  const joints: JointSpec[] = [];
  // The tail curls in the YZ plane: every joint flexes about -X, as a straight tail's would.
  const hinge: Vec3 = [-1, 0, 0];
  let p = start;
  // Direction at angle t from straight back (-Z) towards up (+Y).
  const dir = (t: number): Vec3 => [0, Math.sin(t), -Math.cos(t)];
  const step = (from: Vec3, t: number, len: number): Vec3 => {
    const d = dir(t);
    return [from[0] + d[0] * len, from[1] + d[1] * len, from[2] + d[2] * len];
  };
  METASOMA.forEach((m, i) => {
    const t = m.angle * curl;
    joints.push({ name: `metasoma${i + 1}`, parent: i === 0 ? 'mesosoma' : `metasoma${i}`, at: p, dir: dir(t), hinge, limits: TAIL_BEND, absolute: true, role: 'axial', radius: m.radius });
    const c = step(p, t, m.length / 2);
    // The segment's +Z axis runs backwards along the tail: lifting it by t tilts it the same way.
    segments.push({
      name: `metasoma${i + 1}`,
      joint: `metasoma${i + 1}`,
      centre: c,
      pitch: -t,
      shape: { rx: m.radius, yUp: m.radius * 0.95, yDown: m.radius * 0.95, rz: m.length / 2 + 1.2, lengthExponent: 0.55, crossExponent: 0.85 },
      detail: 0.55,
    });
    p = step(p, t, m.length);
  });
  const tv = 3.0 * curl;
  const vesicle = step(p, tv, 5);
  joints.push({ name: 'telson', parent: `metasoma${METASOMA.length}`, at: p, dir: dir(tv), hinge, limits: TAIL_BEND, absolute: true, role: 'axial', radius: 4.2 });
  segments.push({ name: 'telson', joint: 'telson', centre: vesicle, pitch: -tv, shape: { rx: 4.2, yUp: 4.0, yDown: 4.0, rz: 6, lengthExponent: 0.9, crossExponent: 0.95, taper: 0.25 }, detail: 0.6 });
  const a = step(p, tv, 10);
  const b = step(p, tv + 0.4 * curl, 13.5);
  const c = step(p, tv + 0.9 * curl, 16);
  return { segments, joints, sting: { name: 'aculeus', joint: 'telson', path: [step(p, tv, 8.5), a, b, c], radius: [[0, 1.8], [1, 0.15]], kind: 'solid', rings: 6, around: 6 } };
}

/** The plan in millimetres (see the module comment). */
export function scorpionPlan(curl: number, chelaSize: number): ArthropodPlan {
  const segments: SegmentSpec[] = [
    { name: 'prosoma', centre: [0, 2, 8], shape: { rx: 9, yUp: 3.5, yDown: 3, rz: 11, lengthExponent: 0.55, crossExponent: 0.7, taper: -0.2 } },
    { name: 'chelicera.{side}', centre: [2, 1, 19.5], shape: { rx: 1.7, yUp: 1.5, yDown: 1.5, rz: 3, lengthExponent: 0.8, crossExponent: 0.9 }, detail: 0.4 },
  ];
  TERGITES.forEach((w, i) => {
    segments.push({
      name: `mesosoma${i + 1}`,
      joint: 'mesosoma',
      centre: [0, 1.5, -6 - 6.5 * i],
      shape: { rx: w, yUp: 4, yDown: 3.5, rz: 4.3, lengthExponent: 0.45, crossExponent: 0.7, taper: i === 6 ? 0.3 : 0 },
      detail: 0.6,
    });
  });
  const { segments: tailSegments, sting, joints: tailJoints } = tail(curl, [0, 2.5, -47]);
  segments.push(...tailSegments);
  // Pedipalp: coxa to the patella end, then the chela's hand and its two fingers along the chela axis.
  const k = chelaSize;
  const palp = walkingLeg('pedipalp.{side}', [4, -0.5, 15], 0.75, [
    { name: 'trochanter', length: 4, rise: 1, radius: [2.3, 2.1] },
    { name: 'femur', length: 10, rise: 1, radius: [2.3, 2.1] },
    { name: 'patella', length: 9, rise: -0.5, radius: [2.7, 2.9] },
  ], false);
  const wrist = palp.joints[palp.joints.length - 1]!;
  // Chela axis: forward and slightly inwards from the wrist.
  const axis: Vec3 = [-0.12, -0.03, 1];
  const al = Math.hypot(...axis);
  const along = (t: number, side = 0): Vec3 => [wrist[0] + (axis[0] * t) / al + side, wrist[1] + (axis[1] * t) / al, wrist[2] + (axis[2] * t) / al];
  const hand = 22 * k;
  segments.push({
    name: 'chela.{side}.hand',
    joint: 'chela.{side}',
    centre: along(hand / 2 - 1),
    yaw: Math.atan2(axis[0], axis[2]),
    shape: { rx: 8 * k, yUp: 4.8 * k, yDown: 4.5 * k, rz: hand / 2 + 1, lengthExponent: 0.7, crossExponent: 0.8, taper: -0.2 },
    detail: 0.7,
  });
  const finger = (name: string, side: number): AppendageSpec => ({
    name,
    path: [along(hand - 3, side * 2.2 * k), along(hand + 6 * k, side * 2.4 * k), along(hand + 14 * k, side * 1.4 * k), along(hand + 19 * k, side * 0.2 * k)],
    radius: [[0, 2.4 * k, 2.2 * k], [0.6, 1.5 * k], [1, 0.5 * k]],
    joint: 'chela.{side}',
    kind: 'auto',
    rings: 9,
    around: 8,
  });
  const legs = [
    { id: '1', attach: [5, -1, 12] as Vec3, angle: 0.9, l: [4, 9, 6, 7, 6] },
    { id: '2', attach: [6, -1, 7] as Vec3, angle: 1.35, l: [4, 10, 6, 8, 7] },
    { id: '3', attach: [6, -1, 2] as Vec3, angle: 1.9, l: [4, 11, 7, 9, 8] },
    { id: '4', attach: [5.5, -1, -3] as Vec3, angle: 2.35, l: [4, 13, 8, 10, 9] },
  ].map((g) =>
    walkingLeg(`leg.{side}${g.id}`, g.attach, g.angle, [
      { name: 'trochanter', length: g.l[0]!, rise: 0.8, radius: [1.8, 1.7] },
      { name: 'femur', length: g.l[1]!, rise: 0.35 * g.l[1]!, radius: [1.6, 1.45] },
      { name: 'patella', length: g.l[2]!, rise: -0.2 * g.l[2]!, radius: [1.5, 1.35] },
      { name: 'tibia', length: g.l[3]!, rise: -0.55 * g.l[3]!, radius: [1.3, 1.1] },
      { name: 'tarsus', length: g.l[4]!, rise: -0.45 * g.l[4]!, radius: [1.0, 0.35] },
    ]),
  );
  return {
    segments,
    limbs: [palp, ...legs],
    appendages: [sting, finger('chela.{side}.fixed', -1), finger('chela.{side}.movable', 1)],
    // Prosoma the root, the mesosoma one joint, then the metasomal chain; each chela turns at the wrist.
    joints: [
      { name: 'prosoma', parent: null, at: [0, 2, 8], dir: [0, 0, 1], limits: FIXED, role: 'root', radius: 9 },
      { name: 'mesosoma', parent: 'prosoma', at: [0, 1.5, -2], dir: [0, 0, -1], limits: { x: [-5, 5], y: [-6, 6], z: [-3, 3] }, role: 'axial', radius: 11 },
      ...tailJoints,
      ...(['pedipalp.{side}.patella'].map((parent): JointSpec => ({ name: 'chela.{side}', parent, at: wrist, dir: axis, limits: { x: [-20, 20], y: [-25, 25], z: [-10, 10] }, role: 'limb', radius: 6 * k }))),
    ],
  };
}

/** Builds the scorpion as material parts (+Z forward, +Y up, centred, spanning `span` along Z). */
export function buildScorpion(params: Partial<ScorpionParams> = {}): ModelPart[] {
  return buildScorpionModel(params).parts;
}

/** The scorpion with its skeleton: prosoma (root), mesosoma, 5 metasomal joints and the telson, palps with chelae, legs. */
export function buildScorpionModel(params: Partial<ScorpionParams> = {}): SpeciesModel {
  const p: ScorpionParams = { ...SCORPION_DEFAULTS, ...params };
  checkRanges('scorpion builder', p, LIMITS);
  return buildArthropodModel(scorpionPlan(p.curl, p.chelaSize), {
    length: p.span,
    wall: p.cuticleRatio * p.span,
    detail: p.detail,
    hardMaterial: ARTHROPOD_MATERIALS.hard,
    softMaterial: ARTHROPOD_MATERIALS.soft,
  }, 'scorpion');
}
