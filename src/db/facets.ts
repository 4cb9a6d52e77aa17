/**
 * The facet counts of schema migration 7 (facet_counts, species_names), kept by the writers.
 *
 * Deletes and updates keep them through triggers. Inserts do not: a trigger costs about 1 us
 * per counted value, some 17 per sample, which was a third of the insert time of a million
 * samples. The insert path instead tallies a batch here and adds it in one statement per
 * distinct value; bulk writers that insert with SQL (merge) recount afterwards.
 */
import type Database from 'better-sqlite3';
import type { InstanceRow, SampleRow } from './records.js';

/** How facet_counts stores a NULL facet value (key is part of its primary key). */
const NULL_KEY = Buffer.alloc(0);

type Key = string | number | Buffer;

export class FacetTally {
  private readonly facets = new Map<string, { facet: string; key: Key; n: number }>();
  private readonly names = new Map<string, { species: string; scientificName: string; n: number }>();
  /** Sum of round(visibility * 1e9) over the batch: an integer, exact below 2^53 (about 9 million animals a batch). */
  private visibilitySum = 0;

  sample(row: SampleRow): void {
    this.add('samples', '');
    this.add('preset', row.preset);
    this.add('container', row.container_kind);
    this.add('split', row.split);
    this.add('animal_count', row.animal_count);
  }

  instance(row: InstanceRow): void {
    const nameKey = `${row.species}\u0000${row.scientific_name}`;
    const name = this.names.get(nameKey);
    if (name) name.n++;
    else this.names.set(nameKey, { species: row.species, scientificName: row.scientific_name, n: 1 });
    this.add('difficulty', row.difficulty);
    this.add('view', row.view);
    if (row.visibility !== null) {
      this.add('visibility', 'n');
      // As the migration's SQL round(): half away from zero (visibility is never negative).
      this.visibilitySum += Math.round(row.visibility * 1e9);
    }
  }

  /** Adds the tally to the database (inside the caller's transaction) and empties it. */
  flush(db: Database.Database): void {
    if (this.visibilitySum !== 0) this.add('visibility', 'sum', this.visibilitySum);
    const facet = db.prepare('INSERT INTO facet_counts (facet, key, n) VALUES (?, ?, ?) ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n');
    for (const f of this.facets.values()) facet.run(f.facet, f.key, BigInt(f.n));
    const name = db.prepare(
      'INSERT INTO species_names (species, scientific_name, n) VALUES (?, ?, ?) ON CONFLICT (species, scientific_name) DO UPDATE SET n = n + excluded.n',
    );
    for (const s of this.names.values()) name.run(s.species, s.scientificName, s.n);
    this.facets.clear();
    this.names.clear();
    this.visibilitySum = 0;
  }

  private add(facet: string, value: string | number | null, by = 1): void {
    const id = `${facet}\u0000${typeof value}\u0000${value}`;
    const entry = this.facets.get(id);
    if (entry) entry.n += by;
    else this.facets.set(id, { facet, key: value ?? NULL_KEY, n: by });
  }
}

/**
 * Counts facet_counts and species_names again from the tables (the first count of migration 7
 * does the same for the databases it upgrades). For writers that insert rows with SQL.
 */
export function recountFacets(db: Database.Database): void {
  db.exec(`
    DELETE FROM facet_counts WHERE facet NOT IN ('verdict', 'reason');
    DELETE FROM species_names;
    INSERT INTO facet_counts (facet, key, n)
      SELECT 'samples', '', count(*) FROM samples
      UNION ALL SELECT 'preset', preset, count(*) FROM samples GROUP BY preset
      UNION ALL SELECT 'container', coalesce(container_kind, x''), count(*) FROM samples GROUP BY container_kind
      UNION ALL SELECT 'split', coalesce(split, x''), count(*) FROM samples GROUP BY split
      UNION ALL SELECT 'animal_count', animal_count, count(*) FROM samples GROUP BY animal_count
      UNION ALL SELECT 'difficulty', coalesce(difficulty, x''), count(*) FROM instances GROUP BY difficulty
      UNION ALL SELECT 'view', view, count(*) FROM instances GROUP BY view
      UNION ALL SELECT 'visibility', 'n', count(visibility) FROM instances
      UNION ALL SELECT 'visibility', 'sum', coalesce(sum(round(visibility * 1e9)), 0) FROM instances;
    INSERT INTO species_names (species, scientific_name, n)
      SELECT species, scientific_name, count(*) FROM instances GROUP BY species, scientific_name;
  `);
}
