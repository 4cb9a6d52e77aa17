/**
 * Scene presets: YAML files in scenes/ that set every distribution the sampler
 * draws from. Validated on load; errors name the file, the line and the field.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ExorayError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { CLUTTER_KINDS } from './clutter/index.js';
import { CONTAINER_KINDS, type ContainerKind } from './containers/index.js';
import { CONCEALMENT_KINDS, type ConcealmentKind } from './concealment.js';
import { Checker, type Range } from './checker.js';
import { loadScannerModel, parseEffects, parseViews, scannersDir, type ScannerModel } from './scanner-model.js';
import { indexYamlLines, lineOf } from './yaml-lines.js';
import { DEFAULT_POSE_SETTINGS, POSTURES, type PoseSettings, type Posture } from './pose.js';

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
  container: { kind: ContainerKind; material: string; size: { x: Range; y: Range; z: Range }; wall: Range };
  /**
   * Each entry: `count` items drawn uniformly (or, with `fill`, the minimum placed first and
   * the maximum a cap); `weight` sets how often the kind is drawn to reach the fill.
   */
  clutter: Array<{ kind: string; count: Range; weight: number }>;
  /** Share of the interior volume the boxes of everything packed (animals with their concealment, and clutter) should fill; null: counts only. */
  fill: Range | null;
  /** 'physics': contents settled by the physics engine (default); 'boxes': the drop packer of world-aligned boxes. */
  placement: 'physics' | 'boxes';
  animals: {
    /** Species placed; each must be in the catalog. */
    species: string[];
    /** Species placed too when the catalog has them, skipped when it does not. */
    optional: string[];
    count: Range;
    /** Share of scenes with no animal at all (negatives). */
    negativeShare: number;
    /** How each animal is hidden, drawn by weight; empty: all loose. */
    concealment: Array<{ kind: ConcealmentKind; weight: number }>;
  };
  /** Rotation of the bag on the belt about the vertical, degrees; null: square to the belt. */
  belt: { yawDeg: Range } | null;
  /** How animals are posed (absent: DEFAULT_POSE_SETTINGS). */
  pose?: PoseSettings;
  /** Where the preset came from, to point at it in later errors. */
  source?: { file: string; speciesLines: number[] };
}

const PLACEMENTS = ['physics', 'boxes'] as const;

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
  const text = readFileSync(file, 'utf8');
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: file });
  } catch (e) {
    throw new ExorayError('E_PRESET', `preset: ${file} is not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  return parsePreset(doc, file, (model) => loadScannerModel(model, scannersDir(dir)), text);
}

const ROOT_KEYS = ['name', 'description', 'scanner', 'container', 'placement', 'fill', 'clutter', 'animals', 'belt', 'pose'] as const;

/** `text`, when given, is the YAML the document was read from: errors then name the line. */
export function parsePreset(doc: unknown, file: string, scannerModel: (name: string) => ScannerModel, text?: string): Preset {
  const index = text === undefined ? undefined : indexYamlLines(text);
  const c = new Checker(file, 'preset', (field) => (index ? lineOf(index, field) : undefined));
  const root = c.object(doc, '(root)');
  c.knownKeys(root, '(root)', ROOT_KEYS);
  const sc = c.object(root.scanner, 'scanner');
  c.knownKeys(sc, 'scanner', ['model', 'width', 'height', 'margin', 'views', 'effects']);
  const co = c.object(root.container, 'container');
  c.knownKeys(co, 'container', ['kind', 'material', 'size', 'wall']);
  const size = c.object(co.size, 'container.size');
  const an = c.object(root.animals, 'animals');
  c.knownKeys(an, 'animals', ['species', 'optional', 'count', 'negativeShare', 'concealment']);
  if (an.concealment !== undefined && !Array.isArray(an.concealment)) c.fail('animals.concealment', 'must be a list of {kind, weight}');
  if (!Array.isArray(root.clutter)) c.fail('clutter', 'must be a list of {kind, count, weight}');
  if (!Array.isArray(an.species) || an.species.length === 0) c.fail('animals.species', 'must be a non-empty list of species ids');
  if (an.optional !== undefined && !Array.isArray(an.optional)) c.fail('animals.optional', 'must be a list of species ids');
  const species = (an.species as unknown[]).map((s, i) => c.string(s, `animals.species[${i}]`));
  const preset: Preset = {
    name: c.string(root.name, 'name'),
    description: typeof root.description === 'string' ? root.description : '',
    scanner: {
      model: scannerWithOverrides(c, sc, scannerModel(c.string(sc.model, 'scanner.model'))),
      width: c.int(sc.width, 'scanner.width', 16, 8192),
      height: c.int(sc.height, 'scanner.height', 16, 8192),
      margin: c.number(sc.margin ?? 0.02, 'scanner.margin', 0, 1),
    },
    container: {
      kind: c.oneOf(co.kind, 'container.kind', CONTAINER_KINDS),
      material: c.string(co.material, 'container.material'),
      size: {
        x: c.range(size.x, 'container.size.x', 0.05, 2),
        y: c.range(size.y, 'container.size.y', 0.02, 2),
        z: c.range(size.z, 'container.size.z', 0.05, 2),
      },
      wall: c.range(co.wall, 'container.wall', 0.00002, 0.05),
    },
    clutter: (root.clutter as unknown[]).map((item, i) => {
      const o = c.object(item, `clutter[${i}]`);
      c.knownKeys(o, `clutter[${i}]`, ['kind', 'count', 'weight']);
      return {
        kind: c.oneOf(o.kind, `clutter[${i}].kind`, CLUTTER_KINDS),
        count: c.range(o.count, `clutter[${i}].count`, 0, 100, true),
        weight: c.number(o.weight ?? 1, `clutter[${i}].weight`, 0, 1e6),
      };
    }),
    fill: root.fill === undefined ? null : c.range(root.fill, 'fill', 0, 0.9),
    placement: root.placement === undefined ? 'physics' : c.oneOf(root.placement, 'placement', PLACEMENTS),
    animals: {
      species,
      optional: ((an.optional ?? []) as unknown[]).map((s, i) => c.string(s, `animals.optional[${i}]`)),
      count: c.range(an.count, 'animals.count', 0, 64, true),
      negativeShare: c.number(an.negativeShare ?? 0, 'animals.negativeShare', 0, 1),
      concealment: ((an.concealment ?? []) as unknown[]).map((item, i) => {
        const o = c.object(item, `animals.concealment[${i}]`);
        c.knownKeys(o, `animals.concealment[${i}]`, ['kind', 'weight']);
        return {
          kind: c.oneOf(o.kind, `animals.concealment[${i}].kind`, CONCEALMENT_KINDS),
          weight: c.number(o.weight ?? 1, `animals.concealment[${i}].weight`, 0, 1e6),
        };
      }),
    },
    belt: null,
    source: { file, speciesLines: species.map((_, i) => (index ? lineOf(index, `animals.species[${i}]`) ?? 0 : 0)) },
  };
  if (root.belt !== undefined) {
    const b = c.object(root.belt, 'belt');
    c.knownKeys(b, 'belt', ['yaw']);
    preset.belt = { yawDeg: c.range(b.yaw, 'belt.yaw', -180, 180) };
  }
  preset.pose = root.pose === undefined ? { ...DEFAULT_POSE_SETTINGS, postures: { ...DEFAULT_POSE_SETTINGS.postures } } : parsePose(c, root.pose);
  return preset;
}

/**
 * `pose:` of a preset: `enabled`, `noiseDeg`, `morphs`, and `postures` (weights by name;
 * postures not named keep their default weight, 0 switches one off).
 */
function parsePose(c: Checker, raw: unknown): PoseSettings {
  const o = c.object(raw, 'pose');
  c.knownKeys(o, 'pose', ['enabled', 'noiseDeg', 'morphs', 'postures']);
  const flag = (v: unknown, field: string, dflt: boolean): boolean => {
    if (v === undefined) return dflt;
    if (typeof v !== 'boolean') c.fail(field, `must be true or false, got ${JSON.stringify(v)}`);
    return v as boolean;
  };
  const postures = { ...DEFAULT_POSE_SETTINGS.postures };
  if (o.postures !== undefined) {
    const p = c.object(o.postures, 'pose.postures');
    c.knownKeys(p, 'pose.postures', POSTURES);
    for (const [name, w] of Object.entries(p)) postures[name as Posture] = c.number(w, `pose.postures.${name}`, 0, 1e6);
    if (!Object.values(postures).some((w) => w > 0)) c.fail('pose.postures', 'must give at least one posture a positive weight (or set pose.enabled: false)');
  }
  return {
    enabled: flag(o.enabled, 'pose.enabled', DEFAULT_POSE_SETTINGS.enabled),
    noiseDeg: o.noiseDeg === undefined ? DEFAULT_POSE_SETTINGS.noiseDeg : c.number(o.noiseDeg, 'pose.noiseDeg', 0, 30),
    morphs: flag(o.morphs, 'pose.morphs', DEFAULT_POSE_SETTINGS.morphs),
    postures,
  };
}

/**
 * The rule for species ids: every id in `animals.species` must be in the catalog (an
 * error names the file and line otherwise); ids in `animals.optional` join them when the
 * catalog has them and are skipped when it does not, so a preset can name species that
 * are still being added.
 */
export function resolvePresetSpecies(preset: Preset, catalogIds: readonly string[]): Preset {
  preset.animals.species.forEach((id, i) => {
    if (!catalogIds.includes(id)) {
      const line = preset.source?.speciesLines[i];
      const where = preset.source ? `${preset.source.file}${line ? `:${line}` : ''}` : preset.name;
      throw new ExorayError(
        'E_PRESET',
        `preset ${where}: field "animals.species[${i}]" names "${id}", which is not in the species catalog (${catalogIds.join(', ')}); fix the id, or move it to animals.optional to use it only when the catalog has it.`,
      );
    }
  });
  const extra = preset.animals.optional.filter((id) => catalogIds.includes(id) && !preset.animals.species.includes(id));
  if (extra.length === 0) return preset;
  return { ...preset, animals: { ...preset.animals, species: [...preset.animals.species, ...extra] } };
}

/** A preset may choose the views and change or switch off the detector effects of its scanner. */
function scannerWithOverrides(c: Checker, sc: Record<string, unknown>, model: ScannerModel): ScannerModel {
  const out = { ...model };
  if (sc.views !== undefined) out.views = parseViews(c, sc.views, 'scanner.views');
  if (sc.effects === null) delete out.effects;
  else if (sc.effects !== undefined) out.effects = parseEffects(c, sc.effects, 'scanner.effects', model.effects);
  return out;
}
