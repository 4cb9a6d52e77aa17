/**
 * A dataset's target: the spec `exoray refresh` keeps the dataset at, stored
 * with it as target.yaml. It says how many samples each species gets and how
 * they are made; the species themselves come from the catalog, so a new or
 * changed species needs no edit here.
 *
 *   presets: parcel:3,reptile-box:1   # or a list of {name, weight}
 *   samplesPerSpecies: 200
 *   species: all                      # or a list of catalog ids
 *   seed: 1
 *   split: 80/10/10
 *   scanner: { size: 512, model: dual-energy-160kv, views: [top], effects: true }
 *   formats: [coco, yolo]
 *   labelLevel: species
 *   overlays: false
 */
import { readFileSync, existsSync } from 'node:fs';
import yaml from 'js-yaml';
import { ExorayError } from '../core/errors.js';
import type { ViewName } from '../core/types.js';
import { LABEL_LEVELS, type LabelLevel } from '../labels/categories.js';
import { Checker } from '../scene/checker.js';
import { LABEL_FORMATS, type LabelFormat } from './export.js';
import { parsePresetList, type PresetOverrides, type WeightedPreset } from './plan.js';
import { normaliseSplitRatios, parseSplitRatios, type SplitRatios } from './split.js';

export const TARGET_FILE = 'target.yaml';

export interface DatasetTarget {
  presets: WeightedPreset[];
  samplesPerSpecies: number;
  /** 'all': every species in the catalog. */
  species: 'all' | string[];
  seed: number;
  split: SplitRatios;
  scanner: PresetOverrides;
  formats: LabelFormat[];
  labelLevel: LabelLevel;
  overlays: boolean;
}

export function parseTarget(doc: unknown, file: string): DatasetTarget {
  const c = new Checker(file, 'target');
  const root = c.object(doc, '(root)');
  const known = ['presets', 'samplesPerSpecies', 'species', 'seed', 'split', 'scanner', 'formats', 'labelLevel', 'overlays'];
  for (const key of Object.keys(root)) if (!known.includes(key)) c.fail(key, `is not a target field; the fields are ${known.join(', ')}`);

  let presets: WeightedPreset[] = [];
  if (typeof root.presets === 'string') {
    presets = usageAsField(c, 'presets', () => parsePresetList(root.presets as string));
  } else if (Array.isArray(root.presets) && root.presets.length > 0) {
    presets = root.presets.map((p, i) => {
      if (typeof p === 'string') return { name: c.string(p, `presets[${i}]`), weight: 1 };
      const o = c.object(p, `presets[${i}]`);
      return { name: c.string(o.name, `presets[${i}].name`), weight: c.number(o.weight ?? 1, `presets[${i}].weight`, 1e-9) };
    });
  } else {
    c.fail('presets', 'must name at least one scene preset, e.g. "parcel" or "parcel:3,reptile-box:1"');
  }

  let species: DatasetTarget['species'] = 'all';
  if (root.species !== undefined && root.species !== 'all') {
    if (!Array.isArray(root.species) || root.species.length === 0) c.fail('species', 'must be "all" or a non-empty list of catalog ids');
    species = (root.species as unknown[]).map((s, i) => c.string(s, `species[${i}]`));
  }

  const sc = root.scanner === undefined ? {} : c.object(root.scanner, 'scanner');
  const scanner: PresetOverrides = {};
  if (sc.size !== undefined) scanner.size = c.int(sc.size, 'scanner.size', 16, 8192);
  if (sc.model !== undefined) scanner.scanner = c.string(sc.model, 'scanner.model');
  if (sc.views !== undefined) {
    if (!Array.isArray(sc.views) || sc.views.length === 0) c.fail('scanner.views', 'must be [top] or [top, side]');
    scanner.views = (sc.views as unknown[]).map((v, i) => c.oneOf(v, `scanner.views[${i}]`, ['top', 'side'] as const)) as ViewName[];
  }
  if (sc.effects !== undefined) {
    if (typeof sc.effects !== 'boolean') c.fail('scanner.effects', `must be true or false, got ${JSON.stringify(sc.effects)}`);
    scanner.effects = sc.effects as boolean;
  }

  const formats = root.formats === undefined ? ['coco' as const] : (Array.isArray(root.formats) ? root.formats : c.fail('formats', 'must be a list, e.g. [coco, yolo]')).map((f, i) => c.oneOf(f, `formats[${i}]`, LABEL_FORMATS));
  const split =
    root.split === undefined
      ? { train: 0.8, val: 0.1, test: 0.1 }
      : usageAsField(c, 'split', () => (typeof root.split === 'string' ? parseSplitRatios(root.split) : normaliseSplitRatios(c.object(root.split, 'split') as unknown as SplitRatios)));
  if (root.overlays !== undefined && typeof root.overlays !== 'boolean') c.fail('overlays', `must be true or false, got ${JSON.stringify(root.overlays)}`);
  return {
    presets,
    samplesPerSpecies: c.int(root.samplesPerSpecies, 'samplesPerSpecies', 1, 10_000_000),
    species,
    seed: c.int(root.seed ?? 1, 'seed', 0, 2 ** 32 - 1),
    split,
    scanner,
    formats: [...new Set(formats)],
    labelLevel: root.labelLevel === undefined ? 'species' : c.oneOf(root.labelLevel, 'labelLevel', LABEL_LEVELS),
    overlays: (root.overlays as boolean | undefined) ?? false,
  };
}

/** Parsers of the CLI throw E_USAGE about "--flag"; in a target file the field is what is wrong. */
function usageAsField<T>(c: Checker, field: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ExorayError && e.code === 'E_USAGE') c.fail(field, `is wrong: ${e.message}`);
    throw e;
  }
}

export function loadTarget(file: string): DatasetTarget {
  if (!existsSync(file)) {
    throw new ExorayError('E_USAGE', `refresh: no target file ${file}. Write one (see docs/REFRESH.md) or pass it with --target FILE.`);
  }
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(file, 'utf8'), { filename: file });
  } catch (e) {
    throw new ExorayError('E_PRESET', `target ${file} is not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  return parseTarget(doc, file);
}

/**
 * The settings that decide how every sample looks. A dataset keeps them for life:
 * changing one would change every sample, which is a new dataset, not a refresh.
 * samplesPerSpecies and species may change (samples are added or retired).
 */
export function fixedSettings(t: DatasetTarget): Record<string, unknown> {
  return {
    presets: t.presets,
    seed: t.seed,
    split: t.split,
    scanner: { size: t.scanner.size ?? null, model: t.scanner.scanner ?? null, views: t.scanner.views ?? null, effects: t.scanner.effects ?? true },
    overlays: t.overlays,
  };
}
