/**
 * The species sheet: every species in the catalog, each alone on an empty belt,
 * seen by eye (from above and in front, and straight down) and by the scanner
 * (the pseudo-colour image `generate` would make), labelled with its names.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { ExorayError } from '../core/errors.js';
import { deriveSeed } from '../core/rng.js';
import { Renderer } from '../render/renderer.js';
import { presetsDir } from '../scene/preset.js';
import { loadScannerModel, scannersDir } from '../scene/scanner-model.js';
import { speciesAloneScene } from '../scene/species-alone.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { writeFileAtomic } from './files.js';
import { SpeciesLibrary } from './species-library.js';
import { sheetTextSvg, speciesSheetLayout, type SheetCaption } from './species-sheet-layout.js';
import { xrayImagePng } from './xray-view.js';

export interface SpeciesSheetOptions {
  /** The PNG to write. */
  file: string;
  /** Side of each picture, pixels (default 256). */
  panel?: number;
  /** Species cards per row (default 2). */
  columns?: number;
  /** Scanner model for the X-ray pictures (default dual-energy-160kv). */
  scanner?: string;
  /** Seed of the detector noise (default 1). */
  seed?: number;
  /** Species catalog folder (default the bundled one). */
  catalogDir?: string;
  chromium?: string;
  gpu?: boolean;
}

export interface SpeciesSheetResult {
  file: string;
  species: string[];
  width: number;
  height: number;
  renderMs: number;
}

const BACKGROUND = { r: 24, g: 24, b: 27 };
const PANEL_TITLES = ['optical, from above and in front', 'optical, top view', 'X-ray, top view'];

export async function speciesSheet(o: SpeciesSheetOptions): Promise<SpeciesSheetResult> {
  const panel = o.panel ?? 256;
  const columns = o.columns ?? 2;
  if (!Number.isInteger(panel) || panel < 64 || panel > 1024) {
    throw new ExorayError('E_USAGE', `species sheet: --size must be a whole number of pixels from 64 to 1024, got ${panel}`);
  }
  if (!Number.isInteger(columns) || columns < 1 || columns > 8) {
    throw new ExorayError('E_USAGE', `species sheet: --columns must be a whole number from 1 to 8, got ${columns}`);
  }
  const species = await SpeciesLibrary.load(o.catalogDir);
  const entries = species.entries();
  if (entries.length === 0) throw new ExorayError('E_ASSET', 'species sheet: the species catalog is empty; add species to assets/species/catalog.json.');
  const model = loadScannerModel(o.scanner ?? 'dual-energy-160kv', scannersDir(presetsDir()));
  const materials = loadMaterialLibrary();
  const layout = speciesSheetLayout(entries.length, panel, PANEL_TITLES.length, columns);
  const pictures: OverlayOptions[] = [];
  const captions: SheetCaption[] = [];
  const renderer = await Renderer.launch({ assets: species, chromium: o.chromium, gpu: o.gpu });
  const t0 = performance.now();
  try {
    for (const [k, sp] of species.forScenes().entries()) {
      const entry = entries[k]!;
      const scene = speciesAloneScene(sp, { model, size: panel, seed: deriveSeed(o.seed ?? 1, 'species-sheet', sp.id) });
      const images = [
        await renderer.renderOptical(scene, { view: 'perspective' }),
        await renderer.renderOptical(scene),
        await xrayImagePng(renderer, scene, materials),
      ];
      images.forEach((png, j) => pictures.push({ input: Buffer.from(png), ...layout.picture(k, j) }));
      const taxonomy = `${entry.taxonomy.order}, ${entry.taxonomy.family}`;
      const cites = entry.cites ? ` · CITES ${entry.cites}` : '';
      captions.push({
        scientificName: entry.scientificName,
        commonName: entry.commonNames.en,
        details: `${entry.id} · shown at ${scene.objects[0]!.label!.lengthMm} mm (${entry.sizeMm.min}-${entry.sizeMm.max} mm) · ${taxonomy}${cites}`,
      });
    }
  } finally {
    await renderer.close();
  }
  const renderMs = performance.now() - t0;
  const speciesCount = new Set(entries.map((e) => e.labelAs ?? e.id)).size;
  const counted = speciesCount === entries.length ? `${speciesCount} species` : `${entries.length} models of ${speciesCount} species`;
  const title = `exoray species catalog: ${counted} (X-ray: ${model.name})`;
  const text = Buffer.from(sheetTextSvg(layout, title, PANEL_TITLES, captions));
  const png = await sharp({ create: { width: layout.width, height: layout.height, channels: 3, background: BACKGROUND } })
    .composite([...pictures, { input: text, left: 0, top: 0 }])
    .png({ compressionLevel: 9 })
    .toBuffer();
  try {
    mkdirSync(path.dirname(path.resolve(o.file)), { recursive: true });
  } catch (cause) {
    throw new ExorayError('E_OUTPUT', `species sheet: cannot create the folder of ${o.file}: ${(cause as Error).message}; choose another --out.`, { cause });
  }
  await writeFileAtomic(o.file, png);
  return { file: o.file, species: entries.map((e) => e.id), width: layout.width, height: layout.height, renderMs: Math.round(renderMs) };
}
