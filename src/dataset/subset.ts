/**
 * `exoray export`: a new dataset holding only the samples that match a query
 * (e.g. only hidden animals, only one family), with its own database, files
 * (copied or hard-linked, each checked against its stored sha256), label files
 * in the formats asked for, report and manifest.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ExorayError } from '../core/errors.js';
import { openDatabase } from '../db/database.js';
import { compileQuery } from '../db/query.js';
import type { LabelLevel } from '../labels/categories.js';
import type { LabelFormat } from './export.js';
import { finishDataset } from './finish.js';
import { DB_FILE } from './generate.js';
import { placeFile, type FileJob } from './place-file.js';
import { SpeciesLibrary } from './species-library.js';

export interface SubsetOptions {
  where: string;
  formats: LabelFormat[];
  labelLevel: LabelLevel;
  link?: boolean;
  /** Species catalog folder of the categories (default: the one the dataset's last run recorded, else the bundled one). */
  catalog?: string;
}

export interface SubsetResult {
  out: string;
  samples: number;
  files: number;
}

export async function exportSubset(sourceDir: string, targetDir: string, o: SubsetOptions): Promise<SubsetResult> {
  const source = path.resolve(sourceDir);
  const out = path.resolve(targetDir);
  const sourceDb = path.join(source, DB_FILE);
  if (!existsSync(sourceDb)) throw new ExorayError('E_USAGE', `export: ${source} holds no dataset (no ${DB_FILE}); pass the dataset folder with --in.`);
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new ExorayError('E_OUTPUT', `export: ${out} is not empty; export into a new or empty folder.`);
  }
  const compiled = compileQuery(o.where);
  // Superseded and retired samples (see refresh) are exported only when the query asks for them by status.
  const where = /(^|\s)-?status\s*[:<>=]/.test(o.where) ? compiled.where : `(${compiled.where}) AND s.status = 'active'`;
  const params = compiled.params;
  mkdirSync(out, { recursive: true });
  const targetDb = path.join(out, DB_FILE);
  try {
    // A compact copy of the source database, then everything not matching is deleted (cascading to its rows).
    const src = openDatabase(sourceDb, { readonly: true });
    let picked: string[];
    let catalog: string | undefined;
    try {
      const recorded = src.latestRun()?.options.catalog;
      catalog = o.catalog ?? (typeof recorded === 'string' ? recorded : undefined);
      picked = (src.connection.prepare(`SELECT s.id FROM samples s WHERE ${where} ORDER BY s.run_id, s.sample_index`).pluck().all(...params)) as string[];
      src.connection.prepare('VACUUM INTO ?').run(targetDb);
    } finally {
      src.close();
    }
    if (picked.length === 0) throw new ExorayError('E_USAGE', `export: no sample of ${source} matches "${o.where}"; try it with exoray query first.`);
    const species = await SpeciesLibrary.load(catalog);
    const db = openDatabase(targetDb);
    try {
      const conn = db.connection;
      conn.exec('CREATE TEMP TABLE picked (id TEXT PRIMARY KEY)');
      const insert = conn.prepare('INSERT INTO picked (id) VALUES (?)');
      conn.transaction(() => {
        for (const id of picked) insert.run(id);
        conn.exec('DELETE FROM samples WHERE id NOT IN (SELECT id FROM picked)');
        conn.exec('DELETE FROM runs WHERE id NOT IN (SELECT DISTINCT run_id FROM samples)');
        // What was picked is the new dataset, whatever its status was in the source.
        conn.exec("UPDATE samples SET status = 'active' WHERE status != 'active'");
        db.applyFacetChanges();
      })();
      const files = conn.prepare('SELECT path, sha256 FROM sample_files ORDER BY sample_id, view, kind').all() as Array<{ path: string; sha256: string }>;
      for (const f of files) {
        const job: FileJob = { from: path.join(source, f.path), to: path.join(out, f.path), sha256: f.sha256, source: `the database of ${source}`, what: 'export' };
        mkdirSync(path.dirname(job.to), { recursive: true });
        await placeFile(job, o.link ?? false);
      }
      await finishDataset(db, out, species, { formats: o.formats, labelLevel: o.labelLevel, seed: db.latestRun()?.seed ?? 0 });
      return { out, samples: picked.length, files: files.length };
    } finally {
      db.close();
    }
  } catch (e) {
    // Nothing half-written is left behind.
    rmSync(out, { recursive: true, force: true });
    throw e;
  }
}
