/**
 * A harvester ant (Messor barbarus) on the arthropod body plan: mandibles, head with
 * geniculate (elbowed) antennae, mesosoma, the two waist nodes of a myrmicine (petiole and
 * postpetiole), gaster and six legs. The queen has a deeper mesosoma (it carried wings)
 * and a large gaster; workers a slimmer gaster and, in majors, a larger head. Layout in
 * millimetres of a 15.6 mm queen (mandible tips to gaster tip); a worker is laid out on the
 * same frame and scaled by its caller.
 *
 * Frame: +Z forward, +Y up, legs resting at y = ANT_FOOT_Y. Legs are solid cuticle: at
 * 0.1-0.2 mm radius a hemolymph core would not change the image.
 */
import type { Vec3 } from '../core/types.js';
import { walkingLeg, type ArthropodPlan, type LimbSpec, type SegmentSpec } from './arthropod-plan.js';

export type AntCaste = 'queen' | 'worker';

/** Height of the tarsus tips in the ant's frame (mm of the layout). */
export const ANT_FOOT_Y = -1.9;

/**
 * The ant plan; `headScale` enlarges a worker's head (majors ~1.25); `legSpread` narrows
 * the stance (the legs' sideways reach is multiplied by it), e.g. to stand in a tube.
 */
export function antPlan(caste: AntCaste, headScale = 1, legSpread = 1): ArthropodPlan {
  const queen = caste === 'queen';
  const h = headScale;
  const segments: SegmentSpec[] = [
    { name: 'head', centre: [0, 0.2, 4.0 + 1.45 * h], shape: { rx: 1.55 * h, yUp: 1.0 * h, yDown: 0.9 * h, rz: 1.45 * h, lengthExponent: 0.75, crossExponent: 0.8 } },
    {
      name: 'mesosoma',
      centre: [0, 0.5, 2.2],
      shape: queen
        ? { rx: 1.25, yUp: 1.35, yDown: 1.0, rz: 2.3, lengthExponent: 0.8, crossExponent: 0.85, taper: 0.1 }
        : { rx: 0.95, yUp: 0.95, yDown: 0.8, rz: 2.2, lengthExponent: 0.8, crossExponent: 0.85, taper: 0.15 },
    },
    { name: 'petiole', centre: [0, 0.5, -0.6], shape: { rx: 0.45, yUp: 0.7, yDown: 0.45, rz: 0.55, lengthExponent: 1, crossExponent: 1 }, detail: 0.5 },
    { name: 'postpetiole', centre: [0, 0.5, -1.6], shape: { rx: 0.6, yUp: 0.7, yDown: 0.5, rz: 0.55, lengthExponent: 1, crossExponent: 1 }, detail: 0.5 },
    queen
      ? { name: 'gaster', centre: [0, 0.5, -4.8], shape: { rx: 2.1, yUp: 1.8, yDown: 1.6, rz: 2.9, lengthExponent: 0.95, crossExponent: 0.95 } }
      : { name: 'gaster', centre: [0, 0.5, -4.0], shape: { rx: 1.5, yUp: 1.3, yDown: 1.2, rz: 2.1, lengthExponent: 0.95, crossExponent: 0.95 } },
  ];
  const front = 4.0 + 2.9 * h;
  // Legs hang steeply (femur up a little, tibia and tarsus down) so the ant stands narrow, as in a tube.
  const legs: LimbSpec[] = [
    { id: '1', z: 3.3, angle: 0.55 },
    { id: '2', z: 2.3, angle: 1.45 },
    { id: '3', z: 1.3, angle: 2.4 },
  ].map((l) => {
    const leg = walkingLeg(`leg.{side}${l.id}`, [0.55, -0.3, l.z], l.angle, [
      { name: 'femur', length: 3.0, rise: 0.9, radius: [0.22, 0.18] },
      { name: 'tibia', length: 3.0, rise: -1.75, radius: [0.16, 0.14] },
      { name: 'tarsus', length: 2.4, rise: -0.75, radius: [0.12, 0.05] },
    ]);
    const x0 = leg.joints[0]![0];
    return { ...leg, joints: leg.joints.map((j): Vec3 => [x0 + (j[0] - x0) * legSpread, j[1], j[2]]), kind: 'solid' as const };
  });
  const scapeBase: Vec3 = [0.6 * h, 0.6 * h, front - 0.6 * h];
  return {
    segments,
    limbs: legs,
    appendages: [
      {
        name: 'mandible.{side}',
        path: [[0.75 * h, -0.3, front - 0.4], [0.95 * h, -0.3, front + 0.4], [0.35 * h, -0.3, front + 1.0]],
        radius: [[0, 0.32 * h, 0.4 * h], [1, 0.1]],
        kind: 'solid',
        rings: 6,
        around: 6,
      },
      {
        name: 'antenna.{side}',
        path: [scapeBase, [1.7, 1.3, front + 0.6], [2.2, 1.4, front + 1.3], [2.9, 1.0, front + 2.0], [3.6, 0.6, front + 3.4], [3.9, 0.4, front + 4.2]],
        radius: [[0, 0.13], [0.8, 0.13], [1, 0.2]],
        kind: 'solid',
        rings: 12,
        around: 5,
      },
    ],
  };
}
