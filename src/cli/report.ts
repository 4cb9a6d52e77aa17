/** `exoray report <dir>`: the dataset report (counts, histograms, contact sheet) of a generated dataset. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { ExorayError } from '../core/errors.js';
import { openDatabase } from '../db/database.js';
import { DB_FILE } from '../dataset/generate.js';
import { writeReport } from '../dataset/report.js';

export const command = 'report <dir>';
export const describe = 'Write report.html, report.json and a labelled contact sheet for a dataset into <dir>/report/';

export function builder(y: Argv) {
  return y
    .positional('dir', { type: 'string', demandOption: true, describe: 'Dataset folder (the --out of exoray generate)' })
    .option('seed', { type: 'number', describe: 'Seed of the contact sheet\'s random pick (default: the dataset\'s run seed)' })
    .option('count', { type: 'number', default: 16, describe: 'Samples on the contact sheet (0 for none)' })
    .option('thumb', { type: 'number', default: 192, describe: 'Contact sheet tile size, pixels' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON on stdout' })
    .example('$0 report output/demo', 'Write output/demo/report/report.html');
}

export async function handler(argv: { dir: string; seed?: number; count: number; thumb: number; json: boolean }): Promise<void> {
  if (argv.seed !== undefined && (!Number.isInteger(argv.seed) || argv.seed < 0 || argv.seed > 2 ** 32 - 1)) {
    throw new ExorayError('E_USAGE', `report: --seed must be a whole number from 0 to 4294967295, got ${argv.seed}`);
  }
  if (!Number.isInteger(argv.count) || argv.count < 0 || argv.count > 1024) {
    throw new ExorayError('E_USAGE', `report: --count must be a whole number from 0 to 1024, got ${argv.count}`);
  }
  if (!Number.isInteger(argv.thumb) || argv.thumb < 16 || argv.thumb > 2048) {
    throw new ExorayError('E_USAGE', `report: --thumb must be a whole number of pixels from 16 to 2048, got ${argv.thumb}`);
  }
  const dir = path.resolve(argv.dir);
  const dbPath = path.join(dir, DB_FILE);
  if (!existsSync(dbPath)) {
    throw new ExorayError('E_USAGE', `report: ${dir} holds no dataset (no ${DB_FILE}); give the --out folder of exoray generate.`);
  }
  const db = openDatabase(dbPath, { readonly: true });
  try {
    const files = await writeReport(dir, db, { seed: argv.seed, count: argv.count, thumb: argv.thumb });
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(files.data, null, 2)}\n`);
      return;
    }
    const { samples, instances } = files.data.generatedFrom;
    process.stdout.write(
      [
        `Report of ${samples} samples (${instances} labels):`,
        `  html:          ${files.html}`,
        `  json:          ${files.json}`,
        ...(files.contactSheet ? [`  contact sheet: ${files.contactSheet}`] : []),
        '',
      ].join('\n'),
    );
  } finally {
    db.close();
  }
}
