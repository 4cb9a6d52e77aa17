/**
 * `node dist/bench/db-ab.js BUILD_A BUILD_B [--samples N] [--batch B] [--batch-b B2]`: the insert
 * path of two builds (two copies of dist/, e.g. one made at an older commit; or one build twice,
 * with two batch sizes) compared in one process, their batches (default 1,000 samples; B's own
 * size with --batch-b) interleaved (A B, B A, ... a round of lcm(B, B2) samples each) into a
 * database each, and each build's CPU time inside insertSamples summed. On a shared machine whose load moves by the minute, separate runs of one
 * build differ by up to 30 %; interleaving gives both builds the same load (a build against itself
 * differs by some 3 %, the method's own noise). Prints one JSON line per build.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

type DatabaseModule = typeof import('../db/database.js');
type SyntheticModule = typeof import('./synthetic-db.js');

interface Side {
  build: string;
  db: ReturnType<DatabaseModule['openDatabase']>;
  file: string;
  runId: number;
  record: SyntheticModule['syntheticRecord'];
  batches: number[];
  batch: number;
}

async function open(build: string, tag: string, batch: number): Promise<Side> {
  const dir = path.resolve(build);
  const { openDatabase } = (await import(path.join(dir, 'db', 'database.js'))) as DatabaseModule;
  const { syntheticRecord } = (await import(path.join(dir, 'bench', 'synthetic-db.js'))) as SyntheticModule;
  const file = path.join(os.tmpdir(), `exoray-db-ab-${process.pid}-${tag}.db`);
  const db = openDatabase(file);
  const runId = db.startRun({ toolVersion: 'bench', preset: 'synthetic', seed: 7 });
  return { build: dir, db, file, runId, record: syntheticRecord, batches: [], batch };
}

const { values, positionals } = parseArgs({
  options: { samples: { type: 'string', default: '100000' }, batch: { type: 'string', default: '1000' }, 'batch-b': { type: 'string' } },
  allowPositionals: true,
});
if (positionals.length !== 2) {
  process.stderr.write('usage: node dist/bench/db-ab.js BUILD_A BUILD_B [--samples N] [--batch B] [--batch-b B2]  (BUILD: a dist/ folder)\n');
  process.exit(2);
}
const count = Number(values.samples);
const batchA = Number(values.batch);
const batchB = Number(values['batch-b'] ?? values.batch);
const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const round = (batchA * batchB) / gcd(batchA, batchB);
const sides = [await open(positionals[0]!, 'a', batchA), await open(positionals[1]!, 'b', batchB)];
try {
  for (let from = 0, k = 0; from < count; from += round, k++) {
    // Each build goes first every other round: neither always follows the other's garbage.
    for (const side of k % 2 ? [sides[1]!, sides[0]!] : [sides[0]!, sides[1]!]) {
      const end = Math.min(count, from + round);
      for (let start = from; start < end; start += side.batch) {
        const records = [];
        for (let i = start; i < Math.min(end, start + side.batch); i++) records.push(side.record(i, side.runId));
        const c = process.cpuUsage();
        side.db.insertSamples(records);
        const d = process.cpuUsage(c);
        side.batches.push(d.user + d.system);
      }
    }
  }
} finally {
  for (const side of sides) {
    side.db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(side.file + suffix, { force: true });
  }
}
for (const side of sides) {
  const total = side.batches.reduce((a, b) => a + b, 0);
  const sorted = [...side.batches].sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({ build: side.build, batch: side.batch, samples: count, cpuUsPerSample: +(total / count).toFixed(1), medianBatchUsPerSample: +(sorted[sorted.length >> 1]! / side.batch).toFixed(1) })}\n`,
  );
}
