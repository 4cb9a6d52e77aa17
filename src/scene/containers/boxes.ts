/** Cardboard boxes: the plain shell of the original parcel preset, and a shipping carton with flaps and tape. */
import type { Rng } from '../../core/rng.js';
import type { Part, Vec3 } from '../../core/types.js';
import type { ContainerModel, ContainerSpec } from './container.js';
import { interiorFromCentred } from './container.js';

/** One closed shell of the wall thickness. Draws nothing, so the parcel preset samples exactly as before. */
export function cardboardBox(_rng: Rng, { outer, wall, material }: ContainerSpec): ContainerModel {
  return {
    parts: [{ shape: { type: 'hollowBox', size: outer, wall }, material }],
    interior: {
      min: [-outer[0] / 2 + wall, wall, -outer[2] / 2 + wall],
      max: [outer[0] / 2 - wall, outer[1] - wall, outer[2] / 2 - wall],
    },
  };
}

/**
 * A regular slotted carton: the outer flaps make the top and bottom walls, the inner
 * flaps a second layer under them at both ends (so the ends of the lid read double),
 * polypropylene tape along the seam and down the end faces, sometimes a paper label.
 */
export function shippingBox(rng: Rng, { outer, wall, material }: ContainerSpec): ContainerModel {
  const tape = 0.00015;
  const shell: Vec3 = [outer[0], outer[1] - 2 * tape, outer[2] - 2 * tape];
  const parts: Part[] = [{ shape: { type: 'hollowBox', size: shell, wall }, material }];
  const cav: Vec3 = [shell[0] - 2 * wall, shell[1] - 2 * wall, shell[2] - 2 * wall];
  const flap = Math.min(cav[2] / 2 - 0.002, cav[0] / 2) * rng.uniform(0.6, 1);
  const gap = 0.0002;
  for (const side of [-1, 1]) {
    // Inner flaps under the top (side +1) and over the bottom (side -1), at both ends.
    const y = side * (cav[1] / 2 - gap - wall / 2);
    for (const end of [-1, 1]) {
      parts.push({ shape: { type: 'box', size: [cav[0] - 0.002, wall, flap] }, material, offset: [0, y, end * (cav[2] / 2 - flap / 2 - 0.0005)] });
    }
  }
  const tapeW = rng.pick([0.048, 0.05, 0.075]);
  const down = Math.min(0.06, shell[1] / 3);
  for (const side of [-1, 1]) {
    parts.push({ shape: { type: 'box', size: [tapeW, tape, shell[2]] }, material: 'polypropylene', offset: [0, side * (shell[1] / 2 + tape / 2), 0] });
    for (const end of [-1, 1]) {
      parts.push({
        shape: { type: 'box', size: [tapeW, down, tape] },
        material: 'polypropylene',
        offset: [0, side * (shell[1] / 2 - down / 2), end * (shell[2] / 2 + tape / 2)],
      });
    }
  }
  if (rng.next() < 0.7) {
    const lw = Math.min(0.1, (shell[0] - tapeW) / 2 - 0.01);
    if (lw > 0.03) {
      parts.push({ shape: { type: 'box', size: [lw, tape * 0.8, Math.min(0.15, shell[2] * 0.6)] }, material: 'paper', offset: [tapeW / 2 + 0.005 + lw / 2, shell[1] / 2 + tape * 0.4, 0] });
    }
  }
  // Below the top wall and its inner flaps; above the bottom ones.
  const inset = wall + gap + wall + gap;
  return {
    parts,
    interior: interiorFromCentred(
      [-shell[0] / 2 + wall, -shell[1] / 2 + inset, -shell[2] / 2 + wall],
      [shell[0] / 2 - wall, shell[1] / 2 - inset, shell[2] / 2 - wall],
      outer,
    ),
  };
}
