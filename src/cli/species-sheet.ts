/** `exoray species sheet --out FILE`: a contact sheet of every species in the catalog, optical and X-ray. */
import type { Argv } from 'yargs';
import { speciesSheet } from '../dataset/species-sheet.js';
import { resolveCatalogDir } from '../species/import/catalog-store.js';

export const command = 'sheet';
export const describe = 'Draw every species of the catalog (optical views and X-ray image, with names) into one PNG';

export function builder(y: Argv) {
  return y
    .option('out', { alias: 'o', type: 'string', default: 'docs/images/species-sheet.png', describe: 'PNG file to write' })
    .option('size', { type: 'number', default: 256, describe: 'Side of each picture, pixels' })
    .option('columns', { type: 'number', default: 2, describe: 'Species per row' })
    .option('scanner', { type: 'string', describe: 'Scanner model for the X-ray pictures (default dual-energy-160kv)' })
    .option('seed', { type: 'number', default: 1, describe: 'Seed of the detector noise' })
    .option('chromium', { type: 'string', describe: 'Path of the Chromium executable' })
    .option('gpu', { type: 'boolean', default: false, describe: 'Use a hardware GPU through Chromium instead of SwiftShader' })
    .option('catalog', { type: 'string', describe: 'Catalog directory (default $EXORAY_CATALOG, else the bundled assets/species)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' })
    .example('$0 species sheet --out docs/images/species-sheet.png', 'The sheet in the docs')
    .example('$0 species sheet --catalog my-species --out my-species.png', 'The species imported into a catalog of your own');
}

export async function handler(argv: {
  out: string;
  size: number;
  columns: number;
  scanner?: string;
  seed: number;
  chromium?: string;
  gpu: boolean;
  catalog?: string;
  json: boolean;
}): Promise<void> {
  const result = await speciesSheet({
    file: argv.out,
    panel: argv.size,
    columns: argv.columns,
    scanner: argv.scanner,
    seed: argv.seed,
    chromium: argv.chromium,
    gpu: argv.gpu,
    catalogDir: resolveCatalogDir(argv.catalog),
  });
  process.stdout.write(
    argv.json
      ? `${JSON.stringify(result, null, 2)}\n`
      : `Wrote ${result.file} (${result.width} x ${result.height}): ${result.species.length} models (${result.species.join(', ')}), rendered in ${result.renderMs} ms\n`,
  );
}
