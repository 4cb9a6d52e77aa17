/** Samples matching a query (src/db/query.ts), a page at a time, with the total count. */
import type { SimulationDb } from './database.js';
import { compileQuery } from './query.js';
import { rowToSummary, type SampleRow, type SampleSummary } from './records.js';

export interface SearchPage {
  limit?: number;
  offset?: number;
  /**
   * Count the matches only up to this many (a gallery's "10,000+"): counting every match of a
   * broad query over a million samples costs far more than finding its first page.
   * Without it the total is exact.
   */
  countUpTo?: number;
}

export interface SearchResult {
  /** Samples matching the query; with `countUpTo`, at most that many. */
  total: number;
  samples: SampleSummary[];
  /** Set when `countUpTo` stopped the count: there are at least `total` matches. */
  capped?: true;
}

const SUMMARY =
  's.id, s.run_id, s.sample_index, s.seed, s.preset, s.split, s.width, s.height, s.container_kind, s.clutter_count, ' +
  's.animal_count, s.image_path, s.raw_path, s.image_sha256, s.raw_sha256, s.render_ms, s.created_at, ' +
  's.status, s.target_species, s.model_sha256';

export function searchSamples(db: SimulationDb, query: string, page: SearchPage = {}): SearchResult {
  const { where, params } = compileQuery(query);
  // Terms tested sample by sample: for walks that stop early (a capped count, a page in order).
  const walk = compileQuery(query, { perSample: true });
  const conn = db.connection;
  const limit = page.limit ?? 100;
  const offset = page.offset ?? 0;
  // One read transaction: the count and the page are of the same snapshot while a run writes.
  return conn.transaction((): SearchResult => {
    const cap = page.countUpTo;
    const total =
      cap === undefined
        ? (conn.prepare(`SELECT count(*) FROM samples s WHERE ${where}`).pluck().get(...params) as number)
        : (conn.prepare(`SELECT count(*) FROM (SELECT 1 FROM samples s WHERE ${walk.where} LIMIT ?)`).pluck().get(...walk.params, cap + 1) as number);
    const capped = cap !== undefined && total > cap;
    if (total === 0 || (offset >= total && !capped)) return { total: capped ? cap : total, samples: [] };
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
    const samples = rows.map((r) => rowToSummary({ ...r, scanner_json: '', scene_json: '' }));
    return capped ? { total: cap, samples, capped: true } : { total, samples };
  })();
}
