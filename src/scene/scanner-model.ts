/**
 * Scanner models (scenes/scanners/*.yaml): the instrument a preset images with:
 * beam geometry, tube, filtration, sandwich detector, views and detector
 * effects. Scene presets name one and may override its views and effects.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ExorayError } from '../core/errors.js';
import type { BeamGeometry, DetectorEffectSettings, FilterLayer, SpectralSettings, ViewName } from '../core/types.js';
import { Checker } from './checker.js';

export interface ScannerModel {
  name: string;
  description: string;
  geometry: BeamGeometry;
  /** Top view: source above the belt and detector line below it, metres. */
  sourceHeight: number;
  detectorHeight: number;
  /** Side view: source (on +X) and detector (on -X) distances from the belt's centre line, metres. */
  sideSourceDistance: number;
  sideDetectorDistance: number;
  views: ViewName[];
  /** Used when there is no tube: monochromatic physics at this energy. */
  effectiveEnergyKeV: number;
  spectral?: SpectralSettings;
  effects?: DetectorEffectSettings;
}

export function scannersDir(presetsDir: string): string {
  return path.join(presetsDir, 'scanners');
}

export function listScannerModels(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort() : [];
}

export function loadScannerModel(nameOrPath: string, dir: string): ScannerModel {
  const file = nameOrPath.endsWith('.yaml') || nameOrPath.includes('/') ? nameOrPath : path.join(dir, `${nameOrPath}.yaml`);
  if (!existsSync(file)) {
    throw new ExorayError(
      'E_PRESET',
      `scanner: model "${nameOrPath}" not found (looked for ${file}). Known models: ${listScannerModels(dir).join(', ')}; or give the path of a YAML file.`,
    );
  }
  let doc: unknown;
  try {
    doc = yaml.load(readFileSync(file, 'utf8'), { filename: file });
  } catch (e) {
    throw new ExorayError('E_PRESET', `scanner ${file} is not valid YAML: ${(e as Error).message}`, { cause: e });
  }
  return parseScannerModel(doc, file);
}

function layer(c: Checker, v: unknown, field: string): FilterLayer {
  const o = c.object(v, field);
  return { material: c.string(o.material, `${field}.material`), thicknessMm: c.number(o.thicknessMm, `${field}.thicknessMm`, 0, 100) };
}

export function parseViews(c: Checker, v: unknown, field: string): ViewName[] {
  if (!Array.isArray(v) || v.length === 0) c.fail(field, 'must be a list: [top] or [top, side]');
  const views = v.map((x, i) => c.oneOf(x, `${field}[${i}]`, ['top', 'side'] as const));
  if (views[0] !== 'top' || new Set(views).size !== views.length) c.fail(field, `must be [top] or [top, side], got ${JSON.stringify(v)}`);
  return views;
}

/** Detector effects; with `base`, fields left out keep the base's values (a preset overriding its scanner). */
export function parseEffects(c: Checker, v: unknown, field: string, base?: DetectorEffectSettings): DetectorEffectSettings {
  const o = c.object(v, field);
  const value = (k: keyof DetectorEffectSettings): unknown => (k in o ? o[k] : base?.[k]);
  const num = (k: keyof DetectorEffectSettings, min: number, max: number): number => {
    if (value(k) === undefined) c.fail(`${field}.${k}`, 'is missing');
    return c.number(value(k), `${field}.${k}`, min, max);
  };
  return {
    photonsPerPixel: value('photonsPerPixel') === null ? null : num('photonsPerPixel', 1, 1e9),
    blurSigmaPx: num('blurSigmaPx', 0, 20),
    darkLevel: num('darkLevel', 0, 0.5),
    flatGainSd: num('flatGainSd', 0, 0.5),
    lineGainSd: num('lineGainSd', 0, 0.5),
    saturation: num('saturation', 0.5, 10),
  };
}

export function parseScannerModel(doc: unknown, file: string): ScannerModel {
  const c = new Checker(file, 'scanner');
  const o = c.object(doc, '(root)');
  const model: ScannerModel = {
    name: c.string(o.name, 'name'),
    description: typeof o.description === 'string' ? o.description : '',
    geometry: c.oneOf(o.geometry, 'geometry', ['fan', 'parallel', 'cone'] as const),
    sourceHeight: c.number(o.sourceHeight, 'sourceHeight', 0.2, 10),
    detectorHeight: c.number(o.detectorHeight, 'detectorHeight', -2, 0),
    sideSourceDistance: c.number(o.sideSourceDistance, 'sideSourceDistance', 0.2, 10),
    sideDetectorDistance: c.number(o.sideDetectorDistance, 'sideDetectorDistance', 0.05, 5),
    views: parseViews(c, o.views ?? ['top'], 'views'),
    effectiveEnergyKeV: c.number(o.effectiveEnergyKeV ?? 60, 'effectiveEnergyKeV', 10, 200),
  };
  if (o.tube !== undefined || o.detector !== undefined) {
    const tube = c.object(o.tube, 'tube');
    const det = c.object(o.detector, 'detector');
    if (!Array.isArray(tube.filtration)) c.fail('tube.filtration', 'must be a list of {material, thicknessMm}');
    model.spectral = {
      kVp: c.number(tube.kVp, 'tube.kVp', 20, 450),
      filtration: (tube.filtration as unknown[]).map((f, i) => layer(c, f, `tube.filtration[${i}]`)),
      binWidthKeV: c.number(tube.binWidthKeV ?? 5, 'tube.binWidthKeV', 0.5, 20),
      detector: { front: layer(c, det.front, 'detector.front'), filter: layer(c, det.filter, 'detector.filter'), back: layer(c, det.back, 'detector.back') },
    };
  }
  if (o.effects !== undefined && o.effects !== null) model.effects = parseEffects(c, o.effects, 'effects');
  return model;
}
