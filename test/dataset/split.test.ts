import { describe, expect, it } from 'vitest';
import { normaliseSplitRatios, parseSplitRatios, splitOf, splitPoint, type SplitName } from '../../src/dataset/split.js';
import { formatSampleId } from '../../src/db/records.js';

const usage = expect.objectContaining({ code: 'E_USAGE' });
const IDS = Array.from({ length: 10_000 }, (_, i) => formatSampleId(i));

function shares(seed: number, ratios: { train: number; val: number; test: number }): Record<SplitName, number> {
  const n: Record<SplitName, number> = { train: 0, val: 0, test: 0 };
  for (const id of IDS) n[splitOf(id, seed, ratios)]++;
  return { train: n.train / IDS.length, val: n.val / IDS.length, test: n.test / IDS.length };
}

describe('splitOf', () => {
  it.each([
    [1, { train: 80, val: 10, test: 10 }],
    [7, { train: 0.7, val: 0.2, test: 0.1 }],
    [123456789, { train: 1, val: 1, test: 1 }],
  ])('matches the ratios within 1.5%% over 10,000 ids (seed %i)', (seed, ratios) => {
    const got = shares(seed, ratios);
    const want = normaliseSplitRatios(ratios);
    for (const name of ['train', 'val', 'test'] as const) expect(Math.abs(got[name] - want[name])).toBeLessThan(0.015);
  });

  it('gives a zero-ratio split nothing and a sole split everything', () => {
    expect(shares(3, { train: 9, val: 1, test: 0 }).test).toBe(0);
    expect(shares(3, { train: 0, val: 0, test: 1 })).toEqual({ train: 0, val: 0, test: 1 });
  });

  it('depends only on the sample: the same id lands in the same split whatever else is generated', () => {
    const ratios = { train: 80, val: 10, test: 10 };
    const small = IDS.slice(0, 500).map((id) => splitOf(id, 42, ratios));
    // Another run, in another order, with many more samples: the first 500 keep their splits.
    const big = new Map([...IDS].reverse().map((id) => [id, splitOf(id, 42, ratios)]));
    expect(IDS.slice(0, 500).map((id) => big.get(id))).toEqual(small);
  });

  it('changes with the seed, and the hash is uniform in [0, 1)', () => {
    const ratios = { train: 1, val: 1, test: 1 };
    const a = IDS.slice(0, 1000).map((id) => splitOf(id, 1, ratios));
    const b = IDS.slice(0, 1000).map((id) => splitOf(id, 2, ratios));
    const same = a.filter((s, i) => s === b[i]).length;
    expect(same).toBeGreaterThan(250); // about 1/3 agree by chance
    expect(same).toBeLessThan(420);
    const points = IDS.map((id) => splitPoint(id, 9));
    expect(Math.min(...points)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...points)).toBeLessThan(1);
    expect(points.every((u) => Number.isInteger(u * 2 ** 32))).toBe(true); // 32-bit hash / 2^32, never 1
    const buckets = new Array(10).fill(0);
    for (const u of points) buckets[Math.floor(u * 10)]++;
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });

  it('keeps the cumulative order train, val, test against the hash', () => {
    const ratios = { train: 50, val: 30, test: 20 };
    for (const id of IDS.slice(0, 2000)) {
      const u = splitPoint(id, 5);
      expect(splitOf(id, 5, ratios)).toBe(u < 0.5 ? 'train' : u < 0.8 ? 'val' : 'test');
    }
  });

  it('rejects negative, non-finite and all-zero ratios with E_USAGE', () => {
    expect(() => splitOf('s000001', 1, { train: -1, val: 1, test: 1 })).toThrow(usage);
    expect(() => splitOf('s000001', 1, { train: NaN, val: 1, test: 1 })).toThrow(/train ratio/);
    expect(() => splitOf('s000001', 1, { train: 1, val: Infinity, test: 1 })).toThrow(/val ratio/);
    expect(() => splitOf('s000001', 1, { train: 0, val: 0, test: 0 })).toThrow(/all 0/);
  });
});

describe('parseSplitRatios', () => {
  it('reads percentages with slashes and fractions with commas, normalised', () => {
    const a = parseSplitRatios('80/10/10');
    expect(a.train).toBeCloseTo(0.8, 12);
    expect(a.val).toBeCloseTo(0.1, 12);
    expect(a.test).toBeCloseTo(0.1, 12);
    const b = parseSplitRatios(' 0.7, 0.2 ,0.1 ');
    expect(b.train).toBeCloseTo(0.7, 12);
    expect(b.val).toBeCloseTo(0.2, 12);
    expect(b.test).toBeCloseTo(0.1, 12);
    expect(parseSplitRatios('1/1/2')).toEqual({ train: 0.25, val: 0.25, test: 0.5 });
    expect(parseSplitRatios('90/10/0')).toEqual({ train: 0.9, val: 0.1, test: 0 });
    expect(parseSplitRatios('.5,.5,0')).toEqual({ train: 0.5, val: 0.5, test: 0 });
  });

  it.each(['80/20', '80/10/5/5', '', '80/10,10', 'a/b/c', '-10/50/60', '1e2/1/1', '0/0/0', '80//20'])('rejects %j with E_USAGE and an example', (text) => {
    expect(() => parseSplitRatios(text)).toThrow(usage);
    expect(() => parseSplitRatios(text)).toThrow(/80\/10\/10/);
  });
});
