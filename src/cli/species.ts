/**
 * `exoray species add|list|inspect|remove|sheet`: the species catalog from the command line.
 * The work is in src/species/import/; this file parses options and prints.
 */
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { ExorayError } from '../core/errors.js';
import { BODY_PLANS, CITES_APPENDICES, SPECIES_ORIENTATIONS, type BodyPlan, type CitesAppendix, type SpeciesOrientation } from '../species/catalog.js';
import { removeSpecies, resolveCatalogDir } from '../species/import/catalog-store.js';
import { formatAddResult, formatInspect, formatList } from '../species/import/format.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_TRIANGLES } from '../species/import/defaults.js';
import { inspectSpecies, listSpecies } from '../species/import/inspect.js';
import { UNIT_METRES, type SourceUnit } from '../species/import/normalise.js';
import * as sheetCommand from './species-sheet.js';

export const command = 'species <command>';
export const describe = 'The species catalog: add (import a glTF model), list, inspect, remove, sheet (contact sheet)';

const catalogOption = {
  type: 'string',
  describe: 'Catalog directory (default $EXORAY_CATALOG, else the bundled assets/species)',
} as const;

function print(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text);
}

/** "40-90" or "60" (mm) to a range. */
export function parseSizeMm(text: string): { min: number; max: number } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*$/.exec(text);
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(min > 0) || !(max >= min)) {
    throw new ExorayError('E_USAGE', `--size-mm "${text}" must be MIN-MAX in millimetres with 0 < MIN <= MAX (e.g. 40-90), or one length`);
  }
  return { min, max };
}

interface AddArgs {
  file: string;
  id: string;
  name: string;
  common?: string;
  'size-mm'?: string;
  class?: string;
  order?: string;
  family?: string;
  cites?: CitesAppendix;
  'body-plan'?: BodyPlan;
  orientation?: SpeciesOrientation;
  tag?: string[];
  materials?: string;
  'max-triangles': number;
  'max-bytes': number;
  up: 'y' | 'z';
  unit: SourceUnit;
  catalog?: string;
  validate: boolean;
  'cap-openings': boolean;
  'skip-unrepairable': boolean;
  'joint-limit'?: number;
  'joint-limits'?: string;
  json: boolean;
}

function addBuilder(y: Argv) {
  return y
    .positional('file', { type: 'string', demandOption: true, describe: 'The model: .glb, or .gltf with its external buffers and textures beside it' })
    .option('id', { type: 'string', demandOption: true, describe: 'Catalog id, kebab-case (e.g. dynastes-hercules)' })
    .option('name', { type: 'string', demandOption: true, describe: 'Scientific name' })
    .option('common', { type: 'string', describe: 'English common name (default: the scientific name)' })
    .option('size-mm', { type: 'string', describe: 'Real body length range MIN-MAX in mm; the model is scaled to the middle (default: its own size)' })
    .option('class', { type: 'string', describe: 'Taxonomic class (also picks the body plan: Insecta, Arachnida, Reptilia, ...)' })
    .option('order', { type: 'string', describe: 'Taxonomic order' })
    .option('family', { type: 'string', describe: 'Taxonomic family' })
    .option('cites', { choices: CITES_APPENDICES, describe: 'CITES appendix, when listed' })
    .option('body-plan', { choices: BODY_PLANS, describe: 'Body plan (steers material rules: an arthropod leg is cuticle)' })
    .option('orientation', { choices: SPECIES_ORIENTATIONS, default: 'any' as SpeciesOrientation, describe: 'How it may be turned when placed' })
    .option('tag', { type: 'string', array: true, describe: 'Tags (repeatable; default "imported")' })
    .option('materials', { type: 'string', describe: 'Mapping file (.json or .yaml): {"glTF material/mesh name or glob*": "exoray material id"}' })
    .option('max-triangles', { type: 'number', default: DEFAULT_MAX_TRIANGLES, describe: 'Triangle budget; larger models are simplified (meshoptimizer)' })
    .option('max-bytes', { type: 'number', default: DEFAULT_MAX_BYTES, describe: 'Refuse models (with external files) larger than this' })
    .option('up', { choices: ['y', 'z'] as const, default: 'y' as const, describe: 'Up axis of the model (glTF: y; many scans: z)' })
    .option('unit', { choices: Object.keys(UNIT_METRES) as SourceUnit[], default: 'm' as SourceUnit, describe: 'Source unit when --size-mm is not given' })
    .option('catalog', catalogOption)
    .option('validate', { type: 'boolean', default: false, describe: 'Also run the Khronos glTF validator on the file and report its findings' })
    .option('cap-openings', {
      type: 'boolean',
      default: true,
      describe: 'Cap openings larger than small holes when the cap does not fold (halves of mirrored models, parts pressed into others); --no-cap-openings refuses them',
    })
    .option('skip-unrepairable', {
      type: 'boolean',
      default: false,
      describe: 'Leave out (and report) parts that cannot be made closed volumes instead of refusing the model',
    })
    .option('joint-limit', { type: 'number', describe: 'Joint limits of a skinned model: +- degrees on every axis of every joint (default 20)' })
    .option('joint-limits', { type: 'string', describe: 'Joint limits and roles by joint name (.json or .yaml: {default: 25, joints: {tail: {x: [-30, 30], y: [-45, 45], z: [0, 0], role: axial}}})' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the entry and import report as JSON' })
    .example('$0 species add hercules.glb --id dynastes-hercules --name "Dynastes hercules" --size-mm 50-170 --class Insecta', 'Import a beetle')
    .example('$0 species add gecko.gltf --id gecko --name "Gekko gecko" --up z --materials gecko-materials.yaml --catalog my-species', 'Into a catalog of your own');
}

async function addHandler(argv: AddArgs): Promise<void> {
  if (!(argv['max-triangles'] >= 4)) throw new ExorayError('E_USAGE', `--max-triangles ${argv['max-triangles']} must be at least 4`);
  if (!(argv['max-bytes'] > 0)) throw new ExorayError('E_USAGE', `--max-bytes ${argv['max-bytes']} must be positive`);
  const catalogDir = resolveCatalogDir(argv.catalog);
  // Loaded here: the decoders, simplifier and validator would slow every other command's start.
  const { addSpeciesFromFile } = await import('../species/import/add-species.js');
  const result = await addSpeciesFromFile({
    file: argv.file,
    catalogDir,
    id: argv.id,
    scientificName: argv.name,
    ...(argv.common ? { commonName: argv.common } : {}),
    ...(argv['size-mm'] !== undefined ? { sizeMm: parseSizeMm(argv['size-mm']) } : {}),
    taxonomy: {
      ...(argv.class ? { class: argv.class } : {}),
      ...(argv.order ? { order: argv.order } : {}),
      ...(argv.family ? { family: argv.family } : {}),
    },
    cites: argv.cites ?? null,
    ...(argv['body-plan'] ? { bodyPlan: argv['body-plan'] } : {}),
    orientation: argv.orientation,
    ...(argv.tag ? { tags: argv.tag } : {}),
    ...(argv.materials ? { materialsFile: argv.materials } : {}),
    maxTriangles: Math.floor(argv['max-triangles']),
    maxBytes: argv['max-bytes'],
    up: argv.up,
    unit: argv.unit,
    validate: argv.validate,
    capOpenings: argv['cap-openings'],
    skipUnrepairable: argv['skip-unrepairable'],
    ...(argv['joint-limit'] !== undefined ? { jointLimitDeg: argv['joint-limit'] } : {}),
    ...(argv['joint-limits'] ? { jointLimitsFile: argv['joint-limits'] } : {}),
  });
  const { modelPath: _, ...entry } = result.entry;
  print(argv.json, { entry, report: result.report, bodyPlanReason: result.bodyPlanReason, validation: result.validation ?? null }, formatAddResult(result, join(catalogDir, 'catalog.json')));
}

export function builder(y: Argv) {
  return y
    .command('add <file>', 'Import a glTF model (.glb/.gltf) as a species: normalised, repaired, simplified, materials mapped', addBuilder as any, addHandler as any)
    .command(
      'list',
      'List the species of a catalog (and whether each model file changed)',
      (a: Argv) => a.option('catalog', catalogOption).option('json', { type: 'boolean', default: false }),
      async (argv: { catalog?: string; json: boolean }) => {
        const { file, species } = await listSpecies(resolveCatalogDir(argv.catalog));
        print(argv.json, { catalog: file, species }, formatList(file, species));
      },
    )
    .command(
      'inspect <id>',
      'Show a species: metadata, parts, materials, triangles, size, model hash',
      (a: Argv) => a.positional('id', { type: 'string', demandOption: true }).option('catalog', catalogOption).option('json', { type: 'boolean', default: false }),
      async (argv: { id: string; catalog?: string; json: boolean }) => {
        const info = await inspectSpecies(resolveCatalogDir(argv.catalog), argv.id);
        print(argv.json, info, formatInspect(info));
      },
    )
    .command(
      'remove <id>',
      'Remove a species from the catalog (its model file too, when the catalog imported it)',
      (a: Argv) => a.positional('id', { type: 'string', demandOption: true }).option('catalog', catalogOption).option('json', { type: 'boolean', default: false }),
      async (argv: { id: string; catalog?: string; json: boolean }) => {
        const removed = await removeSpecies(resolveCatalogDir(argv.catalog), argv.id);
        const text = `Removed "${argv.id}" from the catalog${removed.deletedModel ? `; deleted ${removed.deletedModel}` : `; kept its model ${removed.entry.modelPath}`}\n`;
        print(argv.json, { id: argv.id, deletedModel: removed.deletedModel }, text);
      },
    )
    .command(sheetCommand as any)
    .demandCommand(1, 'Name a species command: add, list, inspect, remove or sheet');
}

export function handler(): void {
  // The subcommands do the work.
}
