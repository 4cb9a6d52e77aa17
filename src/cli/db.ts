/** `exoray db export`: the simulation database's main tables as CSV. */
import { closeSync, existsSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { ExorayError } from '../core/errors.js';
import { openDatabase } from '../db/database.js';
import { exportCsv } from '../db/csv-export.js';

export const command = 'db <action>';
export const describe = 'Database tools: "export" writes the main tables as CSV (runs, samples, instances, objects, sample_files)';

export function builder(y: Argv) {
  return y
    .positional('action', { choices: ['export'] as const, describe: 'What to do' })
    .option('in', { type: 'string', default: 'output/demo', describe: 'Dataset folder' })
    .option('out', { type: 'string', describe: 'Folder for the CSV files (default DIR/csv)' })
    .option('csv', { type: 'boolean', default: true, describe: 'CSV format (the only one for now)' });
}

/** Streams chunks into a temporary file, then renames it: no half-written CSV under its final name. */
function writeStreamed(file: string, chunks: Iterable<string>): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let buffer = '';
    for (const chunk of chunks) {
      buffer += chunk;
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export async function handler(argv: { action: 'export'; in: string; out?: string }): Promise<void> {
  const file = path.join(argv.in, 'exoray.db');
  if (!existsSync(file)) throw new ExorayError('E_USAGE', `db: ${argv.in} holds no dataset (no exoray.db); pass the dataset folder with --in.`);
  const db = openDatabase(file, { readonly: true });
  try {
    const files = exportCsv(db, argv.out ?? path.join(argv.in, 'csv'), writeStreamed);
    process.stdout.write(`${files.join('\n')}\n`);
  } finally {
    db.close();
  }
}
