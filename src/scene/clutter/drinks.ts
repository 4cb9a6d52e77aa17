/** Bottles and cans with a liquid level: liquids are the bulk attenuators airport X-ray is tuned to. */
import type { Rng } from '../../core/rng.js';
import type { Part } from '../../core/types.js';
import { ALONG_X, finish, part, type ItemModel } from './item.js';

/** A PET bottle standing upright, partly filled with water (needs the room's height). */
export function plasticBottle(rng: Rng, roomHeight: number): ItemModel {
  const radius = rng.uniform(0.025, 0.035);
  const height = Math.min(rng.uniform(0.1, 0.2), roomHeight - 0.004);
  const wall = 0.0004;
  const fill = rng.uniform(0.3, 0.95);
  const inner = height - 2 * wall;
  const liquid = inner * fill;
  const parts: Part[] = [
    { shape: { type: 'hollowCylinder', radius, height, wall }, material: 'pet' },
    {
      shape: { type: 'cylinder', radius: radius - wall, height: liquid },
      material: 'water',
      offset: [0, -inner / 2 + liquid / 2, 0],
    },
  ];
  return { kind: 'plastic-bottle', parts, halfExtents: [radius, height / 2, radius], freeRotation: false };
}

/**
 * A closed container lying on its side with the liquid settled at the bottom: the liquid
 * is a flat-topped slab inside the cavity, approximated by a box under the fill line, so its
 * free surface is horizontal as in a real bottle on a belt.
 */
function lyingVessel(
  kind: string,
  rng: Rng,
  o: { radius: [number, number]; length: [number, number]; wall: number; shell: string; liquids: string[] },
  roomHeight: number,
): ItemModel {
  const radius = Math.min(rng.uniform(...o.radius), roomHeight / 2 - 0.002);
  const length = rng.uniform(...o.length);
  const fill = rng.uniform(0.1, 1);
  const liquid = rng.pick(o.liquids);
  const ri = radius - o.wall;
  const parts: Part[] = [part({ type: 'hollowCylinder', radius, height: length, wall: o.wall }, o.shell, [0, 0, 0], ALONG_X)];
  // Depth of liquid for the fill fraction of a circular section (bisection on the segment area).
  let lo = 0, hi = 2 * ri;
  for (let i = 0; i < 30; i++) {
    const h = (lo + hi) / 2;
    const seg = ri * ri * Math.acos((ri - h) / ri) - (ri - h) * Math.sqrt(Math.max(0, 2 * ri * h - h * h));
    if (seg / (Math.PI * ri * ri) < fill) lo = h;
    else hi = h;
  }
  const surface = -ri + lo;
  const area = fill * Math.PI * ri * ri;
  // The liquid is a box inside the round cavity, as wide as keeps its area nearest the
  // segment's with its top at the surface (or lower, where the box must narrow).
  let best: { w: number; top: number; bottom: number } | null = null;
  for (let i = 1; i < 60; i++) {
    const w = (ri * i) / 60;
    const c = Math.sqrt(ri * ri - w * w) - 0.0002;
    const top = Math.min(surface, c);
    if (top <= -c) continue;
    const a = 2 * w * (top + c);
    if (!best || Math.abs(a - area) < Math.abs(2 * best.w * (best.top - best.bottom) - area)) best = { w, top, bottom: -c };
  }
  if (best) {
    parts.push(part({ type: 'box', size: [length - 2 * o.wall - 0.001, best.top - best.bottom, 2 * best.w] }, liquid, [0, (best.top + best.bottom) / 2, 0]));
  }
  return finish(kind, parts);
}

/** A drinks can (aluminium, 0.1 mm wall) with some liquid left in it. */
export function drinkCan(rng: Rng, roomHeight: number): ItemModel {
  return lyingVessel('drink-can', rng, { radius: [0.026, 0.033], length: [0.115, 0.168], wall: 0.0003, shell: 'aluminium', liquids: ['water'] }, roomHeight);
}

/** A glass bottle of wine, spirits or oil. */
export function glassBottle(rng: Rng, roomHeight: number): ItemModel {
  return lyingVessel('glass-bottle', rng, { radius: [0.03, 0.04], length: [0.2, 0.3], wall: 0.003, shell: 'glass', liquids: ['water', 'alcohol', 'oil'] }, roomHeight);
}
