/** `exoray review SAMPLE --verdict ...`: record a reviewer's verdict (append-only history). */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import { ExorayError } from '../core/errors.js';
import { openDatabase, VERDICTS, type Verdict } from '../db/database.js';
import { REVIEW_REASON_IDS } from '../review/reasons.js';

export const command = 'review <sample>';
export const describe = 'Record a verdict on a sample (approved, rejected, flagged), with a reason and a note; the history is kept';

export function builder(y: Argv) {
  return y
    .positional('sample', { type: 'string', describe: 'Sample id, e.g. s000042' })
    .option('in', { type: 'string', default: 'output/demo', describe: 'Dataset folder' })
    .option('verdict', { type: 'string', demandOption: true, choices: VERDICTS as unknown as string[], describe: 'The verdict' })
    .option('reason', { type: 'string', choices: REVIEW_REASON_IDS as string[], describe: 'Why (the review page offers the same list)' })
    .option('note', { type: 'string', default: '', describe: 'Free text' })
    .option('reviewer', { type: 'string', default: process.env.EXORAY_REVIEWER ?? process.env.USER ?? '', describe: 'Who judges (default $EXORAY_REVIEWER or $USER)' });
}

export async function handler(argv: { sample: string; in: string; verdict: string; reason?: string; note: string; reviewer: string }): Promise<void> {
  if (!argv.reviewer) throw new ExorayError('E_USAGE', 'review: name the reviewer with --reviewer (or set EXORAY_REVIEWER).');
  const file = path.join(argv.in, 'exoray.db');
  if (!existsSync(file)) throw new ExorayError('E_USAGE', `review: ${argv.in} holds no dataset (no exoray.db); pass the dataset folder with --in.`);
  const db = openDatabase(file);
  try {
    db.addReview({ sampleId: argv.sample, verdict: argv.verdict as Verdict, reason: argv.reason ?? null, note: argv.note, reviewer: argv.reviewer });
    const history = db.reviews(argv.sample);
    process.stdout.write(`${argv.sample}: ${history.map((r) => `${r.createdAt} ${r.reviewer} ${r.verdict}${r.reason ? ` (${r.reason})` : ''}`).join('\n  ')}\n`);
  } finally {
    db.close();
  }
}
