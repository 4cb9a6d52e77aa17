/**
 * Re-rendering a stored sample from its SceneDescription alone: the same scene
 * gives the same labels and (same scanner) the same images; or the scene seen by
 * another scanner model.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ExorayError } from '../core/errors.js';
import type { SceneDescription, ViewName } from '../core/types.js';
import { openDatabase } from '../db/database.js';
import type { InstanceRecord, StoredSample } from '../db/records.js';
import { Renderer } from '../render/renderer.js';
import { frameScanner } from '../scene/framing.js';
import { presetsDir } from '../scene/preset.js';
import { loadScannerModel, scannersDir } from '../scene/scanner-model.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { decodeGreyPng } from './png.js';
import { makeSample, OUTPUT_FOLDERS } from './sample.js';
import { SpeciesLibrary } from './species-library.js';

export interface RerenderOptions {
  /** Folder for the new files (default DIR/rerender/SAMPLE_ID). */
  out?: string;
  /** Another scanner model (scenes/scanners/); the scene is framed for it anew. */
  scanner?: string;
  views?: ViewName[];
  chromium?: string;
}

export interface RerenderResult {
  sampleId: string;
  out: string;
  /** Whether the scanner is the stored one, so images and labels can be compared. */
  sameScanner: boolean;
  labelsIdentical: boolean | null;
  /** Largest difference between stored and new raw 16-bit images, in levels (of 65535). */
  maxRawDifference: number | null;
  files: string[];
}

/** The scene with another scanner, framed on the scene's own container. */
export function withScanner(scene: SceneDescription, scanner: string, views?: ViewName[]): SceneDescription {
  const model = loadScannerModel(scanner, scannersDir(presetsDir()));
  if (views) model.views = views;
  const box = scene.objects.find((o) => o.role === 'container')?.parts[0]?.shape;
  // The recorded footprint covers structured and turned bags; older scenes have one shell part.
  const outer = scene.randomisation?.footprint ?? (box && box.type === 'hollowBox' ? box.size : ([0.4, 0.2, 0.3] as [number, number, number]));
  // The preset's margin is not stored with the scene; 3 cm is the bundled presets' value.
  return { ...scene, scanner: frameScanner({ model, width: scene.scanner.width, height: scene.scanner.height, margin: 0.03 }, outer) };
}

const labelKey = (i: InstanceRecord) => JSON.stringify([i.view ?? 'top', i.instanceIndex, i.objectId, i.species, i.bbox, i.maskArea, i.maskRle.counts]);

function maxDifference(a: Uint8Array, b: Uint8Array): number {
  const x = decodeGreyPng(a).pixels;
  const y = decodeGreyPng(b).pixels;
  if (x.length !== y.length) return Infinity;
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]! - y[i]!));
  return max;
}

export async function rerenderSample(dir: string, sampleId: string, o: RerenderOptions = {}): Promise<RerenderResult> {
  const dbFile = path.join(dir, 'exoray.db');
  if (!existsSync(dbFile)) throw new ExorayError('E_USAGE', `render: ${dir} holds no dataset (no exoray.db); pass the dataset folder with --in.`);
  const db = openDatabase(dbFile, { readonly: true });
  let stored: StoredSample | undefined;
  try {
    stored = db.getSample(sampleId);
  } finally {
    db.close();
  }
  if (!stored) throw new ExorayError('E_USAGE', `render: there is no sample "${sampleId}" in ${dir}; list them with \`exoray query "" --in ${dir}\`.`);
  const sameScanner = o.scanner === undefined && o.views === undefined;
  const scene = sameScanner ? stored.scene : withScanner(stored.scene, o.scanner ?? 'dual-energy-160kv', o.views);
  const out = path.resolve(o.out ?? path.join(dir, 'rerender', sampleId));
  for (const folder of OUTPUT_FOLDERS) mkdirSync(path.join(out, folder), { recursive: true });
  const species = await SpeciesLibrary.load();
  const renderer = await Renderer.launch({ assets: species, chromium: o.chromium });
  try {
    const record = await makeSample(
      { out, materials: loadMaterialLibrary(), species, renderer, overlays: false, split: { seed: 0, ratios: { train: 1, val: 0, test: 0 } } },
      stored.runId,
      stored.sampleIndex,
      scene,
    );
    let labelsIdentical: boolean | null = null;
    let maxRawDifference: number | null = null;
    if (sameScanner) {
      labelsIdentical = JSON.stringify(record.instances.map(labelKey)) === JSON.stringify(stored.instances.map(labelKey));
      const storedRaw = stored.files.find((f) => f.view === 'top' && f.kind === 'high');
      if (storedRaw && existsSync(path.join(dir, storedRaw.path))) {
        maxRawDifference = maxDifference(readFileSync(path.join(dir, storedRaw.path)), readFileSync(path.join(out, record.rawPath!)));
      }
    }
    return { sampleId, out, sameScanner, labelsIdentical, maxRawDifference, files: (record.files ?? []).map((f) => path.join(out, f.path)) };
  } finally {
    await renderer.close();
  }
}
