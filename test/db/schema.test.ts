import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion } from '../../src/db/schema.js';
import { RUN, tempDir } from './helpers.js';

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

const columns = (db: Database.Database, table: string) =>
  (db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(table) as Array<{ name: string }>).map((r) => r.name);

describe('migrations', () => {
  it('are numbered 1, 2, ... and the last is the schema version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('create the tables, columns and indexes on open', () => {
    const sim = openDatabase(newPath());
    cleanups.push(() => sim.close());
    const db = sim.connection;
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(columns(db, 'runs')).toEqual([
      'id', 'tool_version', 'git_revision', 'preset', 'seed', 'options_json', 'host', 'shard_index', 'shard_count',
      'started_at', 'finished_at', 'status',
    ]);
    expect(columns(db, 'samples')).toEqual([
      'id', 'run_id', 'sample_index', 'seed', 'preset', 'split', 'width', 'height', 'scanner_json', 'container_kind',
      'clutter_count', 'animal_count', 'scene_json', 'image_path', 'raw_path', 'image_sha256', 'raw_sha256', 'render_ms', 'created_at',
      'status', 'target_species', 'model_sha256', 'objects_json', 'files_json',
    ]);
    expect(columns(db, 'instances')).toEqual([
      'id', 'sample_id', 'view', 'instance_index', 'object_id', 'species', 'scientific_name', 'bbox_x', 'bbox_y', 'bbox_w', 'bbox_h',
      'mask_area', 'mask_rle', 'length_mm', 'visibility', 'difficulty',
    ]);
    expect(columns(db, 'objects')).toEqual(['sample_id', 'object_id', 'role', 'kind', 'materials']);
    expect(columns(db, 'sample_files')).toEqual(['sample_id', 'view', 'kind', 'path', 'sha256']);

    const indexes = db.prepare("SELECT tbl_name AS t, name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all();
    expect(indexes).toEqual([
      { t: 'instance_rows', name: 'instance_rows_species' },
      { t: 'reviews', name: 'reviews_sample' },
      { t: 'sample_verdicts', name: 'sample_verdicts_reviewer' },
      { t: 'sample_verdicts', name: 'sample_verdicts_verdict' },
      { t: 'samples', name: 'samples_order' },
      { t: 'samples', name: 'samples_status' },
      { t: 'samples', name: 'samples_target' },
    ]);
    const indexColumns = (name: string) => (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(name) as Array<{ name: string }>).map((r) => r.name);
    expect(indexColumns('samples_order')).toEqual(['run_id', 'sample_index']);
    // Animal filters are answered from the index alone: it holds the sample key (schema version 11).
    expect(indexColumns('instance_rows_species')).toEqual(['species', 'sample_sk']);
    expect(columns(db, 'instance_rows')).toEqual([
      'id', 'sample_sk', 'view', 'instance_index', 'object_id', 'species', 'scientific_name', 'bbox_x', 'bbox_y', 'bbox_w', 'bbox_h',
      'mask_area', 'mask_rle', 'length_mm', 'visibility', 'difficulty',
    ]);
    // Refresh's indexes hold only the rows it looks for (schema version 8).
    const partial = (name: string) => db.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").pluck().get(name);
    expect(partial('samples_status')).toMatch(/WHERE status <> 'active'$/);
    expect(partial('samples_target')).toMatch(/WHERE target_species IS NOT NULL$/);
    expect(columns(db, 'facet_bits')).toEqual(['facet', 'key', 'level', 'chunk', 'bits']);

    const kind0 = (name: string) => db.prepare('SELECT type FROM sqlite_schema WHERE name = ?').pluck().get(name);
    const fk = (table: string) => db.prepare('SELECT "table", "from", on_delete FROM pragma_foreign_key_list(?)').all(table);
    expect(fk('samples')).toEqual([{ table: 'runs', from: 'run_id', on_delete: 'NO ACTION' }]);
    // Schema version 11: animals are keyed by samples.rowid, which no foreign key can name; a
    // trigger deletes them with their sample.
    expect(fk('instance_rows')).toEqual([]);
    expect(kind0('instances')).toBe('view');
    // Schema version 9: a sample's objects and files are columns of its row, read through views.
    const kind = (name: string) => db.prepare('SELECT type FROM sqlite_schema WHERE name = ?').pluck().get(name);
    expect([kind('objects'), kind('sample_files')]).toEqual(['view', 'view']);
  });

  it('re-opening is idempotent and keeps the data', () => {
    const path = newPath();
    const first = openDatabase(path);
    const runId = first.startRun(RUN);
    const schema = first.connection.prepare('SELECT sql FROM sqlite_schema ORDER BY name').all();
    first.close();

    const second = openDatabase(path);
    cleanups.push(() => second.close());
    expect(second.schemaVersion).toBe(SCHEMA_VERSION);
    expect(second.connection.prepare('SELECT sql FROM sqlite_schema ORDER BY name').all()).toEqual(schema);
    expect(second.getRun(runId)?.preset).toBe('parcel');
    expect(migrate(second.connection)).toEqual([]);
  });

  it('apply only the missing versions, each once', () => {
    const db = new Database(':memory:');
    cleanups.push(() => db.close());
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    const next = { version: SCHEMA_VERSION + 1, sql: 'ALTER TABLE samples ADD COLUMN review_state TEXT' };
    expect(migrate(db, [...MIGRATIONS, next])).toEqual([next.version]);
    expect(schemaVersion(db)).toBe(next.version);
    expect(columns(db, 'samples')).toContain('review_state');
  });

  it('a failing migration leaves neither its tables nor its version behind', () => {
    const db = new Database(':memory:');
    cleanups.push(() => db.close());
    migrate(db);
    const broken = { version: SCHEMA_VERSION + 1, sql: 'CREATE TABLE half_done (a); INSERT INTO no_such_table VALUES (1);' };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/no_such_table/);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get()).toBeUndefined();
  });
});

describe('migration 2 (views)', () => {
  it('moves version-1 instances to the top view without losing any', () => {
    const path = newPath();
    const raw = new Database(path);
    migrate(raw, MIGRATIONS.slice(0, 1));
    raw.prepare("INSERT INTO runs (tool_version, preset, seed, started_at) VALUES ('0', 'p', 1, 't')").run();
    raw.prepare(
      "INSERT INTO samples (id, run_id, sample_index, seed, preset, width, height, scanner_json, clutter_count, animal_count, scene_json, image_path, image_sha256, created_at) VALUES ('s000000', 1, 0, 1, 'p', 8, 8, '{}', 0, 1, '{}', 'i.png', ?, 't')",
    ).run('a'.repeat(64));
    raw.prepare(
      "INSERT INTO instances (sample_id, instance_index, object_id, species, scientific_name, mask_area, mask_rle, length_mm) VALUES ('s000000', 0, 'animal-0', 'stag-beetle', 'Dorcus titanus', 5, '{}', 50)",
    ).run();
    raw.close();
    const sim = openDatabase(path);
    cleanups.push(() => sim.close());
    expect(sim.schemaVersion).toBe(SCHEMA_VERSION);
    expect(sim.connection.prepare('SELECT view, species, mask_area FROM instances').all()).toEqual([{ view: 'top', species: 'stag-beetle', mask_area: 5 }]);
  });
});
