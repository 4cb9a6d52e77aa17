/**
 * The bundled arthropod models in a real headless Chromium: each loads into the page,
 * its amodal mask matches a CPU rasterisation of its meshes, and the path lengths the
 * L-buffer sums over the image equal each material's volume (cuticle, tissue, and the
 * colony's glass, water and cotton): the X-ray sees shells around cores, as built.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SceneDescription } from '../../src/core/types.js';
import { signedVolume } from '../../src/geometry/mesh.js';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { maskBBox } from '../../src/labels/mask.js';
import { Renderer } from '../../src/render/renderer.js';
import { ARTHROPOD_MODELS } from '../../src/species/arthropod-models.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { ScannerPhysics } from '../../src/xray/scanner-physics.js';
import { rasterize } from '../helpers/rasterize.js';

let species: SpeciesLibrary;
let renderer: Renderer;

beforeAll(async () => {
  species = await SpeciesLibrary.load();
  renderer = await Renderer.launch({ assets: species, timeoutMs: 60_000 });
}, 120_000);

afterAll(async () => {
  await renderer?.close();
});

/**
 * The model at its stored size, resting on the belt, seen from above by a parallel beam:
 * 0.5 mm pixels, 0.1 mm for the ant colony, whose 0.2 mm ant legs would otherwise be
 * sampled too coarsely for their volume to add up.
 */
function sceneOf(id: string): SceneDescription {
  const b = species.forScenes().find((s) => s.id === id)!.bounds;
  const pixel = id === 'harvester-ant-colony' ? 0.0001 : 0.0005;
  const fieldWidth = b.max[0] - b.min[0] + 0.01;
  const fieldDepth = b.max[2] - b.min[2] + 0.01;
  const height = Math.round(fieldDepth / pixel);
  return {
    version: 1,
    seed: 0,
    preset: 'test',
    scanner: { geometry: 'parallel', width: Math.round(fieldWidth / pixel), height, fieldWidth, fieldDepth, sourceHeight: 1, detectorHeight: -0.01, effectiveEnergyKeV: 60 },
    objects: [
      {
        id: 'animal-0',
        role: 'animal',
        kind: id,
        parts: [{ shape: { type: 'asset', asset: id }, material: '' }],
        position: [-(b.min[0] + b.max[0]) / 2, -b.min[1], -(b.min[2] + b.max[2]) / 2],
        quaternion: [0, 0, 0, 1],
        scale: 1,
      },
    ],
  };
}

describe('bundled arthropods render (headless WebGL)', () => {
  it.each(ARTHROPOD_MODELS.map((m) => m.id))('%s: mask matches its meshes, path lengths add up to its volumes, it attenuates', async (id) => {
    const sc = sceneOf(id);
    const s = sc.scanner;
    const physics = ScannerPhysics.monochromatic(60, loadMaterialLibrary());
    const out = await renderer.render(sc, { spectral: (m) => physics.spectral(m), pathLengths: true });
    const parts = species.parts(id);
    const offset = sc.objects[0]!.position;

    // Mask against a CPU rasterisation of every part.
    const reference = new Uint8Array(s.width * s.height);
    for (const p of parts) {
      const world = new Float64Array(p.mesh.positions.length);
      for (let i = 0; i < world.length; i++) world[i] = p.mesh.positions[i]! + offset[i % 3]!;
      rasterize(world, p.mesh.indices, s, reference);
    }
    const mask = out.masks[0]!;
    let inter = 0, union = 0;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i] && reference[i]) inter++;
      if (mask[i] || reference[i]) union++;
    }
    expect(inter / union).toBeGreaterThan(0.9);
    // [x, y, width, height]: the model fills the field but for the 5 mm margin on each side
    // (less up to 2 mm of needle-thin tips, a claw or an antenna, that cover no pixel centre).
    const [, , w, h] = maskBBox(mask, s.width, s.height)!;
    const margin = 0.014 / (s.fieldWidth / s.width);
    expect(w).toBeGreaterThan(s.width - margin);
    expect(h).toBeGreaterThan(s.height - margin);

    // Each material's path lengths summed over the image, times the pixel area, is its volume.
    const pixelArea = (s.fieldWidth / s.width) * (s.fieldDepth / s.height);
    const volumes = new Map<string, number>();
    for (const p of parts) volumes.set(p.material, (volumes.get(p.material) ?? 0) + signedVolume(p.mesh));
    expect([...volumes.keys()]).toEqual(expect.arrayContaining(['arthropod_cuticle', 'soft_tissue']));
    for (const [material, volume] of volumes) {
      const c = out.materials.indexOf(material);
      expect(c, material).toBeGreaterThanOrEqual(0);
      let sum = 0;
      // Path lengths come in centimetres.
      for (const v of out.pathLengths[c]!) sum += v / 100;
      expect((sum * pixelArea) / volume, material).toBeGreaterThan(0.98);
      expect((sum * pixelArea) / volume, material).toBeLessThan(1.02);
    }

    // Where the body is, the beam is attenuated; outside the mask it is not.
    let darkest = 65535;
    let shadowOutside = 0;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i]) darkest = Math.min(darkest, out.high![i]!);
      else if (out.high![i]! !== 65535) shadowOutside++;
    }
    expect(shadowOutside).toBe(0);
    expect(darkest).toBeLessThan(0.95 * 65535);
  }, 120_000);
});
