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

  /** ORs a stored chunk (CHUNK_BYTES of little-endian words) into its place. */
  orChunk(chunk: number, bytes: Uint8Array): void {
    const base = chunk * CHUNK_WORDS;
    if (base >= this.words.length) return;
    const n = Math.min(CHUNK_WORDS, bytes.byteLength >>> 2);
    // A blob's bytes need not be 4-byte aligned: copy them when not.
    const src = bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, n) : new Uint32Array(bytes.slice(0, n * 4).buffer);
    const words = this.words;
    for (let i = 0; i < n; i++) words[base + i]! |= src[i]!;
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
