/**
 * Rng keeps its state as signed 32-bit integers for speed; its stream must stay
 * that of sfc32 on unsigned words (below, written the textbook way), or every
 * dataset made before would change.
 */
import { describe, expect, it } from 'vitest';
import { mix32, Rng } from '../../src/core/rng.js';

function sfc32Unsigned(seed: number): () => number {
  let a = mix32(seed ^ 0xa5a5a5a5);
  let b = mix32(seed + 0x3c6ef372);
  let c = mix32(seed ^ 0x5bd1e995);
  let d = 1;
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

describe('Rng', () => {
  it('draws the unsigned sfc32 stream, for seeds across the 32-bit range', () => {
    for (const seed of [0, 1, 42, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 2 ** 32 + 5]) {
      const rng = new Rng(seed);
      const reference = sfc32Unsigned(seed);
      let mismatches = 0;
      let negatives = 0;
      for (let i = 0; i < 20_000; i++) {
        const v = rng.nextUint32();
        if (v !== reference()) mismatches++;
        if (v < 0) negatives++;
      }
      expect({ seed, mismatches, negatives }).toEqual({ seed, mismatches: 0, negatives: 0 });
    }
  });

  it('next() is in [0, 1) and uses all 32 bits', () => {
    const rng = new Rng(9);
    let max = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      max = Math.max(max, u);
    }
    expect(outside).toBe(0);
    expect(max).toBeGreaterThan(0.9999);
  });
});
