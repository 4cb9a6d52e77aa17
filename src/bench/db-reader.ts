/**
 * The reader thread of `npm run bench:db`: the review page's two reads (a gallery page and the
 * facet counts of a query) on its own read-only connection, over and over while the main thread
 * writes, counting SQLITE_BUSY failures. A worker, not a second process: the same code, and the
 * main thread's writes really run at the same time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/database.js';
import { searchSamples } from '../db/search.js';
import { datasetStats } from '../db/stats.js';

const { file, ms } = workerData as { file: string; ms: number };
const db = openDatabase(file, { readonly: true });
let reads = 0;
let busy = 0;
const times: number[] = [];
const end = Date.now() + ms;
while (Date.now() < end) {
  const t0 = performance.now();
  try {
    searchSamples(db, 'species:species-3 split:val', { limit: 60, countUpTo: 10_000 });
    datasetStats(db, 'split:val');
    reads++;
    times.push(performance.now() - t0);
  } catch (e) {
    const code = String((e as { code?: string }).code ?? '');
    if (code.startsWith('SQLITE_BUSY')) busy++;
    else throw e;
  }
}
db.close();
times.sort((a, b) => a - b);
parentPort!.postMessage({ reads, busy, medianMs: times.length ? times[Math.floor(times.length / 2)]! : NaN });
