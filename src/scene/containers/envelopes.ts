/** Soft postal packaging: padded envelopes and plastic mailing bags. */
import type { Rng } from '../../core/rng.js';
import type { Part, Vec3 } from '../../core/types.js';
import type { ContainerModel, ContainerSpec } from './container.js';
import { interiorFromCentred } from './container.js';

/**
 * A padded envelope: kraft paper outside, a bubble-wrap layer inside it (the rest of
 * the wall thickness), and the closing flap folded over one end of the top.
 */
export function paddedEnvelope(rng: Rng, { outer, wall, material }: ContainerSpec): ContainerModel {
  const paper = rng.uniform(0.0002, 0.0003);
  const flapT = paper;
  const shell: Vec3 = [outer[0], outer[1] - flapT, outer[2]];
  const gap = 0.00005;
  const bubble = Math.max(0.0005, wall - paper - gap);
  const parts: Part[] = [{ shape: { type: 'hollowBox', size: shell, wall: paper }, material, offset: [0, -flapT / 2, 0] }];
  const inner: Vec3 = [shell[0] - 2 * (paper + gap), shell[1] - 2 * (paper + gap), shell[2] - 2 * (paper + gap)];
  parts.push({ shape: { type: 'hollowBox', size: inner, wall: bubble }, material: 'bubble_wrap', offset: [0, -flapT / 2, 0] });
  const flap = rng.uniform(0.03, 0.05);
  parts.push({ shape: { type: 'box', size: [shell[0], flapT, flap] }, material, offset: [0, shell[1] / 2, shell[2] / 2 - flap / 2] });
  const t = paper + gap + bubble;
  return {
    parts,
    interior: interiorFromCentred([-inner[0] / 2 + bubble, -shell[1] / 2 - flapT / 2 + t, -inner[2] / 2 + bubble], [inner[0] / 2 - bubble, shell[1] / 2 - flapT / 2 - t, inner[2] / 2 - bubble], outer),
  };
}

/** A polyethylene mailing bag: one thin film all round, a doubled adhesive flap at one end. */
export function postalBag(rng: Rng, { outer, wall, material }: ContainerSpec): ContainerModel {
  const flapT = wall * 2;
  const shell: Vec3 = [outer[0], outer[1] - flapT, outer[2]];
  const flap = rng.uniform(0.04, 0.06);
  const parts: Part[] = [
    { shape: { type: 'hollowBox', size: shell, wall }, material, offset: [0, -flapT / 2, 0] },
    { shape: { type: 'box', size: [shell[0], flapT, flap] }, material, offset: [0, shell[1] / 2, shell[2] / 2 - flap / 2] },
  ];
  return {
    parts,
    interior: interiorFromCentred([-shell[0] / 2 + wall, -outer[1] / 2 + wall, -shell[2] / 2 + wall], [shell[0] / 2 - wall, outer[1] / 2 - flapT - wall, shell[2] / 2 - wall], outer),
  };
}
