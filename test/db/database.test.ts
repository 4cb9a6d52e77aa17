import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SimulationDb } from '../../src/db/database.js';
import { SCHEMA_VERSION } from '../../src/db/schema.js';
import { decodeRle } from '../../src/labels/rle.js';
import { RUN, makeSample, tempDir } from './helpers.js';

const E_DATABASE = expect.objectContaining({ code: 'E_DATABASE' });

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
function open(path = newPath(), readonly = false): SimulationDb {
  const db = openDatabase(path, { readonly });
  cleanups.push(() => db.close());
  return db;
}
const rowCount = (db: SimulationDb, table: string) =>
  (db.connection.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('openDatabase', () => {
  it('turns on WAL, foreign keys and a busy timeout', () => {
    const db = open();
    expect(db.connection.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.connection.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.connection.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('refuses a file that is not SQLite, naming the path', () => {
    const path = newPath();
    writeFileSync(path, 'this is a PNG, honest\n'.repeat(200));
    expect(() => openDatabase(path)).toThrow(E_DATABASE);
    expect(() => openDatabase(path)).toThrow(new RegExp(`"${path}" is not an SQLite database.*choose another database path`));
  });

  it('refuses a database written by a newer exoray', () => {
    const path = newPath();
    open(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow(E_DATABASE);
    expect(() => openDatabase(path)).toThrow(new RegExp(`"${path}" has schema version ${SCHEMA_VERSION + 1}.*newer exoray.*Upgrade exoray`));
    expect(() => openDatabase(path, { readonly: true })).toThrow(/newer exoray/);
  });

  it("refuses another program's SQLite database instead of adding tables to it", () => {
    const path = newPath();
    const raw = new Database(path);
    raw.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY)');
    raw.close();
    expect(() => openDatabase(path)).toThrow(/another program/);
    const check = new Database(path);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'samples'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('names the path when the folder does not exist', () => {
    const path = join(newPath(), 'missing', 'sim.db');
    expect(() => openDatabase(path)).toThrow(E_DATABASE);
    expect(() => openDatabase(path)).toThrow(path);
  });

  it('read-only: needs an existing, up-to-date file and refuses writes', () => {
    const path = newPath();
    expect(() => openDatabase(path, { readonly: true })).toThrow(E_DATABASE);
    const writer = open(path);
    const runId = writer.startRun(RUN);
    writer.insertSample(makeSample(0, runId));
    // A reader sees committed samples while the writer keeps the file open (WAL).
    const reader = open(path, true);
    expect(reader.hasSample('s000000')).toBe(true);
    expect(() => reader.insertSample(makeSample(1, runId))).toThrow(/readonly/);
    expect(() => reader.startRun(RUN)).toThrow(E_DATABASE);
  });

  it('read-only: refuses a file that still needs a migration', () => {
    const path = newPath();
    new Database(path).close(); // an empty SQLite file: version 0
    expect(() => openDatabase(path, { readonly: true })).toThrow(/needs version .* Open it once writable/);
  });
});

describe('runs', () => {
  it('start, read back and finish', () => {
    const db = open();
    const runId = db.startRun(RUN);
    expect(db.getRun(runId)).toEqual({
      id: runId,
      toolVersion: '0.1.0-test',
      gitRevision: 'abc1234',
      preset: 'parcel',
      seed: 42,
      options: { count: 2, out: 'output/test' },
      host: 'test-host',
      shard: { index: 1, count: 4 },
      startedAt: '2025-01-02T03:04:05.000Z',
      finishedAt: null,
      status: 'running',
    });
    db.finishRun(runId, 'completed', '2025-01-02T04:00:00.000Z');
    expect(db.getRun(runId)).toMatchObject({ status: 'completed', finishedAt: '2025-01-02T04:00:00.000Z' });
    expect(db.getRun(runId + 1)).toBeUndefined();
  });

  it('defaults: no shard, empty options, this host', () => {
    const db = open();
    const runId = db.startRun({ toolVersion: '1', preset: 'suitcase', seed: 7 });
    const run = db.getRun(runId)!;
    expect(run).toMatchObject({ shard: null, options: {}, gitRevision: null, status: 'running' });
    expect(typeof run.host).toBe('string');
    expect(Number.isNaN(Date.parse(run.startedAt))).toBe(false);
  });

  it('finishing an unknown run or a bad shard is an E_DATABASE error', () => {
    const db = open();
    expect(() => db.finishRun(99, 'failed')).toThrow(/no run 99/);
    expect(() => db.startRun({ ...RUN, shard: { index: 4, count: 4 } })).toThrow(E_DATABASE);
  });
});

describe('samples', () => {
  it('insert and get round trip, with columns derived from the scene', () => {
    const db = open();
    const runId = db.startRun(RUN);
    const record = makeSample(42, runId);
    db.insertSample(record);
    const got = db.getSample('s000042')!;
    expect(got).toMatchObject({
      id: 's000042',
      runId,
      sampleIndex: 42,
      seed: 1042,
      preset: 'parcel',
      split: 'train',
      width: 8,
      height: 6,
      containerKind: 'cardboard-box',
      clutterCount: 1,
      animalCount: 2,
      imagePath: 'images/s000042.png',
      rawPath: 'raw/s000042.tiff',
      imageSha256: 'a'.repeat(64),
      rawSha256: 'b'.repeat(64),
      renderMs: 12.5,
      createdAt: '2025-01-02T03:04:06.000Z',
    });
    expect(got.scene).toEqual(record.scene);
    expect(got.scanner).toEqual(record.scene.scanner);
    expect(got.instances.map(({ id, ...rest }) => (expect(id).toBeGreaterThan(0), rest))).toEqual(record.instances.map((i) => ({ view: 'top', difficulty: null, ...i })));
    expect(decodeRle(got.instances[0].maskRle).reduce((a, b) => a + b, 0)).toBe(3);
    expect(got.objects).toEqual([
      { objectId: 'animal-0', role: 'animal', kind: 'stag-beetle', materials: ['chitin', 'soft-tissue'] },
      { objectId: 'animal-1', role: 'animal', kind: 'tarantula', materials: ['chitin', 'soft-tissue', 'water'] },
      { objectId: 'box', role: 'container', kind: 'cardboard-box', materials: ['cardboard'] },
      { objectId: 'shirt-0', role: 'clutter', kind: 'folded-shirt', materials: ['cotton', 'polyethylene'] },
    ]);
    expect(db.getSample('s999999')).toBeUndefined();
  });

  it('optional fields default to null and createdAt to now', () => {
    const db = open();
    const runId = db.startRun(RUN);
    const { split: _s, rawPath: _r, rawSha256: _h, renderMs: _m, createdAt: _c, ...minimal } = makeSample(3, runId);
    db.insertSample(minimal);
    const got = db.getSample('s000003')!;
    expect(got).toMatchObject({ split: null, rawPath: null, rawSha256: null, renderMs: null });
    expect(Number.isNaN(Date.parse(got.createdAt))).toBe(false);
  });

  it('has, count and list with filters', () => {
    const db = open();
    const a = db.startRun(RUN);
    const b = db.startRun({ ...RUN, preset: 'suitcase' });
    db.insertSamples([makeSample(2, a), makeSample(0, a), makeSample(1, a), makeSample(3, b)]);
    expect(db.hasSample('s000001')).toBe(true);
    expect(db.hasSample('s000009')).toBe(false);
    expect(db.countSamples()).toBe(4);
    expect(db.countSamples({ runId: a })).toBe(3);
    expect(db.countSamples({ runId: a, split: 'train' })).toBe(2);
    expect(db.listSamples().map((s) => s.id)).toEqual(['s000000', 's000001', 's000002', 's000003']);
    expect(db.listSamples({ runId: a, limit: 2, offset: 1 }).map((s) => s.id)).toEqual(['s000001', 's000002']);
    expect(db.listSamples({ split: 'val' }).map((s) => s.id)).toEqual(['s000001', 's000003']);
    expect(db.listSamples({ preset: 'nope' })).toEqual([]);
    expect(db.listSamples()[0]).not.toHaveProperty('scene');
  });

  it('a failing instance insert rolls back the whole sample', () => {
    const db = open();
    const runId = db.startRun(RUN);
    const bad = makeSample(5, runId);
    bad.instances[1].instanceIndex = 0; // duplicate: the second instance insert fails
    expect(() => db.insertSample(bad)).toThrow(E_DATABASE);
    expect(() => db.insertSample(bad)).toThrow(/cannot store sample s000005.*UNIQUE constraint failed: instances\.sample_id, instances\.view, instances\.instance_index.*Nothing of it was written/);
    expect(db.hasSample('s000005')).toBe(false);
    expect(rowCount(db, 'samples')).toBe(0);
    expect(rowCount(db, 'instances')).toBe(0);
    expect(rowCount(db, 'objects')).toBe(0);
    // The connection is still usable afterwards.
    db.insertSample(makeSample(5, runId));
    expect(rowCount(db, 'instances')).toBe(2);
  });

  it('a bad record in a batch rolls back the whole batch', () => {
    const db = open();
    const runId = db.startRun(RUN);
    const bad = makeSample(1, runId);
    bad.instances[0].visibility = 1.5; // outside 0..1
    expect(() => db.insertSamples([makeSample(0, runId), bad, makeSample(2, runId)])).toThrow(/sample s000001/);
    expect(rowCount(db, 'samples')).toBe(0);
    expect(rowCount(db, 'instances')).toBe(0);
  });

  it('a sample stored twice or for an unknown run is refused with a hint', () => {
    const db = open();
    const runId = db.startRun(RUN);
    db.insertSample(makeSample(0, runId));
    expect(() => db.insertSample(makeSample(0, runId))).toThrow(/already stored/);
    expect(() => db.insertSample(makeSample(1, runId + 7))).toThrow(/run \d+ was started/);
    expect(rowCount(db, 'samples')).toBe(1);
  });

  it('deleting a sample deletes its instances and objects', () => {
    const db = open();
    const runId = db.startRun(RUN);
    db.insertSamples([makeSample(0, runId), makeSample(1, runId)]);
    db.connection.prepare('DELETE FROM samples WHERE id = ?').run('s000000');
    expect(rowCount(db, 'instances')).toBe(2);
    expect(rowCount(db, 'objects')).toBe(4);
  });

  it('survives close and re-open', () => {
    const path = newPath();
    const first = open(path);
    const runId = first.startRun(RUN);
    first.insertSample(makeSample(7, runId));
    first.close();
    const second = open(path);
    expect(second.getSample('s000007')?.instances).toHaveLength(2);
  });
});
