/**
 * Samples matching a query (src/db/query.ts), a page at a time, with the total count.
 *
 * Two ways to the answer, the same answer either way (test/db/search.test.ts):
 * - the facet bitmaps (facet-plan.ts), when the query is made of facet terms: the count is a
 *   popcount and the page the next set bits, whatever the number of matches. A query with
 *   terms the bitmaps do not hold has them narrow its candidates, which SQL then tests, when
 *   the candidates are few;
 * - SQL alone otherwise (a broad query on visibility, ids, seeds...).
 */
import type Database from 'better-sqlite3';
import type { Bitmap } from './bitmap.js';
import type { SimulationDb } from './database.js';
import { FacetIndex } from './facet-index.js';
import { FacetPlanner } from './facet-plan.js';
import { compileTerms, parseQuery, type QueryTerm } from './query.js';
import { rowToSummary, type SampleRow, type SampleSummary } from './records.js';

export interface SearchPage {
  limit?: number;
  offset?: number;
  /**
   * When counting exactly is expensive (a query the bitmaps cannot answer, over many samples),
   * count the matches only up to this many: a gallery's "10,000+". Counts from the bitmaps are
   * exact whatever this says. Without it the total is always exact.
   */
  countUpTo?: number;
  /** Answer with SQL alone, never the bitmaps (to compare the two; the answer is the same). */
  sqlOnly?: boolean;
}

export interface SearchResult {
  /** Samples matching the query; when `capped`, at least this many. */
  total: number;
  samples: SampleSummary[];
  /** Set when `countUpTo` stopped the count: there are at least `total` matches. */
  capped?: true;
  /** How the answer was found: facet bitmaps, bitmaps narrowing an SQL test, or SQL alone. */
  via: 'bitmaps' | 'bitmaps+sql' | 'sql';
}

const SUMMARY =
  's.id, s.run_id, s.sample_index, s.seed, s.preset, s.split, s.width, s.height, s.container_kind, s.clutter_count, ' +
  's.animal_count, s.image_path, s.raw_path, s.image_sha256, s.raw_sha256, s.render_ms, s.created_at, ' +
  's.status, s.target_species, s.model_sha256';

/**
 * Candidates SQL tests one by one (a few microseconds each) before SQL alone is used instead.
 * Above it, the plain SQL plan, which walks the indexes of the narrowest animal term, is cheaper.
 */
export const VERIFY_LIMIT = 25_000;

/**
 * The samples matching `terms` as a bitmap, when the facet bitmaps can give it (exactly, or
 * by testing few candidates in SQL); undefined when SQL alone must answer.
 */
export function matchingBits(conn: Database.Database, index: FacetIndex, terms: readonly QueryTerm[]): { bits: Bitmap; verified: boolean } | undefined {
  const plan = new FacetPlanner(conn, index).plan(terms);
  if (plan.exact) return { bits: plan.bits, verified: false };
  if (plan.bits.count() > VERIFY_LIMIT) return undefined;
  const { where, params } = compileTerms(terms, { perSample: true });
  const test = conn.prepare(`SELECT s.rowid FROM samples s WHERE s.rowid IN (SELECT value FROM json_each(?)) AND ${where}`).pluck();
  const candidates = [...plan.bits.keys()];
  const bits = plan.bits;
  bits.words.fill(0);
  for (let i = 0; i < candidates.length; i += 2000) {
    for (const sk of test.all(JSON.stringify(candidates.slice(i, i + 2000)), ...params) as number[]) bits.set(sk);
  }
  return { bits, verified: true };
}

export function searchSamples(db: SimulationDb, query: string, page: SearchPage = {}): SearchResult {
  const terms = parseQuery(query);
  const conn = db.connection;
  const limit = page.limit ?? 100;
  const offset = page.offset ?? 0;
  // One read transaction: the count and the page are of the same snapshot while a run writes.
  return conn.transaction((): SearchResult => {
    const index = page.sqlOnly ? undefined : FacetIndex.open(conn);
    const found = index && matchingBits(conn, index, terms);
    if (!index || !found) return sqlSearch(conn, terms, limit, offset, page.countUpTo);
    const total = found.bits.count();
    const rows = offset >= total ? [] : pageOf(conn, index, found.bits, total, limit, offset);
    return { total, samples: rows.map(summary), via: found.verified ? 'bitmaps+sql' : 'bitmaps' };
  })();
}

const summary = (r: SampleRow): SampleSummary => rowToSummary({ ...r, scanner_json: '', scene_json: '' });

/** Rows of the samples in `keys`, in gallery order. */
function rowsOf(conn: Database.Database, keys: readonly number[]): SampleRow[] {
  if (keys.length === 0) return [];
  return conn
    .prepare(`SELECT ${SUMMARY} FROM samples s WHERE s.rowid IN (SELECT value FROM json_each(?)) ORDER BY s.run_id, s.sample_index`)
    .all(JSON.stringify(keys)) as SampleRow[];
}

/**
 * Below this many matches out of gallery order, SQL sorts them all (some 1 us each); above, the
 * gallery's index is walked (some 0.3 us a sample, up to the page) testing each key.
 */
const SORT_LIMIT = 5_000;

function pageOf(conn: Database.Database, index: FacetIndex, bits: Bitmap, total: number, limit: number, offset: number): SampleRow[] {
  // Keys in gallery order (one run, a resumed run, a merge, refresh runs): the page is the
  // next set bits.
  if (index.ordered) return rowsOf(conn, bits.slice(offset, limit));
  if (total <= SORT_LIMIT) {
    return conn
      .prepare(`SELECT ${SUMMARY} FROM samples s WHERE s.rowid IN (SELECT value FROM json_each(?)) ORDER BY s.run_id, s.sample_index LIMIT ? OFFSET ?`)
      .all(JSON.stringify([...bits.keys()]), limit, offset) as SampleRow[];
  }
  // Many matches: walk the gallery order (keys from the index alone) and keep the members.
  const keys: number[] = [];
  let skip = offset;
  const walk = conn.prepare('SELECT rowid FROM samples INDEXED BY samples_order ORDER BY run_id, sample_index').pluck().iterate() as IterableIterator<number>;
  for (const sk of walk) {
    if (!bits.has(sk)) continue;
    if (skip > 0) skip--;
    else if (keys.push(sk) === limit) break;
  }
  // Stop the walk (an iterator left open keeps the statement busy).
  walk.return?.();
  return rowsOf(conn, keys);
}

/** The query in SQL alone: count (exact, or up to `cap`), then the page. */
function sqlSearch(conn: Database.Database, terms: readonly QueryTerm[], limit: number, offset: number, cap: number | undefined): SearchResult {
  const { where, params } = compileTerms(terms);
  // Terms tested sample by sample: for walks that stop early (a capped count, a page in order).
  const walk = compileTerms(terms, { perSample: true });
  const total =
    cap === undefined
      ? (conn.prepare(`SELECT count(*) FROM samples s WHERE ${where}`).pluck().get(...params) as number)
      : (conn.prepare(`SELECT count(*) FROM (SELECT 1 FROM samples s WHERE ${walk.where} LIMIT ?)`).pluck().get(...walk.params, cap + 1) as number);
  const capped = cap !== undefined && total > cap;
  if (total === 0 || (offset >= total && !capped)) return { total: capped ? cap : total, samples: [], via: 'sql' };
  // Two ways to the page. Walking the samples in gallery order and testing each stops after
  // about (offset + limit) * all / matches samples; gathering every match and sorting them
  // costs about as many steps as there are matches. Take the cheaper.
  const all = (conn.prepare("SELECT n FROM facet_counts WHERE facet = 'samples' AND key = ''").pluck().get() as number | undefined) ?? 0;
  const inOrder = (offset + limit) * all < total * total || capped;
  const rows = (
    inOrder
      ? conn
          .prepare(`SELECT ${SUMMARY} FROM samples s INDEXED BY samples_order WHERE ${walk.where} ORDER BY s.run_id, s.sample_index LIMIT ? OFFSET ?`)
          .all(...walk.params, limit, offset)
      : conn.prepare(`SELECT ${SUMMARY} FROM samples s WHERE ${where} ORDER BY s.run_id, s.sample_index LIMIT ? OFFSET ?`).all(...params, limit, offset)
  ) as SampleRow[];
  const samples = rows.map(summary);
  return capped ? { total: cap, samples, capped: true, via: 'sql' } : { total, samples, via: 'sql' };
}
