/** Orientations the sampler draws for animals and items. Pure. */
import type { Rng } from '../core/rng.js';
import type { Quat } from '../core/types.js';
import { yawQuat } from './placement.js';

/** Hamilton product a * b (apply b, then a). */
export function multiply(a: Quat, b: Quat): Quat {
  return [
    a[3] * b[0] + a[0] * b[3] + a[1] * b[2] - a[2] * b[1],
    a[3] * b[1] - a[0] * b[2] + a[1] * b[3] + a[2] * b[0],
    a[3] * b[2] + a[0] * b[1] - a[1] * b[0] + a[2] * b[3],
    a[3] * b[3] - a[0] * b[0] - a[1] * b[1] - a[2] * b[2],
  ];
}

/** Square to the bag: a quarter-turn yaw, and for animals that can lie any way, sometimes upside down. */
export function squareQuat(rng: Rng, orientation: 'any' | 'flat'): Quat {
  const yaw = yawQuat(rng.int(0, 3) * (Math.PI / 2));
  return orientation === 'any' && rng.next() < 0.5 ? multiply(yaw, [1, 0, 0, 0]) : yaw;
}

/** Turned about the vertical at random, tilted up to `maxTiltDeg` degrees about a random horizontal axis. */
export function flatQuat(rng: Rng, maxTiltDeg = 10): Quat {
  const yaw = yawQuat(rng.uniform(0, 2 * Math.PI));
  const axis = rng.uniform(0, 2 * Math.PI);
  const tilt = (rng.uniform(0, maxTiltDeg) * Math.PI) / 180;
  const t: Quat = [Math.cos(axis) * Math.sin(tilt / 2), 0, Math.sin(axis) * Math.sin(tilt / 2), Math.cos(tilt / 2)];
  // t * yaw: turn first, then tilt.
  return multiply(t, yaw);
}
