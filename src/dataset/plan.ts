/**
 * Planning a run: which preset and scene each sample index gets. Everything is
 * a pure function of (presets, species, run seed, index), so any subset of
 * indices (a resumed run, a shard) makes exactly the samples a whole run would.
 */
import { ExorayError } from '../core/errors.js';
import { Rng, deriveSeed } from '../core/rng.js';
import type { SceneDescription, ViewName } from '../core/types.js';
import { loadPreset, presetsDir, resolvePresetSpecies, type Preset } from '../scene/preset.js';
import { sampleScene } from '../scene/sampler.js';
import { loadScannerModel, scannersDir } from '../scene/scanner-model.js';
import type { SpeciesLibrary } from './species-library.js';

export interface PresetOverrides {
  /** Square image size in pixels. */
  size?: number;
  /** Scanner model name (scenes/scanners/) or YAML path. */
  scanner?: string;
  views?: ViewName[];
  /** false: no detector effects (noiseless, unblurred images). */
  effects?: boolean;
}

/** The preset with command-line overrides applied (the scene sampler sees only the result). */
export function presetWithOverrides(preset: Preset, o: PresetOverrides = {}): Preset {
  const scanner = { ...preset.scanner, model: { ...preset.scanner.model } };
  if (o.size !== undefined) scanner.width = scanner.height = o.size;
  if (o.scanner !== undefined) scanner.model = loadScannerModel(o.scanner, scannersDir(presetsDir()));
  if (o.views !== undefined) scanner.model.views = o.views;
  if (o.effects === false) delete scanner.model.effects;
  return { ...preset, scanner };
}

export interface WeightedPreset {
  name: string;
  weight: number;
}

/** "parcel" or "parcel:3,reptile-box:1" (weights default to 1). */
export function parsePresetList(text: string): WeightedPreset[] {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new ExorayError('E_USAGE', 'generate: --preset needs a name, e.g. parcel or parcel:3,reptile-box:1');
  return items.map((item) => {
    const m = /^(.+?)(?::([0-9.]+))?$/.exec(item)!;
    const weight = m[2] === undefined ? 1 : Number(m[2]);
    if (!(weight > 0) || !Number.isFinite(weight)) {
      throw new ExorayError('E_USAGE', `generate: preset weight in "${item}" must be a positive number, e.g. parcel:3`);
    }
    return { name: m[1]!, weight };
  });
}

export interface RunPlan {
  presets: Array<{ preset: Preset; weight: number }>;
  species: SpeciesLibrary;
  seed: number;
}

export interface PlanOptions extends PresetOverrides {
  presets: WeightedPreset[];
  /** Only these species are placed (each preset keeps those of its species in the list). */
  species?: string[];
}

export function makePlan(species: SpeciesLibrary, seed: number, o: PlanOptions): RunPlan {
  for (const id of o.species ?? []) species.get(id); // unknown id: a clear error now
  const presets = o.presets.map(({ name, weight }) => {
    const preset = resolvePresetSpecies(presetWithOverrides(loadPreset(name), o), species.ids());
    if (!o.species) return { preset, weight };
    const kept = preset.animals.species.filter((id) => o.species!.includes(id));
    if (kept.length === 0) {
      throw new ExorayError(
        'E_USAGE',
        `generate: preset ${preset.name} places ${preset.animals.species.join(', ')}, none of which is in --species ${o.species.join(',')}; choose species the preset uses, or another preset.`,
      );
    }
    return { preset: { ...preset, animals: { ...preset.animals, species: kept } }, weight };
  });
  for (const { preset } of presets) for (const id of preset.animals.species) species.get(id);
  return { presets, species, seed };
}

/** The preset sample `index` uses (weighted, from its own seed). */
export function presetFor(plan: RunPlan, index: number): Preset {
  if (plan.presets.length === 1) return plan.presets[0]!.preset;
  const rng = new Rng(deriveSeed(plan.seed, 'preset', index));
  return plan.presets[rng.weightedIndex(plan.presets.map((p) => p.weight))]!.preset;
}

/** The scene of sample `index` of a run. */
export function planScene(plan: RunPlan, index: number): SceneDescription {
  return sampleScene(presetFor(plan, index), plan.species.forScenes(), deriveSeed(plan.seed, 'sample', index));
}
