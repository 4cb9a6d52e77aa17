/** Seeded mask makers shared by the label tests. */
import { Rng } from '../../src/core/rng.js';

/** Builds a row-major mask from rows of '0'/'1' characters (row 0 = top). */
export function maskFromRows(rows: string[]): { mask: Uint8Array; width: number; height: number } {
  const height = rows.length;
  const width = height > 0 ? rows[0].length : 0;
  const mask = new Uint8Array(width * height);
  rows.forEach((row, y) => {
    for (let x = 0; x < width; x++) mask[y * width + x] = row[x] === '1' ? 1 : 0;
  });
  return { mask, width, height };
}

/** Salt-and-pepper noise: many short runs. */
export function noiseMask(rng: Rng, width: number, height: number, density: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < density ? 1 : 0;
  return mask;
}

/** A few overlapping ellipses: long runs whose lengths change slowly (small and negative deltas). */
export function blobMask(rng: Rng, width: number, height: number, blobs: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let b = 0; b < blobs; b++) {
    const cx = rng.uniform(0, width);
    const cy = rng.uniform(0, height);
    const rx = rng.uniform(1, width / 2);
    const ry = rng.uniform(1, height / 2);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const dx = (x + 0.5 - cx) / rx;
        const dy = (y + 0.5 - cy) / ry;
        if (dx * dx + dy * dy <= 1) mask[y * width + x] = 1;
      }
    }
  }
  return mask;
}

/** Column-major run lengths computed the slow, obvious way, as an oracle for the encoder. */
export function naiveColumnMajorCounts(mask: Uint8Array, width: number, height: number): number[] {
  const flat: number[] = [];
  for (let x = 0; x < width; x++) for (let y = 0; y < height; y++) flat.push(mask[y * width + x] ? 1 : 0);
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (const v of flat) {
    if (v !== value) {
      counts.push(run);
      run = 0;
      value = v;
    }
    run++;
  }
  counts.push(run);
  return counts;
}
