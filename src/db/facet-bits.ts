/**
 * The facet bitmaps (schema migration 8): for every facet value, the set of samples that have
 * it, as bitmaps over the samples' rowids (the sample key, "sk"), stored in chunks of 65,536
 * samples in `facet_bits`; and each sample's visibility figures in `facet_vis`. Queries built of
 * facet terms and the counts of the review page's facets are then bitmap arithmetic
 * (facet-index.ts, facet-plan.ts) instead of one index probe per matching row.
 *
 * Who keeps them:
 * - the insert path (database.ts) adds a large batch with FacetBitsWriter, in its transaction
 *   (bits of new samples are set; nothing is read back but the chunks it touches). A small
 *   batch (a run committing each sample as it finishes) is only logged in `facet_dirty`:
 *   rewriting a dozen 8 KB chunks per sample would cost milliseconds a commit;
 * - every other change (deletes, updates, reviews) is logged by triggers into `facet_dirty`
 *   (the sample keys whose facets may have changed);
 * - applyFacetDirty() recomputes the logged samples from the tables, in bulk: the writers call
 *   it when APPLY_AT samples are waiting, when they close, and at the end of bulk changes
 *   (refresh, export). Readers patch the waiting samples into their copy the same way;
 * - rebuildFacetBits() recomputes everything (migration 8, merge, recountFacets).
 */
import type Database from 'better-sqlite3';
import { CHUNK_BITS, CHUNK_WORDS, chunkOf, encodeChunk, orChunkInto } from './bitmap.js';
import { INSTANCE_KEYS } from './instance-key.js';
import {
  facetValuesOf,
  valueId,
  visibilityOf,
  visitFacetValues,
  type AnimalFacetRow,
  type FacetKey,
  type FacetValue,
  type FacetVisitor,
  type SampleFacetRow,
  type VisibilityFigures,
} from './facet-values.js';

/** Samples per facet_vis row: sum, min, max (f64) and n (u16) each, 26 KB (few rows: see bitmap.ts). */
export const VIS_CHUNK = 1024;
const VIS_BYTES = VIS_CHUNK * 26;

/** How facet_bits and facet_values store a NULL key (the key is part of the primary key). */
const NULL_KEY = Buffer.alloc(0);
export const keyParam = (key: FacetKey): string | number | Buffer => (key === null ? NULL_KEY : key);
export const keyFromSql = (key: unknown): FacetKey => (Buffer.isBuffer(key) || key instanceof Uint8Array ? null : (key as string | number));

/** A stored chunk as words of its own (a copy, to change and store again). */
export function chunkWords(blob: Uint8Array): Uint32Array {
  const words = new Uint32Array(CHUNK_WORDS);
  orChunkInto(words, 0, blob);
  return words;
}

const wordsBlob = encodeChunk;

/** The visibility figures of VIS_CHUNK samples, as stored in one facet_vis row. */
export class VisChunk {
  private readonly bytes: Uint8Array;
  readonly sum: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly n: Uint16Array;

  /** A stored row (read in place when aligned and whole, else copied), or an empty one. */
  constructor(blob?: Uint8Array) {
    const inPlace = blob !== undefined && blob.byteOffset % 8 === 0 && blob.byteLength === VIS_BYTES;
    const buffer = inPlace ? blob.buffer : new ArrayBuffer(VIS_BYTES);
    const at = inPlace ? blob.byteOffset : 0;
    this.bytes = new Uint8Array(buffer, at, VIS_BYTES);
    if (blob && !inPlace) this.bytes.set(blob.subarray(0, VIS_BYTES));
    this.sum = new Float64Array(buffer, at, VIS_CHUNK);
    this.min = new Float64Array(buffer, at + VIS_CHUNK * 8, VIS_CHUNK);
    this.max = new Float64Array(buffer, at + VIS_CHUNK * 16, VIS_CHUNK);
    this.n = new Uint16Array(buffer, at + VIS_CHUNK * 24, VIS_CHUNK);
  }

  put(offset: number, f: VisibilityFigures | null): void {
    this.n[offset] = f ? f.n : 0;
    this.sum[offset] = f ? f.sum : 0;
    this.min[offset] = f ? f.min : 0;
    this.max[offset] = f ? f.max : 0;
  }

  empty(): boolean {
    return this.n.every((n) => n === 0);
  }

  blob(): Buffer {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, VIS_BYTES);
  }
}

interface Statements {
  getBits: Database.Statement;
  putBits: Database.Statement;
  deleteBits: Database.Statement;
  addValue: Database.Statement;
  getVis: Database.Statement;
  putVis: Database.Statement;
  deleteVis: Database.Statement;
  state: Database.Statement;
  putState: Database.Statement;
  waiting: Database.Statement;
  logSample: Database.Statement;
}

const prepared = new WeakMap<Database.Database, Statements>();

function statements(conn: Database.Database): Statements {
  let s = prepared.get(conn);
  if (!s) {
    s = {
      getBits: conn.prepare('SELECT bits FROM facet_bits WHERE facet = ? AND key = ? AND level = ? AND chunk = ?').pluck(),
      putBits: conn.prepare('INSERT OR REPLACE INTO facet_bits (facet, key, level, chunk, bits) VALUES (?, ?, ?, ?, ?)'),
      deleteBits: conn.prepare('DELETE FROM facet_bits WHERE facet = ? AND key = ? AND level = ? AND chunk = ?'),
      addValue: conn.prepare('INSERT OR IGNORE INTO facet_values (facet, key, level) VALUES (?, ?, ?)'),
      getVis: conn.prepare('SELECT data FROM facet_vis WHERE chunk = ?').pluck(),
      putVis: conn.prepare('INSERT OR REPLACE INTO facet_vis (chunk, data) VALUES (?, ?)'),
      deleteVis: conn.prepare('DELETE FROM facet_vis WHERE chunk = ?'),
      state: conn.prepare('SELECT max_sk, ordered, last_run, last_index FROM facet_state WHERE id = 1'),
      putState: conn.prepare('INSERT OR REPLACE INTO facet_state (id, max_sk, ordered, last_run, last_index) VALUES (1, ?, ?, ?, ?)'),
      waiting: conn.prepare('SELECT count(*) FROM facet_dirty').pluck(),
      logSample: conn.prepare('INSERT OR IGNORE INTO facet_dirty (sk) VALUES (?)'),
    };
    prepared.set(conn, s);
  }
  return s;
}

export interface FacetState {
  /** The highest sample key the bitmaps cover; a sample above it was inserted without them. */
  max_sk: number;
  /** 1 when the samples' key order is their gallery order (run_id, sample_index). */
  ordered: number;
  last_run: number | null;
  last_index: number | null;
}

export function readFacetState(conn: Database.Database): FacetState | undefined {
  return statements(conn).state.get() as FacetState | undefined;
}

/**
 * Samples waiting in facet_dirty before a writer applies them: readers patch up to this many
 * per query (some 5 us each), a writer applies them for some 15 us each.
 */
export const APPLY_AT = 1000;

/** How many samples wait in facet_dirty. */
export const waitingSamples = (conn: Database.Database): number => statements(conn).waiting.get() as number;

/**
 * One chunk's words, reused by every flush: a batch keeps only the offsets it sets (a chunk of
 * its own per touched value was 8 KB of garbage a value, some 270 values a batch, and as much
 * again for a sample committed alone).
 */
const scratch = new Uint32Array(CHUNK_WORDS);

/** A batch's new samples, added to the bitmaps in one go at the end of the batch. */
export class FacetBitsWriter {
  /** facet -> key -> level - 1 -> chunk -> offsets set in it (nested maps: no key strings to build per sample). */
  private readonly bits = new Map<string, Map<FacetKey, Array<Map<number, number[]>>>>();
  private readonly vis = new Map<number, Array<[number, VisibilityFigures]>>();
  private readonly keys: number[] = [];
  private maxSk = -1;
  private first: [number, number] | undefined;
  private last: [number, number] | undefined;
  private ordered = true;

  /** The key being added (set before visiting its values). */
  private chunk = 0;
  private offset = 0;
  /** One function for every sample's visit (no closure made per sample). */
  private readonly visit: FacetVisitor = (facet, key, level) => {
    let byKey = this.bits.get(facet);
    if (!byKey) this.bits.set(facet, (byKey = new Map()));
    let levels = byKey.get(key);
    if (!levels) byKey.set(key, (levels = []));
    const chunks = (levels[level - 1] ??= new Map());
    const offsets = chunks.get(this.chunk);
    if (offsets) offsets.push(this.offset);
    else chunks.set(this.chunk, [this.offset]);
  };

  /** A new sample, from its faceted columns and animals (no value objects made), and its gallery position. */
  addSample(sk: number, sample: SampleFacetRow, animals: readonly AnimalFacetRow[], runId: number, sampleIndex: number): void {
    this.at(sk);
    visitFacetValues(sample, animals, this.visit);
    this.place(sk, visibilityOf(animals), runId, sampleIndex);
  }

  private at(sk: number): void {
    this.chunk = chunkOf(sk);
    this.offset = sk % CHUNK_BITS;
  }

  private place(sk: number, vis: VisibilityFigures | null, runId: number, sampleIndex: number): void {
    if (vis) {
      const vchunk = Math.floor(sk / VIS_CHUNK);
      let list = this.vis.get(vchunk);
      if (!list) this.vis.set(vchunk, (list = []));
      list.push([sk % VIS_CHUNK, vis]);
    }
    this.keys.push(sk);
    if (sk > this.maxSk) this.maxSk = sk;
    // The gallery order is (run_id, sample_index); keys grow with inserts.
    if (this.last && (runId < this.last[0] || (runId === this.last[0] && sampleIndex <= this.last[1]))) this.ordered = false;
    this.first ??= [runId, sampleIndex];
    this.last = [runId, sampleIndex];
  }

  get empty(): boolean {
    return this.maxSk < 0;
  }

  /**
   * Writes the batch (inside the caller's transaction) and empties it: its bits, or with `log`
   * only its keys into facet_dirty, for applyFacetDirty() to set later with others.
   */
  flush(conn: Database.Database, options: { log?: boolean } = {}): void {
    if (this.empty) return;
    const s = statements(conn);
    if (options.log) {
      for (const sk of this.keys) s.logSample.run(sk);
      this.bits.clear();
      this.vis.clear();
    }
    for (const [facet, byKey] of this.bits) {
      for (const [k, levels] of byKey) {
        const key = keyParam(k);
        levels.forEach((chunks, i) => {
          const level = i + 1;
          s.addValue.run(facet, key, level);
          for (const [chunk, offsets] of chunks) {
            const stored = s.getBits.get(facet, key, level, chunk) as Buffer | undefined;
            const words = scratch;
            if (stored) orChunkInto(words, 0, stored);
            for (const o of offsets) words[o >>> 5]! |= 1 << (o & 31);
            // The blob is copied when bound, so the scratch words can be cleared right after.
            s.putBits.run(facet, key, level, chunk, wordsBlob(words));
            words.fill(0);
          }
        });
      }
    }
    for (const [vchunk, list] of this.vis) {
      const stored = s.getVis.get(vchunk) as Buffer | undefined;
      const c = new VisChunk(stored);
      for (const [offset, f] of list) c.put(offset, f);
      s.putVis.run(vchunk, c.blob());
    }
    const state = readFacetState(conn) ?? { max_sk: 0, ordered: 1, last_run: null, last_index: null };
    const [run, index] = this.first!;
    const after = state.last_run === null || run > state.last_run || (run === state.last_run && index > state.last_index!);
    const ordered = state.ordered === 1 && this.ordered && after;
    s.putState.run(Math.max(state.max_sk, this.maxSk), ordered ? 1 : 0, this.last![0], this.last![1]);
    this.bits.clear();
    this.vis.clear();
    this.keys.length = 0;
    this.maxSk = -1;
    this.first = undefined;
    this.last = undefined;
    this.ordered = true;
  }
}

/** A sample's facets as read back from the tables (undefined when the sample is gone). */
export interface SampleFacets {
  values: FacetValue[];
  vis: VisibilityFigures | null;
}

type SampleRowWithKey = SampleFacetRow & { sk: number; run_id: number; sample_index: number };
type AnimalRowWithKey = AnimalFacetRow & { sk: number };

const SAMPLE_FACET_SQL =
  'SELECT s.rowid AS sk, s.run_id, s.sample_index, s.preset, s.container_kind, s.split, s.status, s.animal_count, v.verdict, v.reason FROM samples s LEFT JOIN sample_verdicts v ON v.sample_id = s.id';
// A sample's animals are the ids from sk * INSTANCE_KEYS (schema version 11): ranges, not a join.
const ANIMAL_FACET_SQL = 'SELECT i.sample_sk AS sk, i.species, i.difficulty, i.view, i.visibility FROM instance_rows i';

/**
 * The animals of the samples whose keys are the JSON array bound. CROSS JOIN keeps the keys
 * outside: each is one range of ids. (With an ORDER BY on the ids SQLite scanned the whole
 * table instead: every animal of a million samples for each call.)
 */
export const ANIMALS_OF_KEYS_SQL = `SELECT i.sample_sk AS sk, i.species, i.difficulty, i.view, i.visibility FROM json_each(?) j
  CROSS JOIN instance_rows i ON i.id BETWEEN j.value * ${INSTANCE_KEYS} AND j.value * ${INSTANCE_KEYS} + ${INSTANCE_KEYS - 1}`;

/** The current facets of the given samples, from the tables. */
export function readSampleFacets(conn: Database.Database, sks: readonly number[]): Map<number, SampleFacets> {
  const out = new Map<number, SampleFacets>();
  const samples = conn.prepare(`${SAMPLE_FACET_SQL} WHERE s.rowid IN (SELECT value FROM json_each(?))`);
  const animals = conn.prepare(ANIMALS_OF_KEYS_SQL);
  for (let i = 0; i < sks.length; i += 5000) {
    const list = JSON.stringify(sks.slice(i, i + 5000));
    const byKey = new Map<number, AnimalFacetRow[]>();
    for (const a of animals.all(list) as AnimalRowWithKey[]) {
      let l = byKey.get(a.sk);
      if (!l) byKey.set(a.sk, (l = []));
      l.push(a);
    }
    for (const s of samples.all(list) as SampleRowWithKey[]) {
      const list = byKey.get(s.sk) ?? [];
      out.set(s.sk, { values: facetValuesOf(s, list), vis: visibilityOf(list) });
    }
  }
  return out;
}

/** Above this many logged samples, recomputing everything is cheaper than patching each. */
const PATCH_LIMIT = 20_000;

/**
 * Recomputes the samples logged in facet_dirty from the tables and empties the log. Call it
 * inside the transaction that changed them, or after; cheap when the log is short.
 */
export function applyFacetDirty(conn: Database.Database): number {
  const dirty = conn.prepare('SELECT sk FROM facet_dirty ORDER BY sk').pluck().all() as number[];
  if (dirty.length === 0) return 0;
  const state = readFacetState(conn);
  if (!state || dirty.length > PATCH_LIMIT) {
    rebuildFacetBits(conn);
    return dirty.length;
  }
  const s = statements(conn);
  const current = readSampleFacets(conn, dirty);
  const values = new Map<string, FacetValue>();
  for (const r of conn.prepare('SELECT facet, key, level FROM facet_values').all() as Array<{ facet: string; key: unknown; level: number }>) {
    const v = { facet: r.facet, key: keyFromSql(r.key), level: r.level };
    values.set(valueId(v.facet, v.key, v.level), v);
  }
  const wanted = new Map<number, Set<string>>();
  for (const [sk, f] of current) {
    const ids = new Set<string>();
    for (const v of f.values) {
      const id = valueId(v.facet, v.key, v.level);
      ids.add(id);
      if (!values.has(id)) {
        values.set(id, v);
        s.addValue.run(v.facet, keyParam(v.key), v.level);
      }
    }
    wanted.set(sk, ids);
  }
  const byChunk = groupBy(dirty, (sk) => chunkOf(sk));
  for (const [chunk, sks] of byChunk) {
    for (const [id, v] of values) {
      const key = keyParam(v.key);
      const stored = s.getBits.get(v.facet, key, v.level, chunk) as Buffer | undefined;
      const words = stored ? chunkWords(stored) : new Uint32Array(CHUNK_WORDS);
      let changed = false;
      for (const sk of sks) {
        const word = (sk % CHUNK_BITS) >>> 5;
        const bit = 1 << (sk & 31);
        const want = wanted.get(sk)?.has(id) ?? false;
        if (want !== ((words[word]! & bit) !== 0)) {
          words[word]! ^= bit;
          changed = true;
        }
      }
      if (!changed) continue;
      if (words.every((w) => w === 0)) s.deleteBits.run(v.facet, key, v.level, chunk);
      else s.putBits.run(v.facet, key, v.level, chunk, wordsBlob(words));
    }
  }
  for (const [vchunk, sks] of groupBy(dirty, (sk) => Math.floor(sk / VIS_CHUNK))) {
    const stored = s.getVis.get(vchunk) as Buffer | undefined;
    const c = new VisChunk(stored);
    for (const sk of sks) c.put(sk % VIS_CHUNK, current.get(sk)?.vis ?? null);
    if (c.empty()) s.deleteVis.run(vchunk);
    else s.putVis.run(vchunk, c.blob());
  }
  const top = Math.max(...current.keys(), -1);
  if (top > state.max_sk) s.putState.run(top, 0, state.last_run, state.last_index);
  conn.prepare('DELETE FROM facet_dirty').run();
  return dirty.length;
}

/** Recomputes every bitmap and visibility row from the tables (migration 8, merge, recount). */
export function rebuildFacetBits(conn: Database.Database): void {
  conn.exec('DELETE FROM facet_bits; DELETE FROM facet_values; DELETE FROM facet_vis; DELETE FROM facet_dirty; DELETE FROM facet_state;');
  const s = statements(conn);
  s.putState.run(0, 1, null, null);
  const top = (conn.prepare('SELECT max(rowid) FROM samples').pluck().get() as number | null) ?? 0;
  const samples = conn.prepare(`${SAMPLE_FACET_SQL} WHERE s.rowid >= ? AND s.rowid < ? ORDER BY s.rowid`);
  // Migration 8 runs this on the tables of its time (animals keyed by text id, before version 11).
  const keyed = conn.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'instance_rows'").get() !== undefined;
  const animals = conn.prepare(
    keyed
      ? `${ANIMAL_FACET_SQL} WHERE i.id >= ? * ${INSTANCE_KEYS} AND i.id < ? * ${INSTANCE_KEYS} ORDER BY i.id`
      : 'SELECT s.rowid AS sk, i.species, i.difficulty, i.view, i.visibility FROM samples s JOIN instances i ON i.sample_id = s.id WHERE s.rowid >= ? AND s.rowid < ? ORDER BY s.rowid',
  );
  const writer = new FacetBitsWriter();
  for (let lo = 0; lo <= top; lo += CHUNK_BITS) {
    const hi = lo + CHUNK_BITS;
    const byKey = new Map<number, AnimalFacetRow[]>();
    for (const a of animals.iterate(lo, hi) as IterableIterator<AnimalRowWithKey>) {
      let l = byKey.get(a.sk);
      if (!l) byKey.set(a.sk, (l = []));
      l.push(a);
    }
    for (const r of samples.iterate(lo, hi) as IterableIterator<SampleRowWithKey>) {
      const list = byKey.get(r.sk) ?? [];
      writer.addSample(r.sk, r, list, r.run_id, r.sample_index);
    }
    // A chunk at a time: its rows are written once, whole.
    writer.flush(conn);
  }
  if (top > 0) {
    const state = readFacetState(conn)!;
    if (state.max_sk < top) s.putState.run(top, state.ordered, state.last_run, state.last_index);
  }
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const t of items) {
    const k = key(t);
    let l = m.get(k);
    if (!l) m.set(k, (l = []));
    l.push(t);
  }
  return m;
}
