/**
 * Label files for a dataset, written from its database (the source of truth):
 * COCO (all samples, and one file per split), YOLO detection or segmentation
 * with data.yaml, and Pascal VOC. One labelled image per sample and view.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ExorayError } from '../core/errors.js';
import { toolVersion } from '../core/paths.js';
import type { ViewName } from '../core/types.js';
import type { SimulationDb } from '../db/database.js';
import type { StoredInstance, StoredSample } from '../db/records.js';
import { categoryIndexBySpecies, categoryList, type LabelLevel } from '../labels/categories.js';
import { buildCoco, validateCoco, type CocoAnnotationInput, type CocoImageInput } from '../labels/coco.js';
import { largestRing, maskToPolygons } from '../labels/polygon.js';
import { decodeRle } from '../labels/rle.js';
import { vocXml } from '../labels/voc.js';
import { yoloDataYaml, yoloDetectionLines, yoloSegmentationLines } from '../labels/yolo.js';
import { writeFileAtomicSync } from './files.js';
import { SPLIT_NAMES } from './split.js';
import type { SpeciesLibrary } from './species-library.js';

export const LABEL_FORMATS = ['coco', 'yolo', 'yolo-seg', 'voc'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

export interface ExportOptions {
  formats: readonly LabelFormat[];
  labelLevel: LabelLevel;
  /** Start of the run, for COCO's info.date_created (SOURCE_DATE_EPOCH wins when set). */
  runStartedAt?: string;
}

export function parseFormats(text: string): LabelFormat[] {
  const formats = [...new Set(text.split(',').map((f) => f.trim()).filter(Boolean))];
  const unknown = formats.filter((f) => !(LABEL_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0 || formats.length === 0) {
    throw new ExorayError('E_USAGE', `labels: unknown format ${JSON.stringify(unknown[0] ?? text)}; choose from ${LABEL_FORMATS.join(', ')} (comma-separated).`);
  }
  if (formats.includes('yolo') && formats.includes('yolo-seg')) {
    throw new ExorayError('E_USAGE', 'labels: yolo and yolo-seg both write labels/ next to images/ (where trainers look); choose one.');
  }
  return formats as LabelFormat[];
}

/** One labelled image: a sample seen from one view. */
export interface LabelledImage {
  sample: StoredSample;
  view: ViewName;
  file: string;
  stem: string;
  width: number;
  height: number;
  instances: StoredInstance[];
}

/** The labelled images of a dataset, as every label format (and verify) sees them. */
export function labelledImages(samples: Iterable<StoredSample>): LabelledImage[] {
  const out: LabelledImage[] = [];
  for (const sample of samples) {
    for (const view of sample.scene.scanner.views ?? ['top']) {
      const image = sample.files.find((f) => f.view === view && f.kind === 'image');
      const geometry = view === 'side' ? sample.scene.scanner.side : sample.scene.scanner;
      if (!image || !geometry) continue;
      out.push({
        sample,
        view,
        file: image.path,
        stem: path.posix.basename(image.path, '.png'),
        width: geometry.width,
        height: geometry.height,
        // An animal with no pixel in the image has no label in any format; the database keeps it.
        instances: sample.instances.filter((i) => (i.view ?? 'top') === view && i.bbox !== null && i.maskArea > 0),
      });
    }
  }
  return out;
}

/** Reproducible builds set SOURCE_DATE_EPOCH; otherwise the date is the run's start. */
function dateCreated(fallback: string): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString() : fallback;
}

function writeCoco(images: LabelledImage[], out: string, species: SpeciesLibrary, o: ExportOptions): string[] {
  const list = categoryList(species.entries(), o.labelLevel);
  const classOf = categoryIndexBySpecies(list);
  const categories = list.map((c, i) => ({
    id: i + 1,
    name: c.name,
    supercategory: c.supercategory,
    extra:
      o.labelLevel === 'species'
        ? { scientific_name: species.get(c.name).scientificName, common_names: species.get(c.name).commonNames, taxonomy: species.get(c.name).taxonomy }
        : { species: c.members },
  }));
  const build = (subset: LabelledImage[]) => {
    const cocoImages: CocoImageInput[] = [];
    const annotations: CocoAnnotationInput[] = [];
    subset.forEach((img, i) => {
      const raw = (kind: string) => img.sample.files.find((f) => f.view === img.view && f.kind === kind)?.path ?? null;
      cocoImages.push({
        id: i + 1,
        fileName: img.file,
        width: img.width,
        height: img.height,
        extra: {
          exoray_sample_id: img.sample.id,
          exoray_view: img.view,
          exoray_split: img.sample.split,
          exoray_low_file: raw('low'),
          exoray_high_file: raw('high'),
          exoray_seed: img.sample.seed,
          exoray_preset: img.sample.preset,
        },
      });
      for (const inst of img.instances) {
        annotations.push({
          imageId: i + 1,
          categoryId: classOf.get(inst.species)! + 1,
          mask: inst.maskRle,
          bbox: inst.bbox!,
          area: inst.maskArea,
          extra: {
            exoray_object_id: inst.objectId,
            exoray_species: inst.species,
            exoray_length_mm: inst.lengthMm,
            exoray_visibility: inst.visibility,
            exoray_difficulty: inst.difficulty,
          },
        });
      }
    });
    const coco = buildCoco({
      info: {
        description: 'exoray synthetic X-ray dataset',
        version: toolVersion(),
        dateCreated: dateCreated(o.runStartedAt ?? new Date().toISOString()),
        contributor: 'exoray',
        url: '',
      },
      images: cocoImages,
      annotations,
      categories,
    });
    return validateCoco(coco);
  };
  const written: string[] = [];
  const write = (name: string, subset: LabelledImage[]) => {
    const file = path.join(out, 'annotations', name);
    writeFileAtomicSync(file, `${JSON.stringify(build(subset))}\n`);
    written.push(file);
  };
  write('instances.json', images);
  for (const split of SPLIT_NAMES) {
    const subset = images.filter((img) => img.sample.split === split);
    if (subset.length > 0) write(`instances_${split}.json`, subset);
  }
  return written;
}

function writeYolo(images: LabelledImage[], out: string, species: SpeciesLibrary, o: ExportOptions, segment: boolean): string[] {
  const list = categoryList(species.entries(), o.labelLevel);
  const classOf = categoryIndexBySpecies(list);
  // Trainers find labels by replacing /images/ with /labels/ in each image path.
  const labelsDir = path.join(out, 'labels');
  rmSync(labelsDir, { recursive: true, force: true });
  mkdirSync(labelsDir, { recursive: true });
  for (const img of images) {
    const text = segment
      ? yoloSegmentationLines(
          img.instances.map((inst) => ({
            classIndex: classOf.get(inst.species)!,
            polygon: largestRing(maskToPolygons(decodeRle(inst.maskRle), img.width, img.height)) ?? [],
          })),
          img.width,
          img.height,
          list.length,
        )
      : yoloDetectionLines(
          img.instances.map((inst) => ({ classIndex: classOf.get(inst.species)!, bbox: inst.bbox! })),
          img.width,
          img.height,
          list.length,
        );
    writeFileAtomicSync(path.join(labelsDir, `${img.stem}.txt`), text);
  }
  const lists: Record<string, string> = {};
  for (const split of SPLIT_NAMES) {
    const subset = images.filter((img) => img.sample.split === split);
    if (subset.length === 0) continue;
    writeFileAtomicSync(path.join(out, `${split}.txt`), subset.map((img) => `./${img.file}\n`).join(''));
    lists[split] = `${split}.txt`;
  }
  writeFileAtomicSync(
    path.join(out, 'data.yaml'),
    yoloDataYaml({ train: lists.train ?? 'train.txt', val: lists.val ?? lists.train ?? 'train.txt', test: lists.test, names: list.map((c) => c.name) }),
  );
  return [labelsDir, path.join(out, 'data.yaml')];
}

function writeVoc(images: LabelledImage[], out: string, species: SpeciesLibrary, o: ExportOptions): string[] {
  const list = categoryList(species.entries(), o.labelLevel);
  const nameOf = new Map<string, string>();
  for (const c of list) for (const m of c.members) nameOf.set(m, c.name);
  const dir = path.join(out, 'voc');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'Annotations'), { recursive: true });
  mkdirSync(path.join(dir, 'ImageSets', 'Main'), { recursive: true });
  for (const img of images) {
    const xml = vocXml({
      folder: 'images',
      filename: path.basename(img.file),
      width: img.width,
      height: img.height,
      depth: img.sample.scene.scanner.spectral ? 3 : 1,
      objects: img.instances.map((inst) => ({
        name: nameOf.get(inst.species)!,
        bbox: inst.bbox!,
        // Amodal boxes are never cut at the image edge. Hidden animals are not marked VOC-"difficult":
        // evaluators would skip them, and finding them is the point; the level is in <difficulty>.
        truncated: false,
        difficult: false,
        extra: { species: inst.species, visibility: inst.visibility ?? '', difficulty: inst.difficulty ?? '' },
      })),
    });
    writeFileAtomicSync(path.join(dir, 'Annotations', `${img.stem}.xml`), xml);
  }
  for (const split of SPLIT_NAMES) {
    const subset = images.filter((img) => img.sample.split === split);
    if (subset.length > 0) writeFileAtomicSync(path.join(dir, 'ImageSets', 'Main', `${split}.txt`), subset.map((img) => `${img.stem}\n`).join(''));
  }
  return [dir];
}

/** Writes every requested format; returns what was written. */
export function writeLabelFiles(db: SimulationDb, out: string, species: SpeciesLibrary, o: ExportOptions): string[] {
  // Superseded and retired samples (see refresh) are kept for audit but are not part of the dataset.
  const images = labelledImages(db.listSamples({ status: 'active' }).map((summary) => db.getSample(summary.id)!));
  mkdirSync(path.join(out, 'annotations'), { recursive: true });
  const written: string[] = [];
  for (const format of o.formats) {
    if (format === 'coco') written.push(...writeCoco(images, out, species, o));
    else if (format === 'yolo' || format === 'yolo-seg') written.push(...writeYolo(images, out, species, o, format === 'yolo-seg'));
    else written.push(...writeVoc(images, out, species, o));
  }
  return written;
}
