/** `exoray generate`: options as data, the work in dataset/generate.ts. */
import type { Argv } from 'yargs';
import { defaultWorkers, generate } from '../dataset/generate.js';
import { ProgressBar } from './progress.js';
import { interruptOnSignals } from './interrupt.js';
import { parseFormats } from '../dataset/export.js';
import { parseSplitRatios } from '../dataset/split.js';
import { parseShard } from '../dataset/shard.js';
import { parseLabelLevel } from '../labels/categories.js';
import { ExorayError } from '../core/errors.js';
import type { ViewName } from '../core/types.js';

export const command = 'generate';
export const describe = 'Generate a labeled dual-energy X-ray dataset: pseudo-colour and raw 16-bit images, labels (COCO, YOLO, VOC), a report and an SQLite database';

export function builder(y: Argv) {
  return y
    .option('count', { alias: 'n', type: 'number', default: 8, describe: 'Number of samples to generate' })
    .option('seed', { alias: 's', type: 'number', default: 1, describe: 'Run seed: same seed and options give the same dataset' })
    .option('out', { alias: 'o', type: 'string', default: 'output/demo', describe: 'Output folder' })
    .option('preset', { alias: 'p', type: 'string', default: 'parcel', describe: 'Scene preset (scenes/*.yaml) or YAML path; several with weights: parcel:3,reptile-box:1' })
    .option('species', { type: 'string', describe: 'Only place these species (comma-separated ids from assets/species/catalog.json)' })
    .option('size', { type: 'number', describe: 'Image width and height in pixels (overrides the preset)' })
    .option('scanner', { type: 'string', describe: 'Scanner model (scenes/scanners/*.yaml or a path), instead of the preset\'s' })
    .option('views', { type: 'string', describe: 'Projections to render: top, or top,side' })
    .option('effects', { type: 'boolean', describe: 'Detector effects (noise, blur, gains); --no-effects for clean images' })
    .option('formats', { type: 'string', default: 'coco', describe: 'Label formats, comma-separated: coco, yolo or yolo-seg, voc' })
    .option('label-level', { type: 'string', default: 'species', describe: 'Label categories: species, family, order or animal' })
    .option('split', { type: 'string', default: '80/10/10', describe: 'Train/val/test ratios (by a hash of each sample id)' })
    .option('workers', { alias: 'w', type: 'number', default: defaultWorkers(), describe: 'Render pages in parallel' })
    .option('chromium', { type: 'string', describe: 'Path of the Chromium executable (else EXORAY_CHROMIUM, PUPPETEER_EXECUTABLE_PATH, system paths)' })
    .option('gpu', { type: 'boolean', default: false, describe: 'Use a hardware GPU through Chromium instead of SwiftShader' })
    .option('overlays', { type: 'boolean', default: false, describe: 'Also write label overlays (masks, contours, boxes) to overlays/' })
    .option('shard', { type: 'string', describe: 'Make only shard I of N (0-based, "I/N") of the run; read from Kubernetes/Slurm/AWS Batch env when absent' })
    .option('shard-count', { type: 'number', describe: 'Shard count for Kubernetes Indexed Jobs (the env gives only JOB_COMPLETION_INDEX)' })
    .option('resume', { type: 'boolean', default: false, describe: 'Continue a stopped run in --out (same options; --count may grow)' })
    .option('overwrite', { type: 'boolean', default: false, describe: 'Replace an existing dataset in --out' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the summary as JSON' })
    .example('$0 generate --count 100 --seed 7 --out output/parcels', 'Generate 100 parcel samples');
}

export async function handler(argv: {
  count: number;
  seed: number;
  out: string;
  preset: string;
  species?: string;
  size?: number;
  scanner?: string;
  views?: string;
  effects?: boolean;
  formats: string;
  labelLevel: string;
  split: string;
  workers: number;
  chromium?: string;
  gpu: boolean;
  overwrite: boolean;
  resume: boolean;
  shard?: string;
  shardCount?: number;
  overlays: boolean;
  json: boolean;
}): Promise<void> {
  const bar = new ProgressBar();
  const interrupt = interruptOnSignals();
  const result = await generate({
    signal: interrupt.signal,
    resume: argv.resume,
    shard: argv.shard === undefined ? undefined : parseShard(argv.shard),
    shardCount: argv.shardCount,
    out: argv.out,
    count: argv.count,
    seed: argv.seed,
    preset: argv.preset,
    species: argv.species?.split(',').map((x) => x.trim()).filter(Boolean),
    size: argv.size,
    scanner: argv.scanner,
    views: argv.views === undefined ? undefined : parseViewList(argv.views),
    effects: argv.effects,
    formats: parseFormats(argv.formats),
    labelLevel: parseLabelLevel(argv.labelLevel),
    split: parseSplitRatios(argv.split),
    workers: argv.workers,
    chromium: argv.chromium,
    gpu: argv.gpu,
    overwrite: argv.overwrite,
    overlays: argv.overlays,
    onProgress: (p) => bar.update(p),
  }).finally(interrupt.dispose);
  if (argv.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    [
      `Generated ${result.made} samples (${result.instances} labelled animals) in ${result.seconds.toFixed(1)} s, ${result.imagesPerSecond.toFixed(2)} images/s` +
        (result.made < result.count ? `; the dataset now holds all ${result.count}.` : '.'),
      `  images:     ${result.out}/images/        (pseudo-colour as screeners see it; greyscale for single-energy scanners)`,
      `  raw:        ${result.out}/raw/           (16-bit low- and high-energy transmission)`,
      `  grey:       ${result.out}/grey/          (8-bit greyscale of the high-energy image)`,
      ...(argv.overlays ? [`  overlays:   ${result.out}/overlays/      (labels drawn over the preview)`] : []),
      `  labels:     ${result.out}/annotations/ (COCO, all and per split)${argv.formats.includes('yolo') ? `, ${result.out}/labels/ + data.yaml (YOLO)` : ''}${argv.formats.includes('voc') ? `, ${result.out}/voc/ (Pascal VOC)` : ''}`,
      `  database:   ${result.dbPath}`,
      '',
    ].join('\n'),
  );
}

function parseViewList(text: string): ViewName[] {
  const views = text.split(',').map((v) => v.trim());
  if (views[0] !== 'top' || views.some((v) => v !== 'top' && v !== 'side') || new Set(views).size !== views.length) {
    throw new ExorayError('E_USAGE', `generate: --views must be "top" or "top,side", got "${text}"`);
  }
  return views as ViewName[];
}
