/**
 * manifest.json: every dataset file (but the database and the manifest) with its
 * size and SHA-256, sorted by posix path; written atomically, read back with
 * errors that name the file and the problem.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildManifest, CACHE_DIR, MANIFEST_FILE, readManifest, writeManifest } from '../../src/dataset/manifest.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('exoray-manifest-');
afterAll(() => tmp.cleanup());

let counter = 0;
/** A small dataset-like folder with nested files, the database and its side files. */
function folder(): string {
  const dir = path.join(tmp.dir, `ds${counter++}`);
  const files: Record<string, string> = {
    'images/s000001.png': 'png one',
    'images/s000000.png': 'png zero',
    'raw/s000000-high.png': 'raw',
    'annotations/instances.json': '{"images":[]}\n',
    'voc/Annotations/s000000.xml': '<annotation/>',
    'data.yaml': 'names: {}\n',
    'a-root-file.txt': '',
    // Sorted by the whole path: images-notes.txt ('-' < '/') comes before images/..., which a depth-first walk would not give.
    'images-notes.txt': 'n',
    'Z-upper.txt': 'z',
    'exoray.db': 'sqlite',
    'exoray.db-wal': 'wal',
    'exoray.db-shm': 'shm',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const hex = (text: string) => createHash('sha256').update(text).digest('hex');

describe('buildManifest', () => {
  it('lists every file with posix path, size and sha256, sorted, without the database and the manifest', () => {
    const dir = folder();
    writeFileSync(path.join(dir, MANIFEST_FILE), '{}');
    // A nested file named like the database is a dataset file: only the root ones are left out.
    writeFileSync(path.join(dir, 'images', 'exoray.db'), 'not the db');
    const m = buildManifest(dir);
    expect(m.version).toBe(1);
    expect(m.files.map((f) => f.path)).toEqual([
      'Z-upper.txt',
      'a-root-file.txt',
      'annotations/instances.json',
      'data.yaml',
      'images-notes.txt',
      'images/exoray.db',
      'images/s000000.png',
      'images/s000001.png',
      'raw/s000000-high.png',
      'voc/Annotations/s000000.xml',
    ]);
    const zero = m.files.find((f) => f.path === 'images/s000000.png')!;
    expect(zero).toEqual({ path: 'images/s000000.png', bytes: 8, sha256: hex('png zero') });
    expect(m.files.find((f) => f.path === 'a-root-file.txt')).toEqual({ path: 'a-root-file.txt', bytes: 0, sha256: hex('') });
  });

  it('leaves out the root cache folder (review thumbnails), but not a folder of that name deeper down', () => {
    const dir = folder();
    mkdirSync(path.join(dir, CACHE_DIR, 'thumbs'), { recursive: true });
    writeFileSync(path.join(dir, CACHE_DIR, 'thumbs', 'ab-256.webp'), 'webp');
    mkdirSync(path.join(dir, 'images', CACHE_DIR), { recursive: true });
    writeFileSync(path.join(dir, 'images', CACHE_DIR, 'x.png'), 'x');
    const paths = buildManifest(dir).files.map((f) => f.path);
    expect(paths.some((p) => p.startsWith(`${CACHE_DIR}/`))).toBe(false);
    expect(paths).toContain(`images/${CACHE_DIR}/x.png`);
  });

  it('refuses a path that is not a folder, naming it', () => {
    expect(() => buildManifest(path.join(tmp.dir, 'nope'))).toThrow(/nope is not a folder/);
  });
});

describe('writeManifest / readManifest', () => {
  it('writes manifest.json atomically (no temporary file left) and reads it back identically', () => {
    const dir = folder();
    const written = writeManifest(dir);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const text = readFileSync(path.join(dir, MANIFEST_FILE), 'utf8');
    expect(JSON.parse(text)).toEqual(written);
    expect(readManifest(dir)).toEqual(written);
    // Writing it again does not list the manifest itself, so it is stable.
    writeManifest(dir);
    expect(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')).toBe(text);
    expect(written.files.some((f) => f.path === MANIFEST_FILE)).toBe(false);
  });

  it('an empty dataset folder has an empty, valid manifest', () => {
    const dir = path.join(tmp.dir, 'empty');
    mkdirSync(dir);
    expect(writeManifest(dir)).toEqual({ version: 1, files: [] });
    expect(readManifest(dir)).toEqual({ version: 1, files: [] });
  });

  const withManifest = (content: unknown) => {
    const dir = path.join(tmp.dir, `bad${counter++}`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, MANIFEST_FILE), typeof content === 'string' ? content : JSON.stringify(content));
    return dir;
  };
  const entry = { path: 'images/s000000.png', bytes: 3, sha256: hex('abc') };

  it('says when manifest.json is missing, and how to write it', () => {
    const dir = path.join(tmp.dir, 'none');
    mkdirSync(dir);
    expect(() => readManifest(dir)).toThrow(expect.objectContaining({ code: 'E_OUTPUT', message: expect.stringMatching(/manifest\.json does not exist.*--resume/) }));
  });

  it.each([
    ['not JSON', '{"version": 1, "files": [', /not JSON/],
    ['not an object', '[]', /top level must be an object/],
    ['an unknown version', { version: 2, files: [] }, /version 2, written by a newer exoray/],
    ['no version', { files: [] }, /"version" must be 1/],
    ['no file list', { version: 1 }, /"files" must be an array/],
    ['a path outside the folder', { version: 1, files: [{ ...entry, path: '../secret' }] }, /"\.\.\/secret" must be a relative path/],
    ['an absolute path', { version: 1, files: [{ ...entry, path: '/etc/passwd' }] }, /must be a relative path/],
    ['a backslash path', { version: 1, files: [{ ...entry, path: 'images\\a.png' }] }, /must be a relative path/],
    ['a repeated path', { version: 1, files: [entry, entry] }, /"images\/s000000\.png" is listed twice/],
    ['a negative size', { version: 1, files: [{ ...entry, bytes: -1 }] }, /bytes -1 must be a whole number/],
    ['a bad hash', { version: 1, files: [{ ...entry, sha256: 'ABC' }] }, /sha256 "ABC" must be 64 lowercase hex digits/],
  ])('rejects a manifest with %s, naming the file', (_what, content, message) => {
    const dir = withManifest(content);
    let error: unknown;
    try {
      readManifest(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'E_OUTPUT' });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path.join(dir, MANIFEST_FILE));
  });

  it('returns entries sorted by path whatever order the file lists them in', () => {
    const other = { path: 'annotations/instances.json', bytes: 1, sha256: hex('x') };
    expect(readManifest(withManifest({ version: 1, files: [entry, other] })).files).toEqual([other, entry]);
  });
});
