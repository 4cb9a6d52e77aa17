/**
 * Merging shards: N shard folders merged give the dataset one machine makes.
 *
 * generate() is run once, for the reference; the shards are simulated from it:
 * each is a copy that keeps only its samples (sample i in shard i mod N), its
 * files, and sample keys (samples.rowid) renumbered from 1 as a shard's own run numbers them,
 * which renumbers the instance ids too (schema version 11: id = key * 4096 + view + index).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { generate } from '../../src/dataset/generate.js';
import { verifyDataset } from '../../src/dataset/verify.js';
import { mergeDatasets } from '../../src/dataset/merge.js';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { ATTACH_BATCH, mergeDatabases } from '../../src/db/merge.js';
import { categoryList } from '../../src/labels/categories.js';
import { tempDir } from '../helpers/tmp.js';

const COUNT = 6;
const SEED = 9;
const tmp = tempDir('exoray-merge-');
const reference = path.join(tmp.dir, 'reference');
const shardDir = (k: number, n: number, tag = '') => path.join(tmp.dir, `shards${n}${tag}`, String(k));

/** Every file under `dir`, relative, sorted. */
function tree(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(`${rel}/`, ...tree(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

function withDb<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dir, 'exoray.db'));
  db.pragma('foreign_keys = ON');
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Turns a copy of the reference into shard k of n, as `exoray generate --shard k/n` would have left it. */
function makeShard(k: number, n: number, tag = ''): string {
  const dir = shardDir(k, n, tag);
  cpSync(reference, dir, { recursive: true });
  withDb(dir, (db) => {
    const gone = db.prepare('SELECT f.path FROM sample_files f JOIN samples s ON s.id = f.sample_id WHERE s.sample_index % ? != ?').pluck().all(n, k) as string[];
    for (const f of gone) unlinkSync(path.join(dir, f));
    db.prepare('DELETE FROM samples WHERE sample_index % ? != ?').run(n, k);
    db.prepare('UPDATE runs SET shard_index = ?, shard_count = ?').run(k, n);
    // A shard's own run numbers its samples from 1 (in rank order: a key never lands on a taken one).
    const sks = db.prepare('SELECT rowid FROM samples ORDER BY rowid').pluck().all() as number[];
    sks.forEach((sk, rank) => {
      db.prepare('UPDATE samples SET rowid = ? WHERE rowid = ?').run(rank + 1, sk);
      db.prepare('UPDATE instance_rows SET id = id % 4096 + ? * 4096, sample_sk = ? WHERE sample_sk = ?').run(rank + 1, rank + 1, sk);
    });
  });
  return dir;
}

/** Everything a dataset is, minus measurements (timings, creation times). */
function snapshot(dir: string): Record<string, unknown> {
  const db = new Database(path.join(dir, 'exoray.db'), { readonly: true });
  try {
    return {
      runs: db.prepare('SELECT * FROM runs').all(),
      samples: db.prepare('SELECT * FROM samples ORDER BY id').all().map((r: any) => ({ ...r, render_ms: 0, created_at: '' })),
      // Ids included: they must be those of the single-machine run.
      instances: db.prepare('SELECT * FROM instances ORDER BY id').all(),
      objects: db.prepare('SELECT * FROM objects ORDER BY sample_id, object_id').all(),
      sampleFiles: db.prepare('SELECT * FROM sample_files ORDER BY sample_id, view, kind').all(),
      // Rowid order of the samples: the order a single run inserted them.
      order: db.prepare('SELECT id FROM samples ORDER BY rowid').pluck().all(),
    };
  } finally {
    db.close();
  }
}

function annotations(dir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of readdirSync(path.join(dir, 'annotations')).sort()) {
    const coco = JSON.parse(readFileSync(path.join(dir, 'annotations', f), 'utf8'));
    coco.info.date_created = '';
    out[f] = coco;
  }
  return out;
}

function dataFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of tree(dir)) {
    // The report and manifest describe the run (shards, times), so they differ by design; verify checks them.
    if (f.endsWith('/') || f.startsWith('exoray.db') || f.startsWith('annotations/') || f.startsWith('report/') || f === 'manifest.json') continue;
    out[f] = readFileSync(path.join(dir, f)).toString('base64');
  }
  return out;
}

async function mergeError(target: string, sources: string[]): Promise<ExorayError> {
  try {
    await mergeDatasets(target, sources);
  } catch (e) {
    expect(e).toBeInstanceOf(ExorayError);
    // Nothing is left behind: the same command can be run again.
    expect(existsSync(target)).toBe(false);
    return e as ExorayError;
  }
  throw new Error('expected the merge to fail');
}

let shards3: string[];

beforeAll(async () => {
  // shard: null: the whole run, even where the test runs inside a scheduler's array job.
  await generate({ out: reference, count: COUNT, seed: SEED, size: 64, workers: 1, shard: null });
  shards3 = [0, 1, 2].map((k) => makeShard(k, 3));
}, 180_000);
afterAll(() => tmp.cleanup());

describe('shard simulation', () => {
  it('each shard holds only its samples and files, with sample keys from 1', () => {
    expect(snapshot(reference).samples).toHaveLength(COUNT);
    for (const [k, dir] of shards3.entries()) {
      const s = snapshot(dir);
      expect((s.samples as Array<{ sample_index: number }>).map((r) => r.sample_index)).toEqual([k, k + 3]);
      expect(readdirSync(path.join(dir, 'images')).sort()).toEqual([`s00000${k}.png`, `s00000${k + 3}.png`]);
      const keys = (s.instances as Array<{ id: number }>).map((r) => Math.floor(r.id / 4096));
      expect([...new Set(keys)]).toEqual([1, 2]);
    }
  });
});

describe('mergeDatasets', () => {
  it('three shards, given in any order, merge into exactly the single-machine dataset', async () => {
    const out = path.join(tmp.dir, 'merged');
    const result = await mergeDatasets(out, [shards3[2]!, shards3[0]!, shards3[1]!]);
    const ref = snapshot(reference);
    expect(snapshot(out)).toEqual(ref);
    expect(annotations(out)).toEqual(annotations(reference));
    expect(dataFiles(out)).toEqual(dataFiles(reference));
    // The same folders and files, nothing more.
    expect(tree(out).filter((f) => !f.startsWith('exoray.db'))).toEqual(tree(reference).filter((f) => !f.startsWith('exoray.db')));

    expect(result.status).toBe('completed');
    expect(result.samples).toBe(COUNT);
    expect(result.instances).toBe((ref.instances as unknown[]).length);
    expect(result.files).toBe((ref.sampleFiles as unknown[]).length);
    expect(result.copied).toBe(result.files);
    expect(result.linked).toBe(0);
    expect(result.formats).toEqual(['coco']);
    expect(result.labelLevel).toBe('species');
    expect(result.shards.map((s) => s.shard)).toEqual([
      { index: 2, count: 3 },
      { index: 0, count: 3 },
      { index: 1, count: 3 },
    ]);

    const db = new Database(path.join(out, 'exoray.db'), { readonly: true });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT DISTINCT run_id FROM samples').pluck().all()).toEqual([1]);
    db.close();
  });

  it('shards made by generate({ shard }) merge into the single-machine dataset', async () => {
    const dirs = [1, 0].map((index) => path.join(tmp.dir, 'generated', String(index)));
    for (const [k, out] of dirs.entries()) {
      await generate({ out, count: COUNT, seed: SEED, size: 64, workers: 1, shard: { index: 1 - k, count: 2 } });
    }
    const out = path.join(tmp.dir, 'merged-generated');
    await mergeDatasets(out, dirs);
    const { runs, ...rest } = snapshot(out);
    const { runs: refRuns, ...refRest } = snapshot(reference);
    expect(rest).toEqual(refRest);
    const columns = ({ tool_version, preset, seed, options_json, shard_index, shard_count, status }: any) => ({
      tool_version, preset, seed, options_json, shard_index, shard_count, status,
    });
    expect((runs as unknown[]).map(columns)).toEqual((refRuns as unknown[]).map(columns));
    expect(annotations(out)).toEqual(annotations(reference));
    expect(dataFiles(out)).toEqual(dataFiles(reference));
    const report = await verifyDataset(out, { deep: true });
    expect(report.problems).toEqual([]);
  }, 180_000);

  it('--link hard-links the shards\' files', async () => {
    const out = path.join(tmp.dir, 'linked');
    const result = await mergeDatasets(out, shards3, { link: true });
    expect(result.linked).toBe(result.files);
    expect(result.copied).toBe(0);
    const image = 'images/s000004.png';
    expect(statSync(path.join(out, image)).ino).toBe(statSync(path.join(shards3[1]!, image)).ino);
    expect(dataFiles(out)).toEqual(dataFiles(reference));
    expect(snapshot(out)).toEqual(snapshot(reference));
  });

  it('writes the label formats and level the shards stored in their run options', async () => {
    const dirs = [0, 1, 2].map((k) => {
      const dir = makeShard(k, 3, '-formats');
      withDb(dir, (db) => {
        const options = JSON.parse(db.prepare('SELECT options_json FROM runs').pluck().get() as string);
        db.prepare('UPDATE runs SET options_json = ?').run(JSON.stringify({ ...options, formats: ['coco', 'yolo'], labelLevel: 'order' }));
      });
      return dir;
    });
    const out = path.join(tmp.dir, 'formats');
    const result = await mergeDatasets(out, dirs);
    expect(result.formats).toEqual(['coco', 'yolo']);
    expect(result.labelLevel).toBe('order');
    expect(existsSync(path.join(out, 'data.yaml'))).toBe(true);
    expect(readdirSync(path.join(out, 'labels')).sort()).toEqual(readdirSync(path.join(reference, 'images')).sort().map((f) => f.replace('.png', '.txt')));
    const coco = JSON.parse(readFileSync(path.join(out, 'annotations', 'instances.json'), 'utf8'));
    const orders = categoryList((await SpeciesLibrary.load()).entries(), 'order').map((c) => c.name);
    expect(coco.categories.map((c: { name: string }) => c.name)).toEqual(orders);
    const referenceCategories = JSON.parse(readFileSync(path.join(reference, 'annotations', 'instances.json'), 'utf8')).categories;
    expect(coco.categories).not.toEqual(referenceCategories);
  });

  it('refuses two copies of the same shard, naming both', async () => {
    const copy = path.join(tmp.dir, 'shard0-copy');
    cpSync(shards3[0]!, copy, { recursive: true });
    const e = await mergeError(path.join(tmp.dir, 'dup'), [shards3[0]!, copy, shards3[1]!, shards3[2]!]);
    expect(e.code).toBe('E_DATABASE');
    expect(e.message).toContain('shard 0/3 is given twice');
    expect(e.message).toContain(path.join(shards3[0]!, 'exoray.db'));
    expect(e.message).toContain(path.join(copy, 'exoray.db'));
  });

  it('refuses the same sample in two sources, naming the sample and both files', async () => {
    // A whole run (no shard fields) and a shard of it overlap in samples 0 and 3.
    const e = await mergeError(path.join(tmp.dir, 'dup-samples'), [reference, shards3[0]!]);
    expect(e.code).toBe('E_DATABASE');
    expect(e.message).toMatch(/sample s000000 is in more than one source/);
    expect(e.message).toContain('s000003');
    expect(e.message).toContain(path.join(reference, 'exoray.db'));
    expect(e.message).toContain(path.join(shards3[0]!, 'exoray.db'));
  });

  it('refuses a missing shard, naming the missing sample indices and the shard', async () => {
    const e = await mergeError(path.join(tmp.dir, 'gap'), [shards3[0]!, shards3[1]!]);
    expect(e.code).toBe('E_DATABASE');
    expect(e.message).toContain('sample indices 2, 5 are missing');
    expect(e.message).toContain('shard 2/3 is not among the sources');
  });

  it('refuses an incomplete shard, naming the missing indices and the shard to resume', async () => {
    const dir = makeShard(1, 3, '-cut');
    withDb(dir, (db) => {
      db.prepare('DELETE FROM samples WHERE sample_index = 4').run();
      db.prepare("UPDATE runs SET status = 'interrupted'").run();
    });
    const e = await mergeError(path.join(tmp.dir, 'cut'), [shards3[0]!, dir, shards3[2]!]);
    expect(e.message).toContain('sample index 4 is missing');
    expect(e.message).toContain('--resume');
    expect(e.message).toContain(path.join(dir, 'exoray.db'));
  });

  it('refuses shards of different seeds, naming the file and the difference', async () => {
    const dir = makeShard(1, 3, '-seed');
    withDb(dir, (db) => db.prepare('UPDATE runs SET seed = 10').run());
    const e = await mergeError(path.join(tmp.dir, 'seeds'), [shards3[0]!, dir, shards3[2]!]);
    expect(e.code).toBe('E_DATABASE');
    expect(e.message).toContain(path.join(dir, 'exoray.db'));
    expect(e.message).toContain('is not a shard of the same run');
    expect(e.message).toContain('seed 10 vs 9');
  });

  it('refuses shards of different options or exoray versions, naming them', async () => {
    const dir = makeShard(2, 3, '-options');
    withDb(dir, (db) => {
      const options = JSON.parse(db.prepare('SELECT options_json FROM runs').pluck().get() as string);
      db.prepare("UPDATE runs SET options_json = ?, tool_version = '0.0.1'").run(JSON.stringify({ ...options, size: 128 }));
    });
    const e = await mergeError(path.join(tmp.dir, 'options'), [shards3[0]!, shards3[1]!, dir]);
    expect(e.message).toContain('option size 128 vs 64');
    expect(e.message).toContain('exoray version 0.0.1');
  });

  it('refuses different shard counts', async () => {
    const dirs = [0, 1].map((k) => makeShard(k, 2));
    const e = await mergeError(path.join(tmp.dir, 'counts'), [shards3[0]!, ...dirs]);
    expect(e.message).toContain('2 shards vs 3');
  });

  it('refuses a file whose content no longer matches the database, naming it', async () => {
    const dir = makeShard(0, 3, '-tampered');
    const file = path.join(dir, 'raw', readdirSync(path.join(dir, 'raw')).sort()[0]!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(file, bytes);
    const e = await mergeError(path.join(tmp.dir, 'tampered'), [dir, shards3[1]!, shards3[2]!]);
    expect(e.code).toBe('E_OUTPUT');
    expect(e.message).toContain(file);
    expect(e.message).toContain('sha256');
  });

  it('refuses a target that already holds a dataset, and a folder without a database', async () => {
    await expect(mergeDatasets(reference, shards3)).rejects.toMatchObject({ code: 'E_OUTPUT', message: expect.stringMatching(/already holds a dataset/) });
    await expect(mergeDatasets(shards3[0]!, shards3)).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/is one of the shards/) });
    const copy = path.join(tmp.dir, 'busy');
    cpSync(shards3[0]!, copy, { recursive: true });
    await expect(mergeDatasets(copy, shards3)).rejects.toThrow(/already holds a dataset/);
    const empty = path.join(tmp.dir, 'no-db');
    mkdirSync(empty);
    await expect(mergeDatasets(path.join(tmp.dir, 'x'), [empty])).rejects.toThrow(/has no exoray\.db/);
  });
});

describe('mergeDatabases', () => {
  it(`merges more shards than SQLite can attach at once (batches of ${ATTACH_BATCH}), empty shards included`, () => {
    const n = 11;
    const dirs = Array.from({ length: n }, (_, k) => makeShard(k, n));
    // Shard fields in the options differ between shards and are ignored.
    for (const [k, dir] of dirs.entries()) {
      withDb(dir, (db) => {
        const options = JSON.parse(db.prepare('SELECT options_json FROM runs').pluck().get() as string);
        db.prepare('UPDATE runs SET options_json = ?').run(JSON.stringify({ ...options, shard: { index: k, count: n } }));
      });
    }
    const out = path.join(tmp.dir, 'many');
    mkdirSync(out);
    const result = mergeDatabases(path.join(out, 'exoray.db'), dirs.reverse().map((d) => path.join(d, 'exoray.db')));
    expect(result.sources).toHaveLength(n);
    expect(result.sources.filter((s) => s.samples === 0)).toHaveLength(n - COUNT);
    const { runs, ...rest } = snapshot(out);
    const { runs: refRuns, ...refRest } = snapshot(reference);
    expect(rest).toEqual(refRest);
    const run = (runs as Array<Record<string, unknown>>)[0]!;
    const refRun = (refRuns as Array<Record<string, unknown>>)[0]!;
    expect(JSON.parse(run.options_json as string)).toEqual({ ...JSON.parse(refRun.options_json as string), shard: null });
    expect({ ...run, options_json: '' }).toEqual({ ...refRun, options_json: '' });
  });

  it('takes the earliest start and latest end; completed only when every shard completed', () => {
    const dirs = [0, 1, 2].map((k) => makeShard(k, 3, '-times'));
    withDb(dirs[0]!, (db) => db.prepare("UPDATE runs SET started_at = '2020-01-01T00:00:00.000Z', finished_at = '2020-01-01T01:00:00.000Z'").run());
    withDb(dirs[1]!, (db) => db.prepare("UPDATE runs SET started_at = '2020-01-01T00:30:00.000Z', finished_at = '2020-01-02T00:00:00.000Z', status = 'interrupted'").run());
    withDb(dirs[2]!, (db) => db.prepare("UPDATE runs SET started_at = '2020-01-01T00:10:00.000Z', finished_at = '2020-01-01T02:00:00.000Z'").run());
    const target = path.join(tmp.dir, 'times.db');
    const result = mergeDatabases(target, dirs.map((d) => path.join(d, 'exoray.db')));
    expect(result).toMatchObject({ status: 'interrupted', startedAt: '2020-01-01T00:00:00.000Z', finishedAt: '2020-01-02T00:00:00.000Z', runId: 1 });
    const db = new Database(target, { readonly: true });
    expect(db.prepare('SELECT status, started_at, finished_at, shard_index, shard_count FROM runs').all()).toEqual([
      { status: 'interrupted', started_at: '2020-01-01T00:00:00.000Z', finished_at: '2020-01-02T00:00:00.000Z', shard_index: null, shard_count: null },
    ]);
    db.close();
  });

  it('refuses files that are not exoray databases, an existing target, and no sources', () => {
    const other = path.join(tmp.dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const text = path.join(tmp.dir, 'text.db');
    writeFileSync(text, 'not a database at all, just text that is long enough to have a header.........................................');
    for (const [src, pattern] of [
      [other, /other\.db" is not an exoray simulation database/],
      [text, /text\.db/],
      [path.join(tmp.dir, 'absent.db'), /absent\.db" does not exist/],
    ] as const) {
      const target = path.join(tmp.dir, 'bad-target.db');
      expect(() => mergeDatabases(target, [path.join(shards3[0]!, 'exoray.db'), src])).toThrow(pattern);
      expect(existsSync(target)).toBe(false);
    }
    expect(() => mergeDatabases(path.join(reference, 'exoray.db'), [path.join(shards3[0]!, 'exoray.db')])).toThrow(/already exists/);
    expect(() => mergeDatabases(path.join(tmp.dir, 'none.db'), [])).toThrow(/at least one/);
  });
});
