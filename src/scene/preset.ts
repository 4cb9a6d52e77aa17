/**
 * Scene presets: YAML files in scenes/ that set every distribution the sampler
 * draws from. Validated on load; errors name the file and the field.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ExorayError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import type { BeamGeometry } from '../core/types.js';
import { CLUTTER_KINDS } from './clutter.js';

export type Range = [number, number];

export interface Preset {
  name: string;
  description: string;
  scanner: {
    geometry: BeamGeometry;
    width: number;
    height: number;
    effectiveEnergyKeV: number;
    sourceHeight: number;
    detectorHeight: number;
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
  return parsePreset(doc, file);
}

class Checker {
  constructor(private readonly file: string) {}

  fail(field: string, message: string): never {
    throw new ExorayError('E_PRESET', `preset ${this.file}: field "${field}" ${message}`);
  }

  object(v: unknown, field: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, `must be a mapping, got ${JSON.stringify(v)}`);
    return v as Record<string, unknown>;
  }

  number(v: unknown, field: string, min = -Infinity, max = Infinity): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `must be a number, got ${JSON.stringify(v)}`);
    if (v < min || v > max) this.fail(field, `must be between ${min} and ${max}, got ${v}`);
    return v;
  }

  int(v: unknown, field: string, min: number, max: number): number {
    const n = this.number(v, field, min, max);
    if (!Number.isInteger(n)) this.fail(field, `must be a whole number, got ${n}`);
    return n;
  }

  string(v: unknown, field: string): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(field, `must be a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  }

  range(v: unknown, field: string, min: number, max: number, integer = false): Range {
    if (!Array.isArray(v) || v.length !== 2) this.fail(field, `must be a [min, max] pair, got ${JSON.stringify(v)}`);
    const a = integer ? this.int(v[0], `${field}[0]`, min, max) : this.number(v[0], `${field}[0]`, min, max);
    const b = integer ? this.int(v[1], `${field}[1]`, min, max) : this.number(v[1], `${field}[1]`, min, max);
    if (a > b) this.fail(field, `has min ${a} above max ${b}`);
    return [a, b];
  }

  oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
    if (!allowed.includes(v as T)) this.fail(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  }
}

export function parsePreset(doc: unknown, file: string): Preset {
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
      geometry: c.oneOf(sc.geometry, 'scanner.geometry', ['parallel', 'cone'] as const),
      width: c.int(sc.width, 'scanner.width', 16, 8192),
      height: c.int(sc.height, 'scanner.height', 16, 8192),
      effectiveEnergyKeV: c.number(sc.effectiveEnergyKeV, 'scanner.effectiveEnergyKeV', 10, 200),
      sourceHeight: c.number(sc.sourceHeight, 'scanner.sourceHeight', 0.2, 10),
      detectorHeight: c.number(sc.detectorHeight, 'scanner.detectorHeight', -1, 0),
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
