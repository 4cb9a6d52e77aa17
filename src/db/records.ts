/**
 * What the simulation database stores, as TypeScript records, and the mapping
 * between them and table rows. No I/O here.
 *
 * A SampleRecord carries the SceneDescription itself; the searchable columns
 * (size, seed, preset, container, counts, objects) are derived from it here, so
 * they can never disagree with the scene that is stored next to them.
 */
import { ExorayError } from '../core/errors.js';
import type { ObjectRole, ScannerSettings, SceneDescription, ViewName } from '../core/types.js';
import type { BBox } from '../labels/mask.js';
import type { Rle } from '../labels/rle.js';
import type { Difficulty } from '../labels/difficulty.js';

export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

/**
 * 'active' samples are the dataset; 'superseded' ones were made with an older model of
 * their species and 'retired' ones for a species no longer in the catalog (see refresh).
 * Both kinds keep their rows and files, and are left out of label files and exports.
 */
export type SampleStatus = 'active' | 'superseded' | 'retired';
export const SAMPLE_STATUSES: readonly SampleStatus[] = ['active', 'superseded', 'retired'];

/** One invocation of the generator (or one shard of it). */
export interface RunInfo {
  toolVersion: string;
  gitRevision?: string | null;
  preset: string;
  /** The run seed; each sample's own seed is in its SceneDescription. */
  seed: number;
  /** The resolved generator options, stored as JSON for reproduction. */
  options?: Record<string, unknown>;
  host?: string | null;
  shard?: { index: number; count: number } | null;
  /** ISO 8601; defaults to now. */
  startedAt?: string;
}

export interface StoredRun extends Required<Omit<RunInfo, 'startedAt'>> {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
}

/** One labelled animal in a sample (amodal: its whole body, see DESIGN.md section 4). */
export interface InstanceRecord {
  /** Which projection the label belongs to (default 'top'). */
  view?: ViewName;
  /** 0-based position among the sample's instances; unique per sample and view. */
  instanceIndex: number;
  /** Id of the animal's SceneObject. */
  objectId: string;
  species: string;
  scientificName: string;
  /** [x, y, w, h] in pixels from the top-left; null when no pixel of the animal is in the image. */
  bbox: BBox | null;
  /** Pixel count of the mask. */
  maskArea: number;
  /** Compressed COCO RLE of the mask. */
  maskRle: Rle;
  lengthMm: number;
  /** Share of the signal along the mask that comes from the animal, 0..1; null when not measured. */
  visibility?: number | null;
  /** Level derived from the visibility (labels/difficulty.ts); null when not measured. */
  difficulty?: Difficulty | null;
}

export interface StoredInstance extends InstanceRecord {
  id: number;
  view: ViewName;
  difficulty: Difficulty | null;
  visibility: number | null;
}

/** Everything about one generated sample, as the generator hands it to insertSample. */
export interface SampleRecord {
  /** Stable id, e.g. formatSampleId(42) = 's000042'. */
  id: string;
  runId: number;
  sampleIndex: number;
  /** The scene that decides the image; seed, preset, size, container and counts come from it. */
  scene: SceneDescription;
  /** 'train' | 'val' | 'test' or any name; null when not assigned yet. */
  split?: string | null;
  imagePath: string;
  /** Hex SHA-256 of the image file. */
  imageSha256: string;
  /** The raw 16-bit detector images, when written. */
  rawPath?: string | null;
  rawSha256?: string | null;
  renderMs?: number | null;
  /** ISO 8601; defaults to now. */
  createdAt?: string;
  instances: InstanceRecord[];
  /** Every file of the sample by view and kind ('image', 'low', 'high', 'grey', 'overlay'), paths relative to the dataset. */
  files?: SampleFile[];
  /**
   * Materials of objects built from catalog assets, by object id: the scene only
   * names the asset, whose model names the materials. Other objects' materials
   * are read from their parts.
   */
  objectMaterials?: Record<string, string[]>;
  /** The species a refresh made this sample for (null for samples of a plain run). */
  targetSpecies?: string | null;
  /** sha256 of that species' model file when the sample was made. */
  modelSha256?: string | null;
}

export interface SampleFile {
  view: ViewName;
  kind: string;
  path: string;
  sha256: string;
}

/** A sample row without the large JSON columns, for lists. */
export interface SampleSummary {
  id: string;
  runId: number;
  sampleIndex: number;
  seed: number;
  preset: string;
  split: string | null;
  width: number;
  height: number;
  containerKind: string | null;
  clutterCount: number;
  animalCount: number;
  imagePath: string;
  rawPath: string | null;
  imageSha256: string;
  rawSha256: string | null;
  renderMs: number | null;
  createdAt: string;
  status: SampleStatus;
  targetSpecies: string | null;
  modelSha256: string | null;
}

export interface StoredObject {
  objectId: string;
  role: ObjectRole;
  kind: string;
  materials: string[];
}

export interface StoredSample extends SampleSummary {
  scanner: ScannerSettings;
  scene: SceneDescription;
  /** Top view first, each view in instance_index order. */
  instances: StoredInstance[];
  /** Sorted by object id (the scene JSON keeps the scene's own order). */
  objects: StoredObject[];
  /** Top view first, each view by kind. */
  files: SampleFile[];
}

export function formatSampleId(index: number): string {
  return `s${String(index).padStart(6, '0')}`;
}

// ---- rows ----------------------------------------------------------------

export interface SampleRow {
  id: string;
  run_id: number;
  sample_index: number;
  seed: number;
  preset: string;
  split: string | null;
  width: number;
  height: number;
  scanner_json: string;
  container_kind: string | null;
  clutter_count: number;
  animal_count: number;
  scene_json: string;
  image_path: string;
  raw_path: string | null;
  image_sha256: string;
  raw_sha256: string | null;
  render_ms: number | null;
  created_at: string;
  status: SampleStatus;
  target_species: string | null;
  model_sha256: string | null;
}

export interface InstanceRow {
  id?: number;
  sample_id: string;
  view: ViewName;
  instance_index: number;
  object_id: string;
  species: string;
  scientific_name: string;
  bbox_x: number | null;
  bbox_y: number | null;
  bbox_w: number | null;
  bbox_h: number | null;
  mask_area: number;
  mask_rle: string;
  length_mm: number;
  visibility: number | null;
  difficulty: Difficulty | null;
}

export interface ObjectRow {
  sample_id: string;
  object_id: string;
  role: ObjectRole;
  kind: string;
  materials: string;
}

export interface RunRow {
  id: number;
  tool_version: string;
  git_revision: string | null;
  preset: string;
  seed: number;
  options_json: string;
  host: string | null;
  shard_index: number | null;
  shard_count: number | null;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
}

export function sampleToRow(r: SampleRecord, now: string): SampleRow {
  const { scene } = r;
  // One pass over the objects (the insert path runs this a million times).
  let clutter = 0;
  let animals = 0;
  let container: string | null = null;
  for (const o of scene.objects) {
    if (o.role === 'clutter') clutter++;
    else if (o.role === 'animal') animals++;
    else if (o.role === 'container' && container === null) container = o.kind;
  }
  return {
    id: r.id,
    run_id: r.runId,
    sample_index: r.sampleIndex,
    seed: scene.seed,
    preset: scene.preset,
    split: r.split ?? null,
    width: scene.scanner.width,
    height: scene.scanner.height,
    scanner_json: JSON.stringify(scene.scanner),
    container_kind: container,
    clutter_count: clutter,
    animal_count: animals,
    scene_json: JSON.stringify(scene),
    image_path: r.imagePath,
    raw_path: r.rawPath ?? null,
    image_sha256: r.imageSha256,
    raw_sha256: r.rawSha256 ?? null,
    render_ms: r.renderMs ?? null,
    created_at: r.createdAt ?? now,
    // A new sample is part of the dataset; only a refresh changes that, by UPDATE.
    status: 'active',
    target_species: r.targetSpecies ?? null,
    model_sha256: r.modelSha256 ?? null,
  };
}

export function objectRows(r: SampleRecord): ObjectRow[] {
  const rows: ObjectRow[] = [];
  for (const o of r.scene.objects) {
    let materials = r.objectMaterials?.[o.id];
    if (!materials) {
      // Distinct materials of the object's own parts, in order (loops: a million samples of tens of objects).
      materials = [];
      for (const p of o.parts) if (p.shape.type !== 'asset' && p.material && !materials.includes(p.material)) materials.push(p.material);
    }
    for (const m of materials) {
      if (m.includes(',')) {
        // The column is a comma list; a comma inside a name would split it in two.
        throw new ExorayError('E_DATABASE', `db: material id ${JSON.stringify(m)} of object "${o.id}" in sample ${r.id} contains a comma; rename the material.`);
      }
    }
    rows.push({ sample_id: r.id, object_id: o.id, role: o.role, kind: o.kind, materials: materials.join(',') });
  }
  return rows;
}

/** Bytewise order, as SQLite's BINARY collation compares the ASCII ids and kinds. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * samples.objects_json (schema version 9): [[object_id, role, kind, materials], ...] in
 * object_id order, the rows of the `objects` view.
 */
export function objectsJson(rows: readonly ObjectRow[]): string {
  // Pushed, not map()ped: map() makes a holey array, which JSON.stringify walks element by
  // element through its slow path (a tenth of preparing a sample).
  const tuples: Array<readonly [string, ObjectRole, string, string]> = [];
  for (const o of rows) tuples.push([o.object_id, o.role, o.kind, o.materials]);
  tuples.sort((a, b) => byText(a[0], b[0]));
  for (let k = 1; k < tuples.length; k++) {
    if (tuples[k]![0] === tuples[k - 1]![0]) {
      throw new ExorayError('E_DATABASE', `db: sample ${rows[0]!.sample_id} has two objects with id ${JSON.stringify(tuples[k]![0])}; object ids are unique in a scene.`);
    }
  }
  return JSON.stringify(tuples);
}

/**
 * samples.files_json (schema version 9): [[view, kind, path, sha256], ...] in (view, kind)
 * order, the rows of the `sample_files` view. The checks are those of the former table.
 */
export function filesJson(sampleId: string, files: readonly SampleFile[]): string {
  const tuples: Array<readonly [ViewName, string, string, string]> = [];
  for (const f of files) {
    if (f.view !== 'top' && f.view !== 'side') {
      throw new ExorayError('E_DATABASE', `db: file ${JSON.stringify(f.path)} of sample ${sampleId} has view ${JSON.stringify(f.view)}; a view is 'top' or 'side'.`);
    }
    if (typeof f.sha256 !== 'string' || f.sha256.length !== 64) {
      throw new ExorayError('E_DATABASE', `db: file ${JSON.stringify(f.path)} of sample ${sampleId} has no 64-digit hex sha256; hash the file before storing the sample.`);
    }
    tuples.push([f.view, f.kind, f.path, f.sha256]);
  }
  tuples.sort((a, b) => byText(a[0], b[0]) || byText(a[1], b[1]));
  for (let k = 1; k < tuples.length; k++) {
    if (tuples[k]![0] === tuples[k - 1]![0] && tuples[k]![1] === tuples[k - 1]![1]) {
      throw new ExorayError('E_DATABASE', `db: sample ${sampleId} lists two ${tuples[k]![0]} files of kind ${JSON.stringify(tuples[k]![1])}; give each view and kind once.`);
    }
  }
  return JSON.stringify(tuples);
}

export function instanceToRow(sampleId: string, i: InstanceRecord): InstanceRow {
  return {
    sample_id: sampleId,
    view: i.view ?? 'top',
    instance_index: i.instanceIndex,
    object_id: i.objectId,
    species: i.species,
    scientific_name: i.scientificName,
    bbox_x: i.bbox ? i.bbox[0] : null,
    bbox_y: i.bbox ? i.bbox[1] : null,
    bbox_w: i.bbox ? i.bbox[2] : null,
    bbox_h: i.bbox ? i.bbox[3] : null,
    mask_area: i.maskArea,
    mask_rle: JSON.stringify({ size: i.maskRle.size, counts: i.maskRle.counts }),
    length_mm: i.lengthMm,
    visibility: i.visibility ?? null,
    difficulty: i.difficulty ?? null,
  };
}

export function rowToSummary(row: SampleRow): SampleSummary {
  return {
    id: row.id,
    runId: row.run_id,
    sampleIndex: row.sample_index,
    seed: row.seed,
    preset: row.preset,
    split: row.split,
    width: row.width,
    height: row.height,
    containerKind: row.container_kind,
    clutterCount: row.clutter_count,
    animalCount: row.animal_count,
    imagePath: row.image_path,
    rawPath: row.raw_path,
    imageSha256: row.image_sha256,
    rawSha256: row.raw_sha256,
    renderMs: row.render_ms,
    createdAt: row.created_at,
    status: row.status,
    targetSpecies: row.target_species,
    modelSha256: row.model_sha256,
  };
}

export function rowToInstance(row: InstanceRow): StoredInstance {
  const hasBox = row.bbox_x !== null && row.bbox_y !== null && row.bbox_w !== null && row.bbox_h !== null;
  return {
    id: row.id!,
    view: row.view,
    instanceIndex: row.instance_index,
    objectId: row.object_id,
    species: row.species,
    scientificName: row.scientific_name,
    bbox: hasBox ? [row.bbox_x!, row.bbox_y!, row.bbox_w!, row.bbox_h!] : null,
    maskArea: row.mask_area,
    maskRle: JSON.parse(row.mask_rle) as Rle,
    lengthMm: row.length_mm,
    visibility: row.visibility,
    difficulty: row.difficulty,
  };
}

export function rowToObject(row: ObjectRow): StoredObject {
  return { objectId: row.object_id, role: row.role, kind: row.kind, materials: row.materials === '' ? [] : row.materials.split(',') };
}

export function rowToRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    toolVersion: row.tool_version,
    gitRevision: row.git_revision,
    preset: row.preset,
    seed: row.seed,
    options: JSON.parse(row.options_json) as Record<string, unknown>,
    host: row.host,
    shard: row.shard_index === null || row.shard_count === null ? null : { index: row.shard_index, count: row.shard_count },
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
  };
}
