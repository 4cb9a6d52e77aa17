/**
 * What a gallery tile shows at a glance, for one page of samples: the species
 * in it, its hardest difficulty and its latest verdict. One query per page,
 * whatever the page size; the ids are bound parameters.
 */
import type { SimulationDb } from './database.js';

export interface SampleTile {
  /** Distinct species of the sample's animals (top view), most frequent first. */
  species: string[];
  /** The hardest difficulty among its animals ('hidden' > 'hard' > 'easy'); null when none is measured. */
  difficulty: string | null;
  verdict: string | null;
  reason: string | null;
}

const RANK: Record<string, number> = { easy: 1, hard: 2, hidden: 3 };

export function sampleTiles(db: SimulationDb, ids: readonly string[]): Record<string, SampleTile> {
  const out: Record<string, SampleTile> = {};
  if (ids.length === 0) return out;
  for (const id of ids) out[id] = { species: [], difficulty: null, verdict: null, reason: null };
  const marks = ids.map(() => '?').join(', ');
  const conn = db.connection;
  const animals = conn
    .prepare(
      `SELECT sample_id AS id, species, difficulty, count(*) AS n FROM instances WHERE sample_id IN (${marks}) AND view = 'top'
       GROUP BY sample_id, species, difficulty ORDER BY sample_id, n DESC, species`,
    )
    .all(...ids) as Array<{ id: string; species: string; difficulty: string | null }>;
  for (const a of animals) {
    const tile = out[a.id]!;
    if (!tile.species.includes(a.species)) tile.species.push(a.species);
    if (a.difficulty && (RANK[a.difficulty] ?? 0) > (RANK[tile.difficulty ?? ''] ?? 0)) tile.difficulty = a.difficulty;
  }
  const verdicts = conn.prepare(`SELECT sample_id AS id, verdict, reason FROM latest_reviews WHERE sample_id IN (${marks})`).all(...ids) as Array<{
    id: string;
    verdict: string;
    reason: string | null;
  }>;
  for (const v of verdicts) Object.assign(out[v.id]!, { verdict: v.verdict, reason: v.reason });
  return out;
}
