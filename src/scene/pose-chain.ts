/**
 * The body chain of a skeleton and what postures do with it: the longest run of axial
 * joints from the root (a snake's spine, a millipede's rings, a lizard's trunk and tail, a
 * scorpion's tail), the lateral bends of a spiral curl or an S-curve along it, and a
 * self-contact check of a pose from the joints' positions and radii. Pure.
 */
import type { Quat, Skeleton, Vec3 } from '../core/types.js';
import { qtoEuler } from '../geometry/quat.js';
import { jointWorldMatrices } from '../species/rig/skinning.js';

const DEG = 180 / Math.PI;

/** Each joint's rest rotation relative to its parent as X-Y-Z angles, degrees: a chain joint's bend as built. */
export function restAngles(skeleton: Skeleton): Vec3[] {
  return skeleton.joints.map((j) => (j.parent < 0 ? [0, 0, 0] : (qtoEuler(j.rotation).map((a) => a * DEG) as Vec3)));
}

/** Indices of the longest chain of axial joints hanging from the root (through axial children only). */
export function mainChain(skeleton: Skeleton): number[] {
  const children = skeleton.joints.map(() => [] as number[]);
  skeleton.joints.forEach((j, k) => j.parent >= 0 && children[j.parent]!.push(k));
  const longest = (k: number): number[] => {
    let best: number[] = [];
    for (const c of children[k]!) {
      if (skeleton.joints[c]!.role !== 'axial') continue;
      const sub = longest(c);
      if (sub.length > best.length) best = sub;
    }
    return [k, ...best];
  };
  const root = skeleton.joints.findIndex((j) => j.parent < 0);
  return longest(root).slice(1);
}

/** Rest positions of joints, and the arc length along a chain (root first). */
function chainGeometry(skeleton: Skeleton, chain: readonly number[]): { points: Vec3[]; arc: number[]; lengths: number[] } {
  const world = jointWorldMatrices(skeleton);
  const pos = (k: number): Vec3 => [world[k]![12]!, world[k]![13]!, world[k]![14]!];
  const points = chain.map(pos);
  const lengths = points.map((p, i) => {
    const q = points[i + 1] ?? points[i - 1];
    return q ? Math.hypot(q[0] - p[0], q[1] - p[1], q[2] - p[2]) : skeleton.joints[chain[i]!]!.radius ?? 0;
  });
  const arc = [0];
  for (let i = 1; i < points.length; i++) arc.push(arc[i - 1]! + lengths[i - 1]!);
  return { points, arc, lengths };
}

/**
 * Bends (degrees, before clamping to limits) of a spiral curl along the chain, tightest at
 * the root end: an Archimedean spiral whose turns lie `pitch` apart (two body radii and a
 * gap), starting at radius r0; each joint turns by its bone's length times the curvature there.
 */
export function spiralBends(skeleton: Skeleton, chain: readonly number[], r0Factor: number): number[] {
  const { arc, lengths } = chainGeometry(skeleton, chain);
  const radii = chain.map((k) => skeleton.joints[k]!.radius ?? 0);
  const rMax = Math.max(...radii, 1e-9);
  const pitch = 2.3 * rMax;
  const r0 = r0Factor * rMax;
  return chain.map((_, i) => (lengths[Math.max(0, i - 1)]! / Math.sqrt(r0 * r0 + (pitch * arc[i]!) / Math.PI)) * DEG);
}

/** Bends of an S-curve: curvature amplitude * sin along the chain, `waves` wavelengths over its length. */
export function sCurveBends(skeleton: Skeleton, chain: readonly number[], amplitude: number, waves: number, phase: number): number[] {
  const { arc, lengths } = chainGeometry(skeleton, chain);
  const total = arc[arc.length - 1]! + lengths[lengths.length - 1]!;
  return chain.map((_, i) => amplitude * Math.sin((2 * Math.PI * waves * arc[i]!) / total + phase));
}

/**
 * Whether the posed chain keeps its parts apart: joints (and bone midpoints) farther apart
 * along the chain than 3 radii must lie at least `factor` times their two radii apart.
 */
export function chainClear(skeleton: Skeleton, chain: readonly number[], deltas: readonly Quat[], factor = 0.9): boolean {
  if (chain.length < 3) return true;
  const root = skeleton.joints.findIndex((j) => j.parent < 0);
  const ids = [root, ...chain];
  const world = jointWorldMatrices(skeleton, deltas);
  const rest = chainGeometry(skeleton, ids);
  const pts: Array<{ p: Vec3; r: number; s: number }> = [];
  ids.forEach((k, i) => {
    const m = world[k]!;
    const p: Vec3 = [m[12]!, m[13]!, m[14]!];
    const r = skeleton.joints[k]!.radius ?? 0;
    pts.push({ p, r, s: rest.arc[i]! });
    const next = ids[i + 1];
    if (next !== undefined) {
      const n = world[next]!;
      const rn = skeleton.joints[next]!.radius ?? r;
      pts.push({ p: [(p[0] + n[12]!) / 2, (p[1] + n[13]!) / 2, (p[2] + n[14]!) / 2], r: (r + rn) / 2, s: rest.arc[i]! + rest.lengths[i]! / 2 });
    }
  });
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      const a = pts[i]!, b = pts[j]!;
      if (Math.abs(b.s - a.s) <= 3 * Math.max(a.r, b.r)) continue;
      const d = Math.hypot(a.p[0] - b.p[0], a.p[1] - b.p[1], a.p[2] - b.p[2]);
      if (d < factor * (a.r + b.r)) return false;
    }
  }
  return true;
}
