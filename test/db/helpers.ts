/** Temp folders and sample records shared by the database tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SceneDescription } from '../../src/core/types.js';
import { formatSampleId, type RunInfo, type SampleRecord } from '../../src/db/records.js';
import { encodeRle } from '../../src/labels/rle.js';

/** A fresh folder under the OS temp dir and a function that removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'exoray-db-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * File paths, each in a fresh temporary folder, and other things to undo (`onCleanup`, e.g. closing a
 * database); `cleanup` undoes them all, latest first (call it in afterEach).
 */
export function tempPaths(): { newPath: (name: string) => string; onCleanup: (undo: () => void) => void; cleanup: () => void } {
  let cleanups: Array<() => void> = [];
  return {
    onCleanup: (undo) => {
      cleanups.push(undo);
    },
    newPath: (name) => {
      const { dir, cleanup } = tempDir();
      cleanups.push(cleanup);
      return join(dir, name);
    },
    cleanup: () => {
      for (const c of cleanups.reverse()) c();
      cleanups = [];
    },
  };
}

export const RUN: RunInfo = {
  toolVersion: '0.1.0-test',
  gitRevision: 'abc1234',
  preset: 'parcel',
  seed: 42,
  options: { count: 2, out: 'output/test' },
  host: 'test-host',
  shard: { index: 1, count: 4 },
  startedAt: '2025-01-02T03:04:05.000Z',
};

export function makeScene(seed: number): SceneDescription {
  return {
    version: 1,
    seed,
    preset: 'parcel',
    scanner: {
      geometry: 'parallel',
      width: 8,
      height: 6,
      fieldWidth: 0.6,
      fieldDepth: 0.45,
      sourceHeight: 1.2,
      detectorHeight: -0.01,
      effectiveEnergyKeV: 60,
    },
    objects: [
      {
        id: 'box',
        role: 'container',
        kind: 'cardboard-box',
        parts: [{ shape: { type: 'hollowBox', size: [0.4, 0.2, 0.3], wall: 0.004 }, material: 'cardboard' }],
        position: [0, 0.1, 0],
        quaternion: [0, 0, 0, 1],
        scale: 1,
      },
      {
        id: 'shirt-0',
        role: 'clutter',
        kind: 'folded-shirt',
        parts: [
          { shape: { type: 'box', size: [0.3, 0.02, 0.2] }, material: 'cotton' },
          { shape: { type: 'cylinder', radius: 0.005, height: 0.002 }, material: 'polyethylene', offset: [0, 0.011, 0] },
          { shape: { type: 'cylinder', radius: 0.005, height: 0.002 }, material: 'polyethylene', offset: [0, 0.011, 0.05] },
        ],
        position: [0, 0.03, 0],
        quaternion: [0, 0, 0, 1],
        scale: 1,
      },
      {
        id: 'animal-0',
        role: 'animal',
        kind: 'stag-beetle',
        parts: [{ shape: { type: 'asset', asset: 'stag-beetle' }, material: '' }],
        position: [0.05, 0.06, 0.02],
        quaternion: [0, 0.3826834, 0, 0.9238795],
        scale: 1,
        label: { species: 'stag-beetle', scientificName: 'Lucanus cervus', commonName: 'stag beetle', lengthMm: 62.5 },
      },
      {
        id: 'animal-1',
        role: 'animal',
        kind: 'tarantula',
        parts: [{ shape: { type: 'asset', asset: 'tarantula' }, material: '' }],
        position: [-0.05, 0.06, -0.02],
        quaternion: [0, 0, 0, 1],
        scale: 1.1,
        label: { species: 'tarantula', scientificName: 'Brachypelma hamorii', commonName: 'Mexican red-knee tarantula', lengthMm: 70 },
      },
    ],
  };
}

/** A complete sample of an 8x6 image with two animals. */
export function makeSample(index: number, runId: number): SampleRecord {
  const w = 8;
  const h = 6;
  const beetle = new Uint8Array(w * h);
  beetle[1 * w + 2] = beetle[1 * w + 3] = beetle[2 * w + 3] = 1;
  const id = formatSampleId(index);
  return {
    id,
    runId,
    sampleIndex: index,
    scene: makeScene(1000 + index),
    split: index % 2 === 0 ? 'train' : 'val',
    imagePath: `images/${id}.png`,
    imageSha256: 'a'.repeat(64),
    rawPath: `raw/${id}.tiff`,
    rawSha256: 'b'.repeat(64),
    renderMs: 12.5,
    createdAt: '2025-01-02T03:04:06.000Z',
    objectMaterials: { 'animal-0': ['chitin', 'soft-tissue'], 'animal-1': ['chitin', 'soft-tissue', 'water'] },
    instances: [
      {
        instanceIndex: 0,
        objectId: 'animal-0',
        species: 'stag-beetle',
        scientificName: 'Lucanus cervus',
        bbox: [2, 1, 2, 2],
        maskArea: 3,
        maskRle: encodeRle(beetle, w, h),
        lengthMm: 62.5,
        visibility: 0.75,
      },
      {
        // In the scene but outside the field: no pixels, no box.
        instanceIndex: 1,
        objectId: 'animal-1',
        species: 'tarantula',
        scientificName: 'Brachypelma hamorii',
        bbox: null,
        maskArea: 0,
        maskRle: encodeRle(new Uint8Array(w * h), w, h),
        lengthMm: 70,
        visibility: null,
      },
    ],
  };
}
