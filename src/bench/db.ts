/**
 * `npm run bench:db [-- --samples N]`: the simulation database at scale (default a million
 * samples), on a synthetic dataset the benchmark builds (no rendering) through the insert path
 * of a run: insert time (wall and CPU: a shared machine's wall clock says more about its load),
 * then medians of a faceted query, full-text queries (exact counts, and counted up to 10,000 as
 * a gallery does), the facet counts, and reads while a writer is inserting (WAL) with any
 * SQLITE_BUSY counted. Batches of 10,000 records are built and dropped, so memory stays flat.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { openDatabase } from '../db/database.js';
import { formatSampleId } from '../db/records.js';
import { searchSamples } from '../db/search.js';
import { datasetStats } from '../db/stats.js';
import { SYNTHETIC_SPECIES, syntheticRecord } from './synthetic-db.js';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(runs: number, work: () => void): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    work();
    t.push(performance.now() - t0);
  }
  return median(t);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: '1000000' }, keep: { type: 'boolean', default: false } } });
  const count = Number(values.samples);
  const file = path.join(os.tmpdir(), `exoray-bench-db-${process.pid}.db`);
  const db = openDatabase(file);
  try {
    db.upsertSpecies(SYNTHETIC_SPECIES);
    const runId = db.startRun({ toolVersion: 'bench', preset: 'synthetic', seed: 7 });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const batch = 10_000;
    for (let start = 0; start < count; start += batch) {
      const records = [];
      for (let i = start; i < Math.min(count, start + batch); i++) records.push(syntheticRecord(i, runId));
      db.insertSamples(records);
    }
    const insertSeconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const insertCpuSeconds = (cpu.user + cpu.system) / 1e6;
    for (let i = 0; i < count; i += 20) db.addReview({ sampleId: formatSampleId(i), verdict: i % 40 ? 'approved' : 'rejected', note: i % 40 ? '' : 'legs through the lid', reviewer: 'bench' });
    db.connection.pragma('optimize');
    const gallery = { limit: 100, countUpTo: 10_000 };
    const faceted = time(20, () => searchSamples(db, 'species:species-3 split:val', { limit: 100 }));
    const facetedCapped = time(20, () => searchSamples(db, 'species:species-3 split:val', gallery));
    const fts = time(20, () => searchSamples(db, '"beetle 7"', { limit: 100 }));
    const ftsCapped = time(20, () => searchSamples(db, '"beetle 7"', gallery));
    const ftsNarrow = time(20, () => searchSamples(db, '"beetle 7" split:val animals>=3', { limit: 100 }));
    const notes = time(5, () => searchSamples(db, '"through the lid"', { limit: 100 }));
    const facets = time(20, () => datasetStats(db, ''));
    const facetsFiltered = time(3, () => datasetStats(db, 'difficulty:hidden'));
    const facetsNarrow = time(5, () => datasetStats(db, 'species:species-3 split:val'));

    // Readers (another thread, its own connection) while this connection keeps writing.
    const reader = new Worker(
      `const D = require(${JSON.stringify(require_path())}); const { parentPort } = require('node:worker_threads');
       const db = new D(${JSON.stringify(file)}, { readonly: true, timeout: 5000 }); let n = 0, busy = 0; const end = Date.now() + 8000;
       while (Date.now() < end) { try { db.prepare("SELECT count(*) FROM samples WHERE split = 'val'").get(); n++; } catch (e) { if (String(e.code).startsWith('SQLITE_BUSY')) busy++; else throw e; } }
       parentPort.postMessage({ n, busy });`,
      { eval: true },
    );
    const readerDone = new Promise<{ n: number; busy: number }>((resolve, reject) => {
      reader.on('message', resolve);
      reader.on('error', reject);
    });
    let written = 0;
    const writeEnd = Date.now() + 6000;
    while (Date.now() < writeEnd) {
      const records = [];
      for (let i = 0; i < 1000; i++) records.push(syntheticRecord(count + written + i, runId));
      db.insertSamples(records);
      written += 1000;
    }
    const readers = await readerDone;

    const rows: Array<[string, string]> = [
      ['samples inserted (with instances, objects, files)', `${count.toLocaleString('en')} in ${insertSeconds.toFixed(1)} s (${insertCpuSeconds.toFixed(1)} s CPU)`],
      ['faceted query (2 filters, sort, first 100 + exact count), median ms', faceted.toFixed(1)],
      ['the same, counted up to 10,000, median ms', facetedCapped.toFixed(1)],
      ['full-text query on species names (+ exact count), median ms', fts.toFixed(1)],
      ['the same, counted up to 10,000, median ms', ftsCapped.toFixed(1)],
      ['full-text query with two filters (+ exact count), median ms', ftsNarrow.toFixed(1)],
      ['full-text query on review notes, median ms', notes.toFixed(1)],
      ['facet counts of the whole dataset (review page), median ms', facets.toFixed(1)],
      ['facet counts of a query matching 27 % of samples, median ms', facetsFiltered.toFixed(1)],
      ['facet counts of a query matching 1.4 % of samples, median ms', facetsNarrow.toFixed(1)],
      ['reads during writes (another connection)', `${readers.n} reads, ${readers.busy} SQLITE_BUSY, while ${written} samples were written`],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  } finally {
    db.close();
    if (!values.keep) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  }
}

function require_path(): string {
  return path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'node_modules', 'better-sqlite3');
}

main().catch((e) => {
  process.stderr.write(`bench:db failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
