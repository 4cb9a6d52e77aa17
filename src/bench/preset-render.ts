/**
 * Render time of a preset's scenes: each rendered by the renderer `generate` uses
 * (dual-energy output through the scanner's physics), after a warm-up render of one
 * scene; the median of the render calls' own totals.
 */
import type { SpeciesLibrary } from '../dataset/species-library.js';
import type { Renderer } from '../render/renderer.js';
import type { Preset } from '../scene/preset.js';
import { sampleScene } from '../scene/sampler.js';
import type { MaterialLibrary } from '../xray/materials.js';
import { scannerPhysics } from '../xray/scanner-physics.js';
import { median } from './median.js';

export async function renderMedianMs(renderer: Renderer, species: SpeciesLibrary, materials: MaterialLibrary, preset: Preset, count: number): Promise<number> {
  const forScenes = species.forScenes();
  const ms: number[] = [];
  for (let i = 0; i <= count; i++) {
    const scene = sampleScene(preset, forScenes, 2_000_000 + i);
    const physics = scannerPhysics(scene.scanner, materials);
    const result = await renderer.render(scene, { spectral: (m) => physics.spectral(m) });
    // The first scene is a warm-up: its assets and shaders are new to the page.
    if (i > 0) ms.push(result.timings.totalMs);
  }
  return median(ms);
}
