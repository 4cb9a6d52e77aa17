import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { openDatabase, type SimulationDb } from '../../src/db/database.js';
import { mergeDatabases } from '../../src/db/merge.js';
import { instanceToRow, objectRows, sampleToRow, type SampleRecord } from '../../src/db/records.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/db/schema.js';
import { datasetStats, type Stats } from '../../src/db/stats.js';
import { makeSample, RUN, tempDir } from './helpers.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});
function newPath(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, 'sim.db');
}

const SPECIES = [
  ['stag-beetle', 'Lucanus cervus'],
  ['tarantula', 'Brachypelma hamorii'],
  ['ball-python', 'Python regius'],
] as const;

/** Samples that differ in every facet: split (or none), preset, container (or none), animals, species, visibility, difficulty. */
function varied(count: number, runId: number, seed: number): SampleRecord[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const r = makeSample(i, runId);
    r.split = rng.pick(['train', 'val', 'test', null]);
    r.scene.preset = rng.pick(['parcel', 'suitcase', 'reptile-box']);
    const container = r.scene.objects[0]!;
    if (rng.next() < 0.2) r.scene.objects = r.scene.objects.filter((o) => o.role !== 'container');
    else container.kind = rng.pick(['cardboard-box', 'suitcase']);
    const keep = rng.int(0, 2);
    r.scene.objects = r.scene.objects.filter((o) => o.role !== 'animal' || Number(o.id.slice(7)) < keep);
    r.instances = r.instances.slice(0, keep).map((inst) => {
      const [species, scientificName] = rng.pick(SPECIES);
      const visibility = rng.next() < 0.25 ? null : Math.round(rng.next() * 1000) / 1000;
      const difficulty = visibility === null ? null : visibility >= 0.4 ? ('easy' as const) : visibility >= 0.15 ? ('hard' as const) : ('hidden' as const);
      return { ...inst, species, scientificName, visibility, difficulty, view: rng.next() < 0.3 ? ('side' as const) : ('top' as const) };
    });
    return r;
  });
}

function review(db: SimulationDb, rng: Rng, ids: string[]): void {
  for (const sampleId of ids) {
    db.addReview({
      sampleId,
      verdict: rng.pick(['approved', 'rejected', 'flagged'] as const),
      reason: rng.pick([null, 'interpenetration', 'label-wrong']),
      note: '',
      reviewer: rng.pick(['ana', 'bo']),
    });
  }
}

/** The figures counted straight from the base tables, as a reference. */
function reference(conn: Database.Database): Stats {
  const groups = (sql: string) =>
    Object.fromEntries((conn.prepare(sql).all() as Array<{ k: string | number | null; n: number }>).map((r) => [String(r.k ?? '(none)'), r.n]));
  return {
    samples: conn.prepare('SELECT count(*) FROM samples').pluck().get() as number,
    animals: conn.prepare('SELECT count(*) FROM instances').pluck().get() as number,
    bySpecies: groups('SELECT species AS k, count(*) AS n FROM instances GROUP BY k ORDER BY n DESC, k'),
    byFamily: groups('SELECT sp.family AS k, count(*) AS n FROM instances i LEFT JOIN species sp ON sp.id = i.species GROUP BY k ORDER BY n DESC, k'),
    byContainer: groups('SELECT container_kind AS k, count(*) AS n FROM samples GROUP BY k ORDER BY n DESC, k'),
    byDifficulty: groups('SELECT difficulty AS k, count(*) AS n FROM instances GROUP BY k ORDER BY k'),
    byView: groups('SELECT view AS k, count(*) AS n FROM instances GROUP BY k ORDER BY k'),
    byPreset: groups('SELECT preset AS k, count(*) AS n FROM samples GROUP BY k ORDER BY n DESC, k'),
    bySplit: groups('SELECT split AS k, count(*) AS n FROM samples GROUP BY k ORDER BY k'),
    animalsPerSample: groups('SELECT animal_count AS k, count(*) AS n FROM samples GROUP BY k ORDER BY k'),
    byVerdict: groups(
      "SELECT coalesce((SELECT verdict FROM reviews r WHERE r.sample_id = s.id ORDER BY r.id DESC LIMIT 1), 'none') AS k, count(*) AS n FROM samples s GROUP BY k ORDER BY k",
    ),
    byReason: groups(
      'SELECT reason AS k, count(*) AS n FROM reviews r WHERE reason IS NOT NULL AND r.id = (SELECT max(id) FROM reviews WHERE sample_id = r.sample_id) GROUP BY k ORDER BY n DESC, k',
    ),
    visibility: conn.prepare('SELECT avg(visibility) AS mean, min(visibility) AS min, max(visibility) AS max FROM instances').get() as Stats['visibility'],
  };
}

/** Equal to the reference, key order included (the review page lists them in this order). */
function expectMatches(actual: Stats, expected: Stats): void {
  const { visibility, ...rest } = actual;
  const { visibility: expectedVisibility, ...expectedRest } = expected;
  expect(rest).toEqual(expectedRest);
  for (const [k, v] of Object.entries(rest)) if (typeof v === 'object') expect(Object.keys(v), k).toEqual(Object.keys(expectedRest[k as keyof typeof expectedRest]));
  expect(visibility.min).toBe(expectedVisibility.min);
  expect(visibility.max).toBe(expectedVisibility.max);
  if (expectedVisibility.mean === null) expect(visibility.mean).toBeNull();
  else expect(visibility.mean).toBeCloseTo(expectedVisibility.mean, 9);
}

function speciesCatalog(db: SimulationDb): void {
  db.upsertSpecies(
    SPECIES.slice(0, 2).map(([id, scientificName], k) => ({
      id,
      scientificName,
      commonNames: { en: id },
      taxonomy: { class: k ? 'Arachnida' : 'Insecta', order: k ? 'Araneae' : 'Coleoptera', family: k ? 'Theraphosidae' : 'Lucanidae' },
      cites: null,
      tags: [],
    })),
  );
}

describe('facet counts kept by triggers', () => {
  it('equal the counts from the base tables after inserts, reviews, updates and deletes', () => {
    const db = openDatabase(newPath());
    cleanups.push(() => db.close());
    const rng = new Rng(11);
    const run = db.startRun(RUN);
    speciesCatalog(db);
    const records = varied(80, run, 3);
    db.insertSamples(records);
    review(db, rng, records.filter((_, i) => i % 3 === 0).map((r) => r.id));
    // A second verdict replaces the first one as the latest.
    review(db, rng, records.filter((_, i) => i % 6 === 0).map((r) => r.id));
    const conn = db.connection;
    expectMatches(datasetStats(db), reference(conn));

    conn.prepare("UPDATE samples SET split = 'holdout', preset = 'backpack' WHERE sample_index % 7 = 1").run();
    conn.prepare("UPDATE instances SET species = 'ball-python', scientific_name = 'Python regius', visibility = 0.5, difficulty = 'easy' WHERE id % 5 = 0").run();
    expectMatches(datasetStats(db), reference(conn));

    // An export deletes the samples it leaves out: their animals and reviews go with them.
    conn.prepare('DELETE FROM samples WHERE sample_index % 4 = 0').run();
    expectMatches(datasetStats(db), reference(conn));
    expect(conn.prepare('SELECT count(*) FROM sample_verdicts WHERE sample_id NOT IN (SELECT id FROM samples)').pluck().get()).toBe(0);

    conn.prepare('DELETE FROM samples').run();
    const empty = datasetStats(db);
    expectMatches(empty, reference(conn));
    expect(empty).toMatchObject({ samples: 0, animals: 0, bySpecies: {}, byVerdict: {}, visibility: { mean: null, min: null, max: null } });
  });

  it('a query matching every sample gives the same figures as no query', () => {
    const db = openDatabase(newPath());
    cleanups.push(() => db.close());
    const run = db.startRun(RUN);
    speciesCatalog(db);
    const records = varied(50, run, 5);
    db.insertSamples(records);
    review(db, new Rng(2), records.filter((_, i) => i % 2 === 0).map((r) => r.id));
    expectMatches(datasetStats(db, 'animals>=0'), datasetStats(db));
    // And a filtered one agrees with the reference over the same samples.
    const val = datasetStats(db, 'split:val');
    expect(val.samples).toBe(records.filter((r) => r.split === 'val').length);
    expect(val.animals).toBe(records.filter((r) => r.split === 'val').reduce((a, r) => a + r.instances.length, 0));
    expect(Object.keys(val.bySplit)).toEqual(['val']);
  });

  it('reads through a read-only connection (the review page) while another writes', () => {
    const path = newPath();
    const writer = openDatabase(path);
    cleanups.push(() => writer.close());
    const run = writer.startRun(RUN);
    writer.insertSamples(varied(20, run, 8));
    const reader = openDatabase(path, { readonly: true });
    cleanups.push(() => reader.close());
    const before = datasetStats(reader, 'split:train');
    writer.insertSamples(varied(40, run, 8).slice(20));
    expect(datasetStats(reader, 'split:train').samples).toBeGreaterThanOrEqual(before.samples);
    expectMatches(datasetStats(reader), reference(writer.connection));
  });
});

describe('facet counts of a merge', () => {
  it('are counted from the merged rows', () => {
    const shards = [0, 1].map((k) => {
      const path = newPath();
      const db = openDatabase(path);
      const run = db.startRun({ ...RUN, shard: { index: k, count: 2 }, options: { count: 30, out: 'x' } });
      db.insertSamples(varied(30, run, 4).filter((r) => r.sampleIndex % 2 === k));
      db.finishRun(run, 'completed');
      db.close();
      return path;
    });
    const target = newPath();
    mergeDatabases(target, shards);
    const db = openDatabase(target);
    cleanups.push(() => db.close());
    const stats = datasetStats(db);
    expect(stats.samples).toBe(30);
    expectMatches(stats, reference(db.connection));
  });
});

describe('migration 7', () => {
  it('backfills the latest verdicts and the facet counts of an existing database', () => {
    const path = newPath();
    const raw = new Database(path);
    migrate(raw, MIGRATIONS.filter((m) => m.version <= 6));
    raw.prepare("INSERT INTO runs (tool_version, preset, seed, started_at) VALUES ('0', 'p', 1, 't')").run();
    const records = varied(40, 1, 9);
    const sample = raw.prepare(
      'INSERT INTO samples (id, run_id, sample_index, seed, preset, split, width, height, scanner_json, container_kind, clutter_count, animal_count, scene_json, image_path, raw_path, image_sha256, raw_sha256, render_ms, created_at) ' +
        'VALUES (@id, @run_id, @sample_index, @seed, @preset, @split, @width, @height, @scanner_json, @container_kind, @clutter_count, @animal_count, @scene_json, @image_path, @raw_path, @image_sha256, @raw_sha256, @render_ms, @created_at)',
    );
    const instance = raw.prepare(
      'INSERT INTO instances (sample_id, view, instance_index, object_id, species, scientific_name, bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility, difficulty) ' +
        'VALUES (@sample_id, @view, @instance_index, @object_id, @species, @scientific_name, @bbox_x, @bbox_y, @bbox_w, @bbox_h, @mask_area, @mask_rle, @length_mm, @visibility, @difficulty)',
    );
    const addReview = raw.prepare("INSERT INTO reviews (sample_id, verdict, reason, reviewer, created_at) VALUES (?, ?, ?, 'ana', 't')");
    for (const r of records) {
      sample.run(sampleToRow(r, 't'));
      for (const i of r.instances) instance.run(instanceToRow(r.id, i));
      expect(objectRows(r).length).toBeGreaterThan(0);
    }
    addReview.run('s000001', 'rejected', 'label-wrong');
    addReview.run('s000002', 'flagged', null);
    addReview.run('s000001', 'approved', null);
    const expected = reference(raw);
    raw.close();

    const db = openDatabase(path);
    cleanups.push(() => db.close());
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    expectMatches(datasetStats(db), expected);
    expect(db.connection.prepare('SELECT sample_id, verdict, reason FROM sample_verdicts ORDER BY sample_id').all()).toEqual([
      { sample_id: 's000001', verdict: 'approved', reason: null },
      { sample_id: 's000002', verdict: 'flagged', reason: null },
    ]);
    expect(datasetStats(db).byVerdict).toEqual({ approved: 1, flagged: 1, none: 38 });
  });
});
