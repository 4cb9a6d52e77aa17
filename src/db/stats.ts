/**
 * Counts and distributions of the samples matching a query: by species, preset, difficulty, split, view.
 *
 * The whole dataset (an empty query, the review page's first view) is read from the tables
 * that triggers keep (facet_counts, species_names, sample_verdicts; schema migration 7), so its
 * cost does not grow with the dataset. A query the facet bitmaps answer (facet-plan.ts) is
 * counted with them (facet-stats.ts): a constant cost too. Otherwise the matching samples, and
 * their animals, are gathered once into temporary tables, and every figure is counted from those.
 */
import type Database from 'better-sqlite3';
import type { SimulationDb } from './database.js';
import { FacetIndex } from './facet-index.js';
import { INSTANCE_KEYS } from './instance-key.js';
import { bitmapStats } from './facet-stats.js';
import { compileTerms, parseQuery } from './query.js';
import { matchingBits } from './search.js';

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

type Row = { k: string | number | null; n: number };

const toRecord = (rows: Row[]): Record<string, number> => Object.fromEntries(rows.map((r) => [String(r.k ?? '(none)'), r.n]));

export interface StatsOptions {
  /** Count with SQL alone, never the kept counts or bitmaps (to compare; the figures are the same). */
  sqlOnly?: boolean;
}

export function datasetStats(db: SimulationDb, query = '', options: StatsOptions = {}): Stats {
  return datasetStatsMany(db, [query], options)[0]!;
}

/**
 * The figures of several queries, of one snapshot: the facet bitmaps are read once for all
 * (the review page's stats view counts a query and each of its presets).
 */
export function datasetStatsMany(db: SimulationDb, queries: readonly string[], options: StatsOptions = {}): Stats[] {
  const parsed = queries.map((q) => parseQuery(q));
  const conn = db.connection;
  // One read transaction: every figure is of the same snapshot while a run keeps writing.
  return conn.transaction(() => {
    let index: FacetIndex | undefined | null = null;
    return parsed.map((terms) => {
      if (terms.length === 0 && !options.sqlOnly) return wholeDataset(conn);
      if (index === null) index = options.sqlOnly ? undefined : FacetIndex.open(conn);
      const found = index && matchingBits(conn, index, terms);
      if (index && found) return bitmapStats(conn, index, found.bits);
      const { where, params } = compileTerms(terms);
      return matching(conn, where, params);
    });
  })();
}

function wholeDataset(conn: Database.Database): Stats {
  // A NULL facet value is stored as x'' (see the migration); 0 counts are left behind by deletes.
  const facet = (name: string, order: string) =>
    toRecord(
      conn
        .prepare(`SELECT CASE WHEN key = x'' THEN NULL ELSE key END AS k, n FROM facet_counts WHERE facet = ? AND n > 0 ORDER BY ${order}`)
        .all(name) as Row[],
    );
  const value = (f: string, k: string) => (conn.prepare('SELECT n FROM facet_counts WHERE facet = ? AND key = ?').pluck().get(f, k) as number | undefined) ?? 0;
  const samples = value('samples', '');
  const verdicts = facet('verdict', 'k');
  const unreviewed = samples - Object.values(verdicts).reduce((a, b) => a + b, 0);
  const measured = value('visibility', 'n');
  // The visibility buckets of the facet bitmaps find the extremes; without them, a scan.
  const extremes = FacetIndex.open(conn)?.extremes() ?? (conn.prepare('SELECT min(visibility) AS min, max(visibility) AS max FROM instances').get() as { min: number | null; max: number | null });
  return {
    samples,
    animals: conn.prepare('SELECT coalesce(sum(n), 0) FROM species_names').pluck().get() as number,
    bySpecies: toRecord(conn.prepare('SELECT species AS k, sum(n) AS n FROM species_names GROUP BY species HAVING sum(n) > 0 ORDER BY 2 DESC, 1').all() as Row[]),
    byFamily: toRecord(
      conn
        .prepare('SELECT sp.family AS k, sum(x.n) AS n FROM species_names x LEFT JOIN species sp ON sp.id = x.species GROUP BY 1 HAVING sum(x.n) > 0 ORDER BY 2 DESC, 1')
        .all() as Row[],
    ),
    byContainer: facet('container', 'n DESC, k'),
    byDifficulty: facet('difficulty', 'k'),
    byView: facet('view', 'k'),
    byPreset: facet('preset', 'n DESC, k'),
    bySplit: facet('split', 'k'),
    animalsPerSample: facet('animal_count', 'k'),
    // As SQLite orders text (bytes): 'none' among the verdicts.
    byVerdict: Object.fromEntries(
      Object.entries(unreviewed > 0 ? { ...verdicts, none: unreviewed } : verdicts).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    ),
    byReason: facet('reason', 'n DESC, k'),
    visibility: {
      mean: measured > 0 ? value('visibility', 'sum') / 1e9 / measured : null,
      min: extremes.min,
      max: extremes.max,
    },
  };
}

function matching(conn: Database.Database, where: string, params: Array<string | number>): Stats {
  conn.exec('DROP TABLE IF EXISTS temp.stats_samples; DROP TABLE IF EXISTS temp.stats_animals');
  try {
    conn
      .prepare(
        `CREATE TEMP TABLE stats_samples AS SELECT s.rowid AS sk, s.id, s.preset, s.container_kind, s.split, s.animal_count, v.verdict, v.reason
         FROM samples s LEFT JOIN sample_verdicts v ON v.sample_id = s.id WHERE ${where}`,
      )
      .run(...params);
    conn.exec(
      `CREATE TEMP TABLE stats_animals AS SELECT i.species, i.difficulty, i.view, i.visibility
       FROM temp.stats_samples m CROSS JOIN instance_rows i ON i.id BETWEEN m.sk * ${INSTANCE_KEYS} AND m.sk * ${INSTANCE_KEYS} + ${INSTANCE_KEYS - 1}`,
    );
    const groups = (sql: string) => toRecord(conn.prepare(sql).all() as Row[]);
    const one = (sql: string) => conn.prepare(sql).pluck().get() as number;
    return {
      samples: one('SELECT count(*) FROM temp.stats_samples'),
      animals: one('SELECT count(*) FROM temp.stats_animals'),
      bySpecies: groups('SELECT species AS k, count(*) AS n FROM temp.stats_animals GROUP BY k ORDER BY n DESC, k'),
      byFamily: groups('SELECT sp.family AS k, count(*) AS n FROM temp.stats_animals a LEFT JOIN species sp ON sp.id = a.species GROUP BY k ORDER BY n DESC, k'),
      byContainer: groups('SELECT container_kind AS k, count(*) AS n FROM temp.stats_samples GROUP BY k ORDER BY n DESC, k'),
      byDifficulty: groups('SELECT difficulty AS k, count(*) AS n FROM temp.stats_animals GROUP BY k ORDER BY k'),
      byView: groups('SELECT view AS k, count(*) AS n FROM temp.stats_animals GROUP BY k ORDER BY k'),
      byPreset: groups('SELECT preset AS k, count(*) AS n FROM temp.stats_samples GROUP BY k ORDER BY n DESC, k'),
      bySplit: groups('SELECT split AS k, count(*) AS n FROM temp.stats_samples GROUP BY k ORDER BY k'),
      animalsPerSample: groups('SELECT animal_count AS k, count(*) AS n FROM temp.stats_samples GROUP BY k ORDER BY k'),
      byVerdict: groups("SELECT coalesce(verdict, 'none') AS k, count(*) AS n FROM temp.stats_samples GROUP BY k ORDER BY k"),
      byReason: groups('SELECT reason AS k, count(*) AS n FROM temp.stats_samples WHERE reason IS NOT NULL GROUP BY k ORDER BY n DESC, k'),
      visibility: conn.prepare('SELECT avg(visibility) AS mean, min(visibility) AS min, max(visibility) AS max FROM temp.stats_animals').get() as Stats['visibility'],
    };
  } finally {
    conn.exec('DROP TABLE IF EXISTS temp.stats_samples; DROP TABLE IF EXISTS temp.stats_animals');
  }
}
