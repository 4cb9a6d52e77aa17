/** What a refresh reads from and changes in the database: samples by target species, model and status. */
import type { StoredRefreshSample } from '../dataset/refresh-plan.js';
import type { SimulationDb } from './database.js';
import type { SampleStatus } from './records.js';

export interface RefreshState {
  /** Samples made by refresh (they name their target species). */
  samples: StoredRefreshSample[];
  /** Samples of plain runs, which a refresh cannot manage. */
  plainSamples: number;
  maxSampleIndex: number;
}

export function readRefreshState(db: SimulationDb): RefreshState {
  const c = db.connection;
  const rows = c
    .prepare('SELECT id, target_species, model_sha256, status FROM samples WHERE target_species IS NOT NULL ORDER BY id')
    .all() as Array<{ id: string; target_species: string; model_sha256: string | null; status: SampleStatus }>;
  // All samples less those with a target (the partial index samples_target holds only those).
  const plain = c.prepare('SELECT (SELECT count(*) FROM samples) - (SELECT count(*) FROM samples WHERE target_species IS NOT NULL) AS n').get() as { n: number };
  const max = c.prepare('SELECT max(sample_index) AS m FROM samples').get() as { m: number | null };
  return {
    samples: rows.map((r) => ({ id: r.id, targetSpecies: r.target_species, modelSha256: r.model_sha256 ?? '', status: r.status })),
    plainSamples: plain.n,
    maxSampleIndex: max.m ?? -1,
  };
}

/** Sets the status of samples, all or none (one transaction). */
export function setSampleStatuses(db: SimulationDb, changes: ReadonlyArray<{ ids: readonly string[]; status: SampleStatus }>): void {
  const update = db.connection.prepare('UPDATE samples SET status = ? WHERE id = ?');
  db.connection.transaction(() => {
    for (const { ids, status } of changes) for (const id of ids) update.run(status, id);
    db.applyFacetChanges();
  })();
}
