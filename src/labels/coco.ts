/**
 * Pure builder and validator of a COCO "instances" dataset (the JSON that
 * pycocotools' COCO() loads). No I/O: a writer serialises the returned object.
 *
 * The output is deterministic for a given input: fixed key order, images,
 * categories and annotations sorted by id, extra fields in sorted key order,
 * and the creation date passed in rather than read from the clock, so two runs
 * with the same seed write byte-identical files.
 *
 * Everything the builder emits goes through validateCoco, the same check tests
 * run on files read back from disk, so the two can never disagree.
 */
import { ExorayError } from '../core/errors.js';
import type { BBox } from './mask.js';
import { countsToString, rleArea, rleCounts, rleToBBox, type Rle, type RleInput } from './rle.js';
import { validateCoco } from './coco-validate.js';

export { validateCoco };

export interface CocoInfo {
  description: string;
  version: string;
  year: number;
  contributor: string;
  url: string;
  date_created: string;
}

export interface CocoLicense {
  id: number;
  name: string;
  url: string;
}

export interface CocoImage {
  id: number;
  file_name: string;
  width: number;
  height: number;
  license: number;
  [extra: string]: unknown;
}

export interface CocoAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  segmentation: Rle;
  area: number;
  bbox: BBox;
  iscrowd: 0 | 1;
  [extra: string]: unknown;
}

export interface CocoCategory {
  id: number;
  name: string;
  supercategory: string;
  [extra: string]: unknown;
}

export interface CocoDataset {
  info: CocoInfo;
  licenses: CocoLicense[];
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: CocoCategory[];
}

export interface CocoInfoInput {
  description: string;
  version: string;
  /** Written as info.date_created; passed in so that output does not depend on the clock. */
  dateCreated: string;
  /** Defaults to the leading four digits of dateCreated. */
  year?: number;
  contributor?: string;
  url?: string;
}

export interface CocoImageInput {
  /** >= 1, unique. */
  id: number;
  fileName: string;
  width: number;
  height: number;
  /** License id; defaults to 1. */
  license?: number;
  /** Extra fields written after the standard ones, e.g. { exoray_sample_id: 's000042' }. */
  extra?: Record<string, unknown>;
}

export interface CocoAnnotationInput {
  /** >= 1, unique; defaults to the 1-based position in the input list. */
  id?: number;
  imageId: number;
  categoryId: number;
  /** Mask of the whole (amodal) instance; size must be [image height, image width]. */
  mask: RleInput;
  /** Defaults to the mask's box. */
  bbox?: BBox;
  /** Must equal the mask's pixel count; defaults to it. */
  area?: number;
  extra?: Record<string, unknown>;
}

export interface CocoCategoryInput {
  /** >= 1, unique. */
  id: number;
  name: string;
  supercategory: string;
  extra?: Record<string, unknown>;
}

export interface BuildCocoInput {
  info: CocoInfoInput;
  images: CocoImageInput[];
  annotations: CocoAnnotationInput[];
  categories: CocoCategoryInput[];
  /** Defaults to a single license with id 1. */
  licenses?: CocoLicense[];
}

export const DEFAULT_LICENSES: readonly CocoLicense[] = [{ id: 1, name: 'exoray synthetic data', url: '' }];

/** Recursively sorts object keys so extra fields serialise the same whatever order they were built in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function withExtra<T extends object>(base: T, extra: Record<string, unknown> | undefined, what: string): T {
  if (!extra) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const key of Object.keys(extra).sort()) {
    if (key in base) {
      throw new ExorayError('E_LABEL', `labels/coco: extra field "${key}" of ${what} would overwrite a standard COCO field; rename it (e.g. "exoray_${key}").`);
    }
    out[key] = canonical(extra[key]);
  }
  return out as unknown as T;
}

/** Builds and validates a COCO instances dataset; throws E_LABEL naming every problem found. */
export function buildCoco(input: BuildCocoInput): CocoDataset {
  const { info } = input;
  const year = info.year ?? Number(/^\d{4}/.exec(info.dateCreated)?.[0]);
  if (!Number.isInteger(year)) {
    throw new ExorayError('E_LABEL', `labels/coco: cannot take the year from dateCreated ${JSON.stringify(info.dateCreated)}; pass info.year or an ISO date.`);
  }

  const images = input.images.map((im) =>
    withExtra<CocoImage>(
      { id: im.id, file_name: im.fileName, width: im.width, height: im.height, license: im.license ?? 1 },
      im.extra,
      `image ${im.id}`,
    ),
  );

  const annotations = input.annotations.map((a, index) => {
    const id = a.id ?? index + 1;
    let segmentation: Rle;
    try {
      segmentation = { size: [a.mask.size[0], a.mask.size[1]], counts: typeof a.mask.counts === 'string' ? a.mask.counts : countsToString(rleCounts(a.mask)) };
    } catch (e) {
      throw new ExorayError('E_LABEL', `labels/coco: annotation ${id} (image ${a.imageId}) has an invalid mask: ${(e as Error).message}`, { cause: e });
    }
    const bbox = a.bbox ?? maskBoxOrThrow(segmentation, id);
    return withExtra<CocoAnnotation>(
      {
        id,
        image_id: a.imageId,
        category_id: a.categoryId,
        segmentation,
        area: a.area ?? safeArea(segmentation),
        bbox: [bbox[0], bbox[1], bbox[2], bbox[3]],
        iscrowd: 0,
      },
      a.extra,
      `annotation ${id}`,
    );
  });

  const categories = input.categories.map((c) =>
    withExtra<CocoCategory>({ id: c.id, name: c.name, supercategory: c.supercategory }, c.extra, `category ${c.id}`),
  );

  const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
  const dataset: CocoDataset = {
    info: {
      description: info.description,
      version: info.version,
      year,
      contributor: info.contributor ?? '',
      url: info.url ?? '',
      date_created: info.dateCreated,
    },
    licenses: (input.licenses ?? DEFAULT_LICENSES).map((l) => ({ id: l.id, name: l.name, url: l.url })),
    images: images.sort(byId),
    annotations: annotations.sort(byId),
    categories: categories.sort(byId),
  };
  return validateCoco(dataset);
}

function safeArea(rle: Rle): number {
  try {
    return rleArea(rle);
  } catch {
    return NaN; // validateCoco reports the bad mask with its annotation id
  }
}

function maskBoxOrThrow(rle: Rle, id: number): BBox {
  let box: BBox | null;
  try {
    box = rleToBBox(rle);
  } catch (e) {
    throw new ExorayError('E_LABEL', `labels/coco: annotation ${id} has an invalid mask: ${(e as Error).message}`, { cause: e });
  }
  if (!box) {
    throw new ExorayError('E_LABEL', `labels/coco: annotation ${id} has an empty mask; drop instances that do not appear in the image.`);
  }
  return box;
}
