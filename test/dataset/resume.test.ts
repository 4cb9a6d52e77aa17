/**
 * Resume: a run stopped at any point (killed, or Ctrl-C) and continued with
 * --resume ends with exactly the dataset an uninterrupted run makes.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/dataset/generate.js';
import { packageRoot } from '../../src/core/paths.js';
import { tempDir } from '../helpers/tmp.js';

const COUNT = 6;
const SEED = 21;
const SIZE = 96;
const tmp = tempDir('exoray-resume-');
const reference = path.join(tmp.dir, 'reference');

beforeAll(async () => {
  await generate({ out: reference, count: COUNT, seed: SEED, size: SIZE, workers: 1 });
}, 180_000);
afterAll(() => tmp.cleanup());

/** Everything a dataset is, minus measurements (timings, dates). */
function snapshot(dir: string): unknown {
  const db = new Database(path.join(dir, 'exoray.db'), { readonly: true });
  try {
    const coco = JSON.parse(readFileSync(path.join(dir, 'annotations', 'instances.json'), 'utf8'));
    coco.info.date_created = '';
    const files: Record<string, string> = {};
    for (const folder of ['images', 'raw', 'grey']) {
      for (const f of readdirSync(path.join(dir, folder)).sort()) files[`${folder}/${f}`] = readFileSync(path.join(dir, folder, f)).toString('base64');
    }
    return {
      coco,
      files,
      samples: db.prepare('SELECT * FROM samples ORDER BY id').all().map((r: any) => ({ ...r, render_ms: 0, created_at: '' })),
      instances: db.prepare('SELECT * FROM instances ORDER BY id').all(),
      objects: db.prepare('SELECT * FROM objects ORDER BY sample_id, object_id').all(),
      sampleFiles: db.prepare('SELECT * FROM sample_files ORDER BY sample_id, view, kind').all(),
      runs: db.prepare('SELECT status, seed, options_json FROM runs').all(),
    };
  } finally {
    db.close();
  }
}

function storedCount(dir: string): number {
  const file = path.join(dir, 'exoray.db');
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet
  }
}

/** Starts the CLI and SIGKILLs it once `after` samples are stored. */
async function killedRun(out: string, after: number): Promise<void> {
  const bin = path.join(packageRoot(), 'dist', 'cli', 'main.js');
  const child = spawn(process.execPath, [bin, 'generate', '--count', String(COUNT), '--seed', String(SEED), '--size', String(SIZE), '--workers', '1', '--out', out], {
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 600 && storedCount(out) < after; i++) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGKILL');
  await exited;
}

describe('resume', () => {
  for (const after of [1, 4]) {
    it(`a run killed (SIGKILL) after ${after} stored samples, resumed, equals an uninterrupted run`, async () => {
      const out = path.join(tmp.dir, `killed-${after}`);
      await killedRun(out, after);
      const stored = storedCount(out);
      expect(stored).toBeGreaterThanOrEqual(after);
      expect(stored).toBeLessThan(COUNT);
      const result = await generate({ out, count: COUNT, seed: SEED, size: SIZE, workers: 1, resume: true });
      expect(result.made).toBe(COUNT - stored);
      expect(snapshot(out)).toEqual(snapshot(reference));
    });
  }

  it('Ctrl-C (abort) stops cleanly as interrupted; --resume with two workers finishes the same dataset', async () => {
    const out = path.join(tmp.dir, 'aborted');
    const abort = new AbortController();
    await expect(
      generate({
        out,
        count: COUNT,
        seed: SEED,
        size: SIZE,
        workers: 1,
        signal: abort.signal,
        onProgress: (p) => {
          if (p.done === 2) abort.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'E_INTERRUPTED', exitCode: 130 });
    const db = new Database(path.join(out, 'exoray.db'), { readonly: true });
    expect(db.prepare('SELECT status FROM runs').get()).toEqual({ status: 'interrupted' });
    db.close();
    await generate({ out, count: COUNT, seed: SEED, size: SIZE, workers: 2, resume: true });
    expect(snapshot(out)).toEqual(snapshot(reference));
  });

  it('refuses to resume with other options, naming them, and leaves the dataset as it was', async () => {
    const before = snapshot(reference);
    await expect(generate({ out: reference, count: COUNT, seed: SEED + 1, size: SIZE, resume: true })).rejects.toThrow(/made with seed=21.*this command has seed=22/);
    expect(snapshot(reference)).toEqual(before);
  });
});
