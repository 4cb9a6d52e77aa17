/**
 * Render time per preset: a few of the preset's scenes, each rendered by the renderer
 * `generate` uses (dual-energy output through the scanner's physics), after a warm-up
 * render; the median of the render calls' own totals.
 */
import type { SpeciesLibrary } from '../dataset/species-library.js';
import { Renderer } from '../render/renderer.js';
import { loadPreset, resolvePresetSpecies } from '../scene/preset.js';
import { sampleScene } from '../scene/sampler.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { scannerPhysics } from '../xray/scanner-physics.js';
import { median } from './median.js';

export interface RenderTiming {
  preset: string;
  medianMs: number;
  scenes: number;
}

export async function timeRendering(species: SpeciesLibrary, perPreset: number, presets: readonly string[]): Promise<RenderTiming[]> {
  const materials = loadMaterialLibrary();
  const renderer = await Renderer.launch({ assets: species, pages: 1 });
  const forScenes = species.forScenes();
  const out: RenderTiming[] = [];
  try {
    for (const name of presets) {
      const preset = resolvePresetSpecies(loadPreset(name), species.ids());
      const scenes = Array.from({ length: perPreset + 1 }, (_, i) => sampleScene(preset, forScenes, 2_000_000 + i));
      const ms: number[] = [];
      for (const [i, scene] of scenes.entries()) {
        const physics = scannerPhysics(scene.scanner, materials);
        const result = await renderer.render(scene, { spectral: (m) => physics.spectral(m) });
        // The first scene of each preset is a warm-up: its assets and shaders are new to the page.
        if (i > 0) ms.push(result.timings.totalMs);
      }
      out.push({ preset: name, medianMs: median(ms), scenes: ms.length });
    }
  } finally {
    await renderer.close();
  }
  return out;
}
