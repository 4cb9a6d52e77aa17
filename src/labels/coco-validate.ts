/**
 * Structural and semantic check of a COCO instances dataset, for what we build
 * and for files read back from disk. It catches the mistakes generators keep
 * making (DESIGN.md section 4): ids from 0 or repeated, boxes outside the image,
 * `area` not the mask's pixel count, RLE size as [width, height], dangling
 * image or category ids, missing info/licenses/width/height.
 */
import { ExorayError } from '../core/errors.js';
import type { CocoDataset } from './coco.js';
import { rleArea } from './rle.js';

/** How many problems the error message lists before summarising the rest. */
const MAX_LISTED = 10;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isId = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const isPosInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const q = (v: unknown) => JSON.stringify(v);

/**
 * Returns `obj` typed as a dataset when it is a valid COCO instances file;
 * otherwise throws E_LABEL listing the problems (each names the entry).
 */
export function validateCoco(obj: unknown): CocoDataset {
  const problems: string[] = [];
  const bad = (msg: string) => problems.push(msg);

  if (!isObj(obj)) {
    throw new ExorayError('E_LABEL', `labels/coco: a COCO dataset must be a JSON object, got ${Array.isArray(obj) ? 'an array' : typeof obj}.`);
  }
  for (const key of ['images', 'annotations', 'categories', 'licenses'] as const) {
    if (!Array.isArray(obj[key])) bad(`"${key}" must be an array`);
  }

  const info = obj.info;
  if (!isObj(info)) {
    bad('"info" is missing (pycocotools\' loadRes copies it; some tools require it)');
  } else {
    for (const key of ['description', 'version', 'contributor', 'url', 'date_created']) {
      if (typeof info[key] !== 'string') bad(`info.${key} must be a string, got ${q(info[key])}`);
    }
    if (!Number.isInteger(info.year)) bad(`info.year must be an integer, got ${q(info.year)}`);
  }

  const licenseIds = new Set<number>();
  if (Array.isArray(obj.licenses)) {
    if (obj.licenses.length === 0) bad('"licenses" is empty; add at least { id: 1, name, url }');
    obj.licenses.forEach((l, i) => {
      if (!isObj(l) || !isId(l.id)) return bad(`licenses[${i}] needs an integer id >= 1`);
      if (licenseIds.has(l.id)) bad(`license id ${l.id} is repeated`);
      licenseIds.add(l.id);
      if (typeof l.name !== 'string' || typeof l.url !== 'string') bad(`license ${l.id} needs string name and url`);
    });
    if (obj.licenses.length > 0 && !licenseIds.has(1)) bad('no license with id 1');
  }

  const images = new Map<number, Obj>();
  if (Array.isArray(obj.images)) {
    obj.images.forEach((im, i) => {
      if (!isObj(im) || !isId(im.id)) return bad(`images[${i}] needs an integer id >= 1, got ${q(isObj(im) ? im.id : im)}`);
      if (images.has(im.id)) bad(`image id ${im.id} is repeated`);
      images.set(im.id, im);
      if (typeof im.file_name !== 'string' || im.file_name === '') bad(`image ${im.id} needs a file_name`);
      if (!isPosInt(im.width) || !isPosInt(im.height)) bad(`image ${im.id} needs positive integer width and height, got ${q(im.width)}x${q(im.height)}`);
      if (!licenseIds.has(im.license as number)) bad(`image ${im.id} has license ${q(im.license)}, which is not in "licenses"`);
    });
  }

  const categoryIds = new Set<number>();
  const categoryNames = new Set<string>();
  if (Array.isArray(obj.categories)) {
    obj.categories.forEach((c, i) => {
      if (!isObj(c) || !isId(c.id)) return bad(`categories[${i}] needs an integer id >= 1 (ids start at 1), got ${q(isObj(c) ? c.id : c)}`);
      if (categoryIds.has(c.id)) bad(`category id ${c.id} is repeated`);
      categoryIds.add(c.id);
      if (typeof c.name !== 'string' || c.name === '') bad(`category ${c.id} needs a name`);
      else if (categoryNames.has(c.name)) bad(`category name ${q(c.name)} is used by two ids`);
      else categoryNames.add(c.name);
      if (typeof c.supercategory !== 'string') bad(`category ${c.id} needs a string supercategory`);
    });
  }

  const annotationIds = new Set<number>();
  if (Array.isArray(obj.annotations)) {
    obj.annotations.forEach((a, i) => {
      if (!isObj(a) || !isId(a.id)) return bad(`annotations[${i}] needs an integer id >= 1 (ids start at 1), got ${q(isObj(a) ? a.id : a)}`);
      const name = `annotation ${a.id}`;
      if (annotationIds.has(a.id)) bad(`${name}: id is repeated`);
      annotationIds.add(a.id);
      if (!categoryIds.has(a.category_id as number)) bad(`${name}: category_id ${q(a.category_id)} is not in "categories"`);
      if (a.iscrowd !== 0 && a.iscrowd !== 1) bad(`${name}: iscrowd must be 0 or 1, got ${q(a.iscrowd)}`);
      const image = images.get(a.image_id as number);
      if (!image) return bad(`${name}: image_id ${q(a.image_id)} is not in "images"`);
      checkAnnotation(a, image, name, bad);
    });
  }

  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED).join('; ');
    const more = problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : '';
    throw new ExorayError('E_LABEL', `labels/coco: invalid COCO dataset (${problems.length} problem${problems.length > 1 ? 's' : ''}): ${listed}${more}.`);
  }
  return obj as unknown as CocoDataset;
}

/** Mask and box of one annotation against its image. */
function checkAnnotation(a: Obj, image: Obj, name: string, bad: (msg: string) => void): void {
  const width = image.width as number;
  const height = image.height as number;

  const seg = a.segmentation;
  if (!isObj(seg) || typeof seg.counts !== 'string') {
    bad(`${name}: segmentation must be compressed RLE { size, counts: string }`);
  } else if (!Array.isArray(seg.size) || seg.size[0] !== height || seg.size[1] !== width) {
    bad(`${name}: segmentation size ${q(seg.size)} must be [height, width] = [${height}, ${width}] of image ${q(image.id)}`);
  } else {
    try {
      const area = rleArea({ size: [height, width], counts: seg.counts });
      if (area === 0) bad(`${name}: mask is empty; drop instances that do not appear in the image`);
      if (a.area !== area) bad(`${name}: area ${q(a.area)} is not the mask's pixel count ${area}`);
    } catch (e) {
      bad(`${name}: ${(e as Error).message}`);
    }
  }

  const b = a.bbox;
  if (!Array.isArray(b) || b.length !== 4 || !b.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return bad(`${name}: bbox must be [x, y, width, height] numbers, got ${q(b)}`);
  }
  const [x, y, w, h] = b as number[];
  if (w <= 0 || h <= 0) bad(`${name}: bbox ${q(b)} has no extent`);
  if (x < 0 || y < 0 || x + w > width || y + h > height) {
    bad(`${name}: bbox ${q(b)} is not inside the ${width}x${height} image (bbox is [x, y, width, height] from the top-left)`);
  }
}
