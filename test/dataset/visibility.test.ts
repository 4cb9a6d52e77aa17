/**
 * The visibility score from a real render: a beetle alone in an empty box is
 * mostly its own signal; the same beetle under a steel plate is hidden.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SceneDescription, SceneObject } from '../../src/core/types.js';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { instanceLabels } from '../../src/dataset/sample.js';
import { Renderer } from '../../src/render/renderer.js';
import { loadScannerModel, scannersDir } from '../../src/scene/scanner-model.js';
import { presetsDir } from '../../src/scene/preset.js';
import { frameScanner } from '../../src/scene/framing.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { scannerPhysics } from '../../src/xray/scanner-physics.js';
import { DIFFICULTY_THRESHOLDS, difficultyOf, visibilityScore } from '../../src/labels/difficulty.js';

let species: SpeciesLibrary;
let renderer: Renderer;
const lib = loadMaterialLibrary();

beforeAll(async () => {
  species = await SpeciesLibrary.load();
  renderer = await Renderer.launch({ assets: species });
});
afterAll(async () => renderer?.close());

function scene(extra: SceneObject[]): SceneDescription {
  const model = loadScannerModel('dual-energy-160kv', scannersDir(presetsDir()));
  const scanner = frameScanner({ model: { ...model, views: ['top'] }, width: 128, height: 128, margin: 0.01 }, [0.12, 0.06, 0.12]);
  const beetle: SceneObject = {
    id: 'animal-0',
    role: 'animal',
    kind: 'stag-beetle',
    parts: [{ shape: { type: 'asset', asset: 'stag-beetle' }, material: '' }],
    position: [0, 0.02, 0],
    quaternion: [0, 0, 0, 1],
    scale: 1,
    label: { species: 'stag-beetle', scientificName: 'Dorcus titanus', commonName: 'Giant stag beetle', lengthMm: 60 },
  };
  const box: SceneObject = {
    id: 'container',
    role: 'container',
    kind: 'cardboard-box',
    parts: [{ shape: { type: 'hollowBox', size: [0.12, 0.06, 0.12], wall: 0.004 }, material: 'cardboard' }],
    position: [0, 0.03, 0],
    quaternion: [0, 0, 0, 1],
    scale: 1,
  };
  return { version: 1, seed: 3, preset: 'test', scanner, objects: [box, beetle, ...extra] };
}

async function labelsOf(sc: SceneDescription) {
  const physics = scannerPhysics(sc.scanner, lib);
  const keV = physics.meanEnergy('high');
  const render = await renderer.render(sc, { spectral: (m) => physics.spectral(m), visibility: (m) => m.map((x) => lib.linearAttenuation(x, keV)) });
  return instanceLabels(sc, render);
}

describe('visibility score', () => {
  it('a beetle alone in a box is easy; under a steel plate it is hidden', async () => {
    const [alone] = await labelsOf(scene([]));
    expect(alone!.visibility).toBeGreaterThan(0.6);
    expect(alone!.difficulty).toBe('easy');
    const plate: SceneObject = {
      id: 'plate-0',
      role: 'clutter',
      kind: 'plate',
      parts: [{ shape: { type: 'box', size: [0.1, 0.003, 0.1] }, material: 'stainless_steel' }],
      position: [0, 0.045, 0],
      quaternion: [0, 0, 0, 1],
      scale: 1,
    };
    const [hidden] = await labelsOf(scene([plate]));
    expect(hidden!.visibility).toBeLessThan(DIFFICULTY_THRESHOLDS.hard);
    expect(hidden!.difficulty).toBe('hidden');
    // The mask is amodal: the plate does not shrink it.
    expect(hidden!.maskArea).toBe(alone!.maskArea);
  });

  it('levels follow the documented thresholds', () => {
    expect(difficultyOf(0.9)).toBe('easy');
    expect(difficultyOf(DIFFICULTY_THRESHOLDS.easy)).toBe('easy');
    expect(difficultyOf(0.2)).toBe('hard');
    expect(difficultyOf(0.05)).toBe('hidden');
    expect(difficultyOf(null)).toBeNull();
    expect(visibilityScore(1, 0)).toBeNull();
    expect(visibilityScore(2, 1)).toBe(1);
  });
});
