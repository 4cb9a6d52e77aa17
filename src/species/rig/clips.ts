/**
 * Animation clips of imported models, reduced to what a pose uses: each joint's rotation
 * over time (glTF rotation channels with LINEAR, STEP or CUBICSPLINE interpolation).
 * Translation and scale channels are not kept: a pose is joint rotations, and the animal's
 * placement comes from the scene (root motion would move it out of its box). Pure.
 */
import type { AnimationClip, ClipChannel, Quat, Skeleton } from '../../core/types.js';

export type { AnimationClip, ClipChannel };
import { qconj, qmul, qnormalize, qslerp } from '../../geometry/quat.js';

const at = (v: readonly number[], i: number): Quat => [v[4 * i]!, v[4 * i + 1]!, v[4 * i + 2]!, v[4 * i + 3]!];

/** The rotation of one channel at time t (clamped to its keys). */
export function sampleChannel(c: ClipChannel, t: number): Quat {
  const n = c.times.length;
  const value = (i: number): Quat => (c.interpolation === 'CUBICSPLINE' ? at(c.values, 3 * i + 1) : at(c.values, i));
  if (n === 1 || t <= c.times[0]!) return qnormalize(value(0));
  if (t >= c.times[n - 1]!) return qnormalize(value(n - 1));
  let i = 0;
  while (i < n - 2 && t >= c.times[i + 1]!) i++;
  const t0 = c.times[i]!, t1 = c.times[i + 1]!;
  const dt = t1 - t0;
  const u = dt > 0 ? (t - t0) / dt : 0;
  if (c.interpolation === 'STEP') return qnormalize(value(i));
  if (c.interpolation === 'LINEAR') return qslerp(qnormalize(value(i)), qnormalize(value(i + 1)), u);
  // Cubic Hermite spline (glTF 2.0 appendix C), then normalised.
  const p0 = value(i), m0 = at(c.values, 3 * i + 2), p1 = value(i + 1), m1 = at(c.values, 3 * (i + 1));
  const u2 = u * u, u3 = u2 * u;
  const a = 2 * u3 - 3 * u2 + 1, b = (u3 - 2 * u2 + u) * dt, cc = -2 * u3 + 3 * u2, d = (u3 - u2) * dt;
  return qnormalize([0, 1, 2, 3].map((k) => a * p0[k]! + b * m0[k]! + cc * p1[k]! + d * m1[k]!) as Quat);
}

/** Per joint, the rotation relative to its rest rotation at time t (identity where the clip does not animate it). */
export function clipDeltas(clip: AnimationClip, skeleton: Skeleton, t: number): Quat[] {
  const out: Quat[] = skeleton.joints.map(() => [0, 0, 0, 1]);
  for (const c of clip.channels) {
    const rest = skeleton.joints[c.joint]!.rotation;
    out[c.joint] = qnormalize(qmul(qconj(rest), sampleChannel(c, t)));
  }
  return out;
}
