/**
 * Pose sampling: a pure, seeded function from a species' rig (skeleton with joint limits,
 * morph targets, clips) and the preset's pose settings to an AnimalPose, the plain JSON the
 * scene stores and the renderer applies.
 *
 * Every joint angle is drawn within its joint's limits (X-Y-Z angles relative to rest;
 * docs/SPECIES.md) and clamped there after any noise. Named postures:
 * - 'rest': the model as built, plus `noiseDeg` of noise per axis;
 * - 'relaxed': every joint drawn around rest, a third of its range on either side;
 * - 'stretched': the body chain straightened (snakes, myriapods, tails laid out);
 * - 'curled': the body chain in a spiral, tightest at the head (a coiled snake, a
 *   millipede's defensive coil), as far as the limits allow;
 * - 's-curve': the body chain in 1 to 2.5 lateral waves;
 * - 'legs-folded': limb joints flexed ventrally, as a dead arthropod's legs curl under it;
 * - 'legs-spread': limb joints extended;
 * - 'clip': imported models with animation clips: a random time in one of them, plus noise.
 * Chain postures need a body chain of at least 4 joints, leg postures 4 limb joints; a
 * species gets the postures that apply to it, by the preset's weights. A pose whose body
 * chain would touch itself is redrawn milder (at most 8 times), else the model rests as built.
 */
import type { AnimalPose, Quat, Skeleton, Vec3 } from '../core/types.js';
import { Rng } from '../core/rng.js';
import { qfromEuler, qnormalize, qtoEuler } from '../geometry/quat.js';
import { clipDeltas } from '../species/rig/clips.js';
import { posedBounds, type Box, type PoseRig } from '../species/rig/pose-rig.js';
import { chainClear, mainChain, restAngles, sCurveBends, spiralBends } from './pose-chain.js';

export const POSTURES = ['rest', 'relaxed', 'stretched', 'curled', 's-curve', 'legs-folded', 'legs-spread', 'clip'] as const;
export type Posture = (typeof POSTURES)[number];

export interface PoseSettings {
  /** false: animals are placed as their models are stored (no pose in the scene). */
  enabled: boolean;
  /** Weight of each posture; postures a species cannot take are skipped. */
  postures: Record<Posture, number>;
  /** Standard deviation of the noise added to every joint angle, degrees. */
  noiseDeg: number;
  /** Draw morph-target weights uniformly in [0, 1] (else 0, the model as stored). */
  morphs: boolean;
}

export const DEFAULT_POSE_SETTINGS: Readonly<PoseSettings> = Object.freeze({
  enabled: true,
  postures: { rest: 1, relaxed: 2, stretched: 1, curled: 1, 's-curve': 1, 'legs-folded': 1, 'legs-spread': 1, clip: 2 },
  noiseDeg: 3,
  morphs: true,
});

const RAD = Math.PI / 180;
const MIN_CHAIN = 4;
const MIN_LIMB_JOINTS = 4;

/** The postures a rig can take. */
export function posturesFor(rig: PoseRig): Posture[] {
  const sk = rig.skeleton;
  if (!sk) return rig.morphTargets.some((n) => n > 0) ? ['rest'] : [];
  const out: Posture[] = ['rest', 'relaxed'];
  if (mainChain(sk).length >= MIN_CHAIN) out.push('stretched', 'curled', 's-curve');
  if (sk.joints.filter((j) => j.role === 'limb' && movable(j.limits.x)).length >= MIN_LIMB_JOINTS) out.push('legs-folded', 'legs-spread');
  if (rig.clips.length > 0) out.push('clip');
  return out;
}

const movable = (r: [number, number]) => r[1] - r[0] > 0;

/** Angles (degrees, relative to rest) clamped to each joint's limits. */
function clampAll(sk: Skeleton, a: Vec3[]): Vec3[] {
  return a.map((v, k) => {
    const l = sk.joints[k]!.limits;
    return [Math.min(l.x[1], Math.max(l.x[0], v[0])), Math.min(l.y[1], Math.max(l.y[0], v[1])), Math.min(l.z[1], Math.max(l.z[0], v[2]))];
  });
}

const round = (q: Quat): Quat => q.map((v) => Math.round(v * 1e7) / 1e7) as Quat;

function toQuats(a: readonly Vec3[]): Quat[] {
  return a.map((v) => round(qnormalize(qfromEuler(v[0] * RAD, v[1] * RAD, v[2] * RAD))));
}

/** A draw within [min, max] around 0: a normal of `spread` times the half-range on its side, clipped. */
function around(rng: Rng, range: [number, number], spread: number): number {
  const t = Math.max(-1, Math.min(1, rng.normal(0, spread)));
  return t < 0 ? -t * range[0] : t * range[1];
}

interface Draft {
  angles: Vec3[];
  chain: number[];
}

function draft(posture: Posture, sk: Skeleton, rng: Rng, noise: number, mildness: number): Draft {
  const chain = mainChain(sk);
  const rest = restAngles(sk);
  const n = () => rng.normal(0, noise * mildness);
  const angles: Vec3[] = sk.joints.map((j) => {
    if (posture === 'rest' || posture === 'clip') return [n(), n(), n()];
    const spread = (posture === 'relaxed' ? 0.33 : 0.15) * mildness;
    return [around(rng, j.limits.x, spread), around(rng, j.limits.y, spread), around(rng, j.limits.z, spread)];
  });
  // Absolute targets for the body chain: delta = target - rest bend.
  // Out of the bending plane the chain gets a quarter of the noise: over dozens of joints
  // small lifts and twists add up (a snake would rise off the floor).
  const setChain = (lateral: (i: number) => number, straightenX: boolean) => {
    chain.forEach((k, i) => {
      const r = rest[k]!;
      angles[k] = [(straightenX ? -r[0] : 0) + 0.25 * n(), lateral(i) - r[1] + n(), -r[2] + 0.25 * n()];
    });
  };
  if (posture === 'stretched') setChain(() => 0, true);
  if (posture === 'curled') {
    // A body built curled (a coiled snake) curls the same way again: smaller changes, less blending.
    const mean = chain.reduce((sum, k) => sum + rest[k]![1], 0) / Math.max(1, chain.length);
    const draw = rng.next() < 0.5 ? -1 : 1;
    const side = Math.abs(mean) > 2 ? Math.sign(mean) : draw;
    const bends = spiralBends(sk, chain, rng.uniform(1.6, 2.2) / mildness);
    setChain((i) => side * bends[i]!, false);
  }
  if (posture === 's-curve') {
    const limit = Math.min(...chain.map((k) => Math.max(-sk.joints[k]!.limits.y[0], sk.joints[k]!.limits.y[1])));
    const bends = sCurveBends(sk, chain, rng.uniform(0.5, 1) * limit * mildness, rng.uniform(1, 2.5), rng.uniform(0, 2 * Math.PI));
    setChain((i) => bends[i]!, false);
  }
  if (posture === 'legs-folded' || posture === 'legs-spread') {
    sk.joints.forEach((j, k) => {
      if (j.role !== 'limb') return;
      const f = rng.uniform(0.6, 1);
      angles[k] = [posture === 'legs-folded' ? f * j.limits.x[1] : f * j.limits.x[0], around(rng, j.limits.y, 0.15), around(rng, j.limits.z, 0.15)];
    });
  }
  return { angles, chain };
}

/**
 * Draws a pose for the rig (undefined for a rigid model without morphs, or when posing is
 * off). `rng` should be a stream of this animal's own, so posing changes no other draw.
 */
export function samplePose(rig: PoseRig, settings: PoseSettings, rng: Rng): AnimalPose | undefined {
  if (!settings.enabled) return undefined;
  const allowed = posturesFor(rig);
  if (allowed.length === 0) return undefined;
  const weights = allowed.map((p) => settings.postures[p]);
  const posture: Posture = weights.some((w) => w > 0) ? allowed[rng.weightedIndex(weights)]! : 'rest';
  const morphWeights = rig.morphTargets.some((t) => t > 0) ? rig.morphTargets.map((t) => Array.from({ length: t }, () => (settings.morphs ? round4(rng.next()) : 0))) : undefined;
  const sk = rig.skeleton;
  const withMorphs = (p: AnimalPose): AnimalPose => (morphWeights ? { ...p, morphWeights } : p);
  if (!sk) return withMorphs({ posture, joints: [] });
  if (posture === 'clip') {
    const clip = rig.clips[rng.int(0, rig.clips.length - 1)]!;
    const time = Math.round(rng.uniform(0, clip.duration) * 1e6) / 1e6;
    const base = clipDeltas(clip, sk, time);
    const { angles } = draft('clip', sk, rng, settings.noiseDeg, 1);
    // Noise on top of the clip, clamped to the joint's limits widened to hold the clip's own angle.
    const joints = base.map((q, k) => {
      if (settings.noiseDeg === 0) return round(q);
      const e = qtoEuler(q).map((v) => v / RAD) as Vec3;
      const l = sk.joints[k]!.limits;
      const c = (v: number, r: [number, number], x: number) => Math.min(Math.max(r[1], x), Math.max(Math.min(r[0], x), v));
      const a = angles[k]!;
      return round(qnormalize(qfromEuler(c(e[0] + a[0], l.x, e[0]) * RAD, c(e[1] + a[1], l.y, e[1]) * RAD, c(e[2] + a[2], l.z, e[2]) * RAD)));
    });
    return withMorphs({ posture, joints, clip: { name: clip.name, time } });
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const mildness = Math.pow(0.75, attempt);
    const d = draft(posture, sk, rng, settings.noiseDeg, mildness);
    const joints = toQuats(clampAll(sk, d.angles));
    if (d.chain.length < MIN_CHAIN || chainClear(sk, d.chain, joints)) return withMorphs({ posture, joints });
  }
  return withMorphs({ posture: 'rest', joints: sk.joints.map((): Quat => [0, 0, 0, 1]) });
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** X-Y-Z angles (degrees, relative to rest) of every joint of a pose: what its limits bound. */
export function poseAngles(pose: AnimalPose): Vec3[] {
  return pose.joints.map((q) => qtoEuler(q).map((a) => a / RAD) as Vec3);
}

/** Joints of a pose outside their limits by more than `tolDeg` (none for a valid pose). */
export function limitViolations(sk: Skeleton, pose: AnimalPose, tolDeg = 1e-3): string[] {
  const out: string[] = [];
  poseAngles(pose).forEach((a, k) => {
    const j = sk.joints[k]!;
    (['x', 'y', 'z'] as const).forEach((axis, c) => {
      const [lo, hi] = j.limits[axis];
      if (a[c]! < lo - tolDeg || a[c]! > hi + tolDeg) out.push(`${j.name}.${axis} = ${a[c]!.toFixed(3)} outside [${lo}, ${hi}]`);
    });
  });
  return out;
}

/**
 * The pose of one placed animal and the bounds the placement must fit: those of the posed
 * model (conservative), or `stored` when the species has no rig or posing is off.
 */
export function poseAnimal(rig: PoseRig | undefined, stored: Box, settings: PoseSettings, rng: Rng): { pose?: AnimalPose; bounds: Box } {
  if (!rig) return { bounds: stored };
  const pose = samplePose(rig, settings, rng);
  return pose ? { pose, bounds: posedBounds(rig, pose) } : { bounds: stored };
}
