/**
 * Scene presets: YAML files in scenes/ that set every distribution the sampler
 * draws from. Validated on load; errors name the file and the field.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ExorayError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { CLUTTER_KINDS } from './clutter.js';
import { Checker, type Range } from './checker.js';
import { loadScannerModel, parseEffects, parseViews, scannersDir, type ScannerModel } from './scanner-model.js';

export type { Range };

export interface Preset {
  name: string;
  description: string;
  scanner: {
    /** The instrument, with the preset's overrides (views, effects) applied. */
    model: ScannerModel;
    width: number;
    height: number;
    /** Field of view beyond the container on each side, metres. */
    margin: number;
  };
  container: { kind: 'cardboard-box'; material: string; size: { x: Range; y: Range; z: Range }; wall: Range };
  clutter: Array<{ kind: string; count: Range }>;
  animals: { species: string[]; count: Range };
}

export function presetsDir(): string {
  return path.join(packageRoot(), 'scenes');
}

export function listPresets(dir = presetsDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** Loads a preset by name (from scenes/) or by path to a YAML file. */
export function loadPreset(nameOrPath: string, dir = presetsDir()): Preset {
  const file = nameOrPath.endsWith('.yaml') || nameOrPath.includes('/') ? nameOrPath : path.join(dir, `${nameOrPath}.yaml`);
  if (!existsSync(file)) {
    throw new ExorayError(
      'E_PRESET',
      `preset: "${nameOrPath}" not found (looked for ${file}). Known presets: ${listPresets(dir).join(', ')}; or pass the path of a YAML file.`,
    );
  }
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(file, 'utf8'), { filename: file });
  } catch (e) {
    throw new ExorayError('E_PRESET', `preset: ${file} is not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  return parsePreset(doc, file, (model) => loadScannerModel(model, scannersDir(dir)));
}

export function parsePreset(doc: unknown, file: string, scannerModel: (name: string) => ScannerModel): Preset {
  const c = new Checker(file);
  const root = c.object(doc, '(root)');
  const sc = c.object(root.scanner, 'scanner');
  const co = c.object(root.container, 'container');
  const size = c.object(co.size, 'container.size');
  const an = c.object(root.animals, 'animals');
  if (!Array.isArray(root.clutter)) c.fail('clutter', 'must be a list of {kind, count}');
  if (!Array.isArray(an.species) || an.species.length === 0) c.fail('animals.species', 'must be a non-empty list of species ids');
  return {
    name: c.string(root.name, 'name'),
    description: typeof root.description === 'string' ? root.description : '',
    scanner: {
      model: scannerWithOverrides(c, sc, scannerModel(c.string(sc.model, 'scanner.model'))),
      width: c.int(sc.width, 'scanner.width', 16, 8192),
      height: c.int(sc.height, 'scanner.height', 16, 8192),
      margin: c.number(sc.margin ?? 0.02, 'scanner.margin', 0, 1),
    },
    container: {
      kind: c.oneOf(co.kind, 'container.kind', ['cardboard-box'] as const),
      material: c.string(co.material, 'container.material'),
      size: {
        x: c.range(size.x, 'container.size.x', 0.05, 2),
        y: c.range(size.y, 'container.size.y', 0.03, 2),
        z: c.range(size.z, 'container.size.z', 0.05, 2),
      },
      wall: c.range(co.wall, 'container.wall', 0.0005, 0.05),
    },
    clutter: (root.clutter as unknown[]).map((item, i) => {
      const o = c.object(item, `clutter[${i}]`);
      return {
        kind: c.oneOf(o.kind, `clutter[${i}].kind`, CLUTTER_KINDS),
        count: c.range(o.count, `clutter[${i}].count`, 0, 100, true),
      };
    }),
    animals: {
      species: (an.species as unknown[]).map((s, i) => c.string(s, `animals.species[${i}]`)),
      count: c.range(an.count, 'animals.count', 0, 64, true),
    },
  };
}

/** A preset may choose the views and change or switch off the detector effects of its scanner. */
function scannerWithOverrides(c: Checker, sc: Record<string, unknown>, model: ScannerModel): ScannerModel {
  const out = { ...model };
  if (sc.views !== undefined) out.views = parseViews(c, sc.views, 'scanner.views');
  if (sc.effects === null) delete out.effects;
  else if (sc.effects !== undefined) out.effects = parseEffects(c, sc.effects, 'scanner.effects', model.effects);
  return out;
}
