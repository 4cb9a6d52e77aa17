/**
 * The dataset manifest: manifest.json at the root of a dataset folder lists
 * every file of the dataset (posix path relative to the folder, size, SHA-256),
 * sorted by path, so a copy can be checked byte for byte (`exoray verify`)
 * without trusting timestamps or the database.
 *
 * Not listed: the database (exoray.db and its -wal/-shm/-journal companions,
 * which SQLite rewrites whenever it is opened) and manifest.json itself.
 * The generator writes it last, after the label files.
 */
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { ExorayError } from '../core/errors.js';
import { sha256, writeFileAtomicSync } from './files.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_VERSION = 1;

/** Root files that are not part of the manifest: the database (and SQLite's side files) and the manifest. */
const EXCLUDED_ROOT_FILES = new Set(['exoray.db', 'exoray.db-wal', 'exoray.db-shm', 'exoray.db-journal', MANIFEST_FILE]);

/** Root folder for derived files that can be rebuilt at any time (the review page's thumbnails); not part of the dataset. */
export const CACHE_DIR = '.exoray-cache';

export interface ManifestEntry {
  /** Relative to the dataset folder, with forward slashes. */
  path: string;
  bytes: number;
  /** Lowercase hex. */
  sha256: string;
}

export interface Manifest {
  version: 1;
  /** Sorted by path (code-unit order). */
  files: ManifestEntry[];
}

/** Whether a dataset file (posix path relative to the folder) is left out of the manifest. */
export function isExcludedFromManifest(relPath: string): boolean {
  return EXCLUDED_ROOT_FILES.has(relPath);
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * Files of a dataset folder that belong in its manifest, with their sizes, sorted by path.
 * Symbolic links to files count as files; links to folders are not followed.
 */
export function listDatasetFiles(dir: string): Array<{ path: string; bytes: number }> {
  const root = path.resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new ExorayError('E_OUTPUT', `manifest: ${root} is not a folder; pass the --out folder of a generated dataset.`);
  const out: Array<{ path: string; bytes: number }> = [];
  const walk = (abs: string, rel: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (cause) {
      throw new ExorayError('E_OUTPUT', `manifest: cannot read the folder ${abs}: ${(cause as Error).message}`, { cause });
    }
    for (const entry of entries) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const childAbs = path.join(abs, entry.name);
      if (entry.isDirectory()) {
        if (childRel !== CACHE_DIR) walk(childAbs, childRel);
        continue;
      }
      if (isExcludedFromManifest(childRel)) continue;
      let stat;
      try {
        stat = statSync(childAbs);
      } catch {
        continue; // a dangling link: nothing to list
      }
      if (stat.isFile()) out.push({ path: childRel, bytes: stat.size });
    }
  };
  walk(root, '');
  return out.sort(byPath);
}

/** SHA-256 of one dataset file (hex); E_OUTPUT naming the file when it cannot be read. */
export function hashFile(file: string): { bytes: number; sha256: string } {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (cause) {
    throw new ExorayError('E_OUTPUT', `manifest: cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  return { bytes: data.length, sha256: sha256(data) };
}

/** Walks the dataset folder and hashes every file (see the module comment for what is left out). */
export function buildManifest(dir: string): Manifest {
  const root = path.resolve(dir);
  const files = listDatasetFiles(root).map((f) => ({ path: f.path, ...hashFile(path.join(root, ...f.path.split('/'))) }));
  return { version: MANIFEST_VERSION, files };
}

/** The manifest as written: one file per line, so it diffs and greps well. */
export function serialiseManifest(manifest: Manifest): string {
  const lines = manifest.files.map((f) => `    ${JSON.stringify({ path: f.path, bytes: f.bytes, sha256: f.sha256 })}`);
  return `{\n  "version": ${manifest.version},\n  "files": [${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}

/** Builds the manifest of `dir` and writes it to `dir`/manifest.json atomically; returns it. */
export function writeManifest(dir: string): Manifest {
  const manifest = buildManifest(dir);
  writeFileAtomicSync(path.join(path.resolve(dir), MANIFEST_FILE), serialiseManifest(manifest));
  return manifest;
}

function invalid(file: string, what: string): never {
  throw new ExorayError(
    'E_OUTPUT',
    `manifest: ${file} is not a valid exoray manifest: ${what}. It was edited or damaged; rewrite it with \`exoray generate --resume\` and the options the dataset was made with.`,
  );
}

/** A safe relative posix path: no absolute paths, no "..", ".", empty segments or backslashes. */
export function isSafeRelative(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\\') || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Reads and checks `dir`/manifest.json; E_OUTPUT naming the file and the problem when it is missing or invalid. */
export function readManifest(dir: string): Manifest {
  const file = path.join(path.resolve(dir), MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new ExorayError(
      'E_OUTPUT',
      `manifest: ${file} does not exist. Datasets made by this version of exoray have one; write it with \`exoray generate --resume\` and the options the dataset was made with, or regenerate with --overwrite.`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ExorayError('E_OUTPUT', `manifest: cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    invalid(file, `not JSON (${(e as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) invalid(file, 'the top level must be an object { version, files }');
  const obj = json as Record<string, unknown>;
  if (obj.version !== MANIFEST_VERSION) {
    if (typeof obj.version === 'number' && obj.version > MANIFEST_VERSION) {
      throw new ExorayError(
        'E_OUTPUT',
        `manifest: ${file} has version ${obj.version}, written by a newer exoray; this one reads version ${MANIFEST_VERSION}. Upgrade exoray to check this dataset.`,
      );
    }
    invalid(file, `"version" must be ${MANIFEST_VERSION}, got ${JSON.stringify(obj.version)}`);
  }
  if (!Array.isArray(obj.files)) invalid(file, '"files" must be an array');
  const seen = new Set<string>();
  const files: ManifestEntry[] = obj.files.map((entry: unknown, i: number) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) invalid(file, `files[${i}] must be an object { path, bytes, sha256 }`);
    const e = entry as Record<string, unknown>;
    if (typeof e.path !== 'string' || !isSafeRelative(e.path)) {
      invalid(file, `files[${i}].path ${JSON.stringify(e.path)} must be a relative path with forward slashes inside the dataset folder`);
    }
    if (seen.has(e.path)) invalid(file, `"${e.path}" is listed twice`);
    seen.add(e.path);
    if (!Number.isSafeInteger(e.bytes) || (e.bytes as number) < 0) invalid(file, `files[${i}] ("${e.path}"): bytes ${JSON.stringify(e.bytes)} must be a whole number >= 0`);
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) {
      invalid(file, `files[${i}] ("${e.path}"): sha256 ${JSON.stringify(e.sha256)} must be 64 lowercase hex digits`);
    }
    return { path: e.path, bytes: e.bytes as number, sha256: e.sha256 };
  });
  return { version: MANIFEST_VERSION, files: files.sort(byPath) };
}
