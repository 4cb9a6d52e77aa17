/**
 * Collision shapes of a posed animal: one box per joint, around the vertices that joint
 * moves, carried by the joint's posed transform. The species' convex hulls are of the
 * rest pose, and a curled snake or a tarantula with folded legs is another shape; the
 * joint boxes follow the pose at the cost of a few matrix products, and every vertex a
 * single joint moves lies inside that joint's box (blended flesh between two joints lies
 * between their boxes, which overlap there).
 */
import type { AnimalPose, Quat, Vec3 } from '../../core/types.js';
import { qfromBasis } from '../../geometry/quat.js';
import type { PoseRig } from '../../species/rig/pose-rig.js';
import { jointWorldMatrices } from '../../species/rig/skinning.js';
import type { ColliderSpec } from './shapes.js';

/** Thinner boxes than this (a flat fin, a single-vertex joint) are thickened: the engine needs volume. */
const MIN_HALF = 0.0005;

function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** Joint boxes of `rig` in `pose`, at `scale`, in the model frame; null when the rig has no skeleton. */
export function posedColliders(rig: PoseRig, pose: AnimalPose, scale: number): ColliderSpec[] | null {
  if (!rig.skeleton) return null;
  const world = jointWorldMatrices(rig.skeleton, pose.joints as Quat[]);
  const out: ColliderSpec[] = [];
  rig.boxes.forEach((b, j) => {
    if (!b) return;
    const m = world[j]!;
    const c: Vec3 = [(b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2, (b.min[2] + b.max[2]) / 2];
    const centre: Vec3 = [
      m[0]! * c[0] + m[4]! * c[1] + m[8]! * c[2] + m[12]!,
      m[1]! * c[0] + m[5]! * c[1] + m[9]! * c[2] + m[13]!,
      m[2]! * c[0] + m[6]! * c[1] + m[10]! * c[2] + m[14]!,
    ];
    const rotation = qfromBasis(normalize([m[0]!, m[1]!, m[2]!]), normalize([m[4]!, m[5]!, m[6]!]), normalize([m[8]!, m[9]!, m[10]!]));
    const half = [0, 1, 2].map((k) => Math.max(MIN_HALF, ((b.max[k]! - b.min[k]!) / 2) * scale)) as Vec3;
    out.push({ shape: { type: 'cuboid', half }, offset: [centre[0] * scale, centre[1] * scale, centre[2] * scale], rotation });
  });
  return out.length > 0 ? out : null;
}
