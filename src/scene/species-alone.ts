/**
 * A scene holding one animal and nothing else, lying on an empty belt in its
 * model's own orientation at the middle of its size range, with the scanner
 * framed on it: how each species is shown on its own (species sheet). Pure.
 */
import type { SceneDescription, ScannerSettings, Vec3 } from '../core/types.js';
import { frameScanner } from './framing.js';
import type { Preset } from './preset.js';
import type { SpeciesForScene } from './sampler.js';

/** Field of view beyond the animal on each side, as a share of its largest extent. */
const MARGIN_SHARE = 0.12;

export interface AloneOptions {
  /** The scanner model that images it. */
  model: Preset['scanner']['model'];
  /** Image size, pixels (square). */
  size: number;
  /** Scene seed (detector noise). */
  seed: number;
}

export function speciesAloneScene(sp: SpeciesForScene, o: AloneOptions): SceneDescription {
  const lengthMm = (sp.sizeMm.min + sp.sizeMm.max) / 2;
  const scale = lengthMm / sp.modelLengthMm;
  const extent = [0, 1, 2].map((k) => (sp.bounds.max[k]! - sp.bounds.min[k]!) * scale) as Vec3;
  // Centred over the belt's middle, resting on it.
  const position: Vec3 = [
    (-(sp.bounds.min[0]! + sp.bounds.max[0]!) / 2) * scale,
    -sp.bounds.min[1]! * scale,
    (-(sp.bounds.min[2]! + sp.bounds.max[2]!) / 2) * scale,
  ];
  const margin = MARGIN_SHARE * Math.max(...extent);
  const scanner: ScannerSettings = frameScanner({ model: { ...o.model, views: ['top'] }, width: o.size, height: o.size, margin }, extent);
  return {
    version: 1,
    seed: o.seed,
    preset: `species:${sp.id}`,
    scanner,
    objects: [
      {
        id: 'animal-0',
        role: 'animal',
        kind: sp.id,
        parts: [{ shape: { type: 'asset', asset: sp.id }, material: '' }],
        position,
        quaternion: [0, 0, 0, 1],
        scale,
        label: { species: sp.id, scientificName: sp.scientificName, commonName: sp.commonName, lengthMm: Math.round(lengthMm * 1000) / 1000 },
      },
    ],
  };
}
