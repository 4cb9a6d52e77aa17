/** `exoray stats [EXPR]`: counts and distributions of a dataset, or of the samples matching a query. */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { ExorayError } from '../core/errors.js';
import { openDatabase } from '../db/database.js';
import { datasetStats } from '../db/stats.js';

export const command = 'stats [expr]';
export const describe = 'Counts by species, preset, difficulty, split and view (of the samples matching EXPR)';

export function builder(y: Argv) {
  return y
    .positional('expr', { type: 'string', default: '', describe: 'Search expression (see exoray query)' })
    .option('in', { type: 'string', default: 'output/demo', describe: 'Dataset folder' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON' });
}

export async function handler(argv: { expr: string; in: string; json: boolean }): Promise<void> {
  const file = path.join(argv.in, 'exoray.db');
  if (!existsSync(file)) throw new ExorayError('E_USAGE', `stats: ${argv.in} holds no dataset (no exoray.db); pass the dataset folder with --in.`);
  const db = openDatabase(file, { readonly: true });
  try {
    const stats = datasetStats(db, argv.expr);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      return;
    }
    const lines = [`${stats.samples} samples, ${stats.animals} labelled animals`];
    const table = (title: string, counts: Record<string, number>) => {
      lines.push('', title);
      const width = Math.max(...Object.keys(counts).map((k) => k.length), 4);
      for (const [k, n] of Object.entries(counts)) lines.push(`  ${k.padEnd(width)}  ${String(n).padStart(7)}`);
    };
    table('species', stats.bySpecies);
    table('preset', stats.byPreset);
    table('difficulty', stats.byDifficulty);
    table('split', stats.bySplit);
    table('view', stats.byView);
    table('animals per sample', stats.animalsPerSample);
    table('review verdict', stats.byVerdict);
    if (Object.keys(stats.byReason).length > 0) table('reasons', stats.byReason);
    const v = stats.visibility;
    if (v.mean !== null) lines.push('', `visibility  mean ${v.mean.toFixed(3)}  min ${v.min!.toFixed(3)}  max ${v.max!.toFixed(3)}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    db.close();
  }
}
