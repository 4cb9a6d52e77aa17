/**
 * What the scene sampler needs to pose a species without its meshes: the skeleton, a box
 * per joint around the vertices it moves (in the joint's own rest frame), the number of
 * morph targets per part and the model's animation clips. With these, the bounds of any
 * pose are a few matrix products: every posed vertex is a weighted mean of its joints'
 * transforms of it, so it lies in the union of the posed boxes of its joints.
 * Pure (no I/O).
 */
import type { AnimalPose, ModelPart, Quat, Skeleton, SpeciesModel, Vec3 } from '../../core/types.js';
import type { AnimationClip } from './clips.js';
import { inverseRestMatrices, jointWorldMatrices } from './skinning.js';

export interface Box {
  min: Vec3;
  max: Vec3;
}

export interface PoseRig {
  skeleton: Skeleton | null;
  /** Per joint: the box of the vertices it moves, in its rest frame (null: it moves none). */
  boxes: Array<Box | null>;
  /** Bounds of the model as stored. */
  rest: Box;
  /** Morph targets per part (part order); all 0 without morphs. */
  morphTargets: number[];
  /** The model's own animation clips (imported models). */
  clips: AnimationClip[];
}

function boundsOf(parts: readonly ModelPart[]): Box {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const p of parts) {
    const pos = p.mesh.positions;
    for (let i = 0; i < pos.length; i += 3) {
      for (let k = 0; k < 3; k++) {
        min[k] = Math.min(min[k]!, pos[i + k]!);
        max[k] = Math.max(max[k]!, pos[i + k]!);
      }
    }
  }
  return { min, max };
}

export function poseRigOf(model: SpeciesModel, clips: AnimationClip[] = []): PoseRig {
  const rest = boundsOf(model.parts);
  const morphTargets = model.parts.map((p) => p.morphs?.deltas.length ?? 0);
  const sk = model.skeleton;
  if (!sk) return { skeleton: null, boxes: [], rest, morphTargets, clips };
  const inv = inverseRestMatrices(sk);
  const boxes: Array<Box | null> = sk.joints.map(() => null);
  for (const part of model.parts) {
    const pos = part.mesh.positions;
    const skin = part.skin!;
    // Morph targets move vertices too: their extreme offsets widen the boxes.
    const reach = part.morphs ? part.morphs.deltas : [];
    for (let v = 0; v < pos.length / 3; v++) {
      for (let k = 0; k < 4; k++) {
        if (!(skin.weights[4 * v + k]! > 0)) continue;
        const j = skin.joints[4 * v + k]!;
        const m = inv[j]!;
        const points: Vec3[] = [[pos[3 * v]!, pos[3 * v + 1]!, pos[3 * v + 2]!]];
        for (const d of reach) points.push([pos[3 * v]! + d[3 * v]!, pos[3 * v + 1]! + d[3 * v + 1]!, pos[3 * v + 2]! + d[3 * v + 2]!]);
        for (const [x, y, z] of points) {
          const l: Vec3 = [m[0]! * x + m[4]! * y + m[8]! * z + m[12]!, m[1]! * x + m[5]! * y + m[9]! * z + m[13]!, m[2]! * x + m[6]! * y + m[10]! * z + m[14]!];
          const b = (boxes[j] ??= { min: [...l], max: [...l] });
          for (let c = 0; c < 3; c++) {
            if (l[c]! < b.min[c]!) b.min[c] = l[c]!;
            if (l[c]! > b.max[c]!) b.max[c] = l[c]!;
          }
        }
      }
    }
  }
  return { skeleton: sk, boxes, rest, morphTargets, clips };
}

/** Bounds of the model in a pose (conservative: never smaller than the posed mesh's). */
export function posedBounds(rig: PoseRig, pose: AnimalPose | undefined): Box {
  if (!rig.skeleton || !pose) return rig.rest;
  const world = jointWorldMatrices(rig.skeleton, pose.joints as Quat[]);
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  rig.boxes.forEach((b, j) => {
    if (!b) return;
    const m = world[j]!;
    for (let corner = 0; corner < 8; corner++) {
      const x = corner & 1 ? b.max[0] : b.min[0];
      const y = corner & 2 ? b.max[1] : b.min[1];
      const z = corner & 4 ? b.max[2] : b.min[2];
      const w: Vec3 = [m[0]! * x + m[4]! * y + m[8]! * z + m[12]!, m[1]! * x + m[5]! * y + m[9]! * z + m[13]!, m[2]! * x + m[6]! * y + m[10]! * z + m[14]!];
      for (let c = 0; c < 3; c++) {
        min[c] = Math.min(min[c]!, w[c]!);
        max[c] = Math.max(max[c]!, w[c]!);
      }
    }
  });
  return { min, max };
}
