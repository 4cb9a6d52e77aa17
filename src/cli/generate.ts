/** `exoray generate`: options as data, the work in dataset/generate.ts. */
import type { Argv } from 'yargs';
import { defaultWorkers, generate } from '../dataset/generate.js';
import { ProgressBar } from './progress.js';

export const command = 'generate';
export const describe = 'Generate a labeled X-ray dataset: images, raw 16-bit transmission, COCO labels and an SQLite database';

export function builder(y: Argv) {
  return y
    .option('count', { alias: 'n', type: 'number', default: 8, describe: 'Number of samples to generate' })
    .option('seed', { alias: 's', type: 'number', default: 1, describe: 'Run seed: same seed and options give the same dataset' })
    .option('out', { alias: 'o', type: 'string', default: 'output/demo', describe: 'Output folder' })
    .option('preset', { alias: 'p', type: 'string', default: 'parcel', describe: 'Scene preset name (scenes/*.yaml) or path to a YAML file' })
    .option('size', { type: 'number', describe: 'Image width and height in pixels (overrides the preset)' })
    .option('workers', { alias: 'w', type: 'number', default: defaultWorkers(), describe: 'Render pages in parallel' })
    .option('chromium', { type: 'string', describe: 'Path of the Chromium executable (else EXORAY_CHROMIUM, PUPPETEER_EXECUTABLE_PATH, system paths)' })
    .option('gpu', { type: 'boolean', default: false, describe: 'Use a hardware GPU through Chromium instead of SwiftShader' })
    .option('overlays', { type: 'boolean', default: false, describe: 'Also write label overlays (masks, contours, boxes) to overlays/' })
    .option('overwrite', { type: 'boolean', default: false, describe: 'Replace an existing dataset in --out' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the summary as JSON' })
    .example('$0 generate --count 100 --seed 7 --out output/parcels', 'Generate 100 parcel samples');
}

export async function handler(argv: {
  count: number;
  seed: number;
  out: string;
  preset: string;
  size?: number;
  workers: number;
  chromium?: string;
  gpu: boolean;
  overwrite: boolean;
  overlays: boolean;
  json: boolean;
}): Promise<void> {
  const bar = new ProgressBar();
  const result = await generate({
    out: argv.out,
    count: argv.count,
    seed: argv.seed,
    preset: argv.preset,
    size: argv.size,
    workers: argv.workers,
    chromium: argv.chromium,
    gpu: argv.gpu,
    overwrite: argv.overwrite,
    overlays: argv.overlays,
    onProgress: (p) => bar.update(p),
  });
  if (argv.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    [
      `Generated ${result.count} samples (${result.instances} labelled animals) in ${result.seconds.toFixed(1)} s, ${result.imagesPerSecond.toFixed(2)} images/s.`,
      `  images:     ${result.out}/images/        (8-bit preview PNG)`,
      `  raw:        ${result.out}/raw/           (16-bit transmission PNG)`,
      ...(argv.overlays ? [`  overlays:   ${result.out}/overlays/      (labels drawn over the preview)`] : []),
      `  labels:     ${result.cocoPath}`,
      `  database:   ${result.dbPath}`,
      '',
    ].join('\n'),
  );
}
