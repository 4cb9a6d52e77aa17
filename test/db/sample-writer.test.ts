/**
 * SampleWriter: batches stored on a thread of their own, as insertSamples stores them; a failed
 * batch stops the writer with nothing of it (or after it) written.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { SampleWriter } from '../../src/db/sample-writer.js';
import { searchSamples } from '../../src/db/search.js';
import { makeSample, RUN, tempPaths } from './helpers.js';

const { newPath, onCleanup, cleanup } = tempPaths();
afterEach(cleanup);

const TABLES = [
  'SELECT rowid, * FROM samples ORDER BY rowid',
  'SELECT * FROM instance_rows ORDER BY id',
  'SELECT facet, quote(key) AS key, n FROM facet_counts ORDER BY facet, key',
  'SELECT * FROM species_names ORDER BY species, scientific_name',
  'SELECT facet, quote(key) AS key, level, chunk, hex(bits) AS bits FROM facet_bits ORDER BY facet, key, level, chunk',
  'SELECT chunk, hex(data) AS data FROM facet_vis ORDER BY chunk',
  'SELECT * FROM facet_state',
];

function dump(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return TABLES.map((sql) => db.prepare(sql).all());
  } finally {
    db.close();
  }
}

/** Samples 0..count-1 of run 1 in batches of `size`, with variety (views, nulls, no animals). */
function batches(count: number, size: number) {
  const all = Array.from({ length: count }, (_, n) => {
    const r = makeSample(n, 1);
    if (n % 3 === 0) r.instances.push({ ...r.instances[0]!, view: 'side', instanceIndex: 0, visibility: null, difficulty: null });
    if (n % 7 === 0) r.instances = [];
    if (n % 5 === 0) r.split = null;
    return r;
  });
  return Array.from({ length: Math.ceil(count / size) }, (_, k) => all.slice(k * size, (k + 1) * size));
}

function newDatabase(name: string): string {
  const path = newPath(name);
  const db = openDatabase(path);
  db.startRun(RUN);
  db.close();
  return path;
}

describe('SampleWriter', () => {
  it('writes exactly what insertSamples writes: rows, counts, facet bitmaps', async () => {
    const viaThread = newDatabase('thread.db');
    const viaCall = newDatabase('call.db');
    const parts = batches(60, 13);
    const writer = await SampleWriter.open(viaThread);
    for (const part of parts) await writer.write(part);
    await writer.close();
    const db = openDatabase(viaCall);
    for (const part of parts) db.insertSamples(part);
    db.close();
    const stored = dump(viaThread);
    expect((stored[0] as unknown[]).length).toBe(60);
    expect(stored).toEqual(dump(viaCall));
    // And the readers see them (bitmaps and SQL agree).
    const reader = openDatabase(viaThread, { readonly: true });
    onCleanup(() => reader.close());
    const ids = (sqlOnly: boolean) => searchSamples(reader, 'species:stag-beetle view:side', { limit: 100, sqlOnly }).samples.map((s) => s.id);
    expect(ids(false)).toEqual(ids(true));
    // Multiples of 3 below 60 have a side view, less those of 21 (no animals).
    expect(ids(false).length).toBe(20 - 3);
  });

  it('another connection storing samples between its batches: the same as one connection storing them in that order', async () => {
    const viaThread = newDatabase('shared.db');
    const viaCall = newDatabase('alone.db');
    // Batches of 1,200: above APPLY_AT, so their bits are set as they are stored (not logged).
    const [a, b] = batches(2400, 1200);
    const other = makeSample(5000, 1);
    const writer = await SampleWriter.open(viaThread);
    await writer.write(a!);
    await writer.flush();
    // The next key goes to a sample stored by another connection.
    const db = openDatabase(viaThread);
    db.insertSamples([other]);
    db.close();
    await writer.write(b!);
    await writer.close();
    const reference = openDatabase(viaCall);
    for (const part of [a!, [other], b!]) reference.insertSamples(part);
    reference.close();
    expect(dump(viaThread)).toEqual(dump(viaCall));
  });

  it('writes not awaited one by one still go in order, at most inFlight at a time', async () => {
    const path = newDatabase('unawaited.db');
    const writer = await SampleWriter.open(path, { inFlight: 2 });
    await Promise.all(batches(40, 5).map((part) => writer.write(part)));
    await writer.flush();
    await writer.close();
    const db = openDatabase(path, { readonly: true });
    onCleanup(() => db.close());
    const stored = db.listSamples();
    expect(stored.map((s) => s.id)).toEqual(Array.from({ length: 40 }, (_, n) => `s${String(n).padStart(6, '0')}`));
    // Stored in the order written: the sample key (rowid) follows the index.
    const keys = db.connection.prepare('SELECT sample_index FROM samples ORDER BY rowid').pluck().all();
    expect(keys).toEqual(Array.from({ length: 40 }, (_, n) => n));
  });

  it('a failed batch is not written, nor any after it; write and close say which samples were stored', async () => {
    const path = newDatabase('fail.db');
    const parts = batches(30, 10);
    // The second batch repeats a sample of the first.
    parts[1]![4] = makeSample(3, 1);
    // One batch in flight: each write waits for the batch before it to settle.
    const writer = await SampleWriter.open(path, { inFlight: 1 });
    await writer.write(parts[0]!);
    await writer.write(parts[1]!);
    await expect(writer.write(parts[2]!)).rejects.toThrow(/UNIQUE constraint failed: samples\.id.*the batch s000010\.\.s000019; samples up to s000009 were stored, none after them/);
    await expect(writer.close()).rejects.toThrow(/samples up to s000009 were stored/);
    const db = openDatabase(path, { readonly: true });
    onCleanup(() => db.close());
    expect(db.countSamples()).toBe(10);
    expect(db.listSamples().at(-1)?.id).toBe('s000009');
  });

  it('a record that cannot be prepared is refused on the caller thread, nothing of its batch handed over', async () => {
    const path = newDatabase('bad.db');
    const writer = await SampleWriter.open(path);
    const [part] = batches(5, 5);
    part![2]!.objectMaterials = { 'animal-0': ['chitin,wet'] };
    await expect(writer.write(part!)).rejects.toThrow(/contains a comma/);
    // The writer itself is fine: later batches are stored.
    await writer.write(batches(10, 5)[1]!);
    await writer.close();
    const db = openDatabase(path, { readonly: true });
    onCleanup(() => db.close());
    expect(db.listSamples().map((s) => s.id)).toEqual(['s000005', 's000006', 's000007', 's000008', 's000009']);
  });

  it('a sample of a run the database does not have fails the batch', async () => {
    const path = newDatabase('norun.db');
    const writer = await SampleWriter.open(path);
    await writer.write([makeSample(0, 99)]);
    await expect(writer.close()).rejects.toThrow(/there is no run 99/);
  });

  it('opening a file that is not an exoray database fails with the reason; a closed writer refuses batches', async () => {
    const foreign = newPath('notes.db');
    writeFileSync(foreign, 'not a database at all, just text that is long enough to have a header'.repeat(20));
    await expect(SampleWriter.open(foreign)).rejects.toThrow(/not an SQLite database or is corrupt/);
    const writer = await SampleWriter.open(newDatabase('closed.db'), { inFlight: 1 });
    // A batch waiting for room when close() is called is refused, not lost.
    const [first, waiting] = batches(2, 1);
    await writer.write(first!);
    const refused = writer.write(waiting!);
    const closing = writer.close();
    await expect(refused).rejects.toThrow(/writer of ".*closed\.db" is closed/);
    await closing;
    await expect(writer.write(batches(1, 1)[0]!)).rejects.toThrow(/is closed/);
  });
});
