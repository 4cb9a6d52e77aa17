/**
 * Schema version 10: each review carries its sample's key (reviews.sample_sk = samples.rowid),
 * so a search of review notes needs no lookup of samples by their text id.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { instanceToRow, sampleToRow, type SampleRecord } from '../../src/db/records.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/db/schema.js';
import { searchSamples } from '../../src/db/search.js';
import { makeSample, tempPaths } from './helpers.js';

const { newPath, onCleanup, cleanup } = tempPaths();
afterEach(cleanup);

const NOTE = 'legs through the lid';

/** A version-9 database: `count` samples inserted in reverse id order (rowid and id disagree), reviews with notes on some. */
function version9(path: string, count: number): void {
  const raw = new Database(path);
  migrate(raw, MIGRATIONS.filter((m) => m.version <= 9));
  raw.prepare("INSERT INTO runs (tool_version, preset, seed, started_at) VALUES ('0', 'p', 1, 't')").run();
  const row = (r: SampleRecord) => ({
    ...sampleToRow(r, 't'),
    objects_json: '[]',
    files_json: JSON.stringify((r.files ?? []).map((f) => [f.view, f.kind, f.path, f.sha256])),
  });
  const rs = Array.from({ length: count }, (_, n) => makeSample(count - 1 - n, 1));
  const first = row(rs[0]!);
  const insertSample = raw.prepare(`INSERT INTO samples (${Object.keys(first).join(', ')}) VALUES (${Object.keys(first).map((k) => `@${k}`).join(', ')})`);
  const instance = instanceToRow('s', rs[0]!.instances[0]!);
  const insertInstance = raw.prepare(`INSERT INTO instances (${Object.keys(instance).join(', ')}) VALUES (${Object.keys(instance).map((k) => `@${k}`).join(', ')})`);
  const review = raw.prepare("INSERT INTO reviews (sample_id, verdict, note, reviewer, created_at) VALUES (?, 'approved', ?, 'ana', 't')");
  raw.transaction(() => {
    for (const r of rs) {
      insertSample.run(row(r));
      for (const i of r.instances) insertInstance.run(instanceToRow(r.id, i));
    }
    for (let n = 0; n < count; n += 2) review.run(`s${String(n).padStart(6, '0')}`, n % 6 === 0 ? NOTE : 'fine');
  })();
  raw.close();
}

const ids = (db: ReturnType<typeof openDatabase>, q: string, sqlOnly: boolean) =>
  searchSamples(db, q, { limit: 1000, sqlOnly }).samples.map((s) => s.id).sort();

describe('migration 10 (reviews carry their sample key)', () => {
  it('fills the key of every review; note searches find the same samples with bitmaps and with SQL', () => {
    const path = newPath('v9.db');
    version9(path, 60);
    const db = openDatabase(path);
    onCleanup(() => db.close());
    expect(db.schemaVersion).toBe(SCHEMA_VERSION);
    const c = db.connection;
    const mismatched = c.prepare('SELECT count(*) FROM reviews r LEFT JOIN samples s ON s.id = r.sample_id WHERE r.sample_sk IS NOT s.rowid').pluck().get();
    expect(mismatched).toBe(0);
    expect(c.prepare('SELECT count(*) FROM reviews WHERE sample_sk IS NULL').pluck().get()).toBe(0);
    const expected = Array.from({ length: 10 }, (_, k) => `s${String(6 * k).padStart(6, '0')}`);
    for (const q of ['"through the lid"', 'lid']) {
      expect(ids(db, q, false)).toEqual(expected);
      expect(ids(db, q, true)).toEqual(expected);
    }
  });

  it('a new review gets its key; reviews stay append-only; a deleted sample leaves no key behind', () => {
    const db = openDatabase(newPath('v10.db'));
    onCleanup(() => db.close());
    db.startRun({ toolVersion: '0', preset: 'p', seed: 1, startedAt: 't' });
    db.insertSamples(Array.from({ length: 8 }, (_, n) => makeSample(n, 1)));
    const c = db.connection;
    const id = db.addReview({ sampleId: 's000007', verdict: 'flagged', note: NOTE, reviewer: 'ana' });
    const sk = c.prepare("SELECT rowid FROM samples WHERE id = 's000007'").pluck().get();
    expect(c.prepare('SELECT sample_sk FROM reviews WHERE id = ?').pluck().get(id)).toBe(sk);
    expect(ids(db, '"through the lid"', false)).toEqual(['s000007']);
    expect(() => c.prepare("UPDATE reviews SET note = 'x' WHERE id = ?").run(id)).toThrow(/append-only/);
    expect(() => c.prepare('UPDATE reviews SET verdict = ? WHERE id = ?').run('approved', id)).toThrow(/append-only/);

    // Foreign keys off (a hand edit): the review stays, its key goes, and no other sample inherits it.
    c.pragma('foreign_keys = OFF');
    c.prepare("DELETE FROM samples WHERE id = 's000007'").run();
    c.pragma('foreign_keys = ON');
    expect(c.prepare('SELECT sample_sk FROM reviews WHERE id = ?').pluck().get(id)).toBeNull();
    db.insertSamples([makeSample(8, 1)]);
    // The new sample takes the deleted one's key (no AUTOINCREMENT).
    expect(c.prepare("SELECT rowid FROM samples WHERE id = 's000008'").pluck().get()).toBe(sk);
    db.applyFacetChanges();
    expect(ids(db, '"through the lid"', false)).toEqual([]);
    expect(ids(db, '"through the lid"', true)).toEqual([]);
  });
});
