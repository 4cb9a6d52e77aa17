/**
 * A reader's view of the facet bitmaps (facet-bits.ts), inside the caller's read transaction:
 * bitmaps by facet value, the visibility figures, and whether sample keys run in gallery order.
 *
 * Samples logged in facet_dirty (changed by a writer that has not recomputed them yet) are
 * read from the tables and patched into every bitmap this view hands out, so answers are those
 * of the tables. The view is refused (undefined: callers use plain SQL) when the bitmaps do not
 * cover the samples: a sample inserted without them, or too many changes waiting.
 */
import type Database from 'better-sqlite3';
import { Bitmap, CHUNK_WORDS, chunkView, popcount32, sparseOffsets } from './bitmap.js';
import { VIS_CHUNK, VisChunk, keyFromSql, keyParam, readFacetState, readSampleFacets, type FacetState, type SampleFacets } from './facet-bits.js';
import { valueId, type FacetKey, type FacetValue } from './facet-values.js';
import { INSTANCE_KEYS } from './instance-key.js';

/** Patched in memory up to this many waiting samples; beyond, SQL answers. */
const READER_PATCH_LIMIT = 5000;

/** A stored chunk's words, in place when the blob is aligned (large blobs are), else copied. */
const wordsOf = chunkView;

/** Keys as SQLite returns them: text, numbers, or the empty blob of NULL. */
const sameKey = (a: unknown, b: unknown): boolean => a === b || (Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.length === 0 && b.length === 0);

/** Each connection's last view and what it was read at (see FacetIndex.open). */
const views = new WeakMap<Database.Database, { stamp: string; index: FacetIndex | undefined }>();

export interface VisibilitySummary {
  n: number;
  sum: number;
  min: number | null;
  max: number | null;
}

/** A stored chunk read for counting: dense words, or a sparse chunk's offsets. */
interface CountRow {
  id: string;
  chunk: number;
  words?: Uint32Array;
  offsets?: Uint16Array;
}

export class FacetIndex {
  private readonly cache = new Map<string, Bitmap>();
  private valueList: FacetValue[] | undefined;
  private countRows: Array<CountRow> | undefined;
  private visRows: Array<[number, VisChunk]> | undefined;

  private constructor(
    private readonly conn: Database.Database,
    /** Bits per bitmap: every sample key is below it. */
    readonly size: number,
    /** Sample keys increase in gallery order (run_id, sample_index). */
    readonly ordered: boolean,
    /** Samples changed since the bitmaps were written: their values now (none: deleted). */
    private readonly dirty: Map<number, { ids: Set<string>; facets: SampleFacets } | undefined>,
  ) {}

  /**
   * The view, or undefined when the bitmaps cannot answer for this database now. Call it inside
   * a read transaction. The view of the connection's previous transaction is reused (its reads
   * cached: some 35 MB at a million samples) when nothing changed since: no other connection
   * committed (PRAGMA data_version, read once this transaction's snapshot has begun) and this
   * one changed nothing (total_changes()).
   */
  static open(conn: Database.Database): FacetIndex | undefined {
    const state = readFacetState(conn);
    if (!state) return undefined;
    const stamp = conn.prepare('SELECT (SELECT data_version FROM pragma_data_version) || \':\' || total_changes()').pluck().get() as string;
    const previous = views.get(conn);
    if (previous?.stamp === stamp) return previous.index;
    const index = FacetIndex.read(conn, state);
    views.set(conn, { stamp, index });
    return index;
  }

  private static read(conn: Database.Database, state: FacetState): FacetIndex | undefined {
    const top = (conn.prepare('SELECT max(rowid) FROM samples').pluck().get() as number | null) ?? 0;
    if (top > state.max_sk) return undefined;
    const waiting = conn.prepare('SELECT sk FROM facet_dirty ORDER BY sk LIMIT ?').pluck().all(READER_PATCH_LIMIT + 1) as number[];
    if (waiting.length > READER_PATCH_LIMIT) return undefined;
    const current = waiting.length ? readSampleFacets(conn, waiting) : new Map<number, SampleFacets>();
    const dirty = new Map(
      waiting.map((sk) => {
        const f = current.get(sk);
        return [sk, f && { ids: new Set(f.values.map((v) => valueId(v.facet, v.key, v.level))), facets: f }] as const;
      }),
    );
    const size = Math.max(state.max_sk, ...waiting) + 1;
    // Order changes only through the writer (facet_state) or an update of run_id/sample_index
    // (a trigger clears it); a waiting sample above max_sk came from elsewhere.
    return new FacetIndex(conn, size, state.ordered === 1 && size === state.max_sk + 1, dirty);
  }

  /** Every value that has (or had) a bitmap, and those of samples waiting to be applied. */
  values(): FacetValue[] {
    if (!this.valueList) {
      const list = (this.conn.prepare('SELECT facet, key, level FROM facet_values').all() as Array<{ facet: string; key: unknown; level: number }>).map((r) => ({
        facet: r.facet,
        key: keyFromSql(r.key),
        level: r.level,
      }));
      const known = new Set(list.map((v) => valueId(v.facet, v.key, v.level)));
      for (const f of this.dirty.values()) {
        for (const v of f?.facets.values ?? []) {
          const id = valueId(v.facet, v.key, v.level);
          if (!known.has(id)) {
            known.add(id);
            list.push(v);
          }
        }
      }
      this.valueList = list;
    }
    return this.valueList;
  }

  /** The keys (level 1, not NULL) of a facet passing an SQL test of `k` (`k = ?`, `k LIKE ?`...), or all. */
  keys(facet: string, test?: { sql: string; param: string | number }): FacetKey[] {
    const present = this.values().filter((v) => v.facet === facet && v.level === 1 && v.key !== null).map((v) => v.key);
    if (!test) return present;
    // SQL tests the keys: its comparisons (LIKE's ASCII case folding, number against text) hold.
    return (this.conn.prepare(`SELECT value AS k FROM json_each(?) WHERE ${test.sql}`).pluck().all(JSON.stringify(present), test.param) as unknown[]).map(keyFromSql);
  }

  /** The samples having this value (a fresh copy the caller may change). */
  bitmap(facet: string, key: FacetKey, level = 1): Bitmap {
    return this.stored(facet, key, level).clone();
  }

  /** Every sample. */
  universe(): Bitmap {
    return this.bitmap('samples', '');
  }

  /** The union of the bitmaps of these keys of a facet. */
  union(facet: string, keys: Iterable<FacetKey>, level = 1): Bitmap {
    const out = new Bitmap(this.size);
    for (const k of keys) out.or(this.stored(facet, k, level));
    return out;
  }

  /**
   * |set AND bitmap(v)| for every value of the facets counted (the visibility buckets are for
   * queries only). The stored chunks are read once per view and counted where they lie, not
   * copied into bitmaps; samples waiting in facet_dirty are counted from their current values.
   */
  counts(set: Bitmap): Array<FacetValue & { n: number }> {
    this.countRows ??= this.readCountRows();
    let members = set;
    if (this.dirty.size > 0) {
      members = set.clone();
      for (const sk of this.dirty.keys()) members.clear(sk);
    }
    const words = members.words;
    const out = new Map<string, FacetValue & { n: number }>();
    for (const v of this.values()) if (v.facet !== 'visibility') out.set(valueId(v.facet, v.key, v.level), { ...v, n: 0 });
    for (const row of this.countRows) {
      let n = 0;
      const base = row.chunk * CHUNK_WORDS;
      const offsets = row.offsets;
      if (offsets) {
        for (let k = 0; k < offsets.length; k++) {
          const o = offsets[k]!;
          // The last offset may repeat (an odd count): count it once.
          if (k > 0 && o === offsets[k - 1]) continue;
          const i = base + (o >>> 5);
          if (i < words.length && (words[i]! & (1 << (o & 31))) !== 0) n++;
        }
      } else {
        const bits = row.words!;
        const end = Math.min(bits.length, words.length - base);
        for (let i = 0; i < end; i++) {
          const w = bits[i]! & words[base + i]!;
          if (w !== 0) n += popcount32(w);
        }
      }
      out.get(row.id)!.n += n;
    }
    for (const [sk, f] of this.dirty) {
      if (!f || !set.has(sk)) continue;
      for (const id of f.ids) {
        const entry = out.get(id);
        if (entry) entry.n++;
      }
    }
    return [...out.values()];
  }

  private readCountRows(): CountRow[] {
    const rows = this.conn.prepare("SELECT facet, key, level, chunk, bits FROM facet_bits WHERE facet <> 'visibility' ORDER BY facet, key, level, chunk").raw().iterate() as IterableIterator<
      [string, unknown, number, number, Buffer]
    >;
    const out: CountRow[] = [];
    let last: [string, unknown, number] | undefined;
    let id = '';
    for (const [facet, rawKey, level, chunk, blob] of rows) {
      // Rows come in key order: a value's chunks one after another.
      if (!last || last[0] !== facet || last[2] !== level || !sameKey(last[1], rawKey)) {
        last = [facet, rawKey, level];
        id = valueId(facet, keyFromSql(rawKey), level);
      }
      const offsets = sparseOffsets(blob);
      out.push(offsets ? { id, chunk, offsets } : { id, chunk, words: wordsOf(blob) });
    }
    return out;
  }

  /** Visibility figures of the samples in `set`: measured animals, sum (1e-9 units), lowest, highest. */
  visibility(set: Bitmap): VisibilitySummary {
    let n = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    const words = set.words;
    // Read once per view (several queries of one stats view share it).
    this.visRows ??= (this.conn.prepare('SELECT chunk, data FROM facet_vis').raw().all() as Array<[number, Buffer]>).map(([chunk, data]) => [chunk, new VisChunk(data)]);
    for (const [chunk, c] of this.visRows) {
      // VIS_CHUNK is a multiple of 32: the chunk's samples are whole words of the set.
      const w0 = (chunk * VIS_CHUNK) >>> 5;
      const w1 = Math.min(words.length, w0 + VIS_CHUNK / 32);
      let any = 0;
      for (let w = w0; w < w1; w++) any |= words[w]!;
      if (any === 0) continue;
      for (let w = w0; w < w1; w++) {
        let bitsLeft = words[w]!;
        while (bitsLeft !== 0) {
          const low = bitsLeft & -bitsLeft;
          const k = (w - w0) * 32 + 31 - Math.clz32(low);
          bitsLeft ^= low;
          const m = c.n[k]!;
          if (m === 0) continue;
          if (this.dirty.size > 0 && this.dirty.has(chunk * VIS_CHUNK + k)) continue;
          n += m;
          sum += c.sum[k]!;
          if (c.min[k]! < min) min = c.min[k]!;
          if (c.max[k]! > max) max = c.max[k]!;
        }
      }
    }
    for (const [sk, f] of this.dirty) {
      const vis = f?.facets.vis;
      if (!vis || !set.has(sk)) continue;
      n += vis.n;
      sum += vis.sum;
      if (vis.min < min) min = vis.min;
      if (vis.max > max) max = vis.max;
    }
    return n === 0 ? { n, sum, min: null, max: null } : { n, sum, min, max };
  }

  /**
   * The lowest and highest visibility of all animals: the samples of the lowest and of the
   * highest non-empty visibility bucket hold them (facet-values.ts), so only theirs are read,
   * from the tables when they are few.
   */
  extremes(): { min: number | null; max: number | null } {
    const buckets = this.values().filter((v) => v.facet === 'visibility').map((v) => v.key as number).sort((a, b) => a - b);
    const first = (keys: number[]) => {
      for (const k of keys) {
        const b = this.stored('visibility', k, 1);
        if (b.count() > 0) return b;
      }
      return undefined;
    };
    const low = first(buckets);
    if (!low) return { min: null, max: null };
    const ends = low.clone().or(first([...buckets].reverse())!);
    if (ends.count() > 2000) {
      const { min, max } = this.visibility(ends);
      return { min, max };
    }
    return this.conn
      .prepare(
        `SELECT min(i.visibility) AS min, max(i.visibility) AS max FROM json_each(?) j
         CROSS JOIN instance_rows i ON i.id BETWEEN j.value * ${INSTANCE_KEYS} AND j.value * ${INSTANCE_KEYS} + ${INSTANCE_KEYS - 1}`,
      )
      .get(JSON.stringify([...ends.keys()])) as { min: number | null; max: number | null };
  }

  private stored(facet: string, key: FacetKey, level: number): Bitmap {
    const id = valueId(facet, key, level);
    let b = this.cache.get(id);
    if (!b) {
      b = new Bitmap(this.size);
      const rows = this.conn.prepare('SELECT chunk, bits FROM facet_bits WHERE facet = ? AND key = ? AND level = ?').raw().iterate(facet, keyParam(key), level) as IterableIterator<
        [number, Buffer]
      >;
      for (const [chunk, bits] of rows) b.orChunk(chunk, bits);
      this.patch(id, b);
      this.cache.set(id, b);
    }
    return b;
  }

  private patch(id: string, b: Bitmap): void {
    for (const [sk, f] of this.dirty) {
      if (f?.ids.has(id)) b.set(sk);
      else b.clear(sk);
    }
  }
}
