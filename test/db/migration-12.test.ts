/**
 * Schema version 12: the CHECK constraints the insert path evaluates on every row test
 * equalities joined by OR instead of an IN list, which SQLite evaluates by filling an
 * ephemeral table for each row (a tenth of the insert time of a million samples).
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { INSERT_INSTANCE_SQL, INSERT_SAMPLE_SQL, openDatabase } from '../../src/db/database.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate, rewriteChecks } from '../../src/db/schema.js';
import { makeSample, RUN, tempPaths } from './helpers.js';

const { newPath, onCleanup, cleanup } = tempPaths();
afterEach(cleanup);

/** The opcodes SQLite runs for one execution of `sql` (parameters left NULL). */
function opcodes(db: Database.Database, sql: string): string[] {
  const statement = db.prepare(`EXPLAIN ${sql}`);
  const nulls = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
  return (statement.all(...nulls) as Array<{ opcode: string }>).map((r) => r.opcode);
}

const tableSql = (db: Database.Database, table: string) => db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(table) as string;

/** An IN list of three constants or more: SQLite makes an ephemeral table of it. */
const IN_LIST = /\bIN\s*\(\s*'[^']*'\s*,\s*'[^']*'\s*,/i;

function expectConstraintsHold(db: Database.Database): void {
  const sk = db.prepare('SELECT rowid FROM samples ORDER BY rowid LIMIT 1').pluck().get() as number;
  expect(() => db.prepare("UPDATE samples SET status = 'bogus' WHERE rowid = ?").run(sk)).toThrow(/CHECK constraint failed/);
  expect(() => db.prepare("UPDATE instance_rows SET difficulty = 'bogus' WHERE sample_sk = ?").run(sk)).toThrow(/CHECK constraint failed/);
  // Every value the old lists allowed still passes (and NULL difficulty: "not measured").
  for (const status of ['superseded', 'retired', 'active']) db.prepare('UPDATE samples SET status = ? WHERE rowid = ?').run(status, sk);
  for (const difficulty of ['easy', 'hard', 'hidden', null]) db.prepare('UPDATE instance_rows SET difficulty = ? WHERE sample_sk = ?').run(difficulty, sk);
}

describe('migration 12 (insert-path CHECKs without IN lists)', () => {
  it('the insert statements open no ephemeral table, in a new database', () => {
    const db = openDatabase(newPath('new.db'));
    onCleanup(() => db.close());
    const c = db.connection;
    for (const sql of [INSERT_SAMPLE_SQL, INSERT_INSTANCE_SQL]) expect(opcodes(c, sql)).not.toContain('OpenEphemeral');
    for (const table of ['samples', 'instance_rows']) expect(tableSql(c, table)).not.toMatch(IN_LIST);
    const runId = db.startRun(RUN);
    db.insertSamples([makeSample(0, runId), makeSample(1, runId)]);
    expectConstraintsHold(c);
    expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('upgrades a version-11 database in place: rows unchanged, constraints the same, the file intact', () => {
    const path = newPath('v11.db');
    const raw = new Database(path);
    migrate(raw, MIGRATIONS.filter((m) => m.version <= 11));
    raw.close();
    // Samples stored by version 11 (its insert path is this one: only the table text differs).
    {
      const v11 = new Database(path);
      expect(tableSql(v11, 'samples')).toMatch(IN_LIST);
      expect(opcodes(v11, INSERT_INSTANCE_SQL)).toContain('OpenEphemeral');
      v11.close();
    }
    const before = openDatabaseAt11(path);
    const db = openDatabase(path);
    onCleanup(() => db.close());
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    const c = db.connection;
    for (const sql of [INSERT_SAMPLE_SQL, INSERT_INSTANCE_SQL]) expect(opcodes(c, sql)).not.toContain('OpenEphemeral');
    expect(c.prepare('SELECT * FROM samples ORDER BY rowid').all()).toEqual(before.samples);
    expect(c.prepare('SELECT * FROM instance_rows ORDER BY id').all()).toEqual(before.animals);
    expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
    expectConstraintsHold(c);
    // The insert path writes to the upgraded file.
    db.insertSamples([makeSample(7, 1)]);
    expect(db.getSample(makeSample(7, 1).id)?.instances.length).toBe(makeSample(7, 1).instances.length);
  });

  it('rewriteChecks leaves a table whose text differs as it is, and runs in the caller transaction', () => {
    const db = new Database(':memory:');
    onCleanup(() => db.close());
    db.exec("CREATE TABLE t (x TEXT CHECK (x IN ('a', 'b', 'c'))); CREATE TABLE u (y TEXT CHECK (y IN ('a', 'b', 'c')))");
    db.transaction(() => rewriteChecks(db, [['t', "x IN ('a', 'b', 'c')", "x = 'a' OR x = 'b' OR x = 'c'"], ['u', "y IN ('z')", 'y = 1']]))();
    expect(tableSql(db, 't')).toBe("CREATE TABLE t (x TEXT CHECK (x = 'a' OR x = 'b' OR x = 'c'))");
    expect(tableSql(db, 'u')).toBe("CREATE TABLE u (y TEXT CHECK (y IN ('a', 'b', 'c')))");
    expect(() => db.prepare("INSERT INTO t VALUES ('d')").run()).toThrow(/CHECK constraint failed/);
    db.prepare("INSERT INTO t VALUES ('b')").run();
    // Defensive mode is back on: sqlite_schema cannot be written from SQL.
    expect(() => db.prepare("UPDATE sqlite_schema SET sql = sql WHERE name = 't'").run()).toThrow();
    // A rolled-back transaction takes the edit back with it.
    expect(() =>
      db.transaction(() => {
        rewriteChecks(db, [['u', "y IN ('a', 'b', 'c')", "y = 'a'"]]);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(tableSql(db, 'u')).toBe("CREATE TABLE u (y TEXT CHECK (y IN ('a', 'b', 'c')))");
  });
});

/** Fills a version-11 file through this build's insert path (the same statements), read back raw. */
function openDatabaseAt11(path: string): { samples: unknown[]; animals: unknown[] } {
  const raw = new Database(path);
  try {
    raw.prepare("INSERT INTO runs (tool_version, preset, seed, started_at) VALUES ('0', 'p', 1, 't')").run();
    raw.pragma('foreign_keys = ON');
    const sample = raw.prepare(INSERT_SAMPLE_SQL);
    const animal = raw.prepare(INSERT_INSTANCE_SQL);
    raw.transaction(() => {
      for (let n = 0; n < 5; n++) {
        const r = makeSample(n, 1);
        const sk = Number(
          sample.run(
            r.id, 1, n, r.scene.seed, r.scene.preset, 'train', 8, 6, JSON.stringify(r.scene.scanner), 'cardboard-box', 0, r.instances.length,
            JSON.stringify(r.scene), r.imagePath, null, r.imageSha256, null, 10, 't', n === 3 ? 'retired' : 'active', null, null, '[]', '[]',
          ).lastInsertRowid,
        );
        r.instances.forEach((i, k) =>
          animal.run(sk * 4096 + k, sk, 'top', k, i.objectId, i.species, i.scientificName, 1, 2, 3, 4, i.maskArea, '{}', i.lengthMm, 0.25 * k, k === 1 ? null : 'hard'),
        );
      }
    })();
    return { samples: raw.prepare('SELECT * FROM samples ORDER BY rowid').all(), animals: raw.prepare('SELECT * FROM instance_rows ORDER BY id').all() };
  } finally {
    raw.close();
  }
}
