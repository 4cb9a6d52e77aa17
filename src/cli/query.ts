/** `exoray query EXPR`: samples of a dataset matching a search expression, as a table, JSON or CSV. */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { ExorayError } from '../core/errors.js';
import { openDatabase } from '../db/database.js';
import { QUERY_FIELDS } from '../db/query.js';
import { searchSamples } from '../db/search.js';

export const command = 'query <expr>';
export const describe = `Find samples: e.g. "species:stag* difficulty:hidden animals>=2 split:train" (fields: ${Object.keys(QUERY_FIELDS).join(', ')})`;

export function builder(y: Argv) {
  return y
    .positional('expr', { type: 'string', describe: 'Search expression ("" for all samples)' })
    .option('in', { type: 'string', default: 'output/demo', describe: 'Dataset folder' })
    .option('limit', { type: 'number', default: 50, describe: 'Rows to print' })
    .option('offset', { type: 'number', default: 0, describe: 'Rows to skip' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
    .option('csv', { type: 'boolean', default: false, describe: 'Print CSV' });
}

export async function handler(argv: { expr: string; in: string; limit: number; offset: number; json: boolean; csv: boolean }): Promise<void> {
  const file = path.join(argv.in, 'exoray.db');
  if (!existsSync(file)) throw new ExorayError('E_USAGE', `query: ${argv.in} holds no dataset (no exoray.db); pass the dataset folder with --in.`);
  const db = openDatabase(file, { readonly: true });
  try {
    const { total, samples } = searchSamples(db, argv.expr, { limit: argv.limit, offset: argv.offset });
    const columns = ['id', 'preset', 'split', 'animalCount', 'clutterCount', 'containerKind', 'imagePath'] as const;
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ total, samples }, null, 2)}\n`);
    } else if (argv.csv) {
      const cell = (v: unknown) => (/[",\n]/.test(String(v ?? '')) ? `"${String(v).replace(/"/g, '""')}"` : String(v ?? ''));
      process.stdout.write(`${columns.join(',')}\n${samples.map((s) => columns.map((c) => cell(s[c])).join(',')).join('\n')}\n`);
    } else {
      const rows = [columns as readonly string[], ...samples.map((s) => columns.map((c) => String(s[c] ?? '')))];
      const widths = columns.map((_, k) => Math.max(...rows.map((r) => r[k]!.length)));
      for (const r of rows) process.stdout.write(`${r.map((v, k) => v.padEnd(widths[k]!)).join('  ')}\n`);
      process.stdout.write(`${samples.length} of ${total} matching samples\n`);
    }
  } finally {
    db.close();
  }
}
