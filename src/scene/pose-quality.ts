/**
 * How well a model survives posing: for many sampled poses, every part is skinned on the
 * CPU and checked still closed and outward, its signed volume compared with the rest
 * pose's, and its triangles checked for turning over (a fold in blended flesh). What
 * `npm run bench:poses` prints and the pose tests bound. Pure.
 */
import type { AnimalPose, SpeciesModel } from '../core/types.js';
import { Rng, deriveSeed } from '../core/rng.js';
import { signedVolume } from '../geometry/mesh.js';
import { validateClosedMesh } from '../geometry/validate.js';
import { poseRigOf } from '../species/rig/pose-rig.js';
import { inverseRestMatrices, posePart, skinMatrices } from '../species/rig/skinning.js';
import { limitViolations, samplePose, type PoseSettings } from './pose.js';

export interface PoseQuality {
  poses: number;
  /** Poses by posture drawn. */
  postures: Record<string, number>;
  /** Largest |V_posed / V_rest - 1| of any part in any pose. */
  worstVolumeChange: number;
  worstPart: string;
  worstPosture: string;
  /**
   * Largest share of a part's triangles that turned over: whose posed normal points away
   * (by more than 90 degrees) from its rest normal turned by its first vertex's main joint,
   * i.e. a fold in blended flesh (0 for parts that move rigidly).
   */
  worstFlipped: number;
  worstFlippedPart: string;
  /** Per part: the largest |V_posed / V_rest - 1|. */
  partVolumeChange: Record<string, number>;
  /** Poses in which some part was not closed and outward (0 expected). */
  openPoses: number;
  /** Joint angles outside their limits (0 expected). */
  limitViolations: number;
}

/** Normal of triangle t (unnormalised). */
function normals(positions: Float32Array, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t]!, b = 3 * indices[t + 1]!, c = 3 * indices[t + 2]!;
    const ux = positions[b]! - positions[a]!, uy = positions[b + 1]! - positions[a + 1]!, uz = positions[b + 2]! - positions[a + 2]!;
    const vx = positions[c]! - positions[a]!, vy = positions[c + 1]! - positions[a + 1]!, vz = positions[c + 2]! - positions[a + 2]!;
    out[t] = uy * vz - uz * vy;
    out[t + 1] = uz * vx - ux * vz;
    out[t + 2] = ux * vy - uy * vx;
  }
  return out;
}

export function measurePoses(model: SpeciesModel, settings: PoseSettings, count: number, seed: number, onPose?: (pose: AnimalPose) => void): PoseQuality {
  const rig = poseRigOf(model);
  const q: PoseQuality = { poses: 0, postures: {}, worstVolumeChange: 0, worstPart: '', worstPosture: '', worstFlipped: 0, worstFlippedPart: '', partVolumeChange: {}, openPoses: 0, limitViolations: 0 };
  if (!model.skeleton) return q;
  const inv = inverseRestMatrices(model.skeleton);
  const rest = model.parts.map((p) => ({ volume: signedVolume(p.mesh), normals: normals(p.mesh.positions, p.mesh.indices) }));
  for (let i = 0; i < count; i++) {
    const pose = samplePose(rig, settings, new Rng(deriveSeed(seed, i)));
    if (!pose) continue;
    onPose?.(pose);
    q.poses++;
    q.postures[pose.posture] = (q.postures[pose.posture] ?? 0) + 1;
    q.limitViolations += limitViolations(model.skeleton, pose).length;
    const m = skinMatrices(model.skeleton, pose.joints, inv);
    let open = false;
    model.parts.forEach((part, k) => {
      const mesh = posePart(part, m);
      const report = validateClosedMesh(mesh, part.name);
      if (!report.outward) open = true;
      const change = Math.abs(signedVolume(mesh) / rest[k]!.volume - 1);
      q.partVolumeChange[part.name] = Math.max(q.partVolumeChange[part.name] ?? 0, change);
      if (change > q.worstVolumeChange) {
        q.worstVolumeChange = change;
        q.worstPart = part.name;
        q.worstPosture = pose.posture;
      }
      const n0 = rest[k]!.normals;
      const n1 = normals(mesh.positions, mesh.indices);
      const skin = part.skin!;
      let flipped = 0;
      for (let t = 0; t < n0.length; t += 3) {
        // The rest normal turned by the main joint of the triangle's first vertex.
        const v = part.mesh.indices[t]!;
        let best = 0;
        for (let c = 1; c < 4; c++) if (skin.weights[4 * v + c]! > skin.weights[4 * v + best]!) best = c;
        const j = 16 * skin.joints[4 * v + best]!;
        const ex = m[j]! * n0[t]! + m[j + 4]! * n0[t + 1]! + m[j + 8]! * n0[t + 2]!;
        const ey = m[j + 1]! * n0[t]! + m[j + 5]! * n0[t + 1]! + m[j + 9]! * n0[t + 2]!;
        const ez = m[j + 2]! * n0[t]! + m[j + 6]! * n0[t + 1]! + m[j + 10]! * n0[t + 2]!;
        if (ex * n1[t]! + ey * n1[t + 1]! + ez * n1[t + 2]! < 0) flipped++;
      }
      if (flipped / (n0.length / 3) > q.worstFlipped) {
        q.worstFlipped = flipped / (n0.length / 3);
        q.worstFlippedPart = part.name;
      }
    });
    if (open) q.openPoses++;
  }
  return q;
}
