/**
 * The facet counts of schema migration 7 (facet_counts, species_names), kept by the writers.
 *
 * Deletes and updates keep them through triggers. Inserts do not: a trigger costs about 1 us
 * per counted value, some 17 per sample, which was a third of the insert time of a million
 * samples. The insert path instead tallies a batch here and adds it in one statement per
 * distinct value; bulk writers that insert with SQL (merge) recount afterwards.
 */
import type Database from 'better-sqlite3';
import { rebuildFacetBits } from './facet-bits.js';
import type { InstanceRow, SampleRow } from './records.js';

/** How facet_counts stores a NULL facet value (key is part of its primary key). */
const NULL_KEY = Buffer.alloc(0);

const prepared = new WeakMap<Database.Database, { facet: Database.Statement; name: Database.Statement }>();

/** The upserts of a flush, prepared once per connection (a run flushes after every sample). */
function statements(db: Database.Database): { facet: Database.Statement; name: Database.Statement } {
  let s = prepared.get(db);
  if (!s) {
    s = {
      facet: db.prepare('INSERT INTO facet_counts (facet, key, n) VALUES (?, ?, ?) ON CONFLICT (facet, key) DO UPDATE SET n = n + excluded.n'),
      name: db.prepare(
        'INSERT INTO species_names (species, scientific_name, n) VALUES (?, ?, ?) ON CONFLICT (species, scientific_name) DO UPDATE SET n = n + excluded.n',
      ),
    };
    prepared.set(db, s);
  }
  return s;
}

/** What the tally reads of an animal's row. */
export type TalliedAnimal = Pick<InstanceRow, 'species' | 'scientific_name' | 'difficulty' | 'view' | 'visibility'>;

export class FacetTally {
  /** facet -> value -> count (nested maps: no key strings to build per sample). */
  private readonly facets = new Map<string, Map<string | number | null, number>>();
  /** species -> scientific name -> animals. */
  private readonly names = new Map<string, Map<string, number>>();
  /** Sum of round(visibility * 1e9) over the batch: an integer, exact below 2^53 (about 9 million animals a batch). */
  private visibilitySum = 0;

  sample(row: Pick<SampleRow, 'preset' | 'container_kind' | 'split' | 'animal_count'>): void {
    this.add('samples', '');
    this.add('preset', row.preset);
    this.add('container', row.container_kind);
    this.add('split', row.split);
    this.add('animal_count', row.animal_count);
  }

  instance(row: TalliedAnimal): void {
    let names = this.names.get(row.species);
    if (!names) this.names.set(row.species, (names = new Map()));
    names.set(row.scientific_name, (names.get(row.scientific_name) ?? 0) + 1);
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
    const { facet, name } = statements(db);
    for (const [facetName, values] of this.facets) for (const [key, n] of values) facet.run(facetName, key ?? NULL_KEY, BigInt(n));
    for (const [species, names] of this.names) for (const [scientificName, n] of names) name.run(species, scientificName, n);
    this.facets.clear();
    this.names.clear();
    this.visibilitySum = 0;
  }

  private add(facet: string, value: string | number | null, by = 1): void {
    let values = this.facets.get(facet);
    if (!values) this.facets.set(facet, (values = new Map()));
    values.set(value, (values.get(value) ?? 0) + by);
  }
}

/**
 * Counts facet_counts and species_names again from the tables (the first count of migration 7
 * does the same for the databases it upgrades), and rebuilds the facet bitmaps (migration 8).
 * For writers that insert rows with SQL.
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
      UNION ALL SELECT 'difficulty', coalesce(difficulty, x''), count(*) FROM instance_rows GROUP BY difficulty
      UNION ALL SELECT 'view', view, count(*) FROM instance_rows GROUP BY view
      UNION ALL SELECT 'visibility', 'n', count(visibility) FROM instance_rows
      UNION ALL SELECT 'visibility', 'sum', coalesce(sum(round(visibility * 1e9)), 0) FROM instance_rows;
    INSERT INTO species_names (species, scientific_name, n)
      SELECT species, scientific_name, count(*) FROM instance_rows GROUP BY species, scientific_name;
  `);
  rebuildFacetBits(db);
}
