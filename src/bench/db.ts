/**
 * `npm run bench:db [-- --samples N] [--batch B] [--compare M] [--keep] [--migration]`: the
 * simulation database at scale (default a million samples), on a synthetic dataset
 * (synthetic-db.ts, no rendering), then each target of the database issue with its measured
 * median and PASS or FAIL.
 *
 * - Inserts: N samples through a SampleWriter (the bulk insert path: this thread prepares each
 *   batch of B, default 5,000, while the writer's thread stores the one before), the whole
 *   loop's wall time held to the target (making the synthetic records included), the CPU time
 *   of both threads printed. Then M samples (default 200,000) into a database of their own, in
 *   four alternating blocks, one thread (SimulationDb.insertSamples) against the SampleWriter,
 *   for the ratio of the two; then 2,000 samples committed one at a time, as a run commits when
 *   its samples finish one by one (src/dataset/pipeline.ts). The queries run on the N + 2,000.
 * - Queries: medians of the review page's and `exoray query`'s reads; each also with SQL alone
 *   (`sqlOnly`, the path used when the facet bitmaps cannot answer) where that is affordable.
 *   Repeated reads reuse the connection's view of the bitmaps (facet-index.ts); the figures
 *   "after a write" make a write before each run, so the bitmaps are read again each time.
 * - Reads while writing: a worker thread reads (gallery page + facet counts) on its own
 *   connection while this one commits samples one at a time; SQLITE_BUSY failures are counted.
 * - `--migration`: the database is then taken back to schema version 10 (animal rows keyed by
 *   the sample's text id) and opened again, which runs migrations 11 and 12: their time is printed.
 * Load averages (1, 5, 15 min) are printed at the start and end of each phase.
 */
import { rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { openDatabase, type SimulationDb } from '../db/database.js';
import { formatSampleId } from '../db/records.js';
import { SampleWriter } from '../db/sample-writer.js';
import { searchSamples } from '../db/search.js';
import { datasetStats, datasetStatsMany } from '../db/stats.js';
import { SYNTHETIC_SPECIES, syntheticRecord } from './synthetic-db.js';

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time of `runs` calls, ms, and the last call's result. */
function time<T>(runs: number, work: () => T): { ms: number; result: T } {
  const t: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = work();
    t.push(performance.now() - t0);
  }
  return { ms: median(t), result };
}

interface Row {
  figure: string;
  value: string;
  target?: string;
  pass?: boolean;
}

const rows: Row[] = [];
function report(figure: string, value: string, target?: { text: string; pass: boolean }): void {
  rows.push({ figure, value, target: target?.text, pass: target?.pass });
  process.stderr.write(`  ${figure}: ${value}${target ? `  [${target.text}: ${target.pass ? 'PASS' : 'FAIL'}]` : ''}\n`);
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1e6;
};

/** Wall and CPU seconds of the whole loop (making the records included), through insertSamples on this thread. */
function insert(db: SimulationDb, runId: number, from: number, count: number, batch: number): { wall: number; cpu: number } {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let start = from; start < from + count; start += batch) {
    const records = [];
    for (let i = start; i < Math.min(from + count, start + batch); i++) records.push(syntheticRecord(i, runId));
    db.insertSamples(records);
  }
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds(cpu0) };
}

/**
 * The same through a SampleWriter (its own thread and connection): wall seconds of the loop
 * until its last commit, and CPU seconds of the process (both threads). Opens a writer for the
 * loop when none is given (its start and close timed too).
 */
async function write(file: string, runId: number, from: number, count: number, batch: number, open?: SampleWriter): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const writer = open ?? (await SampleWriter.open(file));
  try {
    for (let start = from; start < from + count; start += batch) {
      const records = [];
      for (let i = start; i < Math.min(from + count, start + batch); i++) records.push(syntheticRecord(i, runId));
      await writer.write(records);
    }
    await writer.flush();
  } finally {
    if (!open) await writer.close();
  }
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds(cpu0) };
}

function queries(db: SimulationDb, count: number): void {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const page = (q: string, runs: number, sqlOnly = false) => time(runs, () => searchSamples(db, q, { limit: 100, sqlOnly }));
  const under = (x: number, limit: number) => ({ text: `< ${limit} ms`, pass: x < limit });

  const facetQ = 'species:species-3 split:val';
  const faceted = page(facetQ, 20);
  report(`faceted query \`${facetQ}\`, first 100 + exact count (${faceted.result.total.toLocaleString('en')}, via ${faceted.result.via}), median`, ms(faceted.ms), under(faceted.ms, 50));
  const facetedSql = page(facetQ, 3, true);
  report('  the same with SQL alone (no bitmaps), median of 3', ms(facetedSql.ms));
  const deep = time(20, () => searchSamples(db, facetQ, { limit: 100, offset: Math.floor(faceted.result.total / 2) }));
  report('  the same, a page in the middle of the matches, median', ms(deep.ms));

  const ftsQ = '"beetle 7"';
  const fts = page(ftsQ, 20);
  report(`full text on species names ${ftsQ}, first 100 + exact count (${fts.result.total.toLocaleString('en')}, via ${fts.result.via}), median`, ms(fts.ms), under(fts.ms, 50));
  const ftsSql = page(ftsQ, 3, true);
  report('  the same with SQL alone, median of 3', ms(ftsSql.ms));
  const ftsNarrowQ = '"beetle 7" split:val animals>=3';
  const ftsNarrow = page(ftsNarrowQ, 20);
  report(`full text with two filters \`${ftsNarrowQ}\` (${ftsNarrow.result.total.toLocaleString('en')}), median`, ms(ftsNarrow.ms), under(ftsNarrow.ms, 50));
  const notesQ = '"through the lid"';
  const notes = page(notesQ, 10);
  report(`full text on review notes ${notesQ} (${notes.result.total.toLocaleString('en')}), median`, ms(notes.ms), under(notes.ms, 50));

  const exampleQ = 'species:species-1* container:cardboard-box visibility<0.3 animals>=2 split:train review:approved "beetle"';
  const example = page(exampleQ, 10);
  report(`the issue's example query (${example.result.total.toLocaleString('en')}, via ${example.result.via}), median`, ms(example.ms));
  const rangeQ = 'visibility>=0.2 visibility<=0.6';
  const range = page(rangeQ, 10);
  report(`visibility range \`${rangeQ}\` (the review page's filter; ${range.result.total.toLocaleString('en')}, via ${range.result.via}), median`, ms(range.ms));
  const sameAnimalQ = 'species:species-3 visibility<0.3 split:val';
  const sameAnimal = page(sameAnimalQ, 10);
  report(`two terms on one animal \`${sameAnimalQ}\` (${sameAnimal.result.total.toLocaleString('en')}, via ${sameAnimal.result.via}), median`, ms(sameAnimal.ms));
  const broadQ = 'species:species-3 visibility<0.333';
  const broad = time(3, () => searchSamples(db, broadQ, { limit: 100, countUpTo: 10_000 }));
  report(`a broad query the bitmaps cannot answer \`${broadQ}\`, counted up to 10,000 (via ${broad.result.via}), median of 3`, ms(broad.ms));

  // Cold: a write on this connection before each run, so the bitmaps are read again (the
  // reader's view is kept while nothing changes: a review session between two writes).
  const cold = <T>(runs: number, work: () => T) => {
    const t: number[] = [];
    let result!: T;
    for (let i = 0; i < runs; i++) {
      db.addReview({ sampleId: formatSampleId(1 + 40 * i), verdict: 'flagged', reviewer: 'bench-cold' });
      const t0 = performance.now();
      result = work();
      t.push(performance.now() - t0);
    }
    return { ms: median(t), result };
  };
  const facetedCold = cold(7, () => searchSamples(db, facetQ, { limit: 100 }));
  report(`faceted query \`${facetQ}\` after a write (bitmaps read again), median of 7`, ms(facetedCold.ms), under(facetedCold.ms, 50));
  const ftsCold = cold(7, () => searchSamples(db, ftsQ, { limit: 100 }));
  report(`full text ${ftsQ} after a write, median of 7`, ms(ftsCold.ms), under(ftsCold.ms, 50));

  const whole = time(20, () => datasetStats(db));
  report('facet counts of the whole dataset (the review page), median', ms(whole.ms), under(whole.ms, 200));
  for (const [q, runs] of [['difficulty:hidden', 5], [facetQ, 5], [rangeQ, 5], [ftsQ, 5]] as const) {
    const f = time(runs, () => datasetStats(db, q));
    report(`facet counts of \`${q}\` (${((100 * f.result.samples) / count).toFixed(1)} % of samples), median`, ms(f.ms), under(f.ms, 200));
  }
  for (const q of ['difficulty:hidden', facetQ]) {
    const f = cold(5, () => datasetStats(db, q));
    report(`facet counts of \`${q}\` after a write (bitmaps read again), median of 5`, ms(f.ms), under(f.ms, 200));
  }
  const filteredSql = time(1, () => datasetStats(db, facetQ, { sqlOnly: true }));
  report(`  facet counts of \`${facetQ}\` with SQL alone, 1 run`, ms(filteredSql.ms));
  const presets = Object.keys(datasetStats(db).byPreset);
  const view = ['difficulty:hidden', ...presets.map((p) => `difficulty:hidden preset:"${p}"`)];
  const statsPage = cold(3, () => datasetStatsMany(db, view));
  report(`the review page's stats view of \`difficulty:hidden\` (it and each of ${presets.length} presets) after a write, median of 3`, ms(statsPage.ms), under(statsPage.ms, 200));
}

/**
 * Takes a version-11 database back to the shape of version 10 (bench only: to time migration
 * 11): the animal rows in a table `instances` keyed by the sample's text id, with its index.
 */
function downgradeTo10(file: string): void {
  const raw = new Database(file);
  raw.exec(`
    CREATE TABLE instances_v10 (
      id               INTEGER PRIMARY KEY,
      sample_id        TEXT NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
      view             TEXT NOT NULL DEFAULT 'top' CHECK (view IN ('top', 'side')),
      instance_index   INTEGER NOT NULL CHECK (instance_index >= 0),
      object_id        TEXT NOT NULL,
      species          TEXT NOT NULL,
      scientific_name  TEXT NOT NULL,
      bbox_x           REAL,
      bbox_y           REAL,
      bbox_w           REAL,
      bbox_h           REAL,
      mask_area        INTEGER NOT NULL CHECK (mask_area >= 0),
      mask_rle         TEXT NOT NULL,
      length_mm        REAL NOT NULL,
      visibility       REAL CHECK (visibility IS NULL OR (visibility >= 0 AND visibility <= 1)),
      difficulty       TEXT CHECK (difficulty IS NULL OR difficulty IN ('easy', 'hard', 'hidden')),
      UNIQUE (sample_id, view, instance_index),
      CHECK ((bbox_x IS NULL) = (bbox_w IS NULL) AND (bbox_y IS NULL) = (bbox_h IS NULL) AND (bbox_x IS NULL) = (bbox_y IS NULL))
    );
    -- Numbered 1, 2, ... in sample order, as version 10's insert path numbered them.
    INSERT INTO instances_v10 (sample_id, view, instance_index, object_id, species, scientific_name, bbox_x, bbox_y, bbox_w, bbox_h,
                               mask_area, mask_rle, length_mm, visibility, difficulty)
      SELECT sample_id, view, instance_index, object_id, species, scientific_name, bbox_x, bbox_y, bbox_w, bbox_h,
             mask_area, mask_rle, length_mm, visibility, difficulty FROM instances ORDER BY id;
    DROP VIEW instances;
    DROP TABLE instance_rows;
    DROP TRIGGER samples_instances_ad;
    ALTER TABLE instances_v10 RENAME TO instances;
    -- (Version 10's triggers on the table are left out: migration 11 drops them with it.)
    CREATE INDEX instances_species ON instances(species, sample_id);
    PRAGMA user_version = 10;
  `);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string', default: '1000000' },
      batch: { type: 'string', default: '5000' },
      compare: { type: 'string', default: '200000' },
      keep: { type: 'boolean', default: false },
      migration: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.samples);
  const batch = Number(values.batch);
  const compare = Number(values.compare);
  const file = path.join(os.tmpdir(), `exoray-bench-db-${process.pid}.db`);
  const compareFile = path.join(os.tmpdir(), `exoray-bench-db-${process.pid}-compare.db`);
  process.stderr.write(`bench:db: ${count.toLocaleString('en')} samples in ${file}; load average ${load()}\n`);
  let db = openDatabase(file);
  try {
    db.upsertSpecies(SYNTHETIC_SPECIES);
    const runId = db.startRun({ toolVersion: 'bench', preset: 'synthetic', seed: 7 });
    const loadBefore = load();
    const bulk = await write(file, runId, 0, count, batch);
    report(
      `samples inserted by a SampleWriter, batches of ${batch.toLocaleString('en')} (with 1-3 animals, objects, files; load average ${loadBefore} -> ${load()})`,
      `${count.toLocaleString('en')} in ${bulk.wall.toFixed(1)} s wall, ${bulk.cpu.toFixed(1)} s CPU of both threads (${((bulk.wall * 1e6) / count).toFixed(0)} us wall a sample)`,
      { text: '< 60 s (wall time)', pass: bulk.wall < 60 },
    );
    // The two insert paths at the same size, in alternating blocks (this machine's speed drifts
    // by a quarter within an hour; alternating gives both the same share of it), in a database
    // of their own: the queries below run on the N samples. One writer for its blocks, idle
    // (all committed) while the other path writes.
    const block = Math.max(batch, Math.round(compare / 4 / batch) * batch);
    const one = { wall: 0, cpu: 0, n: 0 };
    const two = { wall: 0, cpu: 0, n: 0 };
    const side = openDatabase(compareFile);
    const sideRun = side.startRun({ toolVersion: 'bench', preset: 'synthetic', seed: 7 });
    const writer = compare > 0 ? await SampleWriter.open(compareFile) : undefined;
    for (let b = 0, next = 0; b < 4 && writer; b++, next += block) {
      const r = b % 2 ? await write(compareFile, sideRun, next, block, batch, writer) : insert(side, sideRun, next, block, batch);
      const sum = b % 2 ? two : one;
      sum.wall += r.wall;
      sum.cpu += r.cpu;
      sum.n += block;
    }
    await writer?.close();
    side.close();
    for (const f of [compareFile, `${compareFile}-wal`, `${compareFile}-shm`]) rmSync(f, { force: true });
    if (one.n > 0) {
      const us = (x: number, n: number) => ((x * 1e6) / n).toFixed(0);
      report(
        `  ${(one.n + two.n).toLocaleString('en')} in a new database, alternating blocks of ${block.toLocaleString('en')}: one thread (insertSamples) / SampleWriter`,
        `${us(one.wall, one.n)} / ${us(two.wall, two.n)} us wall a sample (${(one.wall / one.n / (two.wall / two.n)).toFixed(2)}x), ${us(one.cpu, one.n)} / ${us(two.cpu, two.n)} us CPU`,
      );
    }
    const single = insert(db, runId, count, 2000, 1);
    report(
      'samples committed one at a time (as a run whose samples finish one by one), 2,000 more',
      `${((single.wall * 1e6) / 2000).toFixed(0)} us wall, ${((single.cpu * 1e6) / 2000).toFixed(0)} us CPU a sample`,
    );
    const reviewT0 = performance.now();
    let reviews = 0;
    for (let i = 0; i < count; i += 20, reviews++) {
      db.addReview({ sampleId: formatSampleId(i), verdict: i % 40 ? 'approved' : 'rejected', note: i % 40 ? '' : 'legs through the lid', reviewer: 'bench' });
    }
    report(`reviews added one at a time (${reviews.toLocaleString('en')}, 5 % of samples)`, `${(((performance.now() - reviewT0) * 1000) / reviews).toFixed(0)} us a review`);
    db.connection.pragma('optimize');
    db.connection.pragma('wal_checkpoint(TRUNCATE)');
    report('database size', `${(statSync(file).size / 2 ** 30).toFixed(2)} GiB`);

    process.stderr.write(`queries; load average ${load()}\n`);
    queries(db, count + 2000);

    // Reads on another connection while this one commits samples one at a time.
    const readMs = 8000;
    const reader = new Worker(new URL('./db-reader.js', import.meta.url), { workerData: { file, ms: readMs } });
    const readerDone = new Promise<{ reads: number; busy: number; medianMs: number }>((resolve, reject) => {
      reader.on('message', resolve);
      reader.on('error', reject);
    });
    let written = 0;
    const writeEnd = Date.now() + readMs - 1000;
    while (Date.now() < writeEnd) {
      insert(db, runId, count + 2000 + written, 10, 1);
      written += 10;
    }
    const readers = await readerDone;
    report(
      'reads while another connection writes (gallery page + facet counts, WAL)',
      `${readers.reads} reads (median ${readers.medianMs.toFixed(0)} ms), ${readers.busy} SQLITE_BUSY, while ${written.toLocaleString('en')} samples were committed one at a time`,
      { text: '0 SQLITE_BUSY', pass: readers.busy === 0 },
    );

    if (values.migration) {
      db.close();
      process.stderr.write(`back to schema version 10 (animal rows keyed by the sample's text id); load average ${load()}\n`);
      downgradeTo10(file);
      const loadBefore = load();
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      db = openDatabase(file);
      report(
        `migrations 10 -> 12 of this database (11 moves the animal rows, 12 edits two CHECKs; load average ${loadBefore})`,
        `${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${cpuSeconds(cpu0).toFixed(1)} s CPU`,
      );
    }
  } finally {
    db.close();
    if (!values.keep) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  }
  const width = Math.max(...rows.map((r) => r.figure.length));
  process.stdout.write(`\nbench:db, ${count.toLocaleString('en')} samples (load average now ${load()}; ${os.cpus().length} CPUs)\n`);
  for (const r of rows) {
    process.stdout.write(`${r.figure.padEnd(width)}  ${r.value}${r.target ? `  target ${r.target}: ${r.pass ? 'PASS' : 'FAIL'}` : ''}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`bench:db failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
