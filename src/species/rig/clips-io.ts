/**
 * A model's animation clips: the rotation channels of its skeleton's joints, from its glTF
 * document (glTF-Transform). A model without animations has none.
 */
import type { Document } from '@gltf-transform/core';
import type { Skeleton } from '../../core/types.js';
import type { AnimationClip, ClipChannel } from './clips.js';

/** The clips of a document whose skin joints are named as in `skeleton`. */
export function clipsOf(doc: Document, skeleton: Skeleton): AnimationClip[] {
  const index = new Map(skeleton.joints.map((j, k) => [j.name, k]));
  const clips: AnimationClip[] = [];
  doc.getRoot().listAnimations().forEach((anim, a) => {
    const channels: ClipChannel[] = [];
    let duration = 0;
    for (const ch of anim.listChannels()) {
      const node = ch.getTargetNode();
      const sampler = ch.getSampler();
      if (ch.getTargetPath() !== 'rotation' || !node || !sampler) continue;
      const joint = index.get(node.getName());
      const input = sampler.getInput()?.getArray();
      const output = sampler.getOutput();
      if (joint === undefined || !input || !output) continue;
      const times = Array.from(input as ArrayLike<number>);
      const values: number[] = [];
      const el = [0, 0, 0, 0];
      for (let i = 0; i < output.getCount(); i++) values.push(...output.getElement(i, el));
      channels.push({ joint, interpolation: sampler.getInterpolation() as ClipChannel['interpolation'], times, values });
      duration = Math.max(duration, times[times.length - 1] ?? 0);
    }
    if (channels.length > 0) clips.push({ name: anim.getName() || `clip${a}`, duration, channels });
  });
  return clips;
}
