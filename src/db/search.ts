/** Samples matching a query (src/db/query.ts), a page at a time, with the total count. */
import type { SimulationDb } from './database.js';
import { compileQuery } from './query.js';
import { rowToSummary, type SampleRow, type SampleSummary } from './records.js';

export interface SearchResult {
  total: number;
  samples: SampleSummary[];
}

const SUMMARY =
  's.id, s.run_id, s.sample_index, s.seed, s.preset, s.split, s.width, s.height, s.container_kind, s.clutter_count, ' +
  's.animal_count, s.image_path, s.raw_path, s.image_sha256, s.raw_sha256, s.render_ms, s.created_at, ' +
  's.status, s.target_species, s.model_sha256';

export function searchSamples(db: SimulationDb, query: string, page: { limit?: number; offset?: number } = {}): SearchResult {
  const { where, params } = compileQuery(query);
  const conn = db.connection;
  const total = (conn.prepare(`SELECT count(*) AS n FROM samples s WHERE ${where}`).get(...params) as { n: number }).n;
  const rows = conn
    .prepare(`SELECT ${SUMMARY} FROM samples s WHERE ${where} ORDER BY s.run_id, s.sample_index LIMIT ? OFFSET ?`)
    .all(...params, page.limit ?? 100, page.offset ?? 0) as SampleRow[];
  return { total, samples: rows.map((r) => rowToSummary({ ...r, scanner_json: '', scene_json: '' })) };
}
