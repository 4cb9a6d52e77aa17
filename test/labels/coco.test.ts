import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { buildCoco, validateCoco, type BuildCocoInput } from '../../src/labels/coco.js';
import { maskArea, maskBBox } from '../../src/labels/mask.js';
import { decodeRle, encodeRle, maskToCounts } from '../../src/labels/rle.js';
import { blobMask } from './helpers.js';

const W = 40;
const H = 30;

/** Two images, three animals; masks are seeded blobs (seed 7). */
function makeInput(): { input: BuildCocoInput; masks: Uint8Array[] } {
  const rng = new Rng(7);
  const masks: Uint8Array[] = [];
  while (masks.length < 3) {
    const m = blobMask(rng, W, H, 1);
    if (maskArea(m) > 0) masks.push(m);
  }
  const ann = (i: number, imageId: number, categoryId: number) => ({
    imageId,
    categoryId,
    mask: encodeRle(masks[i], W, H),
    bbox: maskBBox(masks[i], W, H)!,
    area: maskArea(masks[i]),
    extra: { exoray_visibility: 0.5 + i / 10, exoray_object_id: `animal-${i}` },
  });
  return {
    masks,
    input: {
      info: { description: 'exoray test', version: '0.1.0', dateCreated: '2025-03-04T05:06:07Z', contributor: 'exoray' },
      images: [
        { id: 1, fileName: 's000001.png', width: W, height: H, extra: { exoray_sample_id: 's000001' } },
        { id: 2, fileName: 's000002.png', width: W, height: H },
      ],
      annotations: [ann(0, 1, 1), ann(1, 1, 2), ann(2, 2, 1)],
      categories: [
        { id: 1, name: 'stag-beetle', supercategory: 'insect', extra: { scientific_name: 'Lucanus cervus' } },
        { id: 2, name: 'tarantula', supercategory: 'arachnid' },
      ],
    },
  };
}

const tmp = mkdtempSync(join(tmpdir(), 'exoray-coco-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('buildCoco', () => {
  it('writes every field COCO readers expect, ids from 1, iscrowd 0', () => {
    const { input, masks } = makeInput();
    const coco = buildCoco(input);
    expect(Object.keys(coco)).toEqual(['info', 'licenses', 'images', 'annotations', 'categories']);
    expect(coco.info).toEqual({
      description: 'exoray test',
      version: '0.1.0',
      year: 2025,
      contributor: 'exoray',
      url: '',
      date_created: '2025-03-04T05:06:07Z',
    });
    expect(coco.licenses.map((l) => l.id)).toEqual([1]);
    expect(coco.images[0]).toEqual({ id: 1, file_name: 's000001.png', width: W, height: H, license: 1, exoray_sample_id: 's000001' });
    expect(coco.annotations.map((a) => a.id)).toEqual([1, 2, 3]);
    const a = coco.annotations[1];
    expect(Object.keys(a)).toEqual([
      'id', 'image_id', 'category_id', 'segmentation', 'area', 'bbox', 'iscrowd', 'exoray_object_id', 'exoray_visibility',
    ]);
    expect(a.image_id).toBe(1);
    expect(a.category_id).toBe(2);
    expect(a.iscrowd).toBe(0);
    expect(a.segmentation.size).toEqual([H, W]);
    expect(typeof a.segmentation.counts).toBe('string');
    expect(a.area).toBe(maskArea(masks[1]));
    expect(a.bbox).toEqual(maskBBox(masks[1], W, H));
    expect(coco.categories[0]).toEqual({ id: 1, name: 'stag-beetle', supercategory: 'insect', scientific_name: 'Lucanus cervus' });
  });

  it('is deterministic: input order and extra key order do not change the JSON', () => {
    const { input } = makeInput();
    const shuffled: BuildCocoInput = {
      ...input,
      images: [...input.images].reverse(),
      categories: [...input.categories].reverse(),
      annotations: input.annotations
        .map((a, i) => ({ ...a, id: i + 1, extra: { exoray_object_id: a.extra!.exoray_object_id, exoray_visibility: a.extra!.exoray_visibility } }))
        .reverse(),
    };
    expect(JSON.stringify(buildCoco(shuffled))).toBe(JSON.stringify(buildCoco(input)));
  });

  it('derives bbox and area from the mask and compresses plain counts', () => {
    const { input, masks } = makeInput();
    const plain = input.annotations.map(({ bbox: _b, area: _a, ...a }, i) => ({
      ...a,
      mask: { size: [H, W] as [number, number], counts: maskToCounts(masks[i], W, H) },
    }));
    const coco = buildCoco({ ...input, annotations: plain });
    coco.annotations.forEach((a, i) => {
      expect(a.segmentation.counts).toBe(encodeRle(masks[i], W, H).counts);
      expect(a.area).toBe(maskArea(masks[i]));
      expect(a.bbox).toEqual(maskBBox(masks[i], W, H));
    });
  });

  it('round-trips through a file: validates and decodes to the rendered masks', () => {
    const { input, masks } = makeInput();
    const file = join(tmp, 'instances.json');
    writeFileSync(file, JSON.stringify(buildCoco(input)));
    const loaded = validateCoco(JSON.parse(readFileSync(file, 'utf8')));
    loaded.annotations.forEach((a, i) => expect(decodeRle(a.segmentation)).toEqual(masks[i]));
  });
});

describe('buildCoco rejects what trainers would choke on', () => {
  const build = (edit: (input: BuildCocoInput) => void) => () => {
    const { input } = makeInput();
    edit(input);
    return buildCoco(input);
  };
  const cases: Array<[string, (input: BuildCocoInput) => void, RegExp]> = [
    ['a repeated image id', (i) => (i.images[1].id = 1), /image id 1 is repeated/],
    ['a category id of 0', (i) => (i.categories[0].id = 0), /categories\[0\] needs an integer id >= 1/],
    ['a repeated annotation id', (i) => { i.annotations[0].id = 2; i.annotations[1].id = 2; }, /annotation 2: id is repeated/],
    ['a bbox outside the image', (i) => (i.annotations[0].bbox = [35, 0, 10, 5]), /annotation 1: bbox \[35,0,10,5\] is not inside the 40x30 image/],
    ['a negative bbox origin', (i) => (i.annotations[0].bbox = [-1, 0, 10, 5]), /not inside/],
    ['an area that is not the mask pixel count', (i) => (i.annotations[2].area = 1), /annotation 3: area 1 is not the mask's pixel count/],
    ['an unknown category', (i) => (i.annotations[0].categoryId = 9), /category_id 9 is not in "categories"/],
    ['an unknown image', (i) => (i.annotations[0].imageId = 9), /image_id 9 is not in "images"/],
    ['an RLE size given as [width, height]', (i) => (i.annotations[0].mask = { ...i.annotations[0].mask, size: [W, H] }), /must be \[height, width\] = \[30, 40\]/],
    ['an empty mask', (i) => { i.annotations[0].mask = encodeRle(new Uint8Array(W * H), W, H); i.annotations[0].area = 0; }, /mask is empty/],
    ['an extra field that overwrites a standard one', (i) => (i.annotations[0].extra = { bbox: 1 }), /extra field "bbox"/],
    ['a repeated category name', (i) => (i.categories[1].name = 'stag-beetle'), /category name "stag-beetle" is used by two ids/],
    ['an image license that does not exist', (i) => (i.images[0].license = 3), /image 1 has license 3/],
  ];
  it.each(cases)('%s', (_name, edit, message) => {
    expect(build(edit)).toThrow(expect.objectContaining({ code: 'E_LABEL', message: expect.stringMatching(message) }));
  });

  it('needs a year when dateCreated does not start with one', () => {
    expect(build((i) => (i.info.dateCreated = 'today'))).toThrow(/pass info.year/);
    expect(build((i) => { i.info.dateCreated = 'today'; i.info.year = 2024; })).not.toThrow();
  });
});

describe('validateCoco on hand-edited files', () => {
  const valid = () => JSON.parse(JSON.stringify(buildCoco(makeInput().input)));

  it('requires info and a non-empty licenses list', () => {
    const noInfo = valid();
    delete noInfo.info;
    expect(() => validateCoco(noInfo)).toThrow(/"info" is missing/);
    const noLicenses = valid();
    noLicenses.licenses = [];
    expect(() => validateCoco(noLicenses)).toThrow(/"licenses" is empty/);
  });

  it('requires image width and height', () => {
    const ds = valid();
    delete ds.images[0].width;
    expect(() => validateCoco(ds)).toThrow(/image 1 needs positive integer width and height/);
  });

  it('requires iscrowd 0 or 1 and compressed RLE', () => {
    const ds = valid();
    ds.annotations[0].iscrowd = true;
    ds.annotations[1].segmentation = [[0, 0, 1, 1, 2, 2]];
    expect(() => validateCoco(ds)).toThrow(/2 problems.*iscrowd must be 0 or 1.*compressed RLE/);
  });

  it('rejects corrupt counts with the annotation id', () => {
    const ds = valid();
    ds.annotations[0].segmentation.counts = ds.annotations[0].segmentation.counts.slice(0, -3);
    expect(() => validateCoco(ds)).toThrow(/annotation 1: labels\/rle/);
  });

  it('rejects something that is not an object', () => {
    expect(() => validateCoco([])).toThrow(/must be a JSON object/);
  });
});
