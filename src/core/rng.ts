/**
 * Deterministic random numbers. Every random choice in exoray comes from a
 * generator seeded from the run seed, so the same seed and config give the same
 * output on every machine (no Math.random anywhere).
 */

/** 32-bit mix (from the murmur3 finaliser): spreads nearby integers apart. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Derives an independent 32-bit seed from a parent seed and a list of keys (ints or strings). */
export function deriveSeed(seed: number, ...keys: Array<number | string>): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  for (const key of keys) {
    if (typeof key === 'number') {
      h = mix32(h ^ mix32((key >>> 0) + 0x7f4a7c15));
      // Keep the high part of large integers too.
      h = mix32(h ^ Math.floor(key / 2 ** 32));
    } else {
      for (let i = 0; i < key.length; i++) h = mix32(h ^ (key.charCodeAt(i) + 0x632be5ab));
    }
  }
  return h >>> 0;
}

/** sfc32: small, fast, passes PractRand to large sizes; state from splitting the seed. */
export class Rng {
  // The state is kept as signed 32-bit integers (`| 0`), the same bits as the
  // unsigned words of sfc32: V8 stores those as small integers in the object,
  // whereas values above 2^31 became heap numbers on every update, a draw then
  // costing ~50 ns and garbage instead of a few ns.
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mix32(seed ^ 0xa5a5a5a5) | 0;
    this.b = mix32(seed + 0x3c6ef372) | 0;
    this.c = mix32(seed ^ 0x5bd1e995) | 0;
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks an index with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  private spareNormal: number | null = null;

  /** Normal variate (Box-Muller; each pair of uniforms gives two, the second kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return mean + sd * radius * Math.cos(angle);
  }

  /** Uniformly distributed rotation (Shoemake), as a unit quaternion [x, y, z, w]. */
  quaternion(): [number, number, number, number] {
    const u1 = this.next();
    const u2 = this.next() * 2 * Math.PI;
    const u3 = this.next() * 2 * Math.PI;
    const s1 = Math.sqrt(1 - u1);
    const s2 = Math.sqrt(u1);
    return [s1 * Math.sin(u2), s1 * Math.cos(u2), s2 * Math.sin(u3), s2 * Math.cos(u3)];
  }
}
