/**
 * A synthetic dataset folder for the review server's tests, built in seconds
 * without rendering: a database of `count` samples with real COCO RLE masks
 * (ellipses) and, for the first `withImages` samples, small PNG images.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { Rng, deriveSeed } from '../../src/core/rng.js';
import type { SceneDescription, SceneObject } from '../../src/core/types.js';
import { openDatabase } from '../../src/db/database.js';
import { formatSampleId, type InstanceRecord, type SampleRecord } from '../../src/db/records.js';
import { difficultyOf } from '../../src/labels/difficulty.js';
import { encodeRle } from '../../src/labels/rle.js';
import { maskBBox } from '../../src/labels/mask.js';

export const SIZE = 96;
export const SPECIES = [
  { id: 'stag-beetle', scientificName: 'Lucanus cervus', family: 'Lucanidae', order: 'Coleoptera', cls: 'Insecta', en: 'stag beetle' },
  { id: 'ball-python', scientificName: 'Python regius', family: 'Pythonidae', order: 'Squamata', cls: 'Reptilia', en: 'ball python' },
  { id: 'tarantula', scientificName: 'Brachypelma smithi', family: 'Theraphosidae', order: 'Araneae', cls: 'Arachnida', en: 'red-knee tarantula' },
];
export const PRESETS = ['parcel', 'suitcase', 'backpack'];
const SPLITS = ['train', 'train', 'train', 'val', 'test'];

function ellipse(cx: number, cy: number, rx: number, ry: number): Uint8Array {
  const mask = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1) mask[y * SIZE + x] = 1;
  return mask;
}

let pool: Array<Pick<InstanceRecord, 'bbox' | 'maskArea' | 'maskRle'>> | null = null;

/** Sixteen ellipse labels, made once: 100,000 samples reuse them (encoding each would take minutes). */
function ellipses(): NonNullable<typeof pool> {
  if (!pool) {
    const rng = new Rng(5);
    pool = Array.from({ length: 16 }, () => {
      const mask = ellipse(rng.int(20, 76), rng.int(20, 76), rng.int(6, 16), rng.int(4, 10));
      return { bbox: maskBBox(mask, SIZE, SIZE), maskArea: mask.reduce((a, b) => a + b, 0), maskRle: encodeRle(mask, SIZE, SIZE) };
    });
  }
  return pool;
}

export function fixtureRecord(index: number, runId: number): SampleRecord {
  const rng = new Rng(deriveSeed(11, index));
  const animals = rng.int(1, 3);
  const objects: SceneObject[] = [
    {
      id: 'container',
      role: 'container',
      kind: index % 4 === 0 ? 'suitcase' : 'cardboard-box',
      parts: [{ shape: { type: 'hollowBox', size: [0.3, 0.15, 0.25], wall: 0.004 }, material: 'cardboard' }],
      position: [0, 0.075, 0],
      quaternion: [0, 0, 0, 1],
      scale: 1,
    },
  ];
  const instances: InstanceRecord[] = [];
  for (let k = 0; k < animals; k++) {
    const sp = SPECIES[rng.int(0, SPECIES.length - 1)]!;
    objects.push({
      id: `animal-${k}`,
      role: 'animal',
      kind: sp.id,
      parts: [{ shape: { type: 'asset', asset: sp.id }, material: '' }],
      position: [0, 0.03, 0],
      quaternion: [0, 0, 0, 1],
      scale: 1,
      label: { species: sp.id, scientificName: sp.scientificName, commonName: sp.en, lengthMm: 50 },
    });
    const shape = ellipses()[rng.int(0, 15)]!;
    const visibility = Math.round(rng.next() * 100) / 100;
    instances.push({
      instanceIndex: k,
      objectId: `animal-${k}`,
      species: sp.id,
      scientificName: sp.scientificName,
      ...shape,
      lengthMm: 50,
      visibility,
      difficulty: difficultyOf(visibility),
    });
  }
  const scene: SceneDescription = {
    version: 1,
    seed: deriveSeed(11, 'sample', index),
    preset: PRESETS[index % PRESETS.length]!,
    scanner: { geometry: 'fan', width: SIZE, height: SIZE, fieldWidth: 0.5, fieldDepth: 0.5, sourceHeight: 0.95, detectorHeight: -0.03, effectiveEnergyKeV: 60 },
    objects,
  };
  const id = formatSampleId(index);
  const sha = (c: string) => c.repeat(64);
  return {
    id,
    runId,
    sampleIndex: index,
    scene,
    split: SPLITS[index % SPLITS.length]!,
    imagePath: `images/${id}.png`,
    imageSha256: index.toString(16).padStart(64, '0'),
    rawPath: `raw/${id}-high.png`,
    rawSha256: sha('b'),
    renderMs: 100,
    instances,
    files: [
      { view: 'top', kind: 'image', path: `images/${id}.png`, sha256: index.toString(16).padStart(64, '0') },
      { view: 'top', kind: 'high', path: `raw/${id}-high.png`, sha256: sha('b') },
    ],
  };
}

/** Writes the dataset into `dir` (which must exist). */
export async function makeFixtureDataset(dir: string, count: number, withImages = count): Promise<void> {
  const db = openDatabase(path.join(dir, 'exoray.db'));
  try {
    db.upsertSpecies(
      SPECIES.map((s) => ({
        id: s.id,
        scientificName: s.scientificName,
        commonNames: { en: s.en },
        taxonomy: { class: s.cls, order: s.order, family: s.family },
        cites: null,
        tags: [],
      })),
    );
    const runId = db.startRun({ toolVersion: 'test', preset: 'mixed', seed: 11 });
    for (let start = 0; start < count; start += 5000) {
      const batch: SampleRecord[] = [];
      for (let i = start; i < Math.min(count, start + 5000); i++) batch.push(fixtureRecord(i, runId));
      db.insertSamples(batch);
    }
  } finally {
    db.close();
  }
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  mkdirSync(path.join(dir, 'raw'), { recursive: true });
  for (let i = 0; i < withImages; i++) {
    const id = formatSampleId(i);
    // A different grey per sample, so thumbnails and layers can be told apart.
    const shade = 60 + ((i * 37) % 160);
    writeFileSync(path.join(dir, 'images', `${id}.png`), await sharp({ create: { width: SIZE, height: SIZE, channels: 3, background: { r: shade, g: 140, b: 255 - shade } } }).png().toBuffer());
    writeFileSync(path.join(dir, 'raw', `${id}-high.png`), await sharp({ create: { width: SIZE, height: SIZE, channels: 3, background: { r: shade, g: shade, b: shade } } }).greyscale().png().toBuffer());
  }
}
