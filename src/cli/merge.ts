/** `exoray merge OUT SHARD_DIR...`: options as data, the work in dataset/merge.ts. */
import type { Argv } from 'yargs';
import { mergeDatasets } from '../dataset/merge.js';
import { parseFormats } from '../dataset/export.js';
import { parseLabelLevel } from '../labels/categories.js';

export const command = 'merge <out> <shards..>';
export const describe = 'Merge the dataset folders of the shards of one run (exoray generate --shard I/N) into the dataset one machine would have made';

export function builder(y: Argv) {
  return y
    .positional('out', { type: 'string', describe: 'New output folder for the merged dataset' })
    .positional('shards', { type: 'string', array: true, describe: 'The --out folders of the shards, in any order' })
    .option('link', { type: 'boolean', default: false, describe: 'Hard-link the shards\' files instead of copying them (same file system)' })
    .option('formats', { type: 'string', describe: 'Label formats, comma-separated: coco, yolo or yolo-seg, voc (default: those the shards were made with)' })
    .option('label-level', { type: 'string', describe: 'Label categories: species, family, order or animal (default: the shards\')' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the summary as JSON' })
    .example('$0 merge output/parcels shards/0 shards/1 shards/2', 'Merge three shards')
    .example('$0 merge /data/merged /data/shard-*', 'Merge every shard folder');
}

export async function handler(argv: { out: string; shards: string[]; link: boolean; formats?: string; labelLevel?: string; json: boolean }): Promise<void> {
  const result = await mergeDatasets(argv.out, argv.shards.map(String), {
    link: argv.link,
    formats: argv.formats === undefined ? undefined : parseFormats(argv.formats),
    labelLevel: argv.labelLevel === undefined ? undefined : parseLabelLevel(argv.labelLevel),
  });
  if (argv.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const mib = (result.bytes / 2 ** 20).toFixed(1);
  process.stdout.write(
    [
      `Merged ${result.shards.length} shard${result.shards.length === 1 ? '' : 's'} into ${result.out} in ${result.seconds.toFixed(1)} s: ` +
        `${result.samples} samples, ${result.instances} labelled animals, ${result.files} files (${mib} MiB` +
        `${argv.link ? `; ${result.linked} hard-linked, ${result.copied} copied` : ''}).`,
      ...(result.status === 'completed' ? [] : [`  note: not every shard completed; the merged run is marked ${result.status}.`]),
      `  labels:     ${result.formats.join(', ')} at the ${result.labelLevel} level, written from the merged database`,
      `  database:   ${result.dbPath}`,
      '',
    ].join('\n'),
  );
}
