/**
 * Procedural ball python (Python regius). Under X-ray a snake is recognised by its
 * skeleton: a long column of small vertebrae with a pair of ribs on nearly every one,
 * seen through a tube of soft tissue. The model is therefore four material parts:
 *
 * - `body` (soft_tissue): one closed tube along the spine, elliptical in section
 *   (slightly lower than wide), with a flattened head wider than the neck, a rounded
 *   snout and a pointed tail (both ends are single pole vertices, so the tube is closed).
 * - `skull` (cortical_bone): braincase, snout bone (premaxilla and nasals), the two
 *   maxillae along the upper lip and the two mandibles: 6 disjoint closed pieces.
 * - `vertebrae` (cortical_bone): one flattened ellipsoid per vertebra on the dorsal
 *   side of the body, evenly spaced within the trunk and within the (shorter-segmented)
 *   tail, with a gap between neighbours (the intervertebral joint).
 * - `ribs` (cortical_bone): a thin curved tube on each side of every trunk vertebra but
 *   the first two (atlas and axis have none) and none in the tail. Each starts just
 *   beside its vertebra, runs out and then down inside the body wall towards the belly,
 *   sloping backwards as snake ribs do.
 *
 * Each part is a union of disjoint closed outward components. Bones lie inside the body
 * tube. By default (`boneCavities: false`) the tissue tube is not hollowed, so a ray
 * through a bone counts that bone's path once as bone and once more as soft tissue: it
 * overestimates tissue only where bones are, by their share of the path (the skeleton
 * is ~3% of the body volume; a ray through the column gets ~15% extra tissue there).
 * `boneCavities: true` makes the body a shell with every bone as a cavity (exact path
 * lengths, but the bones' triangles twice: the default GLB would grow from 0.7 to 1.24 MB).
 *
 * Frame: metres, +Y up (dorsal), origin at the centre of the bounding box. The model is
 * built straight (snout at z = 0, tail towards -z, s = -z the distance from the snout
 * along the spine) and then bent along a planar spine curve in the XZ plane, so the
 * snake lies on its belly in every pose. A point at lateral offset x of the spine at s
 * is carried to C(s) + x B(s) + y Y. This map keeps every surface closed and outward as
 * long as the spine's radius of curvature exceeds the body's half-width, which the
 * builder enforces (at least 1.7 half-widths everywhere).
 * - 'stretched': straight along Z, head at +Z; the Z extent equals totalLength.
 * - 'sinuous': lateral S-bends (about 4 waves along the body), head towards +Z.
 * - 'coiled': the resting "ball" posture flattened into a spiral in the XZ plane, head
 *   in the centre, each turn outside the previous one with `coilGap` clearance; about
 *   1.9 turns and 0.24 x 0.25 m across at the defaults (a flat coil of a 0.9 m, 56 mm
 *   thick python cannot be much smaller: its outline alone covers ~0.04 m^2), one body
 *   high (50 mm).
 *
 * Anatomy (defaults): 240 vertebrae, 36 of them caudal (P. regius has 191-207 ventral and
 * 28-47 subcaudal scales, one vertebra each), the vent at 89% of the length, a head 4.5%
 * of the length. Vertebrae, ribs and skull are one-piece simplifications: no zygapophyses,
 * neural spines, teeth, quadrates or pterygoids; no pelvic spurs, no lungs or gut (all
 * tissue). The keratin scales (~0.1-0.2 mm, close to tissue in attenuation) are not
 * modelled: a separate shell would double the body's triangles for no visible contrast.
 * Deterministic: no randomness.
 */
import type { MeshData, ModelPart, SpeciesModel, Vec3 } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { boundsOf, flipWinding, mergeMeshes, transformMeshTRS } from '../geometry/mesh.js';
import { FIXED, RigBuilder } from './rig/rig-builder.js';
import { chainSkin, chainUniformSkin, clampWindows, mergeSkinned, rigidSkin, type Chain, type SkinnedMesh } from './rig/weights.js';
import { sameWeights } from './plans/vertebrate-rig.js';
import { ellipsoid } from '../geometry/primitives.js';
import { tube, type RingRadius } from '../geometry/rings.js';

export type SnakePose = 'coiled' | 'stretched' | 'sinuous';
export const SNAKE_POSES: readonly SnakePose[] = ['coiled', 'stretched', 'sinuous'];

export interface BallPythonParams {
  /** Length along the spine, snout tip to tail tip (as if stretched), metres. */
  totalLength: number;
  /**
   * Largest radius (half-width) of the body, metres; the body is 0.88 times as high as wide.
   * 0.028 at 0.9 m gives 1.3 litres (~1.4 kg), a well-fed adult.
   */
  bodyRadius: number;
  pose: SnakePose;
  /** Vertebrae behind the skull, trunk and tail together. */
  vertebrae: number;
  /** Of those, how many are in the tail (no ribs there). */
  caudalVertebrae: number;
  /** Angle a rib spans around the body from the dorsal midline, as a fraction of 180 degrees. */
  ribLength: number;
  /** 'coiled': clearance between neighbouring turns, as a fraction of bodyRadius. */
  coilGap: number;
  /** Hollow the body where the bones are, so no path is counted twice (see the module comment). */
  boneCavities: boolean;
  /** Multiplier on tessellation density (1 gives ~37k triangles). */
  detail: number;
  /** Joints of the skeleton's spine chain behind the head (a few dozen: each spans several vertebrae). */
  joints: number;
}

export const BALL_PYTHON_DEFAULTS: Readonly<BallPythonParams> = Object.freeze({
  totalLength: 0.9,
  bodyRadius: 0.028,
  pose: 'coiled',
  vertebrae: 240,
  caudalVertebrae: 36,
  ribLength: 0.85,
  coilGap: 0.05,
  boneCavities: false,
  detail: 1,
  joints: 36,
});

export const SNAKE_MATERIALS = { bone: 'cortical_bone', soft: 'soft_tissue' } as const;

const LIMITS: Record<'totalLength' | 'bodyRadius' | 'vertebrae' | 'ribLength' | 'coilGap' | 'detail' | 'joints', [number, number]> = {
  totalLength: [0.1, 8],
  bodyRadius: [0.002, 0.4],
  vertebrae: [60, 500],
  ribLength: [0.45, 0.92],
  coilGap: [0, 1],
  detail: [0.5, 3],
  joints: [8, 80],
};

function checkParams(p: BallPythonParams): void {
  const bad = (key: string, want: string): never => {
    throw new ExorayError('E_ASSET', `ball python builder: ${key} must be ${want}, got ${JSON.stringify((p as unknown as Record<string, unknown>)[key])}`);
  };
  for (const key of Object.keys(LIMITS) as Array<keyof typeof LIMITS>) {
    const [lo, hi] = LIMITS[key];
    const v = p[key];
    if (!(typeof v === 'number' && v >= lo && v <= hi)) bad(key, `a number in [${lo}, ${hi}]`);
  }
  if (!Number.isInteger(p.vertebrae)) bad('vertebrae', 'an integer');
  if (!Number.isInteger(p.joints)) bad('joints', 'an integer');
  const maxCaudal = Math.floor(0.3 * p.vertebrae);
  if (!(Number.isInteger(p.caudalVertebrae) && p.caudalVertebrae >= 5 && p.caudalVertebrae <= maxCaudal)) {
    bad('caudalVertebrae', `an integer in [5, ${maxCaudal}] (at most 30% of vertebrae)`);
  }
  const ratio = p.bodyRadius / p.totalLength;
  if (!(ratio >= 0.015 && ratio <= 0.05)) {
    throw new ExorayError('E_ASSET', `ball python builder: bodyRadius / totalLength must be in [0.015, 0.05] (a snake's proportions), got ${ratio.toFixed(4)}`);
  }
  if (!SNAKE_POSES.includes(p.pose)) bad('pose', `one of ${SNAKE_POSES.join(', ')}`);
  if (typeof p.boneCavities !== 'boolean') bad('boneCavities', 'true or false');
}

// ---------------------------------------------------------------------------------------
// Body profile: half-width and half-height in bodyRadius units at u = s / totalLength.

/** Snout tip to the end of the rounded snout, the jaw joint (head length), the vent, the tail cone. */
const SNOUT_CAP = 0.012;
const HEAD_LENGTH = 0.045;
const VENT = 0.89;
const TAIL_CONE = 0.985;
/** Where the vertebral column ends (last caudal vertebra's tail end), fraction of length. */
const COLUMN_END = 0.982;

/** [u, half-width, half-height] keys; smoothstep between them. */
const PROFILE: ReadonlyArray<readonly [number, number, number]> = [
  [SNOUT_CAP, 0.36, 0.22], // snout, just behind the nostrils
  [0.036, 0.55, 0.32], // jaw angle: the widest part of the flat, triangular head
  [0.05, 0.42, 0.36], // neck
  [0.075, 0.47, 0.42],
  [0.2, 0.8, 0.7],
  [0.36, 1.0, 0.88],
  [0.64, 1.0, 0.88],
  [0.8, 0.86, 0.76],
  [VENT, 0.6, 0.53],
  [0.95, 0.3, 0.27],
  [TAIL_CONE, 0.1, 0.09],
];

/** Half-width and half-height (bodyRadius units) at u in [0, 1]. */
export function ballPythonProfile(u: number): [number, number] {
  if (u <= 0 || u >= 1) return [0, 0];
  if (u < SNOUT_CAP) {
    // Elliptical cap: the rings sit on a quarter ellipse from the tip to the snout key.
    const t = 1 - u / SNOUT_CAP;
    const f = Math.sqrt(1 - t * t);
    return [PROFILE[0]![1] * f, PROFILE[0]![2] * f];
  }
  if (u > TAIL_CONE) {
    const f = (1 - u) / (1 - TAIL_CONE);
    const last = PROFILE[PROFILE.length - 1]!;
    return [last[1] * f, last[2] * f];
  }
  let k = 0;
  while (k < PROFILE.length - 2 && u > PROFILE[k + 1]![0]) k++;
  const a = PROFILE[k]!, b = PROFILE[k + 1]!;
  const t = Math.min(1, Math.max(0, (u - a[0]) / (b[0] - a[0])));
  const w = t * t * (3 - 2 * t);
  return [a[1] + (b[1] - a[1]) * w, a[2] + (b[2] - a[2]) * w];
}

// ---------------------------------------------------------------------------------------
// Spine curve: planar, in XZ, parametrised by arc length s from the snout, heading psi(s).
// The forward direction (towards the head) is F = (sin psi, 0, cos psi), the lateral
// direction B = Y x F = (cos psi, 0, -sin psi), and dC/ds = -F.

interface Spine {
  length: number;
  step: number;
  psi: Float64Array;
  x: Float64Array;
  z: Float64Array;
  /** Turns of the heading from snout to tail tip. */
  turns: number;
}

const SPINE_STEPS = 16384;

/** Spine from headings psi[k] at s = k * length / SPINE_STEPS, integrated from the snout at the origin. */
function spineFromHeadings(length: number, psi: Float64Array): Spine {
  const n = SPINE_STEPS;
  const h = length / n;
  const x = new Float64Array(n + 1);
  const z = new Float64Array(n + 1);
  for (let k = 1; k <= n; k++) {
    const mid = 0.5 * (psi[k - 1]! + psi[k]!);
    x[k] = x[k - 1]! - Math.sin(mid) * h;
    z[k] = z[k - 1]! - Math.cos(mid) * h;
  }
  return { length, step: h, psi, x, z, turns: Math.abs(psi[n]! - psi[0]!) / (2 * Math.PI) };
}

function spineFromCurvature(length: number, kappa: (s: number) => number): Spine {
  const n = SPINE_STEPS;
  const h = length / n;
  const psi = new Float64Array(n + 1);
  let kPrev = kappa(0);
  for (let k = 1; k <= n; k++) {
    const kNext = kappa(k * h);
    psi[k] = psi[k - 1]! + 0.5 * (kPrev + kNext) * h;
    kPrev = kNext;
  }
  return spineFromHeadings(length, psi);
}

/** Position (x, z) and heading of the spine at s (linear between the fine steps). */
function spineAt(sp: Spine, s: number): [number, number, number] {
  const f = Math.min(Math.max(s / sp.step, 0), SPINE_STEPS);
  const k = Math.min(Math.floor(f), SPINE_STEPS - 1);
  const t = f - k;
  const lerp = (a: Float64Array) => a[k]! + (a[k + 1]! - a[k]!) * t;
  return [lerp(sp.x), lerp(sp.z), lerp(sp.psi)];
}

/** Carries a straight-model point (x, y, z = -s) onto the bent spine. */
function bendPoint(sp: Spine, x: number, y: number, z: number): Vec3 {
  const [cx, cz, psi] = spineAt(sp, -z);
  return [cx + x * Math.cos(psi), y, cz - x * Math.sin(psi)];
}

function bendMesh(sp: Spine, mesh: MeshData): MeshData {
  const p = mesh.positions;
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) out.set(bendPoint(sp, p[i]!, p[i + 1]!, p[i + 2]!), i);
  return { positions: out, indices: mesh.indices };
}

/** Smallest radius of curvature over half-width allowed anywhere (keeps the bend map one-to-one). */
const MIN_BEND_RATIO = 1.7;

function halfWidthAt(p: BallPythonParams, s: number): number {
  return ballPythonProfile(s / p.totalLength)[0] * p.bodyRadius;
}

/** Spine points every `step` with their half-widths: what the coil clearance is checked on. */
function spineSamples(p: BallPythonParams, sp: Spine, step: number): { s: number[]; points: Vec3[]; halfWidth: number[] } {
  const n = Math.max(2, Math.ceil(p.totalLength / step));
  const s: number[] = [], points: Vec3[] = [], halfWidth: number[] = [];
  for (let i = 0; i <= n; i++) {
    const si = (p.totalLength * i) / n;
    const [x, z] = spineAt(sp, si);
    s.push(si);
    points.push([x, 0, z]);
    halfWidth.push(halfWidthAt(p, si));
  }
  return { s, points, halfWidth };
}

/**
 * Smallest clearance between body parts farther apart along the spine than three
 * half-widths (the larger of the two): distance minus both half-widths.
 */
function coilClearance(samples: { s: number[]; points: Vec3[]; halfWidth: number[] }): number {
  const { s, points, halfWidth } = samples;
  let worst = Infinity;
  for (let i = 0; i < s.length; i++) {
    for (let j = i + 1; j < s.length; j++) {
      if (s[j]! - s[i]! <= 3 * Math.max(halfWidth[i]!, halfWidth[j]!)) continue;
      const a = points[i]!, b = points[j]!;
      const d = Math.hypot(a[0] - b[0], a[2] - b[2]) - halfWidth[i]! - halfWidth[j]!;
      if (d < worst) worst = d;
    }
  }
  return worst;
}

/** Box filter over +-half samples (the window shrinks at the ends), in place. */
function smoothInPlace(v: Float64Array, half: number): void {
  const n = v.length;
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k]! + v[k]!;
  for (let k = 0; k < n; k++) {
    const a = Math.max(0, k - half), b = Math.min(n - 1, k + half);
    v[k] = (prefix[b + 1]! - prefix[a]!) / (b - a + 1);
  }
}

/**
 * Sliding maximum over +-half samples, then a box filter of the same width: a smooth
 * envelope never below v (every maximum in the box around k covers k).
 */
function smoothEnvelope(v: Float64Array, half: number): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let m = 0;
    for (let i = Math.max(0, k - half); i <= Math.min(n - 1, k + half); i++) m = Math.max(m, v[i]!);
    out[k] = m;
  }
  smoothInPlace(out, half);
  return out;
}

function buildSpine(p: BallPythonParams): Spine {
  const L = p.totalLength;
  const R = p.bodyRadius;
  if (p.pose === 'stretched') return spineFromCurvature(L, () => 0);
  if (p.pose === 'sinuous') {
    // psi = A sin(2 pi s / lambda): about four waves, the amplitude capped so that the
    // tightest bend keeps twice the largest half-width.
    const lambda = L / 4;
    const amp = Math.min(0.45, lambda / (2 * Math.PI * 2 * R));
    return spineFromCurvature(L, (s) => amp * ((2 * Math.PI) / lambda) * Math.cos((2 * Math.PI * s) / lambda));
  }
  return coilSpine(p);
}

/**
 * Coil: a spiral r(theta) about a fixed centre, from the head outwards, solved turn by turn
 * so that each point lies exactly `need` outside the point one turn inwards:
 * r(theta + 2 pi) = r(theta) + need(theta), need = w(inner) + w(outer) + gap, with w the
 * body's half-width made smooth and slightly generous (the largest half-width within
 * 1.5 bodyRadius along the spine, box-filtered), since neighbouring turns meet over a
 * stretch, not at one point. The first turn grows linearly in r' so that r' is continuous
 * where the recurrence takes over, and the heading is smoothed over about a body radius
 * (the recurrence leaves corners where the tail stops it growing). The radial spacing
 * slightly exceeds the true distance between turns (they cross radii at a slant);
 * `spread` widens the spacing until the clearance check passes, and the first radius
 * grows if a bend gets tighter than MIN_BEND_RATIO half-widths.
 */
function coilSpine(p: BallPythonParams): Spine {
  const L = p.totalLength;
  const R = p.bodyRadius;
  const gap = p.coilGap * R;
  const n = SPINE_STEPS;
  const h = L / n;
  const width = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) width[k] = halfWidthAt(p, k * h);
  const envelope = smoothEnvelope(width, Math.round((1.5 * R) / h));
  const wAt = (s: number): number => {
    if (s >= L) return 0;
    const f = Math.max(0, s / h);
    const k = Math.min(n - 1, Math.floor(f));
    return envelope[k]! + (envelope[k + 1]! - envelope[k]!) * (f - k);
  };
  let headWidth = 0;
  for (let k = 0; k <= n / 10; k++) headWidth = Math.max(headWidth, width[k]!);
  let r0 = 1.8 * headWidth;
  let spread = 1;
  const M = 4096; // theta steps per turn
  const dt = (2 * Math.PI) / M;
  for (let attempt = 0; attempt < 80; attempt++) {
    // need(0) and need'(0) of the first turn, refined over passes.
    let need0 = spread * (2 * headWidth) + gap;
    let needSlope = 0;
    let r: number[] = [], s: number[] = [];
    for (let pass = 0; pass < 4; pass++) {
      const c0 = (need0 - Math.PI * needSlope) / (2 * Math.PI);
      r = [r0];
      s = [0];
      const need: number[] = [];
      for (let j = 1; s[j - 1]! < L; j++) {
        // Arc length to this step from the last one (slope from the last step).
        const slope = j >= 2 ? (r[j - 1]! - r[j - 2]!) / dt : c0;
        s.push(s[j - 1]! + Math.hypot(r[j - 1]!, slope) * dt);
        if (j <= M) {
          const th = j * dt;
          r.push(r0 + c0 * th + (needSlope * th * th) / (4 * Math.PI));
        } else {
          need.push(spread * (wAt(s[j - M]!) + wAt(s[j]!)) + gap);
          // Never spiral back inwards (where the tail thins, the recurrence would).
          r.push(Math.max(r[j - M]! + need[need.length - 1]!, r[j - 1]!));
        }
      }
      // The first turn's need, from this pass: need(0) = w(0) + w(one turn out) + gap.
      if (s.length > M + 2) {
        const a = spread * (wAt(s[0]!) + wAt(s[M]!)) + gap;
        const b = spread * (wAt(s[1]!) + wAt(s[M + 1]!)) + gap;
        need0 = a;
        needSlope = (b - a) / dt;
      }
    }
    // Resample at s = k h: positions, then headings from central differences.
    const xs = new Float64Array(n + 1), zs = new Float64Array(n + 1);
    let j = 0;
    for (let k = 0; k <= n; k++) {
      const sk = k * h;
      while (j < s.length - 2 && s[j + 1]! < sk) j++;
      const t = Math.min(1, Math.max(0, (sk - s[j]!) / (s[j + 1]! - s[j]!)));
      const th = (j + t) * dt;
      const rr = r[j]! + (r[j + 1]! - r[j]!) * t;
      xs[k] = rr * Math.cos(th);
      zs[k] = rr * Math.sin(th);
    }
    const psi = new Float64Array(n + 1);
    for (let k = 0; k <= n; k++) {
      const a0 = Math.max(0, k - 1), b0 = Math.min(n, k + 1);
      // dC/ds = -(sin psi, cos psi); unwrap to stay continuous.
      let a = Math.atan2(-(xs[b0]! - xs[a0]!), -(zs[b0]! - zs[a0]!));
      if (k > 0) a += 2 * Math.PI * Math.round((psi[k - 1]! - a) / (2 * Math.PI));
      psi[k] = a;
    }
    // Round off the corners the recurrence leaves where the outward growth stops and
    // restarts (a triangle filter over +-bodyRadius / 2 twice); moves the curve by < 1 mm.
    smoothInPlace(psi, Math.max(1, Math.round((0.5 * R) / h)));
    smoothInPlace(psi, Math.max(1, Math.round((0.5 * R) / h)));
    let tight = false;
    for (let k = 1; k < n; k++) {
      const curvature = Math.abs(psi[k + 1]! - psi[k - 1]!) / (2 * h);
      if (curvature * MIN_BEND_RATIO * width[k]! > 1) tight = true;
    }
    if (tight) {
      r0 *= 1.05;
      continue;
    }
    const sp = spineFromHeadings(L, psi);
    const cl = coilClearance(spineSamples(p, sp, R / 4));
    // Between turns the spacing holds the gap; within the tight first turn, parts of the
    // head and neck a few widths apart need only not touch.
    if (cl >= 0.02 * R + 0.5 * Math.min(gap, 0.2 * R)) return sp;
    spread *= 1.02;
  }
  throw new ExorayError('E_ASSET', `ball python builder: could not lay out a coil without self-contact for ${JSON.stringify(p)}`);
}

// ---------------------------------------------------------------------------------------
// Skeleton layout (straight model, s = -z).

interface Column {
  /** Centre of each vertebra along the spine, snout first. */
  centres: number[];
  /** Spacing of the vertebrae at each (trunk or tail). */
  spacing: number[];
  precloacal: number;
}

/** First vertebra starts just behind the braincase, at this share of the head length. */
const COLUMN_START = 0.93;

function column(p: BallPythonParams): Column {
  const L = p.totalLength;
  const pre = p.vertebrae - p.caudalVertebrae;
  const start = COLUMN_START * HEAD_LENGTH * L;
  const vent = VENT * L;
  const spPre = (vent - start) / pre;
  const spTail = (COLUMN_END * L - vent) / p.caudalVertebrae;
  const centres: number[] = [], spacing: number[] = [];
  for (let i = 0; i < pre; i++) {
    centres.push(start + (i + 0.5) * spPre);
    spacing.push(spPre);
  }
  for (let i = 0; i < p.caudalVertebrae; i++) {
    centres.push(vent + (i + 0.5) * spTail);
    spacing.push(spTail);
  }
  return { centres, spacing, precloacal: pre };
}

/**
 * Skeletal scale at u: vertebrae change less than girth along the trunk (the girth is mostly
 * muscle and gut), so they follow the square root of the profile; in the tail they shrink
 * with it.
 */
function skeletalScale(u: number): number {
  const w = ballPythonProfile(u)[0];
  const wVent = ballPythonProfile(VENT)[0];
  return u < VENT ? Math.sqrt(w) : w / Math.sqrt(wVent);
}

/** Vertebra half-sizes (bodyRadius units times skeletal scale) and the height of its centre (times half-height). */
const VERTEBRA = { halfWidth: 0.15, halfHeight: 0.14, halfLength: 0.42, centreHeight: 0.4 } as const;
/** Ribs: start beside the vertebra (clearance in skeletal units), then follow the wall at 78% of the section. */
const RIB = { clearance: 0.05, wall: 0.78, firstRingAngle: (50 * Math.PI) / 180, radius: 0.025, maxRadiusOverSpacing: 0.16, sweep: 0.8 } as const;

interface Skeleton {
  vertebrae: MeshData[];
  /** Right then left rib of each ribbed vertebra. */
  ribs: MeshData[];
  /** Index of the vertebra each pair of ribs belongs to. */
  ribVertebra: number[];
  skull: MeshData[];
}

function buildSkeleton(p: BallPythonParams): Skeleton {
  const L = p.totalLength;
  const R = p.bodyRadius;
  const d = p.detail;
  const col = column(p);
  const vSeg = { around: Math.max(6, Math.round(8 * d)), poleToPole: Math.max(4, Math.round(4 * d)) };
  const ribSides = Math.max(4, Math.round(5 * d));
  const ribRings = Math.max(3, Math.round(3 * d));
  const vertebrae: MeshData[] = [];
  const ribs: MeshData[] = [];
  const ribVertebra: number[] = [];
  col.centres.forEach((s, i) => {
    const u = s / L;
    const g = skeletalScale(u) * R;
    const [, hh] = ballPythonProfile(u);
    const sp = col.spacing[i]!;
    const yc = VERTEBRA.centreHeight * hh * R;
    const half: Vec3 = [VERTEBRA.halfWidth * g, VERTEBRA.halfHeight * g, VERTEBRA.halfLength * sp];
    vertebrae.push(transformMeshTRS(ellipsoid(half, vSeg), [0, yc, -s]));
    if (i < 2 || i >= col.precloacal) return;
    // Rib: a pole beside the vertebra, a ring just outside it, then rings along the wall
    // from firstRingAngle (from the dorsal midline) to a pole at the end angle, sloping back
    // by `sweep` vertebra spacings.
    const end = p.ribLength * Math.PI;
    const radius = Math.min(RIB.radius * g, RIB.maxRadiusOverSpacing * sp);
    const x0 = half[0] + RIB.clearance * g;
    const right: Vec3[] = [[x0, yc, -s], [x0 + 2 * radius, yc, -s]];
    const radii: RingRadius[] = [0, radius];
    for (let k = 0; k <= ribRings; k++) {
      const phi = RIB.firstRingAngle + ((end - RIB.firstRingAngle) * k) / ribRings;
      const sk = s + (RIB.sweep * sp * (k + 1)) / (ribRings + 1);
      const [w, h] = ballPythonProfile(sk / L);
      right.push([RIB.wall * w * R * Math.sin(phi), RIB.wall * h * R * Math.cos(phi), -sk]);
      radii.push(k === ribRings ? 0 : radius);
    }
    const left = right.map((q): Vec3 => [-q[0], q[1], q[2]]);
    ribs.push(tube(right, radii, ribSides, { up: [0, 0, 1] }), tube(left, radii, ribSides, { up: [0, 0, 1] }));
    ribVertebra.push(i);
  });
  return { vertebrae, ribs, ribVertebra, skull: skull(p) };
}

/**
 * Skull pieces, placed as fractions of the head's local half-width and half-height so they
 * stay inside it: braincase, snout bone, maxillae along the upper lip, mandibles along the
 * lower jaw from the chin to the jaw joint.
 */
function skull(p: BallPythonParams): MeshData[] {
  const L = p.totalLength;
  const R = p.bodyRadius;
  const Lh = HEAD_LENGTH * L;
  const seg = { around: Math.max(8, Math.round(12 * p.detail)), poleToPole: Math.max(6, Math.round(8 * p.detail)) };
  const at = (f: number) => ballPythonProfile((f * Lh) / L).map((v) => v * R) as [number, number];
  const piece = (centre: number, halfLength: number, fx: number, fy: number, fh: number): MeshData => {
    const [w, h] = at(centre);
    return transformMeshTRS(ellipsoid([fx * w, fh * h, halfLength * Lh], seg), [0, fy * h, -centre * Lh]);
  };
  const rod = (from: number, to: number, fx: number, fy: number, radius: number, side: 1 | -1): MeshData => {
    const n = Math.max(6, Math.round(8 * p.detail));
    const path: Vec3[] = [];
    const radii: RingRadius[] = [];
    for (let i = 0; i < n; i++) {
      const f = from + ((to - from) * i) / (n - 1);
      const [w, h] = at(f);
      path.push([side * fx * w, fy * h, -f * Lh]);
      // Thinner towards the front, as the jaws are.
      radii.push(i === 0 || i === n - 1 ? 0 : radius * R * (0.6 + (0.4 * i) / (n - 1)));
    }
    return tube(path, radii, Math.max(5, Math.round(6 * p.detail)), { up: [0, 1, 0] });
  };
  return [
    piece(0.64, 0.25, 0.3, 0.1, 0.5), // braincase
    piece(0.22, 0.11, 0.3, 0.2, 0.3), // premaxilla and nasals
    rod(0.12, 0.72, 0.72, -0.05, 0.04, 1), // maxillae
    rod(0.12, 0.72, 0.72, -0.05, 0.04, -1),
    rod(0.1, 0.98, 0.62, -0.5, 0.045, 1), // mandibles
    rod(0.1, 0.98, 0.62, -0.5, 0.045, -1),
  ];
}

// ---------------------------------------------------------------------------------------
// Body tube.

/** Distances from the snout of the body's rings: an elliptical snout cap, then even steps. */
function bodyStations(p: BallPythonParams): number[] {
  const L = p.totalLength;
  const cap = SNOUT_CAP * L;
  const m = Math.max(3, Math.round(4 * p.detail));
  const out: number[] = [0];
  for (let k = 1; k <= m; k++) out.push(cap * (1 - Math.cos((k * Math.PI) / (2 * m))));
  const n = Math.max(60, Math.round(260 * p.detail));
  const step = (L - cap) / n;
  for (let k = 1; k < n; k++) out.push(cap + k * step);
  out.push(L);
  return out;
}

function bodyTube(p: BallPythonParams): MeshData {
  const stations = bodyStations(p);
  const path = stations.map((s): Vec3 => [0, 0, -s]);
  const radii = stations.map((s): RingRadius => {
    const [w, h] = ballPythonProfile(s / p.totalLength);
    // [along the frame normal (up), along the binormal (lateral)].
    return [h * p.bodyRadius, w * p.bodyRadius];
  });
  return tube(path, radii, Math.max(8, 2 * Math.round(8 * p.detail)), { up: [0, 1, 0] });
}

// ---------------------------------------------------------------------------------------

export interface BallPythonComponents {
  body: MeshData;
  skull: MeshData[];
  vertebrae: MeshData[];
  /** Right then left rib of each ribbed vertebra (see ribVertebra). */
  ribs: MeshData[];
  /** The vertebra index of each pair of ribs. */
  ribVertebra: number[];
  /** Spine samples (every bodyRadius / 4): distance from the snout, point, body half-width. */
  spine: { s: number[]; points: Vec3[]; halfWidth: number[] };
  /** Turns of the spine's heading from snout to tail (0 when stretched). */
  turns: number;
}

function resolveParams(params: Partial<BallPythonParams>): BallPythonParams {
  const p: BallPythonParams = { ...BALL_PYTHON_DEFAULTS, ...params };
  checkParams(p);
  return p;
}

/**
 * The model's closed components, each on its own, in model coordinates (bent and centred),
 * or with `straight` the unbent layout (snout at the origin, s = -z, not centred).
 */
export function ballPythonComponents(params: Partial<BallPythonParams> = {}, options: { straight?: boolean } = {}): BallPythonComponents {
  const p = resolveParams(params);
  const skeleton = buildSkeleton(p);
  const body = bodyTube(p);
  const sp = options.straight ? spineFromCurvature(p.totalLength, () => 0) : buildSpine(p);
  const bend = (m: MeshData) => (options.straight ? m : bendMesh(sp, m));
  const out = {
    body: bend(body),
    skull: skeleton.skull.map(bend),
    vertebrae: skeleton.vertebrae.map(bend),
    ribs: skeleton.ribs.map(bend),
  };
  const spine = spineSamples(p, sp, p.bodyRadius / 4);
  if (options.straight) return { ...out, ribVertebra: skeleton.ribVertebra, spine, turns: sp.turns };
  // Centre the bounding box on the origin.
  const b = boundsOf([out.body]);
  const c: Vec3 = [0, 1, 2].map((k) => -(b.min[k]! + b.max[k]!) / 2) as Vec3;
  const move = (m: MeshData) => transformMeshTRS(m, c);
  return {
    body: move(out.body),
    skull: out.skull.map(move),
    vertebrae: out.vertebrae.map(move),
    ribs: out.ribs.map(move),
    ribVertebra: skeleton.ribVertebra,
    spine: { ...spine, points: spine.points.map((q): Vec3 => [q[0] + c[0], q[1] + c[1], q[2] + c[2]]) },
    turns: sp.turns,
  };
}

/** Builds the ball python as material parts: body, skull, vertebrae, ribs (see the module comment). */
export function buildBallPython(params: Partial<BallPythonParams> = {}): ModelPart[] {
  return buildBallPythonModel(params).parts;
}

/** Largest lateral bend of one spine joint, degrees, whatever the body's girth (the tail tip is thin). */
const MAX_JOINT_BEND = 35;

/**
 * The ball python with its skeleton: the root `head` at the jaw joint (skull and head rigid
 * on it) and `joints` spine joints evenly from there to near the tail tip, `spine1` first.
 * The body tube blends linearly between neighbouring joints; each vertebra and its ribs
 * follow the spine's weights at the vertebra. Each spine joint bends sideways by at most the
 * angle that keeps the spine's radius of curvature above MIN_BEND_RATIO half-widths over its
 * span (the builder's own rule), up and down 4 degrees (a snake lies on its belly; over
 * 36 joints small lifts add up), twists 5; the limits bound the bend
 * from a straight snake, so a coiled model can be stretched and a straight one coiled.
 */
export function buildBallPythonModel(params: Partial<BallPythonParams> = {}): SpeciesModel {
  const p = resolveParams(params);
  const L = p.totalLength;
  const skeleton = buildSkeleton(p);
  const sp = buildSpine(p);
  const sHead = HEAD_LENGTH * L;
  const step = (0.97 * L - sHead) / p.joints;
  const stations = Array.from({ length: p.joints + 1 }, (_, k) => sHead + k * step);
  const rig = new RigBuilder('ball python');
  const at = (s: number): Vec3 => bendPoint(sp, 0, 0, -s);
  // A joint's bone runs to the next station (the chord), so a straightened chain is straight.
  const dir = (s: number): Vec3 => {
    const a = at(s), b = at(Math.min(s + step, L));
    return [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  };
  rig.add({ name: 'head', parent: null, at: at(sHead), dir: dir(sHead), limits: FIXED, role: 'root', radius: halfWidthAt(p, sHead) });
  for (let k = 1; k <= p.joints; k++) {
    const s = stations[k]!;
    // A joint's bend is the turn between the chords before and after it, about the turn of the
    // spine over the half-stations around it: what the builder's own curvature rule allows
    // there, and at least the bend it rests in (limits are checked against the real rest bend).
    let allowed = 0;
    const n = 16;
    for (let i = 0; i < n; i++) {
      const si = s - step / 2 + (step * (i + 0.5)) / n;
      allowed += step / n / (MIN_BEND_RATIO * Math.max(halfWidthAt(p, si), 1e-9));
    }
    const restBend = Math.abs(spineAt(sp, s + step / 2)[2] - spineAt(sp, s - step / 2)[2]);
    const lateral = (Math.max(Math.min(allowed, (MAX_JOINT_BEND * Math.PI) / 180), restBend + (1 * Math.PI) / 180) * 180) / Math.PI;
    rig.add({
      name: `spine${k}`,
      parent: k === 1 ? 'head' : `spine${k - 1}`,
      at: at(s),
      dir: dir(s),
      limits: { x: [-4, 4], y: [-lateral, lateral], z: [-5, 5] },
      absolute: true,
      role: 'axial',
      radius: halfWidthAt(p, s),
    });
  }
  // Skins in the straight layout (s = -z), then every mesh bent as ballPythonComponents bends it.
  const points = stations.slice(1).map((s): Vec3 => [0, 0, -s]);
  const chain: Chain = {
    points,
    owners: [rig.index('head'), ...stations.slice(1).map((_, k) => rig.index(`spine${k + 1}`))],
    windows: clampWindows(points, points.map(() => step), 0.45),
  };
  const body = chainSkin(bodyTube(p), chain);
  const skull = skeleton.skull.map((m) => rigidSkin(m, rig.index('head')));
  const vertebrae = skeleton.vertebrae.map((m) => chainUniformSkin(m, chain));
  const ribs = skeleton.ribs.map((m, k) => sameWeights(vertebrae[skeleton.ribVertebra[Math.floor(k / 2)]!]!, m));
  const bent = (list: SkinnedMesh[]): SkinnedMesh => {
    const merged = mergeSkinned(list);
    return { mesh: bendMesh(sp, merged.mesh), skin: merged.skin };
  };
  const groups = { body: bent([body]), skull: bent(skull), vertebrae: bent(vertebrae), ribs: bent(ribs) };
  const b = boundsOf([groups.body.mesh]);
  const c: Vec3 = [0, 1, 2].map((k) => -(b.min[k]! + b.max[k]!) / 2) as Vec3;
  const move = (g: SkinnedMesh): SkinnedMesh => ({ mesh: transformMeshTRS(g.mesh, c), skin: g.skin });
  const flip = (g: SkinnedMesh): SkinnedMesh => ({ mesh: flipWinding(g.mesh), skin: g.skin });
  const bodyPart = p.boneCavities ? mergeSkinned([groups.body, flip(groups.skull), flip(groups.vertebrae), flip(groups.ribs)]) : groups.body;
  const bone = SNAKE_MATERIALS.bone;
  const part = (name: string, material: string, g: SkinnedMesh): ModelPart => {
    const m = move(g);
    return { name, material, mesh: m.mesh, skin: m.skin };
  };
  return {
    parts: [part('body', SNAKE_MATERIALS.soft, bodyPart), part('skull', bone, groups.skull), part('vertebrae', bone, groups.vertebrae), part('ribs', bone, groups.ribs)],
    skeleton: rig.build({ scale: 1, centre: [-c[0], -c[1], -c[2]] }),
  };
}
