/** `exoray render SAMPLE_ID`: render a stored sample again from its SceneDescription, and compare. */
import type { Argv } from 'yargs';
import { ExorayError } from '../core/errors.js';
import type { ViewName } from '../core/types.js';
import { rerenderSample } from '../dataset/rerender.js';

export const command = 'render <sample>';
export const describe = 'Render a stored sample again from its SceneDescription (same or another scanner) and compare it with the stored one';

export function builder(y: Argv) {
  return y
    .positional('sample', { type: 'string', describe: 'Sample id, e.g. s000042' })
    .option('in', { type: 'string', default: 'output/demo', describe: 'Dataset folder' })
    .option('out', { type: 'string', describe: 'Folder for the new files (default DIR/rerender/SAMPLE)' })
    .option('scanner', { type: 'string', describe: 'Render with another scanner model (scenes/scanners/)' })
    .option('views', { type: 'string', describe: 'Projections: top, or top,side' })
    .option('chromium', { type: 'string', describe: 'Path of the Chromium executable' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON' });
}

export async function handler(argv: { sample: string; in: string; out?: string; scanner?: string; views?: string; chromium?: string; json: boolean }): Promise<void> {
  const views = argv.views === undefined ? undefined : (argv.views.split(',').map((v) => v.trim()) as ViewName[]);
  if (views && (views[0] !== 'top' || views.some((v) => v !== 'top' && v !== 'side'))) {
    throw new ExorayError('E_USAGE', `render: --views must be "top" or "top,side", got "${argv.views}"`);
  }
  const result = await rerenderSample(argv.in, argv.sample, { out: argv.out, scanner: argv.scanner, views, chromium: argv.chromium });
  if (argv.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const lines = [`Rendered ${result.sampleId} again into ${result.out}`];
    if (result.sameScanner) {
      lines.push(`  labels:     ${result.labelsIdentical ? 'identical to the stored ones' : 'DIFFER from the stored ones'}`);
      if (result.maxRawDifference !== null) lines.push(`  raw image:  largest difference ${result.maxRawDifference} of 65535 levels`);
    } else {
      lines.push('  with another scanner: not compared with the stored sample');
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (result.sameScanner && result.labelsIdentical === false) {
    throw new ExorayError('E_RENDER', `render: the labels of ${result.sampleId} rendered again differ from the stored ones`);
  }
}
