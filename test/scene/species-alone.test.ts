/** One species alone on the belt: the scene the species sheet renders. */
import { describe, expect, it } from 'vitest';
import { computeBounds } from '../../src/geometry/mesh.js';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { presetsDir } from '../../src/scene/preset.js';
import { loadScannerModel, scannersDir } from '../../src/scene/scanner-model.js';
import { speciesAloneScene } from '../../src/scene/species-alone.js';

const model = loadScannerModel('dual-energy-160kv', scannersDir(presetsDir()));

describe('species alone on the belt', () => {
  it('places every catalog species at mid-size, resting on the belt, centred, inside the field', async () => {
    const library = await SpeciesLibrary.load();
    for (const sp of library.forScenes()) {
      const scene = speciesAloneScene(sp, { model, size: 128, seed: 5 });
      expect(scene.objects).toHaveLength(1);
      const animal = scene.objects[0]!;
      expect(animal).toMatchObject({ role: 'animal', kind: sp.id, label: { species: sp.id, scientificName: sp.scientificName } });
      expect(animal.label!.lengthMm).toBeCloseTo((sp.sizeMm.min + sp.sizeMm.max) / 2, 3);
      expect(animal.scale).toBeCloseTo(animal.label!.lengthMm / sp.modelLengthMm, 9);
      // World bounds of the model's real vertices.
      const min = [Infinity, Infinity, Infinity];
      const max = [-Infinity, -Infinity, -Infinity];
      for (const part of library.parts(sp.id)) {
        const b = computeBounds(part.mesh);
        for (let k = 0; k < 3; k++) {
          min[k] = Math.min(min[k]!, b.min[k]! * animal.scale + animal.position[k]!);
          max[k] = Math.max(max[k]!, b.max[k]! * animal.scale + animal.position[k]!);
        }
      }
      expect(min[1]).toBeCloseTo(0, 6);
      expect(min[0]! + max[0]!).toBeCloseTo(0, 6);
      expect(min[2]! + max[2]!).toBeCloseTo(0, 6);
      const s = scene.scanner;
      expect([s.width, s.height, s.views]).toEqual([128, 128, ['top']]);
      expect(max[0]! - min[0]!).toBeLessThan(s.fieldWidth);
      expect(max[2]! - min[2]!).toBeLessThan(s.fieldDepth);
      // Framed on the animal, not on a parcel: it fills a good part of the field.
      expect(Math.max(max[0]! - min[0]!, max[2]! - min[2]!)).toBeGreaterThan(0.6 * s.fieldWidth);
    }
  });

  it('is a pure function of its inputs', async () => {
    const [sp] = (await SpeciesLibrary.load()).forScenes();
    expect(speciesAloneScene(sp!, { model, size: 64, seed: 1 })).toEqual(speciesAloneScene(sp!, { model, size: 64, seed: 1 }));
    expect(speciesAloneScene(sp!, { model, size: 64, seed: 2 }).seed).toBe(2);
  });
});
