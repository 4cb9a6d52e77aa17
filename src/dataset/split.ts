/**
 * Train / val / test assignment by hashing each sample on its own.
 *
 * A sample's split depends only on (seed, sample id, ratios), never on which
 * other samples exist, so growing a dataset (or generating it in shards on
 * several machines) never moves an old sample into another split, and a test
 * image can never leak into training by a re-run.
 *
 * The hash maps to u in [0, 1), compared with the cumulative ratios in the order
 * train, val, test.
 */
import { ExorayError } from '../core/errors.js';
import { deriveSeed } from '../core/rng.js';

export const SPLIT_NAMES = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

function usage(message: string): never {
  throw new ExorayError('E_USAGE', `split: ${message}`);
}

/** Ratios scaled to sum 1; E_USAGE for negative, non-finite or all-zero ratios. */
export function normaliseSplitRatios(ratios: SplitRatios): SplitRatios {
  for (const name of SPLIT_NAMES) {
    const v = ratios[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      usage(`the ${name} ratio is ${JSON.stringify(v)}; ratios must be finite numbers >= 0, e.g. 80/10/10.`);
    }
  }
  const sum = ratios.train + ratios.val + ratios.test;
  if (!(sum > 0)) usage('the train, val and test ratios are all 0; at least one must be positive, e.g. 80/10/10.');
  return { train: ratios.train / sum, val: ratios.val / sum, test: ratios.test / sum };
}

/** Where the hash of (seed, sample id) falls in [0, 1): uniform, and the same for a sample on every run. */
export function splitPoint(sampleId: string, seed: number): number {
  // The 'split' key keeps this hash independent of the other seeds derived from the run seed.
  return deriveSeed(seed, 'split', sampleId) / 4294967296;
}

/** The split of one sample. */
export function splitOf(sampleId: string, seed: number, ratios: SplitRatios): SplitName {
  const r = normaliseSplitRatios(ratios);
  const u = splitPoint(sampleId, seed);
  // u is at most 1 - 2^-32, far below the ~1e-16 rounding of train + val, so a zero test ratio gets no sample.
  if (u < r.train) return 'train';
  if (u < r.train + r.val) return 'val';
  return 'test';
}

/** Parses "80/10/10" or "0.8,0.1,0.1" (any scale; normalised). */
export function parseSplitRatios(text: string): SplitRatios {
  const trimmed = text.trim();
  const separator = trimmed.includes('/') ? '/' : ',';
  const parts = trimmed.split(separator).map((p) => p.trim());
  if (parts.length !== 3) {
    usage(`cannot read ${JSON.stringify(text)}: give three ratios train/val/test, like 80/10/10 or 0.8,0.1,0.1.`);
  }
  const bad = parts.find((p) => !/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(p));
  if (bad !== undefined) {
    usage(`cannot read ${JSON.stringify(text)}: ${JSON.stringify(bad)} is not a non-negative number; give three ratios like 80/10/10 or 0.8,0.1,0.1.`);
  }
  const [train, val, test] = parts.map(Number);
  return normaliseSplitRatios({ train, val, test });
}
