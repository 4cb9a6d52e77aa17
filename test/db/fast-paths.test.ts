/**
 * The facet bitmaps (schema version 8) against plain SQL: for every kind of query term, the
 * same sample ids in the same order, the same totals and the same facet counts; after updates,
 * deletes and reviews (patched by readers, then applied); out of gallery order; after rows
 * inserted with SQL; and on a version-7 database upgraded in place.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import type { SceneObject } from '../../src/core/types.js';
import { openDatabase, type SimulationDb } from '../../src/db/database.js';
import { APPLY_AT } from '../../src/db/facet-bits.js';
import { recountFacets } from '../../src/db/facets.js';
import { compileQuery } from '../../src/db/query.js';
import { instanceToRow, objectRows, sampleToRow, type SampleRecord } from '../../src/db/records.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/db/schema.js';
import { searchSamples } from '../../src/db/search.js';
import { datasetStats, type Stats } from '../../src/db/stats.js';
import { makeSample, RUN, tempDir } from './helpers.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});
function open(): SimulationDb {
  const { dir, cleanup } = tempDir();
  const db = openDatabase(join(dir, 'sim.db'));
  cleanups.push(cleanup, () => db.close());
  return db;
}

const SPECIES = [
  ['stag-beetle', 'Lucanus cervus'],
  ['tarantula', 'Brachypelma hamorii'],
  ['ball-python', 'Python regius'],
  // Two scientific names for one species (a catalog that renamed it between runs).
  ['ball-python', 'Python regius regius'],
  ['rhino-beetle', 'Dynastes hercules'],
] as const;

/** Samples differing in every facet: 0-3 animals, NULL split/container/difficulty, two presets with odd names. */
function varied(count: number, runId: number, seed: number, first = 0): SampleRecord[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, n) => {
    const r = makeSample(first + n, runId);
    r.split = rng.pick(['train', 'train', 'val', 'test', null]);
    r.scene.preset = rng.pick(['parcel', 'suitcase', 'reptile-box', 'carry on', 'big_50%']);
    const template = r.scene.objects.find((o) => o.role === 'animal')!;
    const others = r.scene.objects.filter((o) => o.role !== 'animal' && (o.role !== 'container' || rng.next() > 0.15));
    const container = others.find((o) => o.role === 'container');
    if (container) container.kind = rng.pick(['cardboard-box', 'suitcase']);
    const animals = rng.int(0, 3);
    const objects: SceneObject[] = Array.from({ length: animals }, (_, k) => ({ ...template, id: `animal-${k}` }));
    r.scene.objects = [...others, ...objects];
    r.objectMaterials = {};
    r.instances = objects.map((o, k) => {
      const [species, scientificName] = rng.pick(SPECIES);
      const visibility = rng.next() < 0.2 ? null : Math.round(rng.next() * 1000) / 1000;
      const difficulty = visibility === null ? null : visibility >= 0.4 ? ('easy' as const) : visibility >= 0.15 ? ('hard' as const) : ('hidden' as const);
      return { ...makeSample(0, runId).instances[0]!, instanceIndex: k, objectId: o.id, species, scientificName, visibility, difficulty, view: rng.next() < 0.3 ? ('side' as const) : ('top' as const) };
    });
    return r;
  });
}

function catalog(db: SimulationDb): void {
  db.upsertSpecies([
    { id: 'stag-beetle', scientificName: 'Lucanus cervus', commonNames: { en: 'Stag beetle', zh: '欧洲深山锹甲' }, taxonomy: { class: 'Insecta', order: 'Coleoptera', family: 'Lucanidae' }, cites: null, tags: ['beetle'] },
    { id: 'tarantula', scientificName: 'Brachypelma hamorii', commonNames: { en: 'Mexican red-knee tarantula' }, taxonomy: { class: 'Arachnida', order: 'Araneae', family: 'Theraphosidae' }, cites: 'II', tags: ['spider'] },
    { id: 'rhino-beetle', scientificName: 'Dynastes hercules', commonNames: { en: 'Hercules beetle' }, taxonomy: { class: 'Insecta', order: 'Coleoptera', family: 'Scarabaeidae' }, cites: null, tags: ['beetle'] },
  ]);
}

function review(db: SimulationDb, rng: Rng, ids: readonly string[]): void {
  for (const sampleId of ids) {
    db.addReview({
      sampleId,
      verdict: rng.pick(['approved', 'rejected', 'flagged'] as const),
      reason: rng.pick([null, 'interpenetration', 'label-wrong']),
      note: rng.pick(['', 'legs through the lid', 'fine', 'PY']),
      reviewer: rng.pick(['ana', 'bo']),
    });
  }
}

/** A dataset of two runs, reviewed (some samples twice), with a catalog. */
function dataset(): SimulationDb {
  const db = open();
  catalog(db);
  const rng = new Rng(3);
  const first = db.startRun(RUN);
  const a = varied(260, first, 1);
  for (let i = 0; i < a.length; i += 37) db.insertSamples(a.slice(i, i + 37));
  const second = db.startRun({ ...RUN, shard: null });
  const b = varied(140, second, 2, 1000);
  db.insertSamples(b);
  const all = [...a, ...b];
  review(db, rng, all.filter((_, i) => i % 3 === 0).map((r) => r.id));
  review(db, rng, all.filter((_, i) => i % 9 === 0).map((r) => r.id));
  return db;
}

const QUERIES = [
  '',
  'split:val',
  'split:val species:stag-beetle',
  'species:*beetle split:train',
  'preset:"carry on"',
  'preset:carry*',
  'preset:big_50%',
  'preset:big\\_5*',
  '-preset:parcel',
  'container:suitcase',
  '-container:suitcase',
  'container:*',
  '-split:train',
  'split:TRAIN',
  'split:TR*',
  'animals>=2',
  'animals<2 -animals=0',
  'animals:0',
  'animals>1.5 animals<=2',
  'status:active',
  '-status:active',
  'review:approved',
  '-review:approved',
  'review:none',
  '-review:none',
  'review:app*',
  'review:none split:val',
  'difficulty:hidden',
  '-difficulty:hidden',
  'difficulty:*',
  'view:side',
  '-view:top',
  'species:tarantula view:side',
  'species:tarantula visibility<0.3',
  'species:tarantula visibility<0.3 split:val',
  'visibility<0.2',
  'visibility>=0.2 visibility<=0.6 split:val',
  '-visibility<0.3',
  'visibility<0.333',
  'visibility:0.5',
  'visibility:0.555',
  'visibility>=0.2 visibility<=0.6 species:tarantula',
  'visibility>1',
  'family:Lucanidae',
  '-order:Aranea*',
  'class:Insecta split:val',
  'scientific:"Python regius"',
  'scientific:Python*',
  'scientific:Lucanus*',
  '-scientific:"Lucanus cervus"',
  // A quoted value is not negated by "-": this is free text (in both ways alike).
  '-scientific:"Python regius"',
  'scientific:*regius*regius',
  '-scientific:*regius*regius',
  '"beetle"',
  '"red-knee"',
  '深山',
  'py',
  '"regius regius"',
  '"through the lid"',
  '-"beetle"',
  // Free text too (the "-" is inside the quoted token).
  '-"regius regius"',
  '"carry"',
  'reviewer:ana',
  'reviewer:ana split:val',
  'id:s00001*',
  'seed>1100 split:val',
  'species:no-such',
  '-species:no-such',
  'species:stag-beetle species:tarantula',
];

/**
 * Queries the bitmaps cannot answer alone: SQL tests them (narrowed by the bitmaps or not).
 * Two animal terms (one animal must have both), a visibility bound inside a bucket, reviewers,
 * ids, seeds; and a scientific name that only some animals of a species carry (ball-python has two).
 */
const INEXACT = new Set([
  'species:tarantula view:side', 'visibility>=0.2 visibility<=0.6 species:tarantula', 'species:tarantula visibility<0.3', 'species:tarantula visibility<0.3 split:val', 'visibility<0.333', 'visibility:0.555',
  'scientific:"Python regius"', 'scientific:*regius*regius', '-scientific:*regius*regius', '"regius regius"', 'reviewer:ana', 'reviewer:ana split:val',
  'id:s00001*', 'seed>1100 split:val', 'species:stag-beetle species:tarantula',
]);
const EXACT = QUERIES.filter((q) => !INEXACT.has(q));

/** Every match in gallery order, from the compiled SQL: the reference. */
function reference(db: SimulationDb, q: string): string[] {
  const { where, params } = compileQuery(q);
  return db.connection.prepare(`SELECT s.id FROM samples s WHERE ${where} ORDER BY s.run_id, s.sample_index`).pluck().all(...params) as string[];
}

/** Equal figures, key order included; the mean to 1e-9 (the bitmaps sum integers of 1e-9). */
function expectSameStats(actual: Stats, expected: Stats, q: string): void {
  const { visibility, ...rest } = actual;
  const { visibility: v, ...expectedRest } = expected;
  expect(rest, q).toEqual(expectedRest);
  for (const [k, value] of Object.entries(rest)) if (typeof value === 'object') expect(Object.keys(value), `${q} ${k}`).toEqual(Object.keys(expectedRest[k as keyof typeof expectedRest]));
  expect(visibility.min, q).toBe(v.min);
  expect(visibility.max, q).toBe(v.max);
  if (v.mean === null) expect(visibility.mean, q).toBeNull();
  else expect(visibility.mean!, q).toBeCloseTo(v.mean, 9);
}

function expectSameAnswers(db: SimulationDb, queries: readonly string[] = QUERIES): void {
  for (const q of queries) {
    const all = reference(db, q);
    for (const [limit, offset] of [[100, 0], [7, 3], [5, Math.max(0, all.length - 2)], [10, all.length + 5]] as const) {
      const r = searchSamples(db, q, { limit, offset });
      expect(r.total, q).toBe(all.length);
      expect(r.samples.map((s) => s.id), `${q} ${limit}/${offset}`).toEqual(all.slice(offset, offset + limit));
    }
    expectSameStats(datasetStats(db, q), datasetStats(db, q, { sqlOnly: true }), q);
  }
}

describe('facet bitmaps', () => {
  it('give the ids, order, totals and facet counts of plain SQL for every kind of term', () => {
    const db = dataset();
    expectSameAnswers(db);
    for (const q of QUERIES) {
      const via = searchSamples(db, q, { limit: 1 }).via;
      if (INEXACT.has(q)) expect(via, q).not.toBe('bitmaps');
      else expect(via, q).toBe('bitmaps');
    }
    // Terms the bitmaps cannot tell narrow the candidates that SQL then tests.
    expect(searchSamples(db, 'species:tarantula visibility<0.3 split:val').via).toBe('bitmaps+sql');
    expect(searchSamples(db, 'species:stag-beetle species:tarantula').via).toBe('bitmaps+sql');
  });

  it('stay right after updates, deletes and reviews: readers patch what a writer left, then it is applied', () => {
    const db = dataset();
    const conn = db.connection;
    const waiting = () => conn.prepare('SELECT count(*) FROM facet_dirty').pluck().get() as number;
    // Readers patch the changed samples into their copy of the bitmaps.
    conn.prepare("UPDATE samples SET split = 'val', preset = 'parcel' WHERE sample_index % 7 = 1").run();
    conn.prepare('DELETE FROM samples WHERE sample_index % 13 = 0').run();
    conn.prepare('DELETE FROM instances WHERE id % 17 = 0').run();
    conn.prepare("INSERT INTO reviews (sample_id, verdict, reason, note, reviewer, created_at) SELECT id, 'flagged', 'label-wrong', 'late note', 'cy', 't' FROM samples WHERE sample_index % 10 = 4").run();
    expect(waiting()).toBeGreaterThan(50);
    const queries = [...QUERIES, 'reviewer:cy', 'review:flagged', '"late note"'];
    expectSameAnswers(db, queries);
    expect(searchSamples(db, 'split:val species:tarantula').via).toBe('bitmaps');
    // New values (a split, a status, a third side-view animal): their keys are matched too.
    conn.prepare("UPDATE samples SET split = 'holdout', preset = 'backpack' WHERE sample_index % 7 = 2").run();
    conn.prepare("UPDATE samples SET status = 'superseded' WHERE sample_index % 11 = 2").run();
    conn.prepare("UPDATE instances SET species = 'tarantula', scientific_name = 'Brachypelma hamorii', visibility = 0.05, difficulty = 'hidden', view = 'side' WHERE id % 5 = 0").run();
    queries.push('split:holdout', 'preset:backpack', 'status:superseded');
    expectSameAnswers(db, queries);
    expect(searchSamples(db, 'split:holdout species:tarantula').via).toBe('bitmaps');
    db.applyFacetChanges();
    expect(waiting()).toBe(0);
    expect(searchSamples(db, 'split:holdout species:tarantula').via).toBe('bitmaps');
    expectSameAnswers(db, queries);
    // A verdict through the API is logged, and read patched, until enough wait to apply them.
    db.addReview({ sampleId: reference(db, 'review:none')[0]!, verdict: 'approved', reviewer: 'dee' });
    expect(waiting()).toBe(1);
    expect(searchSamples(db, 'review:approved').via).toBe('bitmaps');
    expectSameAnswers(db, ['review:none', 'review:approved', '-review:rejected']);
  });

  it('log the samples of small commits, apply them in bulk when APPLY_AT wait, and on close', () => {
    const db = open();
    catalog(db);
    const run = db.startRun(RUN);
    const records = varied(APPLY_AT + 200, run, 6);
    const waiting = () => db.connection.prepare('SELECT count(*) FROM facet_dirty').pluck().get() as number;
    db.insertSamples(records.slice(0, 150));
    expect(waiting()).toBe(150);
    expectSameAnswers(db, ['split:val', '-container:suitcase', 'visibility>=0.2 visibility<0.5']);
    for (const r of records.slice(150, APPLY_AT + 10)) db.insertSample(r);
    // The thousandth waiting sample applied them all.
    expect(waiting()).toBe(10);
    db.insertSamples(records.slice(APPLY_AT + 10));
    expectSameAnswers(db, ['split:val', '"beetle" animals>=2', 'review:none']);
    const path = db.path;
    db.close();
    const again = openDatabase(path, { readonly: true });
    cleanups.push(() => again.close());
    expect(again.connection.prepare('SELECT count(*) FROM facet_dirty').pluck().get()).toBe(0);
    expect(searchSamples(again, 'split:val').total).toBe(reference(again, 'split:val').length);
  });

  it('page in gallery order when samples were not inserted in that order', () => {
    const db = open();
    catalog(db);
    const run = db.startRun(RUN);
    // More matches than SQL sorts (5,000): the gallery's index is walked for those.
    const records = varied(5200, run, 4);
    // Newest first, in batches: keys no longer follow (run_id, sample_index).
    for (let i = 5200; i > 0; i -= 1300) db.insertSamples(records.slice(i - 1300, i));
    expect(db.connection.prepare('SELECT ordered FROM facet_state').pluck().get()).toBe(0);
    expectSameAnswers(db, ['', 'split:val', '-container:suitcase', 'review:none', '"beetle"', 'animals>=1']);
    expect(searchSamples(db, 'split:val').via).toBe('bitmaps');
  });

  it('are not used for samples inserted with SQL until they are counted again', () => {
    const db = dataset();
    const conn = db.connection;
    conn.prepare(
      "INSERT INTO samples (id, run_id, sample_index, seed, preset, split, width, height, scanner_json, container_kind, clutter_count, animal_count, scene_json, image_path, image_sha256, created_at) SELECT 'x' || id, run_id, sample_index + 5000, seed, preset, split, width, height, scanner_json, container_kind, clutter_count, animal_count, scene_json, image_path, image_sha256, created_at FROM samples WHERE sample_index < 50",
    ).run();
    expect(searchSamples(db, 'split:val').via).toBe('sql');
    expect(searchSamples(db, 'split:val').total).toBe(reference(db, 'split:val').length);
    recountFacets(conn);
    expect(searchSamples(db, 'split:val').via).toBe('bitmaps');
    expectSameAnswers(db, ['split:val', 'preset:parcel animals>=1', '-container:suitcase']);
  });

  it('hold in a copy made with VACUUM INTO (as an export makes), which keeps the sample keys', () => {
    const db = dataset();
    db.connection.prepare('DELETE FROM samples WHERE sample_index % 5 = 0').run();
    db.applyFacetChanges();
    const folder = tempDir();
    cleanups.push(folder.cleanup);
    const copy = join(folder.dir, 'copy.db');
    db.connection.prepare('VACUUM INTO ?').run(copy);
    const keys = (d: SimulationDb) => d.connection.prepare('SELECT rowid, id FROM samples ORDER BY rowid').all();
    const other = openDatabase(copy);
    cleanups.push(() => other.close());
    expect(keys(other)).toEqual(keys(db));
    expectSameAnswers(other, [...EXACT.slice(0, 12), 'review:none', '"beetle" split:val']);
  });

  it('answer while another connection writes (each read is one snapshot)', () => {
    const db = dataset();
    const reader = openDatabase(db.path, { readonly: true });
    cleanups.push(() => reader.close());
    const before = searchSamples(reader, 'split:train').total;
    const run = db.startRun({ ...RUN, shard: null });
    db.insertSamples(varied(30, run, 9, 5000));
    const after = searchSamples(reader, 'split:train');
    expect(after.via).toBe('bitmaps');
    expect(after.total).toBe(reference(db, 'split:train').length);
    expect(after.total).toBeGreaterThanOrEqual(before);
  });
});

describe('migration 8', () => {
  it('upgrades a version-7 database in place, keeping its data, and builds the bitmaps', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'v7.db');
    const raw = new Database(path);
    migrate(raw, MIGRATIONS.filter((m) => m.version <= 7));
    raw.prepare("INSERT INTO runs (tool_version, preset, seed, started_at) VALUES ('0', 'p', 1, 't')").run();
    const records = varied(120, 1, 12);
    const cols = (row: object) => Object.keys(row).join(', ');
    const vals = (row: object) => Object.keys(row).map((k) => `@${k}`).join(', ');
    const sample = sampleToRow(records[0]!, 't');
    const insertSample = raw.prepare(`INSERT INTO samples (${cols(sample)}) VALUES (${vals(sample)})`);
    const instance = instanceToRow('s', makeSample(0, 1).instances[0]!);
    const insertInstance = raw.prepare(`INSERT INTO instances (${cols(instance)}) VALUES (${vals(instance)})`);
    const insertObject = raw.prepare('INSERT INTO objects (sample_id, object_id, role, kind, materials) VALUES (@sample_id, @object_id, @role, @kind, @materials)');
    for (const r of records) {
      insertSample.run(sampleToRow(r, 't'));
      for (const i of r.instances) insertInstance.run(instanceToRow(r.id, i));
      for (const o of objectRows(r)) insertObject.run(o);
    }
    // Version 7 counted inserts in its writer: count these rows as its migration did.
    recountFacetsV7(raw);
    const addReview = raw.prepare("INSERT INTO reviews (sample_id, verdict, reason, note, reviewer, created_at) VALUES (?, ?, ?, ?, 'ana', 't')");
    addReview.run('s000001', 'rejected', 'label-wrong', 'legs through the lid');
    addReview.run('s000002', 'flagged', null, '');
    addReview.run('s000001', 'approved', null, '');
    const before = raw.prepare('SELECT * FROM samples ORDER BY id').all();
    const v7Indexes = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(v7Indexes).toContain('samples_split');
    raw.close();

    const db = openDatabase(path);
    cleanups.push(() => db.close());
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    // Migration 9 (applied too) adds the objects and files columns; the rest stays.
    const v8Columns = Object.keys(before[0] as object).join(', ');
    expect(db.connection.prepare(`SELECT ${v8Columns} FROM samples ORDER BY id`).all()).toEqual(before);
    expect(db.connection.prepare("SELECT name FROM sqlite_schema WHERE name IN ('samples_split', 'samples_preset', 'instances_difficulty')").all()).toEqual([]);
    expect(db.connection.prepare('SELECT max_sk, ordered FROM facet_state').get()).toEqual({ max_sk: 120, ordered: 1 });
    expect(searchSamples(db, 'split:val').via).toBe('bitmaps');
    expectSameAnswers(db, [...EXACT, 'review:approved', 'review:flagged', 'species:tarantula visibility<0.3']);
  });
});

/** Migration 7's first count (facet_counts, species_names) of rows inserted with SQL. */
function recountFacetsV7(raw: Database.Database): void {
  raw.exec(`
    DELETE FROM facet_counts; DELETE FROM species_names;
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
    INSERT INTO species_names (species, scientific_name, n) SELECT species, scientific_name, count(*) FROM instances GROUP BY species, scientific_name;
  `);
}
