/**
 * Merging shard datasets (DESIGN.md section 6): the folders that
 * `exoray generate --shard I/N` wrote on several machines become the one
 * dataset a single-machine run of the same command writes: one database
 * (db/merge.ts), every image and raw file, and label files written from the
 * merged database.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ExorayError } from '../core/errors.js';
import { openDatabase } from '../db/database.js';
import { mergeDatabases, type MergeSourceInfo } from '../db/merge.js';
import type { RunStatus } from '../db/records.js';
import { parseLabelLevel, type LabelLevel } from '../labels/categories.js';
import { parseFormats, type LabelFormat } from './export.js';
import { finishDataset } from './finish.js';
import { placeFile, type FileJob } from './place-file.js';
import { OUTPUT_FOLDERS } from './sample.js';
import { SpeciesLibrary } from './species-library.js';

/** The database file of a dataset folder (as generate.ts writes it). */
const DB_FILE = 'exoray.db';

/** Folders of a dataset that must not already hold files in the merge's target. */
const DATASET_FOLDERS = [...OUTPUT_FOLDERS, 'labels', 'voc'] as const;

export const DEFAULT_MERGE_FORMATS: readonly LabelFormat[] = ['coco'];
export const DEFAULT_MERGE_LABEL_LEVEL: LabelLevel = 'species';

export interface MergeDatasetsOptions {
  /** Hard-link the files instead of copying them (same file system; falls back to a copy where linking fails). */
  link?: boolean;
  /** Label formats to write; default: those the shards' run stored (options.formats), else coco. */
  formats?: LabelFormat[];
  /** Label level; default: the shards' (options.labelLevel), else species. */
  labelLevel?: LabelLevel;
  /** Files copied at once. */
  concurrency?: number;
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface MergeDatasetsResult {
  out: string;
  dbPath: string;
  cocoPath: string | null;
  shards: MergeSourceInfo[];
  /** The merged run's status: completed when every shard completed. */
  status: RunStatus;
  samples: number;
  instances: number;
  files: number;
  /** Files hard-linked (with `link`), and copied. */
  linked: number;
  copied: number;
  bytes: number;
  formats: LabelFormat[];
  labelLevel: LabelLevel;
  labelFiles: string[];
  seconds: number;
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function checkFolders(target: string, sourceDirs: readonly string[]): string[] {
  if (sourceDirs.length === 0) throw new ExorayError('E_USAGE', 'merge: name at least one shard folder to merge.');
  const sources = sourceDirs.map((d) => path.resolve(d));
  for (const dir of sources) {
    if (!existsSync(path.join(dir, DB_FILE))) {
      throw new ExorayError('E_USAGE', `merge: ${dir} is not a dataset folder (it has no ${DB_FILE}); give the --out folder of each shard.`);
    }
  }
  if (existsSync(target) && !isDir(target)) throw new ExorayError('E_OUTPUT', `merge: ${target} exists and is not a folder; choose another output folder.`);
  if (isDir(target)) {
    const real = realpathSync(target);
    const same = sources.find((d) => realpathSync(d) === real);
    if (same) throw new ExorayError('E_USAGE', `merge: the output folder ${target} is one of the shards; merge into a new folder.`);
    if (existsSync(path.join(target, DB_FILE))) {
      throw new ExorayError('E_OUTPUT', `merge: ${target} already holds a dataset (${DB_FILE}); merge into a new or empty folder.`);
    }
    const busy = DATASET_FOLDERS.find((f) => isDir(path.join(target, f)) && readdirSync(path.join(target, f)).length > 0);
    if (busy) throw new ExorayError('E_OUTPUT', `merge: ${target}/${busy} already holds files; merge into a new or empty folder.`);
  }
  return sources;
}

/** The formats and label level the shards were made with (stored in the run's options), else the defaults. */
function labelOptions(runOptions: Record<string, unknown>, o: MergeDatasetsOptions): { formats: LabelFormat[]; labelLevel: LabelLevel } {
  const stored = runOptions.formats;
  const formats =
    o.formats ??
    (Array.isArray(stored) && stored.length > 0 && stored.every((f) => typeof f === 'string')
      ? parseFormats(stored.join(','))
      : typeof stored === 'string' && stored !== ''
        ? parseFormats(stored)
        : [...DEFAULT_MERGE_FORMATS]);
  const level = runOptions.labelLevel;
  const labelLevel = o.labelLevel ?? (typeof level === 'string' && level !== '' ? parseLabelLevel(level) : DEFAULT_MERGE_LABEL_LEVEL);
  return { formats, labelLevel };
}

/** A path from a database row, checked to stay inside the dataset folder. */
function relativeFile(file: string, db: string): string {
  const norm = path.posix.normalize(file.replace(/\\/g, '/'));
  if (path.isAbsolute(file) || norm.startsWith('../') || norm === '..' || norm === '.') {
    throw new ExorayError('E_DATABASE', `merge: ${db} lists the file ${JSON.stringify(file)}, which is not inside its dataset folder; the database is damaged.`);
  }
  return norm;
}

/** Every file each shard's database lists, with where it goes in `out`. */
function fileJobs(out: string, sources: string[]): FileJob[] {
  const jobs: FileJob[] = [];
  const seen = new Set<string>();
  for (const dir of sources) {
    const dbPath = path.join(dir, DB_FILE);
    const db = openDatabase(dbPath, { readonly: true });
    try {
      const rows = db.connection
        .prepare('SELECT f.path, f.sha256 FROM sample_files f JOIN samples s ON s.id = f.sample_id ORDER BY s.sample_index, f.view, f.kind')
        .all() as Array<{ path: string; sha256: string }>;
      for (const row of rows) {
        const rel = relativeFile(row.path, dbPath);
        if (seen.has(rel)) throw new ExorayError('E_DATABASE', `merge: the file ${rel} is listed by more than one shard (again by ${dbPath}).`);
        seen.add(rel);
        jobs.push({ from: path.join(dir, rel), to: path.join(out, rel), sha256: row.sha256, source: `its shard's database (${dbPath})`, what: 'merge' });
      }
    } finally {
      db.close();
    }
  }
  return jobs;
}

/**
 * Merges the shard dataset folders `sourceDirs` into `targetDir` (new, or empty
 * of datasets): the database (refusing shards of different runs, duplicates and
 * gaps), every file each shard's database lists (copied or hard-linked, each
 * checked against its stored sha256), and the label files. On failure, what the
 * merge wrote into `targetDir` is removed again.
 */
export async function mergeDatasets(targetDir: string, sourceDirs: readonly string[], options: MergeDatasetsOptions = {}): Promise<MergeDatasetsResult> {
  const started = performance.now();
  const out = path.resolve(targetDir);
  const sources = checkFolders(out, sourceDirs);
  // Checked before anything is written: a broken catalog fails here.
  const species = await SpeciesLibrary.load();

  const existed = existsSync(out);
  const before = new Set(existed ? readdirSync(out) : []);
  const dbPath = path.join(out, DB_FILE);
  let ok = false;
  try {
    mkdirSync(out, { recursive: true });
    const merged = mergeDatabases(dbPath, sources.map((d) => path.join(d, DB_FILE)));
    const { formats, labelLevel } = labelOptions(merged.options, options);

    const overlays = merged.options.overlays === true;
    for (const f of OUTPUT_FOLDERS) if (overlays || f !== 'overlays') mkdirSync(path.join(out, f), { recursive: true });
    const jobs = fileJobs(out, sources);
    if (jobs.length !== merged.files) {
      throw new ExorayError('E_DATABASE', `merge: the shards list ${jobs.length} files but the merged database has ${merged.files}; a shard changed during the merge.`);
    }
    const made = new Set<string>();
    for (const job of jobs) {
      const dir = path.dirname(job.to);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
    }
    let next = 0;
    let done = 0;
    let linked = 0;
    let bytes = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const r = await placeFile(job, options.link ?? false);
        if (r.linked) linked++;
        bytes += r.bytes;
        done++;
        options.onProgress?.({ done, total: jobs.length });
      }
    };
    const concurrency = Math.max(1, Math.min(64, options.concurrency ?? 8));
    // The first failure rejects; the other workers stop at their next file.
    const results = await Promise.allSettled(Array.from({ length: concurrency }, worker));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    const db = openDatabase(dbPath);
    let labelFiles: string[];
    try {
      db.upsertSpecies(species.entries());
      labelFiles = await finishDataset(db, out, species, { formats, labelLevel, runStartedAt: merged.startedAt, seed: db.latestRun()?.seed ?? 0 });
    } finally {
      db.close();
    }
    ok = true;
    return {
      out,
      dbPath,
      cocoPath: formats.includes('coco') ? path.join(out, 'annotations', 'instances.json') : null,
      shards: merged.sources,
      status: merged.status,
      samples: merged.samples,
      instances: merged.instances,
      files: jobs.length,
      linked,
      copied: jobs.length - linked,
      bytes,
      formats,
      labelLevel,
      labelFiles,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    if (!ok) {
      // Leave the target as it was, so the same command can be run again.
      if (!existed) rmSync(out, { recursive: true, force: true });
      else {
        for (const f of readdirSync(out)) {
          // Dataset folders that were there before were empty (checkFolders): empty them again.
          if (!before.has(f)) rmSync(path.join(out, f), { recursive: true, force: true });
          else if ((DATASET_FOLDERS as readonly string[]).includes(f) && isDir(path.join(out, f))) {
            for (const g of readdirSync(path.join(out, f))) rmSync(path.join(out, f, g), { recursive: true, force: true });
          }
        }
      }
    }
  }
}
