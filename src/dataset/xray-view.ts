/**
 * The X-ray image a screener sees of one scene, made exactly as `generate`
 * makes it (GPU transmission, detector effects seeded from the scene, pseudo-colour),
 * as PNG bytes: for previews and the species sheet, where no dataset is written.
 */
import type { SceneDescription, ViewName } from '../core/types.js';
import type { Renderer } from '../render/renderer.js';
import type { MaterialLibrary } from '../xray/materials.js';
import { scannerPhysics } from '../xray/scanner-physics.js';
import { detectorImages } from './imaging.js';
import { encodePng } from './png.js';

/** Pseudo-colour PNG of a dual-energy scanner's view; 8-bit greyscale for a single-energy one. */
export async function xrayImagePng(renderer: Renderer, scene: SceneDescription, materials: MaterialLibrary, view: ViewName = 'top'): Promise<Buffer> {
  const physics = scannerPhysics(scene.scanner, materials);
  const render = await renderer.render(scene, { view, spectral: (m) => physics.spectral(m) });
  const images = detectorImages(render, scene.scanner, physics, materials, scene.seed, view);
  // The same encoder and settings as the dataset's images, so the bytes are those of `generate`.
  return images.colour ? encodePng('rgb', images.colour, images.width, images.height) : encodePng('grey', images.grey, images.width, images.height);
}
