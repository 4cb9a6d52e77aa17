/**
 * Every label format against the database it is written from: same boxes, same
 * splits, values in range; and the label level changes the categories only.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { categoryList } from '../../src/labels/categories.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/dataset/generate.js';
import { openDatabase } from '../../src/db/database.js';
import type { StoredSample } from '../../src/db/records.js';
import { parseVocBoxes } from '../../src/labels/voc.js';
import { decodeRle } from '../../src/labels/rle.js';
import { validateCoco, type CocoDataset } from '../../src/labels/coco.js';
import { parseFormats } from '../../src/dataset/export.js';
import { loadCatalog } from '../../src/species/catalog.js';
import { tempDir } from '../helpers/tmp.js';

const SIZE = 96;
const tmp = tempDir('exoray-export-');
const out = path.join(tmp.dir, 'ds');
const seg = path.join(tmp.dir, 'seg');
let samples: StoredSample[] = [];

beforeAll(async () => {
  await generate({ out, count: 8, seed: 4, size: SIZE, workers: 1, formats: ['coco', 'yolo', 'voc'], split: { train: 0.5, val: 0.25, test: 0.25 } });
  await generate({ out: seg, count: 3, seed: 4, size: SIZE, workers: 1, formats: ['coco', 'yolo-seg'], labelLevel: 'order' });
  const db = openDatabase(path.join(out, 'exoray.db'), { readonly: true });
  samples = db.listSamples().map((s) => db.getSample(s.id)!);
  db.close();
}, 240_000);
afterAll(() => tmp.cleanup());

const readCoco = (dir: string, name: string) => JSON.parse(readFileSync(path.join(dir, 'annotations', name), 'utf8')) as CocoDataset;

describe('label formats', () => {
  it('COCO: one file per split holding exactly that split, all valid', () => {
    const all = validateCoco(readCoco(out, 'instances.json'));
    expect(all.images).toHaveLength(8);
    let total = 0;
    for (const split of ['train', 'val', 'test']) {
      const ids = samples.filter((s) => s.split === split).map((s) => s.id);
      if (ids.length === 0) continue;
      const coco = validateCoco(readCoco(out, `instances_${split}.json`));
      expect(coco.images.map((i) => i.exoray_sample_id)).toEqual(ids);
      total += coco.images.length;
    }
    expect(total).toBe(8);
  });

  it('YOLO: a label file per image, normalised boxes that match the database, data.yaml and split lists', () => {
    const data = yaml.load(readFileSync(path.join(out, 'data.yaml'), 'utf8')) as Record<string, unknown>;
    // One class per catalog species, in catalog order; a second model of a species (labelAs) is no class of its own.
    const classes = categoryList(loadCatalog().species, 'species').map((c) => c.name);
    expect(data.names).toEqual(Object.fromEntries(classes.map((name, i) => [i, name])));
    expect(classes).toContain('ball-python');
    expect(classes).not.toContain('ball-python-stretched');
    expect(data.path).toBeUndefined();
    for (const s of samples) {
      const lines = readFileSync(path.join(out, 'labels', `${s.id}.txt`), 'utf8').trim().split('\n').filter(Boolean);
      const instances = s.instances.filter((i) => i.bbox);
      expect(lines).toHaveLength(instances.length);
      lines.forEach((line, k) => {
        const [cls, cx, cy, w, h] = line.split(' ').map(Number);
        const [x, y, bw, bh] = instances[k]!.bbox!;
        expect(cls).toBe(0);
        for (const v of [cx, cy, w, h]) expect(v! >= 0 && v! <= 1).toBe(true);
        expect(cx).toBeCloseTo((x + bw / 2) / SIZE, 5);
        expect(cy).toBeCloseTo((y + bh / 2) / SIZE, 5);
        expect(w).toBeCloseTo(bw / SIZE, 5);
        expect(h).toBeCloseTo(bh / SIZE, 5);
      });
      const list = readFileSync(path.join(out, `${s.split}.txt`), 'utf8');
      expect(list).toContain(`./images/${s.id}.png`);
    }
  });

  it('VOC: XML that parses, 1-based inclusive corners of the same boxes, split lists', () => {
    for (const s of samples) {
      const voc = parseVocBoxes(readFileSync(path.join(out, 'voc', 'Annotations', `${s.id}.xml`), 'utf8'));
      expect(voc.filename).toBe(`${s.id}.png`);
      expect(voc.objects.map((o) => o.bbox)).toEqual(s.instances.filter((i) => i.bbox).map((i) => i.bbox));
      expect(readFileSync(path.join(out, 'voc', 'ImageSets', 'Main', `${s.split}.txt`), 'utf8')).toContain(`${s.id}\n`);
    }
  });

  it('YOLO segmentation polygons cover their masks; --label-level order names orders', () => {
    const coco = readCoco(seg, 'instances.json');
    // One category per order, in the order the catalog first names them.
    expect(coco.categories.map((c) => c.name)).toEqual([...new Set(loadCatalog().species.map((sp) => sp.taxonomy.order))]);
    expect(coco.categories.map((c) => c.name).slice(0, 2)).toEqual(['Coleoptera', 'Squamata']);
    const files = readdirSync(path.join(seg, 'labels')).sort();
    expect(files).toEqual(['s000000.txt', 's000001.txt', 's000002.txt']);
    coco.images.forEach((img) => {
      const lines = readFileSync(path.join(seg, 'labels', `${img.exoray_sample_id}.txt`), 'utf8').trim().split('\n');
      const anns = coco.annotations.filter((a) => a.image_id === img.id);
      expect(lines).toHaveLength(anns.length);
      lines.forEach((line, k) => {
        const xy = line.split(' ').slice(1).map(Number);
        expect(xy.length % 2).toBe(0);
        let area = 0;
        for (let i = 0; i < xy.length; i += 2) {
          const j = (i + 2) % xy.length;
          area += xy[i]! * SIZE * xy[j + 1]! * SIZE - xy[j]! * SIZE * xy[i + 1]! * SIZE;
        }
        const maskArea = decodeRle(anns[k]!.segmentation).reduce((a, b) => a + b, 0);
        // The largest component's outline, simplified by under a pixel: close to the mask's area.
        expect(Math.abs(Math.abs(area / 2) - maskArea) / maskArea).toBeLessThan(0.35);
      });
    });
  });

  it('refuses unknown or clashing formats', () => {
    expect(() => parseFormats('coco,tfrecord')).toThrow(/unknown format "tfrecord"/);
    expect(() => parseFormats('yolo,yolo-seg')).toThrow(/choose one/);
  });
});
