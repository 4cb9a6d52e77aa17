/**
 * Schema version 10: samples.scanner_json is no longer stored but derived from scene_json (a
 * VIRTUAL generated column), so the insert path serialises the scene once.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { instanceToRow, sampleToRow, type SampleRecord } from '../../src/db/records.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/db/schema.js';
import { searchSamples } from '../../src/db/search.js';
import { makeSample, tempDir } from './helpers.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

function newPath(name: string): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, name);
}

/** Samples whose scanners differ, with numbers JSON writes in several forms and a non-ASCII string. */
function records(count: number): SampleRecord[] {
  return Array.from({ length: count }, (_, n) => {
    const r = makeSample(n, 1);
    r.scene.scanner = { ...r.scene.scanner, fieldWidth: 0.1 + n / 3, sourceHeight: 1e-7 * (n + 1), effectiveEnergyKeV: 60 + n, name: `Röntgen ${n} "x"` } as SampleRecord['scene']['scanner'];
    return r;
  });
}

/** A version-9 database holding `rs` as version 9 stored them (scanner_json a column of its own). */
function version9(path: string, rs: SampleRecord[]): void {
  const raw = new Database(path);
  migrate(raw, MIGRATIONS.filter((m) => m.version <= 9));
  raw.prepare("INSERT INTO runs (tool_version, preset, seed, started_at) VALUES ('0', 'p', 1, 't')").run();
  const row = (r: SampleRecord) => ({
    ...sampleToRow(r, 't'),
    scanner_json: JSON.stringify(r.scene.scanner),
    objects_json: '[]',
    files_json: JSON.stringify((r.files ?? []).map((f) => [f.view, f.kind, f.path, f.sha256])),
  });
  const first = row(rs[0]!);
  const insertSample = raw.prepare(`INSERT INTO samples (${Object.keys(first).join(', ')}) VALUES (${Object.keys(first).map((k) => `@${k}`).join(', ')})`);
  const instance = instanceToRow('s', rs[0]!.instances[0]!);
  const insertInstance = raw.prepare(`INSERT INTO instances (${Object.keys(instance).join(', ')}) VALUES (${Object.keys(instance).map((k) => `@${k}`).join(', ')})`);
  raw.transaction(() => {
    for (const r of rs) {
      insertSample.run(row(r));
      for (const i of r.instances) insertInstance.run(instanceToRow(r.id, i));
    }
  })();
  raw.close();
}

describe('migration 10 (scanner_json derived from scene_json)', () => {
  it('keeps every row, its key and its scanner JSON byte for byte; the column is no longer stored', () => {
    const path = newPath('v9.db');
    const rs = records(30);
    version9(path, rs);
    const raw = new Database(path);
    const before = raw.prepare('SELECT rowid AS sk, * FROM samples ORDER BY id').all() as Array<Record<string, unknown>>;
    const instancesBefore = raw.prepare('SELECT * FROM instances ORDER BY id').all();
    raw.close();
    expect(before).toHaveLength(30);

    const db = openDatabase(path);
    cleanups.push(() => db.close());
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    const c = db.connection;
    const columns = Object.keys(before[0]!).join(', ');
    // Same rows under the same keys (the facet bitmaps are keyed by rowid).
    expect(c.prepare(`SELECT rowid AS sk, ${columns.replace('sk, ', '')} FROM samples ORDER BY id`).all()).toEqual(before);
    expect(c.prepare('SELECT * FROM instances ORDER BY id').all()).toEqual(instancesBefore);
    for (const [k, r] of rs.entries()) expect(before[k]!.scanner_json).toBe(JSON.stringify(r.scene.scanner));
    // Generated and virtual: hidden = 2 in table_xinfo, left out of table_info.
    const xinfo = c.prepare("SELECT hidden FROM pragma_table_xinfo('samples') WHERE name = 'scanner_json'").pluck().get();
    expect(xinfo).toBe(2);
    expect(c.prepare("SELECT count(*) FROM pragma_table_info('samples') WHERE name = 'scanner_json'").pluck().get()).toBe(0);
    expect(db.getSample('s000007')!.scanner).toEqual(rs[7]!.scene.scanner);
    // Queries over the scanner settings read the derived column.
    expect(c.prepare("SELECT count(*) FROM samples WHERE json_extract(scanner_json, '$.effectiveEnergyKeV') >= 80").pluck().get()).toBe(10);
    expect(searchSamples(db, '', { limit: 100 }).total).toBe(30);
  });

  it('the insert path stores the scene once; scanner_json reads back as the scene scanner, and cannot be written', () => {
    const db = openDatabase(newPath('v10.db'));
    cleanups.push(() => db.close());
    db.startRun({ toolVersion: '0', preset: 'p', seed: 1, startedAt: 't' });
    const rs = records(12);
    db.insertSamples(rs);
    const c = db.connection;
    const rows = c.prepare('SELECT scanner_json, scene_json FROM samples ORDER BY id').all() as Array<{ scanner_json: string; scene_json: string }>;
    expect(rows.map((r) => r.scanner_json)).toEqual(rs.map((r) => JSON.stringify(r.scene.scanner)));
    expect(rows.map((r) => r.scene_json)).toEqual(rs.map((r) => JSON.stringify(r.scene)));
    expect(db.getSample('s000003')!.scanner).toEqual(rs[3]!.scene.scanner);
    expect(() => c.prepare("UPDATE samples SET scanner_json = '{}' WHERE id = 's000001'").run()).toThrow(/generated column/);
  });
});
