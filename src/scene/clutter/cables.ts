/**
 * Cables: a coiled mains or USB cable is a hard negative, a loop of organic tube with a
 * thin metal core that reads like a snake under X-ray.
 */
import type { Rng } from '../../core/rng.js';
import { box, coilPath, finish, part, type ItemModel } from './item.js';

/** A cable wound in loops (a loose helix) with a plug at one end. */
export function coiledCable(rng: Rng, roomHeight: number): ItemModel {
  const r = rng.uniform(0.0015, 0.003);
  const loopR = rng.uniform(0.04, 0.09);
  const turns = rng.int(3, 8);
  // Loops lie nearly flat: the helix climbs just enough for the turns not to touch.
  const pitch = Math.min(2.4 * r, Math.max(2.1 * r, (roomHeight * 0.5) / turns));
  const path = coilPath({ turns, r0: loopR, r1: loopR * rng.uniform(0.9, 1.1), pitch, pointsPerTurn: 28 });
  const end = path[path.length - 1]!;
  const parts = [part({ type: 'tube', path, radius: r }, 'cable')];
  // A plug body (PVC over brass pins) beside the coil's end.
  const plug = rng.next() < 0.7;
  if (plug) {
    parts.push(box([0.02, 0.012, 0.03], 'pvc', [end[0] + (end[0] >= 0 ? 0.025 : -0.025), end[1], end[2]]));
  }
  return finish('coiled-cable', parts);
}
