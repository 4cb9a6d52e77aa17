/**
 * Writes COCO instances for a dataset from its database, the source of truth.
 * Categories are the catalog's species (ids from 1, in catalog order), with the
 * taxonomy in `supercategory` (order) and in extra fields.
 */
import path from 'node:path';
import type { SimulationDb } from '../db/database.js';
import { buildCoco, validateCoco, type CocoAnnotationInput, type CocoImageInput } from '../labels/coco.js';
import { toolVersion } from '../core/paths.js';
import { writeFileAtomicSync } from './files.js';
import type { SpeciesLibrary } from './species-library.js';

/** Reproducible builds set SOURCE_DATE_EPOCH; otherwise the date is the run's start. */
function dateCreated(fallback: string): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString() : fallback;
}

export function writeCocoFromDb(db: SimulationDb, out: string, species: SpeciesLibrary, runStartedAt?: string): string {
  const categories = species.ids().map((id, i) => {
    const e = species.get(id);
    return {
      id: i + 1,
      name: id,
      supercategory: e.taxonomy.order,
      extra: { scientific_name: e.scientificName, common_names: e.commonNames, taxonomy: e.taxonomy },
    };
  });
  const categoryOf = new Map(categories.map((c) => [c.name, c.id]));
  const images: CocoImageInput[] = [];
  const annotations: CocoAnnotationInput[] = [];
  // One COCO image per sample and view; the labels of a view go with its image.
  for (const summary of db.listSamples()) {
    const sample = db.getSample(summary.id)!;
    for (const view of sample.scene.scanner.views ?? ['top']) {
      const image = sample.files.find((f) => f.view === view && f.kind === 'image');
      if (!image) continue;
      const imageId = images.length + 1;
      const raw = (kind: string) => sample.files.find((f) => f.view === view && f.kind === kind)?.path ?? null;
      const width = view === 'side' ? sample.scene.scanner.side!.width : sample.width;
      const height = view === 'side' ? sample.scene.scanner.side!.height : sample.height;
      images.push({
        id: imageId,
        fileName: image.path,
        width,
        height,
        extra: {
          exoray_sample_id: sample.id,
          exoray_view: view,
          exoray_low_file: raw('low'),
          exoray_high_file: raw('high'),
          exoray_seed: sample.seed,
          exoray_preset: sample.preset,
        },
      });
      for (const inst of sample.instances) {
        // An animal entirely outside the image has no pixels and no COCO annotation; the database keeps it.
        if (inst.view !== view || !inst.bbox || inst.maskArea === 0) continue;
        annotations.push({
          imageId,
          categoryId: categoryOf.get(inst.species)!,
          mask: inst.maskRle,
          bbox: inst.bbox,
          area: inst.maskArea,
          extra: {
            exoray_object_id: inst.objectId,
            exoray_length_mm: inst.lengthMm,
            exoray_visibility: inst.visibility,
            exoray_difficulty: inst.difficulty,
          },
        });
      }
    }
  }
  const coco = buildCoco({
    info: {
      description: 'exoray synthetic X-ray dataset',
      version: toolVersion(),
      dateCreated: dateCreated(runStartedAt ?? new Date().toISOString()),
      contributor: 'exoray',
      url: '',
    },
    images,
    annotations,
    categories,
  });
  validateCoco(coco);
  const file = path.join(out, 'annotations', 'instances.json');
  writeFileAtomicSync(file, `${JSON.stringify(coco)}\n`);
  return file;
}
