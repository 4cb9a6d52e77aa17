/**
 * Procedural stag beetle (Lucanidae, Dorcus-like male): the X-ray needs anatomy, not looks,
 * so the model is a set of material parts: chitin shells with soft-tissue cores for the
 * body segments and thick leg segments, solid chitin for mandibles, antennae and leg
 * segments too thin for a cavity: a leg segment gets a tissue core only when its smallest
 * radius is at least twice the cuticle thickness (at the defaults: femurs hollow, tibiae
 * and tarsi solid; raise legThickness to hollow the tibiae).
 *
 * Frame: metres, +Z forward (head), +Y up, legs spread along X, origin at the centre of
 * the bounding box, resting on the tarsi. The layout below is in millimetres of a ~60 mm
 * male and is scaled so the model spans exactly `bodyLength` along Z.
 *
 * Simplifications: no mandible teeth, eyes, coxae, tarsal segmentation or claws; the
 * elytra and abdomen are one shell (no subelytral air space or hind wings). Joints overlap
 * slightly (both volumes count there). Deterministic: no randomness.
 */
import type { MeshData, ModelPart, SpeciesModel, Vec3 } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { transformMeshTRS } from '../geometry/mesh.js';
import { capsule } from '../geometry/primitives.js';
import { pathParameters, smoothPath, tube, type RingRadius } from '../geometry/rings.js';
import { superellipsoid, type SuperellipsoidOptions } from '../geometry/superellipsoid.js';
import { finishParts, finishTransform, mirrorX, type OuterPart } from './body-parts.js';
import { LIMB_LIMITS } from './arthropod-plan.js';
import { FIXED, RigBuilder } from './rig/rig-builder.js';

export interface StagBeetleParams {
  /** Overall length along Z, mandible tips to elytral apex (how Lucanidae are measured), metres. */
  bodyLength: number;
  /** Mandible length (base to tip) over bodyLength: ~0.25 major males, ~0.12 minor males, ~0.08 females. */
  mandibleRatio: number;
  /** Multiplier on leg segment radii. */
  legThickness: number;
  /** Multiplier on the widths of head, pronotum and elytra. */
  bodyWidth: number;
  /** Cuticle thickness over bodyLength (0.4 mm at 60 mm). */
  cuticleRatio: number;
  /** Multiplier on tessellation density (1 gives ~16k triangles). */
  detail: number;
}

export const STAG_BEETLE_DEFAULTS: Readonly<StagBeetleParams> = Object.freeze({
  bodyLength: 0.06,
  mandibleRatio: 0.22,
  legThickness: 1,
  bodyWidth: 1,
  cuticleRatio: 0.4 / 60,
  detail: 1,
});

export const BEETLE_MATERIALS = { hard: 'chitin', soft: 'soft_tissue' } as const;

const LIMITS: Record<keyof StagBeetleParams, [number, number]> = {
  bodyLength: [0.005, 0.5],
  mandibleRatio: [0.03, 0.45],
  legThickness: [0.4, 2.5],
  bodyWidth: [0.6, 1.6],
  cuticleRatio: [0.001, 0.02],
  detail: [0.5, 3],
};

function checkParams(p: StagBeetleParams): void {
  for (const key of Object.keys(LIMITS) as Array<keyof StagBeetleParams>) {
    const [lo, hi] = LIMITS[key];
    const v = p[key];
    if (!(typeof v === 'number' && v >= lo && v <= hi)) {
      throw new ExorayError('E_ASSET', `stag beetle builder: ${key} must be a number in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
    }
  }
}

interface SegmentLayout extends Omit<SuperellipsoidOptions, 'around' | 'along'> {
  name: string;
  centre: Vec3;
}

/** Body segments (mm): a flat, wide Dorcus head, a rounded-box pronotum, a long domed elytral oval. */
function bodySegments(w: number): SegmentLayout[] {
  return [
    { name: 'head', centre: [0, 0.2, 16.5], rx: 9.5 * w, yUp: 3.0, yDown: 2.6, rz: 5, lengthExponent: 0.6, crossExponent: 0.8, taper: 0.1 },
    { name: 'pronotum', centre: [0, 0.6, 6.5], rx: 11 * w, yUp: 4.0, yDown: 3.0, rz: 5.5, lengthExponent: 0.55, crossExponent: 0.75, taper: -0.05 },
    { name: 'abdomen', centre: [0, 0, -13.5], rx: 10.5 * w, yUp: 5.2, yDown: 3.6, rz: 15, lengthExponent: 0.7, crossExponent: 0.75, taper: 0.08 },
  ];
}

/** Right legs (mm): coxa, knee, ankle, tarsus tip; tips on the ground at y = -8, within the body's Z span. */
const RIGHT_LEGS: ReadonlyArray<{ id: string; joints: [Vec3, Vec3, Vec3, Vec3]; femur: number }> = [
  { id: '1', joints: [[3.2, -2.4, 8.0], [10.5, -1.8, 12.5], [15.5, -6.5, 17.0], [18.0, -8.0, 21.5]], femur: 1.1 },
  { id: '2', joints: [[4.0, -3.3, -1.5], [13.0, -2.4, -2.5], [18.5, -6.8, -5.5], [22.0, -8.0, -9.5]], femur: 1.0 },
  { id: '3', joints: [[4.2, -3.3, -5.5], [12.5, -2.6, -10.0], [17.0, -6.8, -16.0], [19.5, -8.0, -22.5]], femur: 1.0 },
];

const lerp3 = (a: Vec3, b: Vec3, t: number): Vec3 => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

/** A tube whose radius follows r(s), s the normalised arc length; the end points become pole tips. */
function profiledTube(path: Vec3[], radius: (s: number) => RingRadius, around: number): MeshData {
  const s = pathParameters(path);
  return tube(path, s.map(radius), around, { up: [0, 1, 0] });
}

function leg(joints: [Vec3, Vec3, Vec3, Vec3], femurRadius: number, thick: number, d: number): Array<Omit<OuterPart, 'name'> & { seg: string }> {
  const [coxa, knee, ankle, tip] = joints;
  const seg = { around: Math.round(10 * d), cap: Math.max(2, Math.round(3 * d)) };
  const rf: [number, number] = [femurRadius * thick, 0.85 * femurRadius * thick];
  const rt: [number, number] = [0.55 * thick, 0.75 * thick];
  // Tarsus: from inside the tibia end to the claw tip, tapering.
  const path: Vec3[] = [lerp3(ankle, tip, -0.06)];
  const rings = Math.round(7 * d);
  for (let i = 0; i < rings; i++) path.push(lerp3(ankle, tip, i / (rings - 1) * 0.96));
  path.push(tip);
  return [
    { seg: 'femur', kind: 'auto', minRadius: Math.min(...rf), mesh: capsule(coxa, knee, rf, seg) },
    { seg: 'tibia', kind: 'auto', minRadius: Math.min(...rt), mesh: capsule(knee, ankle, rt, seg) },
    {
      seg: 'tarsus',
      kind: 'auto',
      minRadius: 0.15 * thick,
      mesh: profiledTube(path, (s) => (s === 0 ? 0 : (0.35 - 0.2 * s) * thick), Math.round(8 * d)),
    },
  ];
}

/** Right mandible (mm): flattened, nearly straight, curving inwards at the tip. */
function mandible(length: number, d: number): MeshData {
  const bend = Math.min(1.5, length / 13.4);
  const at = (t: number): Vec3 => [4.0 + bend * (1.0 * t - 3.0 * t ** 3), -0.3 + 0.06 * length * t * t, 19.5 + length * t];
  const half = 1.0 + 0.07 * length;
  const path: Vec3[] = [[4.0, -0.3, 19.5 - 0.6 * half]];
  const n = Math.round(14 * d);
  for (let i = 0; i < n; i++) path.push(at((i / (n - 1)) * 0.97));
  path.push(at(1));
  const s = pathParameters(path);
  // Ellipse [vertical, horizontal]: Dorcus mandibles are flattened dorsoventrally.
  const radii = s.map((v, i): RingRadius => {
    if (i === 0 || i === s.length - 1) return 0;
    const r = half * (1 - 0.72 * v) * (i === 1 ? 0.75 : 1);
    return [0.6 * r, r];
  });
  return tube(path, radii, Math.round(12 * d), { up: [0, 1, 0] });
}

/** Right antenna (mm): geniculate, long scape, then funicle and a flattened lamellate club. */
function antenna(d: number): MeshData {
  const path = smoothPath([[6.0, 0.2, 19.0], [6.6, 0.3, 19.4], [10.0, 0.9, 21.0], [11.2, 0.7, 23.2], [12.0, 0.5, 25.0]], 2);
  const s = pathParameters(path);
  const radii = s.map((v, i): RingRadius => {
    if (i === 0 || i === s.length - 1) return 0;
    if (v < 0.55) return 0.35;
    if (v < 0.78) return 0.25;
    return [0.3, 0.5];
  });
  return tube(path, radii, Math.round(8 * d), { up: [0, 1, 0] });
}

/** Builds the beetle as material parts (see the module comment for frame and simplifications). */
export function buildStagBeetle(params: Partial<StagBeetleParams> = {}): ModelPart[] {
  return buildStagBeetleModel(params).parts;
}

const SEGMENT_NAMES = ['femur', 'tibia', 'tarsus'] as const;

/**
 * The skeleton (mm, builder frame): the pronotum the root; head (with mandibles and antennae)
 * and abdomen (elytra, mid and hind legs) turn against it; three joints per leg at coxa, knee
 * and ankle; mandibles open and close, antennae swing.
 */
function stagBeetleRig(): RigBuilder {
  const rig = new RigBuilder('stag beetle');
  rig.add({ name: 'pronotum', parent: null, at: [0, 0.6, 6.5], dir: [0, 0, 1], limits: FIXED, role: 'root', radius: 11 });
  rig.add({ name: 'head', parent: 'pronotum', at: [0, 0.2, 12], dir: [0, 0, 1], limits: { x: [-10, 10], y: [-12, 12], z: [-5, 5] }, role: 'head', radius: 9.5 });
  rig.add({ name: 'abdomen', parent: 'pronotum', at: [0, 0, 1.2], dir: [0, 0, -1], limits: { x: [-4, 4], y: [-4, 4], z: [-2, 2] }, role: 'axial', radius: 10.5 });
  // Positive Y turns the right mandible's tip outwards (+X): open.
  rig.add({ name: 'mandible.{side}', parent: 'head', at: [4, -0.3, 19.5], dir: [0, 0, 1], limits: { x: [-5, 5], y: [-10, 20], z: [0, 0] }, role: 'appendage', radius: 1.5 });
  rig.add({ name: 'antenna.{side}', parent: 'head', at: [6, 0.2, 19], dir: [0.6, 0.1, 0.4], limits: { x: [-15, 15], y: [-20, 20], z: [0, 0] }, role: 'appendage', radius: 0.35 });
  for (const l of RIGHT_LEGS) {
    l.joints.slice(0, 3).forEach((at, i) => {
      const next = l.joints[i + 1]!;
      rig.add({
        name: `leg.{side}${l.id}.${SEGMENT_NAMES[i]}`,
        parent: i === 0 ? (l.id === '1' ? 'pronotum' : 'abdomen') : `leg.{side}${l.id}.${SEGMENT_NAMES[i - 1]}`,
        at,
        dir: [next[0] - at[0], next[1] - at[1], next[2] - at[2]],
        limits: i === 0 ? LIMB_LIMITS.first : LIMB_LIMITS.other,
        role: 'limb',
        radius: i === 0 ? l.femur : 0.6,
      });
    });
  }
  return rig;
}

/** The stag beetle with its skeleton (every part rigidly on one joint). */
export function buildStagBeetleModel(params: Partial<StagBeetleParams> = {}): SpeciesModel {
  const p: StagBeetleParams = { ...STAG_BEETLE_DEFAULTS, ...params };
  checkParams(p);
  const d = p.detail;
  const parts: OuterPart[] = [];
  for (const seg of bodySegments(p.bodyWidth)) {
    const { name, centre, ...shape } = seg;
    const mesh = superellipsoid({ ...shape, around: Math.round(32 * d), along: Math.round(20 * d) });
    parts.push({ name, kind: 'shell', minRadius: Math.min(shape.yUp, shape.yDown), mesh: transformMeshTRS(mesh, centre), joint: name });
  }
  // The body without mandibles spans 48 mm behind the mandible base (z = 19.5), so
  // m / (48 + m) = ratio gives the mandible length m in the same millimetres.
  const mLength = (48 * p.mandibleRatio) / (1 - p.mandibleRatio);
  const rightMandible: OuterPart = { name: 'mandible.R', kind: 'solid', minRadius: 0, mesh: mandible(mLength, d), joint: 'mandible.R' };
  parts.push(rightMandible, mirrorX(rightMandible, 'mandible.L', 'mandible.L'));
  const rightAntenna: OuterPart = { name: 'antenna.R', kind: 'solid', minRadius: 0, mesh: antenna(d), joint: 'antenna.R' };
  parts.push(rightAntenna, mirrorX(rightAntenna, 'antenna.L', 'antenna.L'));
  for (const l of RIGHT_LEGS) {
    for (const s of leg(l.joints, l.femur, p.legThickness, d)) {
      const right: OuterPart = { name: `leg.R${l.id}.${s.seg}`, kind: s.kind, minRadius: s.minRadius, mesh: s.mesh, joint: `leg.R${l.id}.${s.seg}` };
      parts.push(right, mirrorX(right, `leg.L${l.id}.${s.seg}`, `leg.L${l.id}.${s.seg}`));
    }
  }
  const rig = stagBeetleRig();
  const finish = { length: p.bodyLength, wall: p.cuticleRatio * p.bodyLength, hardMaterial: BEETLE_MATERIALS.hard, softMaterial: BEETLE_MATERIALS.soft };
  return { parts: finishParts(parts, { ...finish, jointIndex: (name) => rig.index(name) }), skeleton: rig.build(finishTransform(parts, finish)) };
}
