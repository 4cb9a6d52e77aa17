/** `exoray export`: a new dataset of the samples matching a query, in the label formats asked for. */
import type { Argv } from 'yargs';
import { parseFormats } from '../dataset/export.js';
import { exportSubset } from '../dataset/subset.js';
import { parseLabelLevel } from '../labels/categories.js';

export const command = 'export';
export const describe = 'Export the samples matching --where into a new dataset folder (files copied or linked, labels rewritten)';

export function builder(y: Argv) {
  return y
    .option('in', { type: 'string', default: 'output/demo', describe: 'Dataset folder to export from' })
    .option('where', { type: 'string', default: '', describe: 'Search expression (see exoray query), e.g. "difficulty:hidden"' })
    .option('format', { type: 'string', default: 'coco', describe: 'Label formats, comma-separated: coco, yolo or yolo-seg, voc' })
    .option('label-level', { type: 'string', default: 'species', describe: 'Label categories: species, family, order or animal' })
    .option('out', { type: 'string', demandOption: true, describe: 'New folder for the exported dataset' })
    .option('catalog', { type: 'string', describe: 'Species catalog folder of the categories (default: the one the dataset was made with)' })
    .option('link', { type: 'boolean', default: false, describe: 'Hard-link files instead of copying them' });
}

export async function handler(argv: { in: string; where: string; format: string; labelLevel: string; out: string; link: boolean; catalog?: string }): Promise<void> {
  const result = await exportSubset(argv.in, argv.out, {
    where: argv.where,
    formats: parseFormats(argv.format),
    labelLevel: parseLabelLevel(argv.labelLevel),
    link: argv.link,
    catalog: argv.catalog,
  });
  process.stdout.write(`Exported ${result.samples} samples (${result.files} files) into ${result.out}\n`);
}
