/**
 * The whole pipeline on real inputs: bundled preset, bundled beetle, headless
 * Chromium, files and database. Small images keep it quick.
 */
import { posePart, skinMatrices } from '../../src/species/rig/skinning.js';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/dataset/generate.js';
import { makePlan, planScene } from '../../src/dataset/plan.js';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { decodeGreyPng } from '../../src/dataset/png.js';
import { decodeRle } from '../../src/labels/rle.js';
import { validateCoco, type CocoDataset } from '../../src/labels/coco.js';
import { maskBBox } from '../../src/labels/mask.js';
import { Renderer } from '../../src/render/renderer.js';
import { composeMatrix } from '../../src/render/request.js';
import { tempDir } from '../helpers/tmp.js';
import { rasterize } from '../helpers/rasterize.js';

const SIZE = 160;
const COUNT = 4;
const SEED = 11;

let tmp: ReturnType<typeof tempDir>;
let first: string;
let second: string;

beforeAll(async () => {
  tmp = tempDir();
  first = path.join(tmp.dir, 'a');
  second = path.join(tmp.dir, 'b');
  await generate({ out: first, count: COUNT, seed: SEED, size: SIZE, workers: 2 });
  // Same seed and options, one worker: order of completion differs, output must not.
  await generate({ out: second, count: COUNT, seed: SEED, size: SIZE, workers: 1 });
}, 240_000);

afterAll(() => tmp?.cleanup());

function readCoco(dir: string): CocoDataset {
  return JSON.parse(readFileSync(path.join(dir, 'annotations', 'instances.json'), 'utf8')) as CocoDataset;
}

function dbRows(dir: string): { samples: unknown[]; instances: unknown[]; objects: unknown[] } {
  const db = new Database(path.join(dir, 'exoray.db'), { readonly: true });
  try {
    return {
      // Timing columns are measurements, not outputs; everything else must match.
      samples: db.prepare('SELECT * FROM samples ORDER BY id').all().map((r: any) => ({ ...r, render_ms: 0, created_at: '' })),
      instances: db.prepare('SELECT * FROM instances ORDER BY sample_id, instance_index').all(),
      objects: db.prepare('SELECT * FROM objects ORDER BY sample_id, object_id').all(),
    };
  } finally {
    db.close();
  }
}

describe('generate', () => {
  it('writes images, raw 16-bit images, COCO labels and database rows for every sample', () => {
    const images = readdirSync(path.join(first, 'images')).sort();
    expect(images).toEqual(['s000000.png', 's000001.png', 's000002.png', 's000003.png']);
    expect(readdirSync(path.join(first, 'grey')).sort()).toEqual(images);
    expect(readdirSync(path.join(first, 'raw')).sort()).toEqual(images.flatMap((f) => [f.replace('.png', '-high.png'), f.replace('.png', '-low.png')]));
    const low = decodeGreyPng(readFileSync(path.join(first, 'raw', 's000000-low.png')));
    const high = decodeGreyPng(readFileSync(path.join(first, 'raw', 's000000-high.png')));
    expect(high).toMatchObject({ width: SIZE, height: SIZE, depth: 16 });
    // The open beam is near full scale (noise around it); the parcel attenuates, the low channel more.
    const lowPx = low.pixels as Uint16Array;
    const highPx = high.pixels as Uint16Array;
    expect(highPx[0]).toBeGreaterThan(60000);
    let lower = 0;
    let dense = 0;
    for (let i = 0; i < highPx.length; i++) {
      if (highPx[i]! < 50000) dense++;
      if (highPx[i]! < 50000 && lowPx[i]! < highPx[i]!) lower++;
    }
    expect(dense).toBeGreaterThan(100);
    expect(lower / dense).toBeGreaterThan(0.95);
    const coco = validateCoco(readCoco(first));
    expect(coco.images).toHaveLength(COUNT);
    expect(coco.annotations.length).toBeGreaterThanOrEqual(COUNT);
    expect(coco.categories[0]).toMatchObject({ id: 1, name: 'stag-beetle', supercategory: 'Coleoptera' });
    const rows = dbRows(first);
    expect(rows.samples).toHaveLength(COUNT);
    expect(rows.instances.length).toBe(coco.annotations.length);
    // No temporary file is left behind.
    for (const dir of ['images', 'raw', 'annotations']) {
      expect(readdirSync(path.join(first, dir)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    }
  });

  it('every COCO mask decodes to its stored area and box', () => {
    const coco = readCoco(first);
    for (const ann of coco.annotations) {
      const mask = decodeRle(ann.segmentation);
      expect(mask.reduce((s, v) => s + v, 0)).toBe(ann.area);
      expect(maskBBox(mask, SIZE, SIZE)).toEqual(ann.bbox);
      expect(ann.iscrowd).toBe(0);
    }
  });

  it('the same seed and options give identical labels, database rows and images', () => {
    const a = readCoco(first);
    const b = readCoco(second);
    expect({ ...b, info: { ...b.info, date_created: '' } }).toEqual({ ...a, info: { ...a.info, date_created: '' } });
    expect(dbRows(second)).toEqual(dbRows(first));
    for (const f of readdirSync(path.join(first, 'raw'))) {
      expect(readFileSync(path.join(second, 'raw', f)).equals(readFileSync(path.join(first, 'raw', f)))).toBe(true);
    }
  });

  it('refuses to write over an existing dataset unless asked to', async () => {
    await expect(generate({ out: first, count: 1, seed: 1, size: SIZE })).rejects.toMatchObject({ code: 'E_OUTPUT' });
    expect(readdirSync(path.join(first, 'images'))).toHaveLength(COUNT);
  });
});

describe('beetle labels against the mesh', () => {
  it("each beetle's mask and box match the projection of its posed mesh", async () => {
    const species = await SpeciesLibrary.load();
    const plan = makePlan(species, 5, { presets: [{ name: 'parcel', weight: 1 }], size: 256 });
    const renderer = await Renderer.launch({ assets: species });
    try {
      let checked = 0;
      for (let index = 0; index < 3; index++) {
        const scene = planScene(plan, index);
        const out = await renderer.render(scene);
        const animals = scene.objects.filter((o) => o.role === 'animal');
        animals.forEach((obj, k) => {
          const m = composeMatrix(obj.position, obj.quaternion, obj.scale);
          const reference = new Uint8Array(256 * 256);
          // Pixel centres within a quarter pixel of the posed mesh.
          const near = new Uint8Array(256 * 256);
          // Animals are posed: the reference is the posed mesh, skinned on the CPU.
          expect(obj.pose).toBeDefined();
          const skin = skinMatrices(species.skeleton(obj.kind)!, obj.pose!.joints);
          for (const part of species.parts(obj.kind)) {
            const posed = posePart(part, skin);
            const p = posed.positions;
            const world = new Float64Array(p.length);
            for (let i = 0; i < p.length; i += 3) {
              for (let r = 0; r < 3; r++) world[i + r] = m[r]! * p[i]! + m[4 + r]! * p[i + 1]! + m[8 + r]! * p[i + 2]! + m[12 + r]!;
            }
            rasterize(world, posed.indices, scene.scanner, reference);
            rasterize(world, posed.indices, scene.scanner, near, 0.25);
          }
          const mask = out.masks[k]!;
          let inter = 0, union = 0;
          for (let i = 0; i < mask.length; i++) {
            if (mask[i] && reference[i]) inter++;
            if (mask[i] || reference[i]) union++;
          }
          const box = maskBBox(mask, 256, 256)!;
          const refBox = maskBBox(reference, 256, 256)!;
          // The GPU snaps vertices to a sub-pixel grid: a sliver (an antenna tip, a tilted leg) may cover a
          // pixel centre that exact arithmetic misses, or the other way round. Only pixels on the
          // reference outline may differ, and few of them; a pixel the GPU adds away from the outline
          // must have the mesh within a quarter pixel of its centre (a sliver thinner than a pixel).
          let offOutline = 0;
          for (let y = 0; y < 256; y++) {
            for (let x = 0; x < 256; x++) {
              const i = y * 256 + x;
              if (!mask[i] === !reference[i]) continue;
              if (mask[i] && near[i]) continue;
              let edge = false;
              for (let dy = -1; dy <= 1 && !edge; dy++) {
                for (let dx = -1; dx <= 1 && !edge; dx++) {
                  const nx = x + dx, ny = y + dy;
                  if (nx >= 0 && ny >= 0 && nx < 256 && ny < 256 && !reference[ny * 256 + nx] !== !reference[i]) edge = true;
                }
              }
              if (!edge) offOutline++;
            }
          }
          expect(offOutline).toBe(0);
          expect(union - inter).toBeLessThanOrEqual(Math.max(8, 0.02 * union));
          box.forEach((v, i) => expect(Math.abs(v - refBox[i]!)).toBeLessThanOrEqual(2));
          checked++;
        });
      }
      expect(checked).toBeGreaterThanOrEqual(3);
    } finally {
      await renderer.close();
    }
  });
});

describe('output folder', () => {
  it('exists after a run with the documented layout', () => {
    for (const p of ['exoray.db', 'images', 'raw', 'annotations/instances.json']) expect(existsSync(path.join(first, p))).toBe(true);
  });
});
