/**
 * A set of sample keys (samples.rowid) as a bitmap, and the fixed-size chunks it is stored in
 * (table facet_bits, see facet-bits.ts). Pure computation, no I/O.
 *
 * At a million samples a bitmap is 32,768 words (128 KB): intersecting two and counting the
 * result takes tens of microseconds, where SQL probes an index once per match.
 */
import { ExorayError } from '../core/errors.js';

/**
 * Sample keys per stored chunk: 65,536 bits, an 8 KB blob. A reader's cost is per row more than
 * per byte (2 KB rows read 4.5 times slower than 8 KB ones for the same bytes), and a million
 * samples are then 16 rows a value. Writers rewrite chunks in bulk (facet-bits.ts), not on
 * every commit of a sample.
 */
export const CHUNK_BITS = 65536;
export const CHUNK_WORDS = CHUNK_BITS / 32;
export const CHUNK_BYTES = CHUNK_BITS / 8;

export const chunkOf = (key: number): number => Math.floor(key / CHUNK_BITS);

// Stored chunks are the host's Uint32Array bytes, little-endian (x64, arm64); refuse a
// big-endian host rather than read them wrongly.
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new ExorayError('E_DATABASE', 'db: the facet bitmaps are stored little-endian and this host is big-endian; run exoray on x64 or arm64.');
}

/*
 * A stored chunk is one of two forms, told apart by the blob's length:
 * - dense: little-endian words, the trailing zero words left out (a length divisible by 4). A
 *   chunk being filled is as long as its filled part; a full chunk is CHUNK_BYTES;
 * - sparse: the set bits' offsets in the chunk as little-endian u16, an odd number of them (the
 *   last repeated when needed), so the length is 2 mod 4. A value that few samples have (a
 *   visibility bucket: 1 % of samples) is then 2 bytes a sample instead of 8 KB a chunk.
 * Writers store whichever is shorter: writing the chunks a batch of samples touched is what
 * the insert path's commit spends most of its pages on (schema version 9). Version-8 chunks
 * (CHUNK_BYTES, dense) read the same.
 */

/** The first `length` bytes in a buffer of their own (a Node Buffer's slice() would share its pool). */
const copyOf = (bytes: Uint8Array, length: number): ArrayBuffer => new Uint8Array(bytes.subarray(0, length)).buffer;

/** The stored form of a chunk's words (CHUNK_WORDS of them), the shorter of dense and sparse. */
export function encodeChunk(words: Uint32Array): Buffer {
  let set = 0;
  let last = -1;
  for (let i = 0; i < CHUNK_WORDS; i++) {
    const w = words[i]!;
    if (w !== 0) {
      set += popcount32(w);
      last = i;
    }
  }
  const dense = (last + 1) * 4;
  const sparse = 2 * (set % 2 === 1 ? set : set + 1);
  if (set === 0 || dense <= sparse) return Buffer.from(words.buffer, words.byteOffset, dense);
  const offsets = new Uint16Array(sparse / 2);
  let k = 0;
  for (let i = 0; i <= last; i++) {
    let w = words[i]!;
    while (w !== 0) {
      const low = w & -w;
      offsets[k++] = (i << 5) | (31 - Math.clz32(low));
      w ^= low;
    }
  }
  if (k < offsets.length) offsets[k] = offsets[k - 1]!;
  return Buffer.from(offsets.buffer, 0, sparse);
}

/** ORs a stored chunk into `target` from word `base` on (what lies beyond target's end is dropped). */
export function orChunkInto(target: Uint32Array, base: number, bytes: Uint8Array): void {
  if (base >= target.length) return;
  const limit = target.length - base;
  // A blob's bytes need not be aligned: copy them when not.
  if (bytes.byteLength % 4 === 2) {
    const n = bytes.byteLength >>> 1;
    const offsets = bytes.byteOffset % 2 === 0 ? new Uint16Array(bytes.buffer, bytes.byteOffset, n) : new Uint16Array(copyOf(bytes, n * 2));
    for (let k = 0; k < n; k++) {
      const o = offsets[k]!;
      const i = o >>> 5;
      if (i < limit) target[base + i]! |= 1 << (o & 31);
    }
    return;
  }
  const n = Math.min(CHUNK_WORDS, limit, bytes.byteLength >>> 2);
  const src = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, n) : new Uint32Array(copyOf(bytes, n * 4));
  for (let i = 0; i < n; i++) target[base + i]! |= src[i]!;
}

/**
 * The set bits' offsets of a sparse stored chunk (ascending; the last may repeat), or undefined
 * for a dense one. Counting against a sparse chunk visits its bits, not its 2,048 words.
 */
export function sparseOffsets(bytes: Uint8Array): Uint16Array | undefined {
  if (bytes.byteLength % 4 !== 2) return undefined;
  const n = bytes.byteLength >>> 1;
  return bytes.byteOffset % 2 === 0 ? new Uint16Array(bytes.buffer, bytes.byteOffset, n) : new Uint16Array(copyOf(bytes, n * 2));
}

/** A stored chunk as words: dense ones in place where aligned (read-only use), else decoded. */
export function chunkView(bytes: Uint8Array): Uint32Array {
  if (bytes.byteLength % 4 === 0) {
    const n = Math.min(CHUNK_WORDS, bytes.byteLength >>> 2);
    return bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, n) : new Uint32Array(copyOf(bytes, n * 4));
  }
  const words = new Uint32Array(CHUNK_WORDS);
  orChunkInto(words, 0, bytes);
  return words;
}

/** Set bits of a 32-bit word (SWAR). */
export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export class Bitmap {
  /** Bit k of the set is bit (k % 32) of words[k >> 5]. */
  readonly words: Uint32Array;

  /** A bitmap for keys 0 .. size-1 (rounded up to whole chunks), all clear. */
  constructor(size: number) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(size / CHUNK_BITS)) * CHUNK_WORDS);
  }

  get size(): number {
    return this.words.length * 32;
  }

  has(key: number): boolean {
    return key >= 0 && key < this.size && (this.words[key >>> 5]! & (1 << (key & 31))) !== 0;
  }

  set(key: number): void {
    this.words[key >>> 5]! |= 1 << (key & 31);
  }

  clear(key: number): void {
    if (key < this.size) this.words[key >>> 5]! &= ~(1 << (key & 31));
  }

  /** ORs a stored chunk (see encodeChunk) into its place. */
  orChunk(chunk: number, bytes: Uint8Array): void {
    orChunkInto(this.words, chunk * CHUNK_WORDS, bytes);
  }

  and(other: Bitmap): this {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i]! &= b[i]!;
    a.fill(0, n);
    return this;
  }

  or(other: Bitmap): this {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i]! |= b[i]!;
    return this;
  }

  andNot(other: Bitmap): this {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) a[i]! &= ~b[i]!;
    return this;
  }

  clone(): Bitmap {
    const copy = new Bitmap(this.size);
    copy.words.set(this.words);
    return copy;
  }

  count(): number {
    let n = 0;
    for (const w of this.words) if (w !== 0) n += popcount32(w);
    return n;
  }

  /** |this AND other| without building the intersection. */
  countAnd(other: Bitmap): number {
    const a = this.words;
    const b = other.words;
    const n = Math.min(a.length, b.length);
    let c = 0;
    for (let i = 0; i < n; i++) {
      const w = a[i]! & b[i]!;
      if (w !== 0) c += popcount32(w);
    }
    return c;
  }

  /** The keys in increasing order, skipping the first `offset`, at most `limit` of them. */
  slice(offset: number, limit: number): number[] {
    const out: number[] = [];
    if (limit <= 0) return out;
    const words = this.words;
    let skip = offset;
    for (let i = 0; i < words.length; i++) {
      let w = words[i]!;
      if (w === 0) continue;
      if (skip > 0) {
        const c = popcount32(w);
        if (c <= skip) {
          skip -= c;
          continue;
        }
      }
      while (w !== 0) {
        const low = w & -w;
        if (skip > 0) skip--;
        else {
          out.push(i * 32 + 31 - Math.clz32(low));
          if (out.length === limit) return out;
        }
        w ^= low;
      }
    }
    return out;
  }

  /** Every key, in increasing order. */
  *keys(): IterableIterator<number> {
    const words = this.words;
    for (let i = 0; i < words.length; i++) {
      let w = words[i]!;
      while (w !== 0) {
        const low = w & -w;
        yield i * 32 + 31 - Math.clz32(low);
        w ^= low;
      }
    }
  }

  static of(size: number, keys: Iterable<number>): Bitmap {
    const b = new Bitmap(size);
    for (const k of keys) b.set(k);
    return b;
  }
}
