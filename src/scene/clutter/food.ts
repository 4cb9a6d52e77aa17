/**
 * Food packages. Dried fruit and nuts are hard negatives: bags of organic lumps of a
 * beetle's size and density that a detector must learn not to call animals.
 */
import type { Rng } from '../../core/rng.js';
import type { Part } from '../../core/types.js';
import { axisAngle, box, cyl, ell, finish, part, ALONG_Z, type ItemModel } from './item.js';

/** A packet of round biscuits lying flat: a PP film around a row of biscuits. */
export function biscuits(rng: Rng): ItemModel {
  const r = rng.uniform(0.025, 0.035);
  const t = rng.uniform(0.006, 0.01);
  const n = rng.int(12, 28);
  const rowLen = n * t;
  const wall = 0.0001;
  const parts: Part[] = [part({ type: 'hollowBox', size: [2 * r + 0.003, 2 * r + 0.003, rowLen + 0.004], wall }, 'polypropylene')];
  parts.push(cyl(r, rowLen, 'starch', [0, 0, 0], ALONG_Z));
  return finish('biscuits', parts);
}

/** A bag of rice, pasta or lentils: grains at bulk density in a PE bag, lying flat. */
export function grainBag(rng: Rng): ItemModel {
  const size: [number, number, number] = [rng.uniform(0.1, 0.15), rng.uniform(0.04, 0.07), rng.uniform(0.16, 0.24)];
  const wall = 0.0001;
  return finish('rice-bag', [
    part({ type: 'hollowBox', size, wall }, 'polyethylene'),
    box([size[0] - 2 * wall - 0.0004, size[1] - 2 * wall - 0.0004, size[2] - 2 * wall - 0.0004], 'rice'),
  ]);
}

/** A chocolate bar: chocolate wrapped in aluminium foil inside a paper sleeve. */
export function chocolateBar(rng: Rng): ItemModel {
  const w = rng.uniform(0.07, 0.085);
  const d = rng.uniform(0.14, 0.16);
  const t = rng.uniform(0.006, 0.012);
  // Foil 30 um thick, the paper sleeve 0.3 mm, each around the last with a hair of air.
  return finish('chocolate-bar', [
    box([w - 0.001, t - 0.001, d - 0.001], 'chocolate'),
    part({ type: 'hollowBox', size: [w - 0.0004, t - 0.0004, d - 0.0004], wall: 0.00003 }, 'aluminium'),
    part({ type: 'hollowBox', size: [w + 0.0004, t + 0.0004, d + 0.0004], wall: 0.0003 }, 'paper'),
  ]);
}

/**
 * A hard negative: a clear PE bag of dried fruit or nuts, lumps of 1-3 cm packed in a
 * loose grid, each lump turned at random.
 */
function snackBag(rng: Rng, roomHeight: number, nuts: boolean): ItemModel {
  const material = nuts ? 'nuts' : 'dried_fruit';
  const cols = rng.int(3, 5);
  const rows = rng.int(4, 7);
  const layers = roomHeight > 0.06 ? rng.int(1, 2) : 1;
  const cell = nuts ? 0.022 : 0.028;
  const parts: Part[] = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < cols; i++) {
      for (let j = 0; j < rows; j++) {
        if (rng.next() < 0.15) continue;
        const rx = (cell / 2) * rng.uniform(0.55, 0.9);
        const ry = (cell / 2) * rng.uniform(0.35, 0.6);
        const rz = (cell / 2) * rng.uniform(0.45, 0.9);
        // The bounding sphere of the largest radius stays inside its cell at any turn.
        const rmax = Math.max(rx, ry, rz);
        const jitter = cell / 2 - rmax - 0.0005;
        parts.push(
          ell([rx, ry, rz], material, [i * cell + rng.uniform(-jitter, jitter), l * cell, j * cell + rng.uniform(-jitter, jitter)], axisAngle([0, 1, 0], rng.uniform(0, Math.PI))),
        );
      }
    }
  }
  if (parts.length === 0) parts.push(ell([cell * 0.4, cell * 0.25, cell * 0.35], material));
  // The bag: a thin PE shell around the lumps, as a box enclosing the grid.
  const inner = finish('snack-bag', parts);
  const h = inner.halfExtents;
  const wall = 0.00008;
  const bag = part({ type: 'hollowBox', size: [2 * h[0] + 0.004, 2 * h[1] + 0.004, 2 * h[2] + 0.004], wall }, 'polyethylene');
  return finish(nuts ? 'nuts-bag' : 'dried-fruit-bag', [...inner.parts, bag]);
}

export const driedFruitBag = (rng: Rng, roomHeight: number): ItemModel => snackBag(rng, roomHeight, false);
export const nutsBag = (rng: Rng, roomHeight: number): ItemModel => snackBag(rng, roomHeight, true);
