/**
 * Schema version 11: the animal rows are keyed by their sample's integer key (instance_rows,
 * id = sk * 4096 + side * 2048 + index); the view `instances` keeps the old table's columns.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SimulationDb } from '../../src/db/database.js';
import { instanceToRow, sampleToRow, type SampleRecord } from '../../src/db/records.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/db/schema.js';
import { ANIMALS_OF_KEYS_SQL } from '../../src/db/facet-bits.js';
import { compileTerms, parseQuery } from '../../src/db/query.js';
import { searchSamples } from '../../src/db/search.js';
import { datasetStats } from '../../src/db/stats.js';
import { makeSample, tempPaths } from './helpers.js';

const { newPath, onCleanup, cleanup } = tempPaths();
afterEach(cleanup);

/** Samples with animals of both views, visibilities spread over the difficulty levels. */
function records(count: number, runId: number): SampleRecord[] {
  return Array.from({ length: count }, (_, n) => {
    const r = makeSample(n, runId);
    r.instances[0]!.visibility = (n % 10) / 10;
    r.instances[0]!.difficulty = n % 10 >= 4 ? 'easy' : n % 10 >= 2 ? 'hard' : 'hidden';
    if (n % 3 === 0) r.instances.push({ ...r.instances[0]!, view: 'side', instanceIndex: 0, visibility: 0.55, difficulty: 'easy' });
    if (n % 5 === 0) r.instances[1]!.species = 'scorpion';
    return r;
  });
}

const COLUMNS = 'sample_id, view, instance_index, object_id, species, scientific_name, bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility, difficulty';
const ANIMALS = `SELECT ${COLUMNS} FROM instances ORDER BY sample_id, view, instance_index`;
const COUNTS = "SELECT facet, quote(key) AS key, n FROM facet_counts WHERE n <> 0 ORDER BY facet, key";
const NAMES = 'SELECT * FROM species_names WHERE n <> 0 ORDER BY species, scientific_name';

/** A version-10 database holding `rs`, inserted in reverse order (rowid order is not id order). */
function version10(path: string, rs: SampleRecord[]): void {
  const raw = new Database(path);
  migrate(raw, MIGRATIONS.filter((m) => m.version <= 10));
  raw.prepare("INSERT INTO runs (tool_version, preset, seed, started_at) VALUES ('0', 'p', 1, 't')").run();
  const row = (r: SampleRecord) => ({ ...sampleToRow(r, 't'), objects_json: '[]', files_json: '[]' });
  const first = row(rs[0]!);
  const insertSample = raw.prepare(`INSERT INTO samples (${Object.keys(first).join(', ')}) VALUES (${Object.keys(first).map((k) => `@${k}`).join(', ')})`);
  const instance = instanceToRow('s', rs[0]!.instances[0]!);
  const insertInstance = raw.prepare(`INSERT INTO instances (${Object.keys(instance).join(', ')}) VALUES (${Object.keys(instance).map((k) => `@${k}`).join(', ')})`);
  raw.transaction(() => {
    for (const r of [...rs].reverse()) {
      insertSample.run(row(r));
      for (const i of r.instances) insertInstance.run(instanceToRow(r.id, i));
    }
  })();
  // The counts as version 7 keeps them (recounted: rows inserted with SQL are not counted).
  raw.exec(`DELETE FROM facet_counts; DELETE FROM species_names;
    INSERT INTO facet_counts (facet, key, n)
      SELECT 'samples', '', count(*) FROM samples
      UNION ALL SELECT 'difficulty', coalesce(difficulty, x''), count(*) FROM instances GROUP BY difficulty
      UNION ALL SELECT 'view', view, count(*) FROM instances GROUP BY view
      UNION ALL SELECT 'visibility', 'n', count(visibility) FROM instances
      UNION ALL SELECT 'visibility', 'sum', coalesce(sum(round(visibility * 1e9)), 0) FROM instances;
    INSERT INTO species_names (species, scientific_name, n) SELECT species, scientific_name, count(*) FROM instances GROUP BY species, scientific_name;`);
  raw.close();
}

const ids = (db: SimulationDb, q: string, sqlOnly: boolean) => searchSamples(db, q, { limit: 1000, sqlOnly }).samples.map((s) => s.id).sort();
const QUERIES = ['species:scorpion', 'species:stag-beetle visibility<0.3', '-species:scorpion view:side', 'difficulty:hidden', 'visibility>=0.5', '"tarantula"', 'area>2 species:stag*'];

describe('migration 11 (animal rows keyed by the sample key)', () => {
  it('moves every animal to instance_rows under its derived id; the view, counts and queries read as before', () => {
    const path = newPath('v10.db');
    const rs = records(30, 1);
    version10(path, rs);
    const raw = new Database(path);
    const animalsBefore = raw.prepare(ANIMALS).all();
    const countsBefore = raw.prepare(COUNTS).all();
    const namesBefore = raw.prepare(NAMES).all();
    raw.close();
    expect(animalsBefore.length).toBe(30 * 2 + 10);

    const db = openDatabase(path);
    onCleanup(() => db.close());
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    const c = db.connection;
    expect(c.prepare("SELECT type FROM sqlite_schema WHERE name = 'instances'").pluck().get()).toBe('view');
    expect(c.prepare(ANIMALS).all()).toEqual(animalsBefore);
    expect(c.prepare(COUNTS).all()).toEqual(countsBefore);
    expect(c.prepare(NAMES).all()).toEqual(namesBefore);
    // Every id is its key; the samples were stored last-first, so sample s000000 has the highest.
    const wrong = c
      .prepare(`SELECT count(*) FROM instance_rows i JOIN samples s ON s.rowid = i.sample_sk
                WHERE i.id <> s.rowid * 4096 + (i.view = 'side') * 2048 + i.instance_index`)
      .pluck()
      .get();
    expect(wrong).toBe(0);
    const top = c.prepare("SELECT rowid FROM samples WHERE id = 's000000'").pluck().get() as number;
    expect(c.prepare("SELECT id FROM instances WHERE sample_id = 's000000' ORDER BY id").pluck().all()).toEqual([top * 4096, top * 4096 + 1, top * 4096 + 2048]);

    // The same records through this version's insert path read back the same, in every reader.
    const fresh = openDatabase(newPath('v11.db'));
    onCleanup(() => fresh.close());
    fresh.startRun({ toolVersion: '0', preset: 'p', seed: 1, startedAt: 't' });
    fresh.insertSamples(rs);
    expect(fresh.connection.prepare(ANIMALS).all()).toEqual(animalsBefore);
    for (const id of ['s000000', 's000003', 's000017']) expect(db.getSample(id)!.instances.map(({ id: _, ...i }) => i)).toEqual(fresh.getSample(id)!.instances.map(({ id: _, ...i }) => i));
    expect(fresh.getSample('s000003')!.instances.map((i) => [i.view, i.instanceIndex])).toEqual([['top', 0], ['top', 1], ['side', 0]]);
    for (const q of QUERIES) {
      const expected = ids(db, q, true);
      expect(expected.length, q).toBeGreaterThan(0);
      expect(ids(db, q, false), q).toEqual(expected);
      expect(ids(fresh, q, false), q).toEqual(expected);
      expect(ids(fresh, q, true), q).toEqual(expected);
    }
    // The animals of given samples are read by id range, never by a scan of the table.
    c.pragma('optimize');
    const plan = (c.prepare(`EXPLAIN QUERY PLAN ${ANIMALS_OF_KEYS_SQL}`).all('[1, 2]') as Array<{ detail: string }>).map((r) => r.detail);
    expect(plan.some((d) => /SEARCH i USING INTEGER PRIMARY KEY/.test(d))).toBe(true);
    expect(plan.some((d) => /SCAN i\b/.test(d))).toBe(false);
    // A sample's animals tested one sample at a time (SQL walks): one probe, not every animal of the species.
    const walk = compileTerms(parseQuery('species:scorpion split:train'), { perSample: true });
    const walkPlan = (c.prepare(`EXPLAIN QUERY PLAN SELECT 1 FROM samples s WHERE ${walk.where}`).all(...walk.params) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(walkPlan).toMatch(/SEARCH i .*(sample_sk=\?|rowid>\? AND rowid<\?)/);
    expect(walkPlan).not.toMatch(/SEARCH i [^|]*\(species=\?\)/);
    const stats = datasetStats(db, 'split:train');
    expect(stats).toEqual(datasetStats(fresh, 'split:train'));
    expect(stats.animals).toBe(15 * 2 + 5);
  });

  it('the view stays writable with the old checks; a sample takes its animals with it', () => {
    const db = openDatabase(newPath('v11.db'));
    onCleanup(() => db.close());
    db.startRun({ toolVersion: '0', preset: 'p', seed: 1, startedAt: 't' });
    db.insertSamples(records(6, 1));
    const c = db.connection;
    const animals = () => c.prepare('SELECT count(*) FROM instance_rows').pluck().get() as number;
    const n0 = animals();

    // Inserted through the view: the view defaults to top, the id is derived.
    c.prepare(
      "INSERT INTO instances (sample_id, instance_index, object_id, species, scientific_name, mask_area, mask_rle, length_mm, visibility, difficulty) VALUES ('s000002', 5, 'animal-5', 'scorpion', 'Pandinus imperator', 4, '{}', 80, 0.1, 'hidden')",
    ).run();
    const sk = c.prepare("SELECT rowid FROM samples WHERE id = 's000002'").pluck().get() as number;
    expect(c.prepare("SELECT id, view FROM instances WHERE object_id = 'animal-5'").get()).toEqual({ id: sk * 4096 + 5, view: 'top' });
    expect(() =>
      c.prepare("INSERT INTO instances (sample_id, view, instance_index, object_id, species, scientific_name, mask_area, mask_rle, length_mm) VALUES ('s000002', 'top', 5, 'x', 'x', 'x', 1, '{}', 1)").run(),
    ).toThrow(/UNIQUE constraint failed: instances\.sample_id, instances\.view, instances\.instance_index/);
    expect(() =>
      c.prepare("INSERT INTO instances (sample_id, instance_index, object_id, species, scientific_name, mask_area, mask_rle, length_mm) VALUES ('s999999', 0, 'x', 'x', 'x', 1, '{}', 1)").run(),
    ).toThrow(/no such sample/);
    expect(() =>
      c.prepare("INSERT INTO instances (sample_id, instance_index, object_id, species, scientific_name, mask_area, mask_rle, length_mm) VALUES ('s000002', 2048, 'x', 'x', 'x', 1, '{}', 1)").run(),
    ).toThrow(/CHECK constraint failed/);
    expect(animals()).toBe(n0 + 1);
    db.applyFacetChanges();
    expect(ids(db, 'species:scorpion visibility<0.2', false)).toEqual(['s000002']);

    // Updated through the view: counts and bitmaps follow; moving it to the side view moves its id.
    c.prepare("UPDATE instances SET species = 'tarantula', view = 'side' WHERE object_id = 'animal-5'").run();
    expect(c.prepare("SELECT id FROM instances WHERE object_id = 'animal-5'").pluck().get()).toBe(sk * 4096 + 2048 + 5);
    expect(() => c.prepare("UPDATE instances SET id = 1 WHERE object_id = 'animal-5'").run()).toThrow(/id is derived/);
    db.applyFacetChanges();
    expect(ids(db, 'species:scorpion visibility<0.2', false)).toEqual([]);
    expect(c.prepare("SELECT n FROM facet_counts WHERE facet = 'view' AND key = 'side'").pluck().get()).toBe(2 + 1);

    // Deleted through the view, then a whole sample: its animals go, with foreign keys on or off.
    c.prepare("DELETE FROM instances WHERE object_id = 'animal-5'").run();
    expect(animals()).toBe(n0);
    c.prepare("DELETE FROM samples WHERE id = 's000003'").run();
    c.pragma('foreign_keys = OFF');
    c.prepare("DELETE FROM samples WHERE id = 's000005'").run();
    c.pragma('foreign_keys = ON');
    expect(animals()).toBe(n0 - 3 - 2);
    expect(c.prepare("SELECT count(*) FROM instances WHERE sample_id IN ('s000003', 's000005')").pluck().get()).toBe(0);
    // The next sample takes the last deleted key (no AUTOINCREMENT) and none of its animals.
    const gone = c.prepare('SELECT max(rowid) FROM samples').pluck().get() as number;
    db.insertSamples([makeSample(6, 1)]);
    const skNew = c.prepare("SELECT rowid FROM samples WHERE id = 's000006'").pluck().get() as number;
    expect(skNew).toBe(gone + 1);
    expect(db.getSample('s000006')!.instances).toHaveLength(2);
    db.applyFacetChanges();
    expect(datasetStats(db).animals).toBe(animals());
  });

  it('refuses an animal index the key cannot hold, and names a duplicate in the old terms', () => {
    const db = openDatabase(newPath('v11.db'));
    onCleanup(() => db.close());
    db.startRun({ toolVersion: '0', preset: 'p', seed: 1, startedAt: 't' });
    const big = makeSample(0, 1);
    big.instances[1]!.instanceIndex = 2048;
    expect(() => db.insertSample(big)).toThrow(/sample s000000.*whole number from 0 to 2047/);
    const dup = makeSample(0, 1);
    dup.instances[1]!.instanceIndex = 0;
    expect(() => db.insertSample(dup)).toThrow(/UNIQUE constraint failed: instances\.sample_id, instances\.view, instances\.instance_index/);
    expect(db.countSamples()).toBe(0);
  });
});
