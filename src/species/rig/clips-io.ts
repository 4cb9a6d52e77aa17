/**
 * A model's animation clips: the rotation channels of its skeleton's joints, from its glTF
 * document (glTF-Transform). A model without animations has none.
 */
import type { Document, Node } from '@gltf-transform/core';
import type { Quat, Skeleton } from '../../core/types.js';
import { qmul } from '../../geometry/quat.js';
import type { AnimationClip, ClipChannel } from './clips.js';

/**
 * The rotation channels of a document's animations, as clips on skeleton joints: `jointOf`
 * says which joint a node is (undefined: not one), `turnOf` a fixed rotation to put in front of
 * that joint's values (a root turned into the model frame). Tangents of a cubic spline turn
 * like values, since the turn is constant.
 */
export function rotationClips(doc: Document, jointOf: (node: Node) => number | undefined, turnOf: (joint: number) => Quat | undefined = () => undefined): AnimationClip[] {
  const clips: AnimationClip[] = [];
  doc.getRoot().listAnimations().forEach((anim, a) => {
    const channels: ClipChannel[] = [];
    let duration = 0;
    for (const ch of anim.listChannels()) {
      const node = ch.getTargetNode();
      const sampler = ch.getSampler();
      if (ch.getTargetPath() !== 'rotation' || !node || !sampler) continue;
      const joint = jointOf(node);
      const input = sampler.getInput()?.getArray();
      const output = sampler.getOutput();
      if (joint === undefined || !input || !output) continue;
      const turn = turnOf(joint);
      const times = Array.from(input as ArrayLike<number>);
      const values: number[] = [];
      const el = [0, 0, 0, 0];
      for (let i = 0; i < output.getCount(); i++) {
        const q = output.getElement(i, el).slice() as Quat;
        values.push(...(turn ? qmul(turn, q) : q));
      }
      channels.push({ joint, interpolation: sampler.getInterpolation() as ClipChannel['interpolation'], times, values });
      duration = Math.max(duration, times[times.length - 1] ?? 0);
    }
    if (channels.length > 0) clips.push({ name: anim.getName() || `clip${a}`, duration, channels });
  });
  return clips;
}

/** The clips of a document whose skin joints are named as in `skeleton`. */
export function clipsOf(doc: Document, skeleton: Skeleton): AnimationClip[] {
  const index = new Map(skeleton.joints.map((j, k) => [j.name, k]));
  return rotationClips(doc, (node) => index.get(node.getName()));
}
