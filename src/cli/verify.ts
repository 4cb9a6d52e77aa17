/**
 * `exoray verify <dir>`: checks a generated dataset (files against manifest.json
 * and exoray.db, labels against exoray.db); the work is in dataset/verify.ts.
 *
 * Exit codes: 0 when the dataset is sound (warnings, such as files the manifest
 * does not list, are printed but do not fail it); 1 when any problem is an error:
 * the report is printed first (stdout), then the handler throws ExorayError
 * E_OUTPUT with a one-line summary, which the CLI's single error handler prints
 * on stderr and maps to exit code 1. 2 when <dir> is not a dataset folder (E_USAGE).
 */
import type { Argv } from 'yargs';
import { ExorayError } from '../core/errors.js';
import { formatVerifyReport, summariseVerifyReport, verifyDataset } from '../dataset/verify.js';

export const command = 'verify <dir>';
export const describe = 'Check a generated dataset: every file against manifest.json and exoray.db, every label against exoray.db';

export function builder(y: Argv) {
  return y
    .positional('dir', { type: 'string', demandOption: true, describe: 'Dataset folder (the --out of exoray generate)' })
    .option('deep', { type: 'boolean', default: false, describe: 'Also check PNG chunk CRCs and decode every image (slower)' })
    .option('catalog', { type: 'string', describe: 'Species catalog folder of the label categories (default: the one the dataset was made with)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
    .example('$0 verify output/demo', 'Check the demo dataset')
    .example('$0 verify output/demo --deep --json', 'Decode every image too; machine-readable report');
}

export async function handler(argv: { dir: string; deep: boolean; json: boolean; catalog?: string }): Promise<void> {
  const report = await verifyDataset(argv.dir, { deep: argv.deep, catalog: argv.catalog });
  process.stdout.write(argv.json ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyReport(report));
  if (!report.ok) {
    throw new ExorayError('E_OUTPUT', `${summariseVerifyReport(report)}; see the report above for each file and what to do.`);
  }
}
