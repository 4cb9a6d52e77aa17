import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { Bitmap, CHUNK_BITS, CHUNK_BYTES, CHUNK_WORDS, chunkView, encodeChunk, orChunkInto, popcount32 } from '../../src/db/bitmap.js';
import { chunkWords } from '../../src/db/facet-bits.js';
import { VIS_BUCKETS, VIS_STEPS, bucketMatch, facetValuesOf, visibilityBucket, visibilityOf } from '../../src/db/facet-values.js';

/** A random set of keys below `size` and the same set as a sorted array. */
function randomSet(rng: Rng, size: number, density: number): { bits: Bitmap; keys: number[] } {
  const keys: number[] = [];
  for (let k = 0; k < size; k++) if (rng.next() < density) keys.push(k);
  return { bits: Bitmap.of(size, keys), keys };
}

describe('Bitmap', () => {
  it('counts bits of any 32-bit word', () => {
    for (const [w, n] of [[0, 0], [1, 1], [0x80000000, 1], [0xffffffff, 32], [0x55555555, 16], [0xf0f00f0f, 16]] as const) expect(popcount32(w)).toBe(n);
  });

  it('sets, clears, counts and lists keys across words and chunks', () => {
    const rng = new Rng(5);
    const size = CHUNK_BITS * 2 + 100;
    const { bits, keys } = randomSet(rng, size, 0.03);
    expect(bits.count()).toBe(keys.length);
    expect([...bits.keys()]).toEqual(keys);
    for (const k of keys.slice(0, 10)) expect(bits.has(k)).toBe(true);
    expect(bits.has(size * 4)).toBe(false);
    bits.clear(keys[0]!);
    expect(bits.has(keys[0]!)).toBe(false);
    expect(bits.count()).toBe(keys.length - 1);
  });

  it('pages through its keys: slice(offset, limit) is keys.slice(offset, offset + limit)', () => {
    const { bits, keys } = randomSet(new Rng(6), CHUNK_BITS + 999, 0.2);
    for (const [offset, limit] of [[0, 100], [31, 1], [32, 64], [keys.length - 3, 10], [keys.length, 5], [0, 0], [1234, 77]] as const) {
      expect(bits.slice(offset, limit)).toEqual(keys.slice(offset, offset + limit));
    }
  });

  it('and, or, andNot and countAnd are the set operations', () => {
    const rng = new Rng(7);
    const size = CHUNK_BITS + 64;
    const a = randomSet(rng, size, 0.3);
    const b = randomSet(rng, size, 0.5);
    const inB = new Set(b.keys);
    expect([...a.bits.clone().and(b.bits).keys()]).toEqual(a.keys.filter((k) => inB.has(k)));
    expect(a.bits.countAnd(b.bits)).toBe(a.keys.filter((k) => inB.has(k)).length);
    expect([...a.bits.clone().andNot(b.bits).keys()]).toEqual(a.keys.filter((k) => !inB.has(k)));
    expect([...a.bits.clone().or(b.bits).keys()]).toEqual([...new Set([...a.keys, ...b.keys])].sort((x, y) => x - y));
  });

  it('stores chunks as bytes and reads them back, aligned or not', () => {
    const { bits, keys } = randomSet(new Rng(8), CHUNK_BITS * 3, 0.1);
    const copy = new Bitmap(CHUNK_BITS * 3);
    for (let c = 0; c < 3; c++) {
      const words = new Uint32Array(bits.words.buffer, c * CHUNK_BYTES, CHUNK_BYTES / 4);
      // A blob at an odd offset of its buffer, as SQLite's may be.
      const odd = new Uint8Array(CHUNK_BYTES + 1).subarray(1);
      odd.set(new Uint8Array(words.buffer, words.byteOffset, CHUNK_BYTES));
      expect(chunkWords(odd)).toEqual(words);
      copy.orChunk(c, odd);
    }
    expect([...copy.keys()]).toEqual(keys);
  });
});

describe('facet values of a sample', () => {
  const sample = { preset: 'parcel', container_kind: null, split: 'train', status: 'active', animal_count: 3, verdict: 'rejected', reason: 'label-wrong' };
  const animals = [
    { species: 'tarantula', difficulty: 'easy', view: 'top', visibility: 0.5 },
    { species: 'tarantula', difficulty: 'hidden', view: 'top', visibility: 0.1 },
    { species: 'stag-beetle', difficulty: null, view: 'side', visibility: null },
  ];

  it('has one bitmap per sample facet and a level per animal of the same key', () => {
    const values = facetValuesOf(sample, animals).map((v) => `${v.facet}=${v.key}@${v.level}`);
    expect(values).toEqual([
      'samples=@1', 'preset=parcel@1', 'container=null@1', 'split=train@1', 'status=active@1', 'animal_count=3@1', 'verdict=rejected@1', 'reason=label-wrong@1',
      'visibility=100@1', 'visibility=20@1',
      'species=tarantula@1', 'species=tarantula@2', 'species=stag-beetle@1',
      'difficulty=easy@1', 'difficulty=hidden@1', 'difficulty=null@1',
      'view=top@1', 'view=top@2', 'view=side@1',
    ]);
    // An unreviewed sample has neither verdict nor reason.
    expect(facetValuesOf({ ...sample, verdict: null, reason: null }, []).map((v) => v.facet)).not.toContain('verdict');
  });

  it('sums measured visibilities in units of 1e-9, with the lowest and highest', () => {
    expect(visibilityOf(animals)).toEqual({ n: 2, sum: 600_000_000, min: 0.1, max: 0.5 });
    expect(visibilityOf(animals.slice(2))).toBeNull();
  });
});

describe('visibility buckets', () => {
  const rng = new Rng(9);
  // Values on and next to the bucket ends, and random ones.
  const values = [0, 1, 0.1, 0.3, 0.29, 0.07, 0.57, 0.99, 1 - 1e-12, 0.3 - 1e-17, ...Array.from({ length: 2000 }, () => rng.next()), ...Array.from({ length: 101 }, (_, k) => k / 100)];

  it('put k/100 in bucket 2k and the values between k/100 and (k+1)/100 in bucket 2k+1', () => {
    for (const v of values) {
      const b = visibilityBucket(v);
      const k = b >> 1;
      if (b % 2 === 0) expect(v, String(v)).toBe(k / VIS_STEPS);
      else expect(k / VIS_STEPS < v && v < (k + 1) / VIS_STEPS, String(v)).toBe(true);
      expect(b).toBeLessThanOrEqual(VIS_BUCKETS);
    }
    expect(visibilityBucket(1)).toBe(VIS_BUCKETS);
  });

  it("tell a bound's answer for a whole bucket only when every value of it agrees", () => {
    const pass = (v: number, op: string, t: number) => (op === '<' ? v < t : op === '<=' ? v <= t : op === '>' ? v > t : op === '>=' ? v >= t : v === t);
    for (const op of ['<', '<=', '>', '>=', ':']) {
      for (const t of [0, 0.3, 0.05, 0.333, 1, 0.995, 0.29, 0.5 + 1e-12, ...values.slice(10, 60)]) {
        for (const v of values) {
          const m = bucketMatch(visibilityBucket(v), op, t);
          if (m === 'some') continue;
          if (m === 'all') expect(pass(v, op, t), `${v} ${op} ${t}`).toBe(true);
          if (m === 'none') expect(pass(v, op, t), `${v} ${op} ${t}`).toBe(false);
        }
      }
    }
    // Bounds on a multiple of 0.01 leave no bucket undecided, whatever the operator.
    for (const op of ['<', '<=', '>', '>=', ':']) {
      for (const t of [0, 0.3, 0.05, 0.95, 1]) for (let b = 0; b <= VIS_BUCKETS; b++) expect(bucketMatch(b, op, t), `${b} ${op} ${t}`).not.toBe('some');
    }
  });
});

describe('stored chunks (schema version 9: trailing zeros left out, sparse when shorter)', () => {
  const chunkOf = (offsets: number[]) => {
    const words = new Uint32Array(CHUNK_WORDS);
    for (const o of offsets) words[o >>> 5]! |= 1 << (o & 31);
    return words;
  };
  /** The blob at an odd byte offset, as SQLite may hand it over. */
  const unaligned = (blob: Buffer) => {
    const b = Buffer.alloc(blob.length + 1);
    blob.copy(b, 1);
    return b.subarray(1);
  };

  it('round-trips dense, sparse and truncated chunks, aligned or not', () => {
    const rng = new Rng(11);
    const cases: Array<[string, number[]]> = [
      ['one bit', [40_000]],
      ['two bits (an even count: the last offset repeated)', [3, 65_535]],
      ['bit 31 of a word', [31, 63, 2047 * 32 + 31]],
      ['the start of a chunk being filled', Array.from({ length: 900 }, (_, k) => k)],
      ['a bucket of 1 %', Array.from({ length: CHUNK_BITS }, (_, k) => k).filter(() => rng.next() < 0.01)],
      ['half the samples', Array.from({ length: CHUNK_BITS }, (_, k) => k).filter(() => rng.next() < 0.5)],
    ];
    for (const [what, offsets] of cases) {
      const words = chunkOf(offsets);
      const blob = Buffer.from(encodeChunk(words));
      const sparse = blob.length % 4 === 2;
      const last = Math.max(...offsets) >>> 5;
      // Whichever form is shorter; never longer than the dense chunk.
      expect(blob.length, what).toBe(Math.min((last + 1) * 4, 2 * (offsets.length % 2 ? offsets.length : offsets.length + 1)));
      expect(blob.length, what).toBeLessThanOrEqual(CHUNK_BYTES);
      expect(sparse, what).toBe(blob.length < (last + 1) * 4);
      for (const b of [blob, unaligned(blob)]) {
        expect(chunkWords(b), what).toEqual(words);
        const view = chunkView(b);
        expect([...view, ...new Array(CHUNK_WORDS - view.length).fill(0)], what).toEqual([...words]);
        const bits = new Bitmap(CHUNK_BITS * 2);
        bits.orChunk(1, b);
        expect([...bits.keys()], what).toEqual(offsets.map((o) => CHUNK_BITS + o));
      }
    }
    // A sparse chunk of 1 % of samples is 2 bytes a sample, not 8 KB.
    expect(encodeChunk(chunkOf(cases[4]![1])).length).toBeLessThan(1500);
  });

  it('reads version-8 chunks (always CHUNK_BYTES) and drops what lies beyond the bitmap', () => {
    const words = chunkOf([5, 70, 65_000]);
    const v8 = Buffer.from(words.buffer.slice(0));
    expect(v8.length).toBe(CHUNK_BYTES);
    expect(chunkWords(v8)).toEqual(words);
    const target = new Uint32Array(100);
    orChunkInto(target, 0, encodeChunk(words));
    expect(target[0]).toBe(1 << 5);
    expect(target[2]).toBe(1 << 6);
    expect(target.slice(3).every((w) => w === 0)).toBe(true);
  });
});

