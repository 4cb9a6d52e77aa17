/**
 * The scene of a refreshed sample: a pure function of (target presets, target
 * seed, species, k). Nothing about other species enters it, which is what keeps
 * every existing sample unchanged when a species is added.
 */
import { Rng, deriveSeed } from '../core/rng.js';
import type { SceneDescription } from '../core/types.js';
import type { Preset } from '../scene/preset.js';
import { sampleScene, type SpeciesForScene } from '../scene/sampler.js';

export interface WeightedScenePreset {
  preset: Preset;
  weight: number;
}

/**
 * The presets that place `species` (it is in their animals list), or all of the
 * target's presets when none does (a species new to the catalog is in no preset yet).
 */
export function presetsFor(presets: readonly WeightedScenePreset[], species: string): readonly WeightedScenePreset[] {
  const listing = presets.filter((p) => p.preset.animals.species.includes(species));
  return listing.length > 0 ? listing : presets;
}

export function refreshScene(presets: readonly WeightedScenePreset[], species: readonly SpeciesForScene[], seed: number, id: string, k: number): SceneDescription {
  const candidates = presetsFor(presets, id);
  const rng = new Rng(deriveSeed(seed, 'refresh-preset', id, k));
  const chosen = candidates.length === 1 ? candidates[0]! : candidates[rng.weightedIndex(candidates.map((p) => p.weight))]!;
  // Every animal of the sample is of its species: the sample is that species' data.
  const preset: Preset = { ...chosen.preset, animals: { ...chosen.preset.animals, species: [id] } };
  return sampleScene(preset, species.filter((s) => s.id === id), deriveSeed(seed, 'refresh-sample', id, k));
}
