/**
 * `npm run figures`: renders the calibration scene (step wedges of four
 * materials, a phone, the bundled animals) with the 160 kV dual-energy scanner
 * in every output kind, and writes docs/images/calibration-*.png plus one strip
 * of all four side by side for the README.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { packageRoot } from '../core/paths.js';
import { Rng } from '../core/rng.js';
import type { SceneDescription, SceneObject } from '../core/types.js';
import { detectorImages } from '../dataset/imaging.js';
import { SpeciesLibrary } from '../dataset/species-library.js';
import { Renderer } from '../render/renderer.js';
import { buildClutter } from '../scene/clutter.js';
import { frameScanner } from '../scene/framing.js';
import { presetsDir } from '../scene/preset.js';
import { loadScannerModel, scannersDir } from '../scene/scanner-model.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { scannerPhysics } from '../xray/scanner-physics.js';

const WEDGES: Array<{ material: string; stepsMm: number[] }> = [
  { material: 'polyethylene', stepsMm: [5, 10, 20, 40, 80] },
  { material: 'water', stepsMm: [5, 10, 20, 40, 80] },
  { material: 'aluminium', stepsMm: [2, 5, 10, 20, 40] },
  { material: 'iron', stepsMm: [0.5, 1, 2, 5, 10] },
];

/** The calibration scene, built by hand: wedges in rows across the belt, the objects beside them. */
export function calibrationScene(species: SpeciesLibrary): SceneDescription {
  const objects: SceneObject[] = [];
  const step = 0.025;
  WEDGES.forEach((w, row) => {
    w.stepsMm.forEach((mm, i) => {
      const t = mm / 1000;
      objects.push({
        id: `${w.material}-${mm}mm`,
        role: 'clutter',
        kind: 'step-wedge',
        parts: [{ shape: { type: 'box', size: [step, t, 0.04] }, material: w.material }],
        position: [-0.25 + i * step, t / 2, -0.12 + row * 0.06],
        quaternion: [0, 0, 0, 1],
        scale: 1,
      });
    });
  });
  const phone = buildClutter('phone', new Rng(7), 0.1);
  objects.push({ id: 'phone-0', role: 'clutter', kind: 'phone', parts: phone.parts, position: [-0.06, phone.halfExtents[1], -0.05], quaternion: [0, 0, 0, 1], scale: 1 });
  // Each animal at a fixed spot (a mid-range size); species without a spot line up on the right.
  const spots: Record<string, [number, number]> = { 'stag-beetle': [-0.06, 0.1], 'ball-python': [0.13, 0] };
  species.forScenes().forEach((a, i) => {
    const lengthMm = (a.sizeMm.min + a.sizeMm.max) / 2;
    const scale = lengthMm / a.modelLengthMm;
    const [x, z] = spots[a.id] ?? [0.25, -0.1 + 0.06 * i];
    objects.push({
      id: `animal-${i}`,
      role: 'animal',
      kind: a.id,
      parts: [{ shape: { type: 'asset', asset: a.id }, material: '' }],
      position: [x - ((a.bounds.min[0] + a.bounds.max[0]) / 2) * scale, -a.bounds.min[1] * scale, z - ((a.bounds.min[2] + a.bounds.max[2]) / 2) * scale],
      quaternion: [0, 0, 0, 1],
      scale,
      label: { species: a.id, scientificName: a.scientificName, commonName: a.commonName, lengthMm },
    });
  });
  const model = loadScannerModel('dual-energy-160kv', scannersDir(presetsDir()));
  const scanner = frameScanner({ model: { ...model, views: ['top'] }, width: 640, height: 480, margin: 0.02 }, [0.56, 0.1, 0.36]);
  return { version: 1, seed: 1, preset: 'calibration', scanner, objects };
}

async function main(): Promise<void> {
  const species = await SpeciesLibrary.load();
  const lib = loadMaterialLibrary();
  const scene = calibrationScene(species);
  const physics = scannerPhysics(scene.scanner, lib);
  const renderer = await Renderer.launch({ assets: species });
  try {
    const render = await renderer.render(scene, { spectral: (m) => physics.spectral(m) });
    const images = detectorImages(render, scene.scanner, physics, lib, scene.seed, 'top');
    const { width, height } = images;
    const dir = path.join(packageRoot(), 'docs', 'images');
    mkdirSync(dir, { recursive: true });
    const grey8 = (levels: Uint16Array) => Buffer.from(Uint8Array.from(levels, (v) => v >> 8));
    const panels: Array<[string, Buffer, 1 | 3]> = [
      ['colour', Buffer.from(images.colour!), 3],
      ['grey-high', Buffer.from(images.grey), 1],
      ['low', grey8(images.low), 1],
      ['high', grey8(images.high), 1],
    ];
    const pngs: Buffer[] = [];
    for (const [name, data, channels] of panels) {
      const png = await sharp(data, { raw: { width, height, channels } }).png().toBuffer();
      await sharp(png).toFile(path.join(dir, `calibration-${name}.png`));
      pngs.push(await sharp(png).resize(320, 240).toColourspace('srgb').png().toBuffer());
    }
    await sharp({ create: { width: 1290, height: 240, channels: 3, background: '#ffffff' } })
      .composite(pngs.map((input, i) => ({ input, left: i * 323, top: 0 })))
      .png()
      .toFile(path.join(dir, 'calibration-strip.png'));
    process.stdout.write(`wrote ${dir}/calibration-{colour,grey-high,low,high,strip}.png\n`);
  } finally {
    await renderer.close();
  }
}

main().catch((e) => {
  process.stderr.write(`figures failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
