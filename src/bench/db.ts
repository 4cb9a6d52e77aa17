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
import { Rng, deriveSeed } from '../core/rng.js';
import type { SceneDescription, SceneObject } from '../core/types.js';
import { openDatabase, type SpeciesSnapshot } from '../db/database.js';
import { formatSampleId, type SampleRecord } from '../db/records.js';
import { searchSamples } from '../db/search.js';
import { datasetStats } from '../db/stats.js';
import { difficultyOf } from '../labels/difficulty.js';

const SPECIES: SpeciesSnapshot[] = Array.from({ length: 14 }, (_, i) => ({
  id: `species-${i}`,
  scientificName: `Genus${i} species${i}`,
  commonNames: { en: i % 2 ? `Giant beetle ${i}` : `Spotted lizard ${i}`, zh: `动物${i}` },
  taxonomy: { class: i % 2 ? 'Insecta' : 'Reptilia', order: i % 2 ? 'Coleoptera' : 'Squamata', family: `Family${i % 5}` },
  cites: i % 3 ? null : 'II',
  tags: [i % 2 ? 'beetle' : 'lizard'],
}));
const PRESETS = ['parcel', 'reptile-box', 'suitcase', 'backpack'];
const SPLITS = ['train', 'train', 'train', 'train', 'train', 'train', 'train', 'train', 'val', 'test'];

function record(index: number, runId: number): SampleRecord {
  const rng = new Rng(deriveSeed(7, index));
  const animals = rng.int(1, 3);
  const objects: SceneObject[] = [
    { id: 'container', role: 'container', kind: 'cardboard-box', parts: [{ shape: { type: 'hollowBox', size: [0.3, 0.15, 0.25], wall: 0.004 }, material: 'cardboard' }], position: [0, 0.075, 0], quaternion: [0, 0, 0, 1], scale: 1 },
  ];
  const instances = [];
  for (let k = 0; k < animals; k++) {
    const sp = SPECIES[rng.int(0, SPECIES.length - 1)]!;
    objects.push({
      id: `animal-${k}`,
      role: 'animal',
      kind: sp.id,
      parts: [{ shape: { type: 'asset', asset: sp.id }, material: '' }],
      position: [rng.uniform(-0.1, 0.1), 0.03, rng.uniform(-0.1, 0.1)],
      quaternion: rng.quaternion(),
      scale: 1,
      label: { species: sp.id, scientificName: sp.scientificName, commonName: sp.commonNames.en!, lengthMm: 50 },
    });
    const visibility = Math.round(rng.next() * 1e4) / 1e4;
    instances.push({
      instanceIndex: k,
      objectId: `animal-${k}`,
      species: sp.id,
      scientificName: sp.scientificName,
      bbox: [rng.int(0, 400), rng.int(0, 400), rng.int(10, 100), rng.int(10, 100)] as [number, number, number, number],
      maskArea: rng.int(100, 5000),
      maskRle: { size: [512, 512] as [number, number], counts: 'PPY16k?2O1O1N2N2M3M3L4L5K5K6J6J7I7I8H8H9G' },
      lengthMm: 50,
      visibility,
      difficulty: difficultyOf(visibility),
    });
  }
  const scene: SceneDescription = {
    version: 1,
    seed: deriveSeed(7, 'sample', index),
    preset: PRESETS[rng.int(0, PRESETS.length - 1)]!,
    scanner: { geometry: 'fan', width: 512, height: 512, fieldWidth: 0.5, fieldDepth: 0.5, sourceHeight: 0.95, detectorHeight: -0.03, effectiveEnergyKeV: 60 },
    objects,
  };
  const id = formatSampleId(index);
  return {
    id,
    runId,
    sampleIndex: index,
    scene,
    split: SPLITS[rng.int(0, SPLITS.length - 1)]!,
    imagePath: `images/${id}.png`,
    imageSha256: 'a'.repeat(64),
    rawPath: `raw/${id}-high.png`,
    rawSha256: 'b'.repeat(64),
    renderMs: 100,
    instances,
    files: [
      { view: 'top', kind: 'image', path: `images/${id}.png`, sha256: 'a'.repeat(64) },
      { view: 'top', kind: 'high', path: `raw/${id}-high.png`, sha256: 'b'.repeat(64) },
    ],
  };
}

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
    db.upsertSpecies(SPECIES);
    const runId = db.startRun({ toolVersion: 'bench', preset: 'synthetic', seed: 7 });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const batch = 10_000;
    for (let start = 0; start < count; start += batch) {
      const records = [];
      for (let i = start; i < Math.min(count, start + batch); i++) records.push(record(i, runId));
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
      for (let i = 0; i < 1000; i++) records.push(record(count + written + i, runId));
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
