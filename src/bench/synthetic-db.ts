/**
 * The synthetic dataset of `npm run bench:db`: sample records as a run would insert them (no
 * rendering), deterministic from the sample index. 14 species, 1-3 animals per sample, four
 * presets, splits 80/10/10; a scene JSON of the size a real sample stores.
 */
import { Rng, deriveSeed } from '../core/rng.js';
import type { SceneDescription, SceneObject } from '../core/types.js';
import type { SpeciesSnapshot } from '../db/database.js';
import { formatSampleId, type SampleRecord } from '../db/records.js';
import { difficultyOf } from '../labels/difficulty.js';

export const SYNTHETIC_SPECIES: SpeciesSnapshot[] = Array.from({ length: 14 }, (_, i) => ({
  id: `species-${i}`,
  scientificName: `Genus${i} species${i}`,
  commonNames: { en: i % 2 ? `Giant beetle ${i}` : `Spotted lizard ${i}`, zh: `动物${i}` },
  taxonomy: { class: i % 2 ? 'Insecta' : 'Reptilia', order: i % 2 ? 'Coleoptera' : 'Squamata', family: `Family${i % 5}` },
  cites: i % 3 ? null : 'II',
  tags: [i % 2 ? 'beetle' : 'lizard'],
}));
const PRESETS = ['parcel', 'reptile-box', 'suitcase', 'backpack'];
const SPLITS = ['train', 'train', 'train', 'train', 'train', 'train', 'train', 'train', 'val', 'test'];

// What every record has the same, made once (shared, never changed): the benchmark times the
// insert path, and a million copies of these were a tenth of its CPU time in garbage.
const CONTAINER: SceneObject = Object.freeze({
  id: 'container', role: 'container', kind: 'cardboard-box', parts: [{ shape: { type: 'hollowBox', size: [0.3, 0.15, 0.25], wall: 0.004 }, material: 'cardboard' }], position: [0, 0.075, 0], quaternion: [0, 0, 0, 1], scale: 1,
}) as SceneObject;
const SCANNER: SceneDescription['scanner'] = Object.freeze({ geometry: 'fan', width: 512, height: 512, fieldWidth: 0.5, fieldDepth: 0.5, sourceHeight: 0.95, detectorHeight: -0.03, effectiveEnergyKeV: 60 });
const MASK_RLE = Object.freeze({ size: [512, 512] as [number, number], counts: 'PPY16k?2O1O1N2N2M3M3L4L5K5K6J6J7I7I8H8H9G' });
const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

export function syntheticRecord(index: number, runId: number): SampleRecord {
  const rng = new Rng(deriveSeed(7, index));
  const animals = rng.int(1, 3);
  const objects: SceneObject[] = [CONTAINER];
  const instances = [];
  for (let k = 0; k < animals; k++) {
    const sp = SYNTHETIC_SPECIES[rng.int(0, SYNTHETIC_SPECIES.length - 1)]!;
    objects.push({
      id: `animal-${k}`,
      role: 'animal',
      kind: sp.id,
      parts: [{ shape: { type: 'asset', asset: sp.id }, material: '' }],
      position: [rng.uniform(-0.1, 0.1), 0.03, rng.uniform(-0.1, 0.1)],
      quaternion: rng.quaternion(),
      scale: 1,
      label: { species: sp.id, scientificName: sp.scientificName, commonName: sp.commonNames.en!, lengthMm: 50 },
    });
    const visibility = Math.round(rng.next() * 1e4) / 1e4;
    instances.push({
      instanceIndex: k,
      objectId: `animal-${k}`,
      species: sp.id,
      scientificName: sp.scientificName,
      bbox: [rng.int(0, 400), rng.int(0, 400), rng.int(10, 100), rng.int(10, 100)] as [number, number, number, number],
      maskArea: rng.int(100, 5000),
      maskRle: MASK_RLE,
      lengthMm: 50,
      visibility,
      difficulty: difficultyOf(visibility),
    });
  }
  const scene: SceneDescription = {
    version: 1,
    seed: deriveSeed(7, 'sample', index),
    preset: PRESETS[rng.int(0, PRESETS.length - 1)]!,
    scanner: SCANNER,
    objects,
  };
  const id = formatSampleId(index);
  return {
    id,
    runId,
    sampleIndex: index,
    scene,
    split: SPLITS[rng.int(0, SPLITS.length - 1)]!,
    imagePath: `images/${id}.png`,
    imageSha256: SHA_A,
    rawPath: `raw/${id}-high.png`,
    rawSha256: SHA_B,
    renderMs: 100,
    instances,
    files: [
      { view: 'top', kind: 'image', path: `images/${id}.png`, sha256: SHA_A },
      { view: 'top', kind: 'high', path: `raw/${id}-high.png`, sha256: SHA_B },
    ],
  };
}
