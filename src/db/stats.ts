/** Counts and distributions of the samples matching a query: by species, preset, difficulty, split, view. */
import type { SimulationDb } from './database.js';
import { compileQuery } from './query.js';

export interface Stats {
  samples: number;
  animals: number;
  bySpecies: Record<string, number>;
  /** Animals per taxonomic family (from the species snapshot; '(none)' when the species is not in it). */
  byFamily: Record<string, number>;
  byContainer: Record<string, number>;
  byPreset: Record<string, number>;
  byDifficulty: Record<string, number>;
  bySplit: Record<string, number>;
  byView: Record<string, number>;
  animalsPerSample: Record<string, number>;
  /** Latest verdict per sample ('none' when not reviewed yet). */
  byVerdict: Record<string, number>;
  /** Reasons given with the latest verdicts. */
  byReason: Record<string, number>;
  visibility: { mean: number | null; min: number | null; max: number | null };
}

export function datasetStats(db: SimulationDb, query = ''): Stats {
  const { where, params } = compileQuery(query);
  const conn = db.connection;
  // Samples matching the query, once; every figure below is about them.
  const matching = `SELECT s.id FROM samples s WHERE ${where}`;
  const groups = (sql: string): Record<string, number> =>
    Object.fromEntries((conn.prepare(sql).all(...params) as Array<{ k: string | number | null; n: number }>).map((r) => [String(r.k ?? '(none)'), r.n]));
  const count = (sql: string) => (conn.prepare(sql).get(...params) as { n: number }).n;
  const vis = conn
    .prepare(`SELECT avg(visibility) AS mean, min(visibility) AS min, max(visibility) AS max FROM instances WHERE sample_id IN (${matching})`)
    .get(...params) as Stats['visibility'];
  return {
    samples: count(`SELECT count(*) AS n FROM (${matching})`),
    animals: count(`SELECT count(*) AS n FROM instances WHERE sample_id IN (${matching})`),
    bySpecies: groups(`SELECT species AS k, count(*) AS n FROM instances WHERE sample_id IN (${matching}) GROUP BY k ORDER BY n DESC, k`),
    byFamily: groups(
      `SELECT sp.family AS k, count(*) AS n FROM instances i LEFT JOIN species sp ON sp.id = i.species WHERE i.sample_id IN (${matching}) GROUP BY k ORDER BY n DESC, k`,
    ),
    byContainer: groups(`SELECT container_kind AS k, count(*) AS n FROM samples WHERE id IN (${matching}) GROUP BY k ORDER BY n DESC, k`),
    byDifficulty: groups(`SELECT difficulty AS k, count(*) AS n FROM instances WHERE sample_id IN (${matching}) GROUP BY k ORDER BY k`),
    byView: groups(`SELECT view AS k, count(*) AS n FROM instances WHERE sample_id IN (${matching}) GROUP BY k ORDER BY k`),
    byPreset: groups(`SELECT preset AS k, count(*) AS n FROM samples WHERE id IN (${matching}) GROUP BY k ORDER BY n DESC, k`),
    bySplit: groups(`SELECT split AS k, count(*) AS n FROM samples WHERE id IN (${matching}) GROUP BY k ORDER BY k`),
    animalsPerSample: groups(`SELECT animal_count AS k, count(*) AS n FROM samples WHERE id IN (${matching}) GROUP BY k ORDER BY k`),
    byVerdict: groups(
      `SELECT coalesce((SELECT verdict FROM reviews r WHERE r.sample_id = s.id ORDER BY r.id DESC LIMIT 1), 'none') AS k, count(*) AS n FROM samples s WHERE s.id IN (${matching}) GROUP BY k ORDER BY k`,
    ),
    byReason: groups(`SELECT reason AS k, count(*) AS n FROM latest_reviews WHERE reason IS NOT NULL AND sample_id IN (${matching}) GROUP BY k ORDER BY n DESC, k`),
    visibility: vis,
  };
}
