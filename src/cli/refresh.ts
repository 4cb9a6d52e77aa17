/** `exoray refresh DIR`: make what the dataset's target and the species catalog call for, and nothing else. */
import type { Argv } from 'yargs';
import { defaultWorkers } from '../dataset/generate.js';
import { refresh, type RefreshSummary } from '../dataset/refresh.js';
import { requestExitCode } from './exit-code.js';
import { ProgressBar } from './progress.js';
import { interruptOnSignals } from './interrupt.js';

/** Exit code of a refresh that found the dataset current (0: it changed something; errors: 1, 2, 130). */
export const EXIT_NOTHING_TO_DO = 3;

export const command = 'refresh <dir>';
export const describe = 'Bring a dataset up to its target (DIR/target.yaml) and the species catalog: add, supersede and retire samples, rewrite the exports';

export function builder(y: Argv) {
  return y
    .positional('dir', { type: 'string', describe: 'Dataset folder (holds target.yaml and exoray.db)' })
    .option('target', { type: 'string', describe: 'Install this target file as DIR/target.yaml (first refresh, or a new count or species list)' })
    .option('catalog', { type: 'string', describe: 'Species catalog folder (else EXORAY_CATALOG, else the bundled assets/species)' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan (per species: to add, supersede, retire) and change nothing' })
    .option('json', { type: 'boolean', default: false, describe: 'Print a machine-readable summary' })
    .option('workers', { alias: 'w', type: 'number', default: defaultWorkers(), describe: 'Render pages in parallel' })
    .option('chromium', { type: 'string', describe: 'Path of the Chromium executable' })
    .option('gpu', { type: 'boolean', default: false, describe: 'Use a hardware GPU through Chromium instead of SwiftShader' })
    .epilog(`Exit codes: 0 the dataset was changed (or, with --dry-run, would be); ${EXIT_NOTHING_TO_DO} nothing to do; 1 failed; 2 bad usage or target; 130 interrupted (run again to continue).`)
    .example('$0 refresh data/beetles --target target.yaml', 'Create or grow a dataset from a target file')
    .example('$0 refresh data/beetles --dry-run --json', 'What a refresh would do, for CI');
}

export async function handler(argv: { dir: string; target?: string; catalog?: string; dryRun: boolean; json: boolean; workers: number; chromium?: string; gpu: boolean }): Promise<void> {
  const bar = new ProgressBar();
  const interrupt = interruptOnSignals();
  const summary = await refresh({
    dir: argv.dir,
    target: argv.target,
    catalog: argv.catalog,
    dryRun: argv.dryRun,
    workers: argv.workers,
    chromium: argv.chromium,
    gpu: argv.gpu,
    signal: interrupt.signal,
    onProgress: argv.json ? undefined : (p) => bar.update(p),
  }).finally(interrupt.dispose);
  process.stdout.write(argv.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  if (summary.outcome === 'nothing-to-do') requestExitCode(EXIT_NOTHING_TO_DO);
}

export function formatSummary(s: RefreshSummary): string {
  const lines: string[] = [];
  const rows = s.species.filter((sp) => sp.state !== 'unchanged' || s.dryRun);
  if (rows.length > 0) {
    const w = Math.max(7, ...rows.map((r) => r.species.length));
    lines.push(`${'species'.padEnd(w)}  ${'state'.padEnd(9)}  ${'add'.padStart(6)}  ${'supersede'.padStart(9)}  ${'retire'.padStart(6)}  ${'reactivate'.padStart(10)}  ${'active'.padStart(6)}`);
    for (const r of rows) {
      lines.push(
        `${r.species.padEnd(w)}  ${r.state.padEnd(9)}  ${String(r.add).padStart(6)}  ${String(r.supersede).padStart(9)}  ${String(r.retire).padStart(6)}  ${String(r.reactivate).padStart(10)}  ${String(r.active).padStart(6)}`,
      );
    }
  }
  const counts = `${s.added} to add, ${s.superseded} to supersede, ${s.retired} to retire, ${s.reactivated} to reactivate`;
  if (s.outcome === 'nothing-to-do') {
    lines.push(`Nothing to do: ${s.dir} matches its target and the catalog (${s.species.length} species checked in ${s.seconds.toFixed(2)} s).`);
  } else if (s.dryRun) {
    lines.push(`Dry run: ${counts}${s.exports ? '; the label files, report and manifest would be rewritten' : ''}${s.exportsReason ? ` (${s.exportsReason})` : ''}. Nothing was changed.`);
  } else {
    lines.push(`Refreshed ${s.dir} in ${s.seconds.toFixed(1)} s: added ${s.added}, superseded ${s.superseded}, retired ${s.retired}, reactivated ${s.reactivated}${s.exportsReason ? ` (${s.exportsReason})` : ''}; label files, report and manifest rewritten.`);
  }
  return `${lines.join('\n')}\n`;
}
