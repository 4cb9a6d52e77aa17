/**
 * Schema version 9: a sample's objects and files moved from rows of their own into two JSON
 * columns of the sample, read through views named as the old tables.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { instanceToRow, objectRows, sampleToRow, type SampleRecord } from '../../src/db/records.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/db/schema.js';
import { searchSamples } from '../../src/db/search.js';
import { makeSample, tempPaths } from './helpers.js';

const { newPath, onCleanup, cleanup } = tempPaths();
afterEach(cleanup);

/** Samples with files of both views (kinds out of order) and objects named out of order. */
function records(count: number, runId: number): SampleRecord[] {
  return Array.from({ length: count }, (_, n) => {
    const r = makeSample(n, runId);
    const h = (c: string) => c.repeat(64);
    r.files = [
      { view: 'top', kind: 'overlay', path: `overlay/${r.id}.png`, sha256: h('c') },
      { view: 'side', kind: 'image', path: `images/${r.id}-side.png`, sha256: h('d') },
      { view: 'top', kind: 'image', path: `images/${r.id}.png`, sha256: h('a') },
      ...(n % 3 === 0 ? [] : [{ view: 'top' as const, kind: 'high', path: `raw/${r.id}-high.png`, sha256: h('b') }]),
    ];
    // A sample without objects' own rows for the container: no container at all.
    if (n % 4 === 1) r.scene.objects = r.scene.objects.filter((o) => o.role !== 'container');
    return r;
  });
}

const OBJECTS = 'SELECT * FROM objects ORDER BY sample_id, object_id';
const FILES = 'SELECT * FROM sample_files ORDER BY sample_id, view, kind';

/** A version-8 database holding `rs` as version 8 stored them (rows in objects and sample_files). */
function version8(path: string, rs: SampleRecord[]): void {
  const raw = new Database(path);
  migrate(raw, MIGRATIONS.filter((m) => m.version <= 8));
  raw.prepare("INSERT INTO runs (tool_version, preset, seed, started_at) VALUES ('0', 'p', 1, 't')").run();
  const cols = (row: object) => Object.keys(row).join(', ');
  const vals = (row: object) => Object.keys(row).map((k) => `@${k}`).join(', ');
  const sample = sampleToRow(rs[0]!, 't');
  const insertSample = raw.prepare(`INSERT INTO samples (${cols(sample)}) VALUES (${vals(sample)})`);
  const instance = instanceToRow('s', rs[0]!.instances[0]!);
  const insertInstance = raw.prepare(`INSERT INTO instances (${cols(instance)}) VALUES (${vals(instance)})`);
  const insertObject = raw.prepare('INSERT INTO objects (sample_id, object_id, role, kind, materials) VALUES (@sample_id, @object_id, @role, @kind, @materials)');
  const insertFile = raw.prepare('INSERT INTO sample_files (sample_id, view, kind, path, sha256) VALUES (?, ?, ?, ?, ?)');
  raw.transaction(() => {
    for (const r of rs) {
      insertSample.run(sampleToRow(r, 't'));
      for (const i of r.instances) insertInstance.run(instanceToRow(r.id, i));
      for (const o of objectRows(r)) insertObject.run(o);
      for (const f of r.files ?? []) insertFile.run(r.id, f.view, f.kind, f.path, f.sha256);
    }
  })();
  raw.close();
}

describe('migration 9 (objects and files in the sample row)', () => {
  it('moves the rows of a version-8 database into the columns; the views give the same rows', () => {
    const path = newPath('v8.db');
    const rs = records(40, 1);
    version8(path, rs);
    const raw = new Database(path);
    const objectsBefore = raw.prepare(OBJECTS).all();
    const filesBefore = raw.prepare(FILES).all();
    const samplesBefore = raw.prepare('SELECT * FROM samples ORDER BY id').all();
    // Without the id: version 11 renumbers the animals by their sample's key.
    const ANIMALS = `SELECT ${(raw.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('instances') as string[]).filter((c) => c !== 'id').join(', ')}
      FROM instances ORDER BY sample_id, view, instance_index`;
    const instancesBefore = raw.prepare(ANIMALS).all();
    raw.close();
    expect(objectsBefore.length).toBeGreaterThan(80);
    expect(filesBefore.length).toBe(40 * 3 + 26);

    const db = openDatabase(path);
    onCleanup(() => db.close());
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    const c = db.connection;
    expect(c.prepare("SELECT type FROM sqlite_schema WHERE name IN ('objects', 'sample_files')").pluck().all()).toEqual(['view', 'view']);
    expect(c.prepare(OBJECTS).all()).toEqual(objectsBefore);
    expect(c.prepare(FILES).all()).toEqual(filesBefore);
    const v8Columns = Object.keys(samplesBefore[0] as object).join(', ');
    expect(c.prepare(`SELECT ${v8Columns} FROM samples ORDER BY id`).all()).toEqual(samplesBefore);
    expect(c.prepare(ANIMALS).all()).toEqual(instancesBefore);
    // Stored in the old keys' order: objects by id, files by view then kind.
    expect(JSON.parse(c.prepare("SELECT files_json FROM samples WHERE id = 's000001'").pluck().get() as string)).toEqual([
      ['side', 'image', 'images/s000001-side.png', 'd'.repeat(64)],
      ['top', 'high', 'raw/s000001-high.png', 'b'.repeat(64)],
      ['top', 'image', 'images/s000001.png', 'a'.repeat(64)],
      ['top', 'overlay', 'overlay/s000001.png', 'c'.repeat(64)],
    ]);

    // The same records inserted by this version's insert path read back the same.
    const fresh = openDatabase(newPath('v9.db'));
    onCleanup(() => fresh.close());
    fresh.startRun({ toolVersion: '0', preset: 'p', seed: 1, startedAt: 't' });
    fresh.insertSamples(rs);
    expect(fresh.connection.prepare(OBJECTS).all()).toEqual(objectsBefore);
    expect(fresh.connection.prepare(FILES).all()).toEqual(filesBefore);
    expect(fresh.connection.prepare('SELECT objects_json, files_json FROM samples ORDER BY id').all()).toEqual(
      c.prepare('SELECT objects_json, files_json FROM samples ORDER BY id').all(),
    );
    // getSample reads the columns in place, in the order it always gave.
    const stored = db.getSample('s000002')!;
    expect(stored.files.map((f) => `${f.view}/${f.kind}`)).toEqual(['top/high', 'top/image', 'top/overlay', 'side/image']);
    expect(stored.objects.map((o) => o.objectId)).toEqual(['animal-0', 'animal-1', 'box', 'shirt-0']);
    expect(stored.objects.find((o) => o.objectId === 'animal-1')!.materials).toEqual(['chitin', 'soft-tissue', 'water']);
    expect(fresh.getSample('s000002')).toEqual({ ...stored, createdAt: fresh.getSample('s000002')!.createdAt });
    // The facet bitmaps are untouched by the move.
    expect(searchSamples(db, 'split:train', { limit: 100 }).total).toBe(20);
  });

  it('keeps the views writable, with the old tables\' checks', () => {
    const db = openDatabase(newPath('w.db'));
    onCleanup(() => db.close());
    const run = db.startRun({ toolVersion: '0', preset: 'p', seed: 1 });
    db.insertSamples(records(3, run));
    const c = db.connection;
    c.prepare("UPDATE sample_files SET sha256 = ? WHERE sample_id = 's000001' AND kind = 'overlay'").run('0'.repeat(64));
    expect(c.prepare("SELECT sha256 FROM sample_files WHERE sample_id = 's000001' AND kind = 'overlay'").pluck().get()).toBe('0'.repeat(64));
    expect(c.prepare("SELECT count(*) FROM sample_files WHERE sample_id = 's000001'").pluck().get()).toBe(4);

    c.prepare("INSERT INTO sample_files (sample_id, view, kind, path, sha256) VALUES ('s000000', 'side', 'grey', 'g.png', ?)").run('e'.repeat(64));
    expect(c.prepare("SELECT view || '/' || kind FROM sample_files WHERE sample_id = 's000000' ORDER BY view, kind").pluck().all()).toEqual([
      'side/grey', 'side/image', 'top/image', 'top/overlay',
    ]);
    expect(() => c.prepare("INSERT INTO sample_files (sample_id, view, kind, path, sha256) VALUES ('s000000', 'side', 'grey', 'x.png', ?)").run('e'.repeat(64))).toThrow(/UNIQUE/);
    expect(() => c.prepare("INSERT INTO sample_files (sample_id, view, kind, path, sha256) VALUES ('s000000', 'front', 'x', 'x.png', ?)").run('e'.repeat(64))).toThrow(/top or side/);
    expect(() => c.prepare("UPDATE sample_files SET sha256 = 'short' WHERE sample_id = 's000000'").run()).toThrow(/64 hex/);
    c.prepare("DELETE FROM sample_files WHERE sample_id = 's000000' AND view = 'side'").run();
    expect(c.prepare("SELECT count(*) FROM sample_files WHERE sample_id = 's000000'").pluck().get()).toBe(2);

    c.prepare("DELETE FROM objects WHERE sample_id = 's000002' AND object_id = 'shirt-0'").run();
    c.prepare("UPDATE objects SET materials = 'chitin' WHERE sample_id = 's000002' AND object_id = 'animal-0'").run();
    c.prepare("INSERT INTO objects (sample_id, object_id, role, kind, materials) VALUES ('s000002', 'bag-0', 'clutter', 'bag', 'polyethylene')").run();
    expect(c.prepare("SELECT object_id, materials FROM objects WHERE sample_id = 's000002'").raw().all()).toEqual([
      ['animal-0', 'chitin'], ['animal-1', 'chitin,soft-tissue,water'], ['bag-0', 'polyethylene'], ['box', 'cardboard'],
    ]);
    expect(() => c.prepare("INSERT INTO objects (sample_id, object_id, role, kind, materials) VALUES ('s000002', 'box', 'clutter', 'bag', '')").run()).toThrow(/UNIQUE/);
    expect(() => c.prepare("INSERT INTO objects (sample_id, object_id, role, kind, materials) VALUES ('nope', 'x', 'clutter', 'bag', '')").run()).toThrow(/no such sample/);

    // Deleting a sample takes its objects and files with it (they are its row).
    c.prepare("DELETE FROM instances WHERE sample_id = 's000001'").run();
    c.prepare("DELETE FROM samples WHERE id = 's000001'").run();
    expect(c.prepare("SELECT count(*) FROM sample_files WHERE sample_id = 's000001'").pluck().get()).toBe(0);
    expect(c.prepare("SELECT count(*) FROM objects WHERE sample_id = 's000001'").pluck().get()).toBe(0);
  });

  it('refuses files and objects the old tables refused, writing nothing', () => {
    const db = openDatabase(newPath('bad.db'));
    onCleanup(() => db.close());
    const run = db.startRun({ toolVersion: '0', preset: 'p', seed: 1 });
    const [good, badHash, twice, sameId] = records(4, run);
    badHash!.files![0]!.sha256 = 'abc';
    twice!.files!.push({ ...twice!.files![0]! });
    sameId!.scene.objects.push({ ...sameId!.scene.objects[0]! });
    expect(() => db.insertSamples([good!, badHash!])).toThrow(/s000001 has no 64-digit hex sha256/);
    expect(() => db.insertSample(twice!)).toThrow(/two top files of kind "overlay"/);
    expect(() => db.insertSample(sameId!)).toThrow(/two objects with id "box"/);
    expect(db.countSamples()).toBe(0);
  });
});
