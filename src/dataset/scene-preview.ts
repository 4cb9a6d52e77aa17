/**
 * One scene of a preset, for a quick look without generating a dataset: the
 * SceneDescription `generate` would make for a sample, and its optical and
 * X-ray pictures.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ExorayError } from '../core/errors.js';
import type { SceneDescription } from '../core/types.js';
import { Renderer } from '../render/renderer.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { writeFileAtomic } from './files.js';
import { makePlan, planScene } from './plan.js';
import { SpeciesLibrary } from './species-library.js';
import { xrayImagePng } from './xray-view.js';

export interface SceneChoice {
  /** A preset name from scenes/ or a YAML path. */
  preset: string;
  /** Run seed, as `generate --seed`. */
  seed: number;
  /** Sample index within that run (default 0): the scene is sample `index` of `generate --preset P --seed S`. */
  index?: number;
  /** Image size override, as `generate --size`. */
  size?: number;
  /** Scanner model override, as `generate --scanner`. */
  scanner?: string;
}

function checkWhole(what: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new ExorayError('E_USAGE', `scene: ${what} must be a whole number from 0 to ${max}, got ${v}`);
  }
}

/** The scene of sample `index` of a run with this preset and seed, through the generator's own planning. */
export function chooseScene(species: SpeciesLibrary, c: SceneChoice): SceneDescription {
  checkWhole('--seed', c.seed, 2 ** 32 - 1);
  checkWhole('--index', c.index ?? 0, 2 ** 31 - 1);
  if (c.size !== undefined && (!Number.isInteger(c.size) || c.size < 16 || c.size > 4096)) {
    throw new ExorayError('E_USAGE', `scene: --size must be a whole number of pixels from 16 to 4096, got ${c.size}`);
  }
  const plan = makePlan(species, c.seed, { presets: [{ name: c.preset, weight: 1 }], size: c.size, scanner: c.scanner });
  return planScene(plan, c.index ?? 0);
}

export interface PreviewOptions extends SceneChoice {
  out: string;
  chromium?: string;
  gpu?: boolean;
}

export interface PreviewResult {
  out: string;
  scene: SceneDescription;
  /** Paths of the files written, by kind. */
  files: { optical: string; perspective: string; xray: string; scene: string };
  renderMs: number;
}

/**
 * Writes `<stem>-optical.png` (top view, framed as the X-ray image), `<stem>-perspective.png`
 * (from above and in front), `<stem>-xray.png` (what the screener sees) and `<stem>-scene.json`.
 */
export async function previewScene(o: PreviewOptions): Promise<PreviewResult> {
  const species = await SpeciesLibrary.load();
  const scene = chooseScene(species, o);
  const materials = loadMaterialLibrary();
  try {
    mkdirSync(o.out, { recursive: true });
  } catch (cause) {
    throw new ExorayError('E_OUTPUT', `scene preview: cannot create the folder ${o.out}: ${(cause as Error).message}; choose another --out.`, { cause });
  }
  const stem = `${path.basename(scene.preset)}-seed${o.seed}-${o.index ?? 0}`;
  const files = {
    optical: path.join(o.out, `${stem}-optical.png`),
    perspective: path.join(o.out, `${stem}-perspective.png`),
    xray: path.join(o.out, `${stem}-xray.png`),
    scene: path.join(o.out, `${stem}-scene.json`),
  };
  const renderer = await Renderer.launch({ assets: species, chromium: o.chromium, gpu: o.gpu });
  const t0 = performance.now();
  try {
    const optical = await renderer.renderOptical(scene);
    const perspective = await renderer.renderOptical(scene, { view: 'perspective' });
    const xray = await xrayImagePng(renderer, scene, materials);
    const renderMs = performance.now() - t0;
    await Promise.all([
      writeFileAtomic(files.optical, optical),
      writeFileAtomic(files.perspective, perspective),
      writeFileAtomic(files.xray, xray),
      writeFileAtomic(files.scene, `${JSON.stringify(scene, null, 2)}\n`),
    ]);
    return { out: o.out, scene, files, renderMs: Math.round(renderMs) };
  } finally {
    await renderer.close();
  }
}
