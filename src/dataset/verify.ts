/**
 * `exoray verify`: checks a dataset folder against its manifest and its
 * database, and its label files against the database they were written from.
 *
 * - every file in manifest.json exists with its size and SHA-256; files the
 *   manifest does not list are reported (warning: they do not damage the dataset);
 * - every file of every sample (sample_files) exists and has the SHA-256 the
 *   database and the manifest record; PNG images have a sound structure and the
 *   sample's size (with `deep`: chunk CRCs checked and every pixel decoded);
 * - the database agrees with itself (run completed, sample paths and hashes,
 *   each mask's RLE decodes to its area and box);
 * - COCO (instances.json and the per-split files), YOLO (labels/, split lists,
 *   data.yaml) and Pascal VOC (voc/) agree with the database, box for box.
 *
 * No dataset file is written: the database is opened read-only (SQLite may
 * still create its -wal/-shm side files, which the manifest leaves out). A
 * folder that is not a dataset at all is an E_USAGE error; everything else is
 * a problem in the report.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import yaml from 'js-yaml';
import sharp from 'sharp';
import { ExorayError } from '../core/errors.js';
import type { ViewName } from '../core/types.js';
import { openDatabase, type SimulationDb } from '../db/database.js';
import type { StoredInstance, StoredSample } from '../db/records.js';
import { categoryIndexBySpecies, categoryList, LABEL_LEVELS, type LabelLevel } from '../labels/categories.js';
import { validateCoco } from '../labels/coco.js';
import { maskArea, maskBBox, type BBox } from '../labels/mask.js';
import { largestRing, maskToPolygons } from '../labels/polygon.js';
import { decodeRle, type RleInput } from '../labels/rle.js';
import { parseVocBoxes, type VocParsed } from '../labels/voc.js';
import { yoloDetectionLines, yoloSegmentationLines } from '../labels/yolo.js';
import { loadCatalog } from '../species/catalog.js';
import { sha256 } from './files.js';
import { isSafeRelative, listDatasetFiles, MANIFEST_FILE, readManifest, type ManifestEntry } from './manifest.js';
import { decodeGreyPng } from './png.js';
import { OUTPUT_FOLDERS } from './sample.js';
import { labelledImages, type LabelledImage } from './export.js';
import { SPLIT_NAMES } from './split.js';

export const PROBLEM_KINDS = [
  'missing-file',
  'hash-mismatch',
  'extra-file',
  'unreadable-image',
  'label-mismatch',
  'db-mismatch',
  'invalid-manifest',
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export interface VerifyProblem {
  kind: ProblemKind;
  /** 'warning' does not make the dataset fail (files the manifest does not list). */
  severity: 'error' | 'warning';
  /** The file concerned, relative to the dataset folder (posix). */
  path?: string;
  sampleId?: string;
  /** Names the file, what differs and what to do. */
  message: string;
}

export interface VerifyReport {
  /** Absolute dataset folder. */
  dir: string;
  /** True when no problem is an error (warnings allowed). */
  ok: boolean;
  deep: boolean;
  checked: {
    /** Distinct files checked (sample files, manifest entries, label files). */
    files: number;
    /** Samples in the database. */
    samples: number;
    /** Labelled instances (an animal with pixels in an image) checked against the label files. */
    instances: number;
    /** Label files checked (COCO, YOLO, VOC, split lists, data.yaml). */
    labels: number;
  };
  errors: number;
  warnings: number;
  problems: VerifyProblem[];
}

export interface VerifyOptions {
  /** Check PNG chunk CRCs and decode every image's pixels (slower). */
  deep?: boolean;
  /** Species catalog folder the label categories come from (default: the one the dataset's last run used, else the bundled one). */
  catalog?: string;
}

const DB_FILE = 'exoray.db';
const SAMPLE_FOLDERS: readonly string[] = OUTPUT_FOLDERS.filter((f) => f !== 'annotations');

const FIX_LABELS = 'rewrite the label files from exoray.db with `exoray generate --resume` and the options the dataset was made with';
const FIX_SAMPLES = 'regenerate the dataset with `exoray generate --overwrite` and the same seed and options (the same seed gives the same files)';
const FIX_MANIFEST = 'rewrite manifest.json with `exoray generate --resume` and the options the dataset was made with';

/** Categories of the dataset at the label level its files were written with. */
interface Categories {
  level: LabelLevel;
  names: string[];
  /** Species id to 0-based category index. */
  indexOf: Map<string, number>;
}

const q = (v: unknown) => JSON.stringify(v);
const sameBox = (a: readonly number[] | null | undefined, b: readonly number[] | null | undefined) =>
  a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]));
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Walks a PNG's chunks: signature, IHDR first, IEND last with nothing after it, lengths in range; CRCs when asked. */
export function pngStructure(data: Buffer, checkCrc: boolean): { width: number; height: number; depth: number; colour: number } {
  if (data.length < 8 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG file (bad signature)');
  let off = 8;
  let header: { width: number; height: number; depth: number; colour: number } | null = null;
  let ended = false;
  let idat = 0;
  while (off < data.length) {
    if (off + 12 > data.length) throw new Error(`truncated chunk header at byte ${off}`);
    const len = data.readUInt32BE(off);
    const type = data.toString('latin1', off + 4, off + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`invalid chunk type at byte ${off}`);
    if (off + 12 + len > data.length) throw new Error(`chunk ${type} at byte ${off} runs past the end of the file (truncated)`);
    if (header === null && type !== 'IHDR') throw new Error(`first chunk is ${type}, not IHDR`);
    if (checkCrc) {
      const crc = zlib.crc32(data.subarray(off + 4, off + 8 + len));
      if (crc !== data.readUInt32BE(off + 8 + len)) throw new Error(`CRC of chunk ${type} at byte ${off} is wrong (damaged bytes)`);
    }
    if (type === 'IHDR') {
      if (len !== 13) throw new Error('IHDR chunk has the wrong length');
      header = { width: data.readUInt32BE(off + 8), height: data.readUInt32BE(off + 12), depth: data[off + 16]!, colour: data[off + 17]! };
    } else if (type === 'IDAT') idat++;
    off += 12 + len;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (header === null) throw new Error('no IHDR chunk');
  if (idat === 0) throw new Error('no image data (IDAT)');
  if (!ended) throw new Error('no IEND chunk (truncated)');
  if (off !== data.length) throw new Error(`${data.length - off} bytes after IEND`);
  return header;
}

/** Pixel count and box of an RLE mask, decoded; throws for a malformed RLE. */
function rleFacts(rle: RleInput, width: number, height: number): { area: number; bbox: BBox | null } {
  if (!Array.isArray(rle.size) || rle.size[0] !== height || rle.size[1] !== width) {
    throw new Error(`its size ${q(rle.size)} is not [height, width] = [${height}, ${width}]`);
  }
  const mask = decodeRle(rle);
  return { area: maskArea(mask), bbox: maskBBox(mask, width, height) };
}

/** Number rows of a label text (one per non-empty line); null and a reason when a token is not a number. */
function numberRows(text: string): { rows: number[][] } | { error: string } {
  const rows: number[][] = [];
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!.trim();
    if (line === '') continue;
    const row = line.split(/\s+/).map(Number);
    if (!row.every(Number.isFinite)) return { error: `line ${k + 1} ${q(line)} is not a list of numbers` };
    rows.push(row);
  }
  return { rows };
}

class Verifier {
  readonly problems: VerifyProblem[] = [];
  private readonly seen = new Set<string>();
  private readonly checkedFiles = new Set<string>();
  private readonly hashes = new Map<string, { bytes: number; sha256: string } | null>();
  private labelFiles = 0;
  private instanceCount = 0;
  private sampleCount = 0;
  private actual = new Map<string, number>();
  private manifest: Map<string, ManifestEntry> | null = null;
  private samples: StoredSample[] | null = null;
  /** The catalog folder the last run recorded (refresh runs do). */
  private runCatalog: string | undefined;

  constructor(
    private readonly root: string,
    private readonly deep: boolean,
    private readonly catalog?: string,
  ) {}

  private add(p: Omit<VerifyProblem, 'severity'> & { severity?: VerifyProblem['severity'] }): void {
    // A file missing or changed is said once, even when both the database and the manifest know it.
    const key =
      p.kind === 'label-mismatch' || p.kind === 'db-mismatch' ? `${p.kind}|${p.path ?? ''}|${p.message}` : `${p.kind}|${p.path ?? ''}|${p.path ? '' : p.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const problem: VerifyProblem = { kind: p.kind, severity: p.severity ?? 'error', message: p.message };
    if (p.path !== undefined) problem.path = p.path;
    if (p.sampleId !== undefined) problem.sampleId = p.sampleId;
    this.problems.push(problem);
  }

  private abs(rel: string): string {
    return path.join(this.root, ...rel.split('/'));
  }

  /** Reads a dataset file, recording its hash; null (and a missing-file problem) when it is not there. */
  private read(rel: string, fix: string, sampleId?: string): Buffer | null {
    this.checkedFiles.add(rel);
    let data: Buffer;
    try {
      data = readFileSync(this.abs(rel));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      this.hashes.set(rel, null);
      this.add({
        kind: 'missing-file',
        path: rel,
        sampleId,
        message:
          code === 'ENOENT' || code === 'ENOTDIR'
            ? `${rel} is missing; ${fix}.`
            : `${rel} cannot be read (${(e as Error).message}); check its permissions, or ${fix}.`,
      });
      return null;
    }
    this.hashes.set(rel, { bytes: data.length, sha256: sha256(data) });
    return data;
  }

  private hashOf(rel: string): { bytes: number; sha256: string } | null {
    if (!this.hashes.has(rel)) {
      try {
        const data = readFileSync(this.abs(rel));
        this.hashes.set(rel, { bytes: data.length, sha256: sha256(data) });
      } catch {
        this.hashes.set(rel, null);
      }
    }
    return this.hashes.get(rel)!;
  }

  private readText(rel: string, fix: string): string | null {
    const data = this.read(rel, fix);
    return data === null ? null : data.toString('utf8');
  }

  async run(): Promise<VerifyReport> {
    let isDir = false;
    try {
      isDir = statSync(this.root).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new ExorayError('E_USAGE', `verify: ${this.root} is not a folder; pass the --out folder of a dataset made by exoray generate.`);
    const hasDb = existsSync(path.join(this.root, DB_FILE));
    const hasManifest = existsSync(path.join(this.root, MANIFEST_FILE));
    if (!hasDb && !hasManifest) {
      throw new ExorayError('E_USAGE', `verify: ${this.root} holds neither ${DB_FILE} nor ${MANIFEST_FILE}, so it is not an exoray dataset; pass the --out folder of exoray generate.`);
    }
    this.actual = new Map(listDatasetFiles(this.root).map((f) => [f.path, f.bytes]));
    this.loadManifest(hasManifest);
    if (hasDb) this.loadDatabase();
    else {
      this.add({
        kind: 'missing-file',
        path: DB_FILE,
        message: `${DB_FILE} is missing: the database is the source of truth for the samples and labels, so only the manifest could be checked; ${FIX_SAMPLES}.`,
      });
    }
    if (this.samples) for (const sample of this.samples) await this.checkSample(sample);
    this.checkManifest();
    // Label files hold the active samples only; the others' files are still checked above.
    if (this.samples) this.checkLabels(this.samples.filter((s) => s.status === 'active'));
    const errors = this.problems.filter((p) => p.severity === 'error').length;
    return {
      dir: this.root,
      ok: errors === 0,
      deep: this.deep,
      checked: { files: this.checkedFiles.size, samples: this.sampleCount, instances: this.instanceCount, labels: this.labelFiles },
      errors,
      warnings: this.problems.length - errors,
      problems: this.problems,
    };
  }

  private loadManifest(exists: boolean): void {
    if (!exists) {
      this.add({
        kind: 'missing-file',
        path: MANIFEST_FILE,
        message: `${MANIFEST_FILE} is missing, so the files cannot all be checked and extra files cannot be found; ${FIX_MANIFEST}.`,
      });
      return;
    }
    try {
      this.manifest = new Map(readManifest(this.root).files.map((f) => [f.path, f]));
    } catch (e) {
      this.add({ kind: 'invalid-manifest', path: MANIFEST_FILE, message: (e as Error).message });
    }
  }

  private loadDatabase(): void {
    let db: SimulationDb;
    try {
      db = openDatabase(path.join(this.root, DB_FILE), { readonly: true });
    } catch (e) {
      this.add({ kind: 'db-mismatch', path: DB_FILE, message: `${DB_FILE} cannot be read: ${(e as Error).message}` });
      return;
    }
    try {
      const run = db.latestRun();
      if (run && typeof run.options.catalog === 'string') this.runCatalog = run.options.catalog;
      if (!run) {
        this.add({ kind: 'db-mismatch', path: DB_FILE, message: `${DB_FILE} records no run; it is not the database of a generated dataset. ${FIX_SAMPLES}.` });
      } else if (run.status !== 'completed') {
        this.add({
          kind: 'db-mismatch',
          path: DB_FILE,
          message: `${DB_FILE}: run ${run.id} is "${run.status}", not completed, so its label files were not written; continue it with \`exoray generate --resume\` and the same options.`,
        });
      }
      this.samples = db.listSamples().map((s) => db.getSample(s.id)!);
      this.sampleCount = this.samples.length;
    } catch (e) {
      this.add({ kind: 'db-mismatch', path: DB_FILE, message: `${DB_FILE} cannot be read: ${(e as Error).message}` });
    } finally {
      db.close();
    }
  }

  private async checkSample(sample: StoredSample): Promise<void> {
    const sampleId = sample.id;
    for (const view of sample.scene.scanner.views ?? ['top']) {
      for (const kind of ['image', 'high']) {
        if (!sample.files.some((f) => f.view === view && f.kind === kind)) {
          this.add({ kind: 'db-mismatch', sampleId, message: `${DB_FILE}: sample ${sampleId} has no "${kind}" file for its ${view} view; ${FIX_SAMPLES}.` });
        }
      }
    }
    const top = (kind: string) => sample.files.find((f) => f.view === 'top' && f.kind === kind);
    for (const [what, kind, p, h] of [
      ['image', 'image', sample.imagePath, sample.imageSha256],
      ['raw', 'high', sample.rawPath, sample.rawSha256],
    ] as const) {
      const f = top(kind);
      if (f && p !== null && (f.path !== p || f.sha256 !== h)) {
        this.add({
          kind: 'db-mismatch',
          path: f.path,
          sampleId,
          message: `${DB_FILE}: sample ${sampleId} records its ${what} as ${p} (sha256 ${h?.slice(0, 12)}...) in samples but as ${f.path} (sha256 ${f.sha256.slice(0, 12)}...) in sample_files; the database was edited. ${FIX_SAMPLES}.`,
        });
      }
    }
    for (const f of sample.files) {
      if (!isSafeRelative(f.path)) {
        this.add({ kind: 'db-mismatch', sampleId, message: `${DB_FILE}: sample ${sampleId} names the file ${q(f.path)}, which is not a path inside the dataset folder.` });
        continue;
      }
      if (this.manifest) {
        const entry = this.manifest.get(f.path);
        if (!entry) {
          this.add({
            kind: 'db-mismatch',
            path: f.path,
            sampleId,
            message: `${f.path} is a file of sample ${sampleId} in ${DB_FILE} but ${MANIFEST_FILE} does not list it (the manifest is older than the database); ${FIX_MANIFEST}.`,
          });
        } else if (entry.sha256 !== f.sha256) {
          this.add({
            kind: 'db-mismatch',
            path: f.path,
            sampleId,
            message: `${f.path}: ${MANIFEST_FILE} records sha256 ${entry.sha256.slice(0, 12)}... but ${DB_FILE} records ${f.sha256.slice(0, 12)}... for sample ${sampleId}; ${FIX_SAMPLES}.`,
          });
        }
      }
      const data = this.read(f.path, FIX_SAMPLES, sampleId);
      if (data === null) continue;
      const actual = this.hashes.get(f.path)!;
      if (actual.sha256 !== f.sha256) {
        this.add({
          kind: 'hash-mismatch',
          path: f.path,
          sampleId,
          message: `${f.path} (${f.kind} of sample ${sampleId}, ${f.view} view) has sha256 ${actual.sha256.slice(0, 12)}... but ${DB_FILE} records ${f.sha256.slice(0, 12)}...: the file was changed or damaged after it was written; ${FIX_SAMPLES}.`,
        });
      }
      if (f.path.endsWith('.png')) {
        const geometry = f.view === 'side' ? sample.scene.scanner.side : sample.scene.scanner;
        await this.checkImage(f.path, data, geometry?.width, geometry?.height, sampleId);
      }
    }
    this.checkInstances(sample);
  }

  private async checkImage(rel: string, data: Buffer, width: number | undefined, height: number | undefined, sampleId: string): Promise<void> {
    const bad = (why: string) =>
      this.add({ kind: 'unreadable-image', path: rel, sampleId, message: `${rel} (sample ${sampleId}) is not a readable PNG: ${why}; ${FIX_SAMPLES}.` });
    let header;
    try {
      header = pngStructure(data, this.deep);
    } catch (e) {
      return bad((e as Error).message);
    }
    if (width !== undefined && height !== undefined && (header.width !== width || header.height !== height)) {
      return bad(`it is ${header.width}x${header.height} pixels, but the sample's scanner makes ${width}x${height}`);
    }
    if (!this.deep) return;
    try {
      if (header.colour === 0) {
        const grey = decodeGreyPng(data);
        if (grey.pixels.length !== header.width * header.height) throw new Error('the pixel data is shorter than the image');
      } else {
        const { info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
        if (info.width !== header.width || info.height !== header.height) throw new Error(`decodes to ${info.width}x${info.height}`);
      }
    } catch (e) {
      bad(`its pixels do not decode (${(e as Error).message})`);
    }
  }

  /** The database against itself: each mask's RLE decodes to the stored area and box. */
  private checkInstances(sample: StoredSample): void {
    for (const inst of sample.instances) {
      const view = inst.view ?? 'top';
      const geometry = view === 'side' ? sample.scene.scanner.side : sample.scene.scanner;
      if (!geometry) continue;
      const who = `sample ${sample.id}, ${view} view, instance ${inst.instanceIndex} (${inst.objectId})`;
      try {
        const facts = rleFacts(inst.maskRle, geometry.width, geometry.height);
        if (facts.area !== inst.maskArea || !sameBox(facts.bbox, inst.bbox)) {
          this.add({
            kind: 'db-mismatch',
            sampleId: sample.id,
            message: `${DB_FILE}: ${who} stores area ${inst.maskArea} and box ${q(inst.bbox)}, but its mask decodes to ${facts.area} pixels with box ${q(facts.bbox)}; the database was edited. ${FIX_SAMPLES}.`,
          });
        }
      } catch (e) {
        this.add({ kind: 'db-mismatch', sampleId: sample.id, message: `${DB_FILE}: ${who} has a mask that does not decode: ${(e as Error).message}. ${FIX_SAMPLES}.` });
      }
    }
  }

  private checkManifest(): void {
    const dbFiles = this.samples ? new Set(this.samples.flatMap((s) => s.files.map((f) => f.path))) : null;
    if (this.manifest) {
      for (const entry of this.manifest.values()) {
        this.checkedFiles.add(entry.path);
        const fix = SAMPLE_FOLDERS.includes(entry.path.split('/')[0]!) ? FIX_SAMPLES : FIX_LABELS;
        if (!this.actual.has(entry.path)) {
          this.add({ kind: 'missing-file', path: entry.path, message: `${entry.path} is listed in ${MANIFEST_FILE} but missing; ${fix}.` });
          continue;
        }
        const actual = this.hashOf(entry.path);
        if (actual === null) {
          this.add({ kind: 'missing-file', path: entry.path, message: `${entry.path} is listed in ${MANIFEST_FILE} but cannot be read; check its permissions, or ${fix}.` });
        } else if (actual.bytes !== entry.bytes || actual.sha256 !== entry.sha256) {
          const what =
            actual.bytes !== entry.bytes
              ? `is ${actual.bytes} bytes but ${MANIFEST_FILE} records ${entry.bytes}`
              : `has sha256 ${actual.sha256.slice(0, 12)}... but ${MANIFEST_FILE} records ${entry.sha256.slice(0, 12)}...`;
          this.add({ kind: 'hash-mismatch', path: entry.path, message: `${entry.path} ${what}: it was changed after the dataset was written; ${fix}.` });
        }
        if (dbFiles && SAMPLE_FOLDERS.includes(entry.path.split('/')[0]!) && !dbFiles.has(entry.path)) {
          this.add({
            kind: 'db-mismatch',
            path: entry.path,
            message: `${entry.path} is listed in ${MANIFEST_FILE} but is no file of any sample in ${DB_FILE}; the two come from different runs. ${FIX_SAMPLES}.`,
          });
        }
      }
      for (const rel of this.actual.keys()) {
        if (this.manifest.has(rel)) continue;
        this.add({
          kind: 'extra-file',
          severity: 'warning',
          path: rel,
          message: `${rel} is not listed in ${MANIFEST_FILE}: it was added after the dataset was written. Delete it if it does not belong to the dataset, or ${FIX_MANIFEST}.`,
        });
      }
    }
    if (dbFiles) {
      for (const rel of this.actual.keys()) {
        if (!SAMPLE_FOLDERS.includes(rel.split('/')[0]!) || dbFiles.has(rel) || this.manifest?.has(rel)) continue;
        this.add({
          kind: 'extra-file',
          severity: 'warning',
          path: rel,
          message: `${rel} is no file of any sample in ${DB_FILE}. Delete it if it does not belong to the dataset.`,
        });
      }
    }
  }

  // ---- labels ---------------------------------------------------------------

  private exists(rel: string): boolean {
    return existsSync(this.abs(rel));
  }

  private label(rel: string, message: string, sampleId?: string): void {
    this.add({ kind: 'label-mismatch', path: rel, sampleId, message: `${rel}: ${message}; ${FIX_LABELS}.` });
  }

  private checkLabels(samples: StoredSample[]): void {
    const images = labelledImages(samples);
    this.instanceCount = images.reduce((n, img) => n + img.instances.length, 0);

    // Files whose category names tell the label level they were written at.
    const coco = this.exists('annotations/instances.json') ? this.readJson('annotations/instances.json') : undefined;
    const dataYaml = this.exists('data.yaml') ? this.readDataYaml() : undefined;
    const voc = this.exists('voc') ? this.readVoc(images) : undefined;
    const categories = this.resolveCategories(coco, dataYaml, voc);

    if (coco !== undefined) this.checkCocoFiles(coco, images, categories);
    if (dataYaml !== undefined || this.exists('labels')) this.checkYolo(images, categories, dataYaml);
    if (voc !== undefined) this.checkVoc(voc, images, categories);
  }

  private readJson(rel: string): unknown {
    const text = this.readText(rel, FIX_LABELS);
    if (text === null) return null;
    this.labelFiles++;
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      this.label(rel, `not valid JSON (${(e as Error).message})`);
      return null;
    }
  }

  /** data.yaml's class names by index; null when it cannot be read. */
  private readDataYaml(): { names: string[] | null; doc: Record<string, unknown> } | null {
    const text = this.readText('data.yaml', FIX_LABELS);
    if (text === null) return null;
    this.labelFiles++;
    let doc: unknown;
    try {
      doc = yaml.load(text);
    } catch (e) {
      this.label('data.yaml', `not valid YAML (${(e as Error).message})`);
      return null;
    }
    if (!isObj(doc)) {
      this.label('data.yaml', 'not a YAML mapping with train, val and names');
      return null;
    }
    const raw = doc.names;
    let names: string[] | null = null;
    if (Array.isArray(raw)) names = raw.map(String);
    else if (isObj(raw)) {
      const keys = Object.keys(raw).map(Number);
      if (keys.every((k, i) => k === i)) names = keys.map((k) => String(raw[String(k)]));
    }
    if (names === null) this.label('data.yaml', `"names" must map class ids 0, 1, ... to names, got ${q(raw)}`);
    return { names, doc };
  }

  private readVoc(images: LabelledImage[]): Map<string, VocParsed | null> {
    const parsed = new Map<string, VocParsed | null>();
    for (const img of images) {
      const rel = `voc/Annotations/${img.stem}.xml`;
      const text = this.readText(rel, FIX_LABELS);
      if (text === null) continue;
      this.labelFiles++;
      try {
        parsed.set(img.stem, parseVocBoxes(text));
      } catch (e) {
        this.label(rel, `does not parse as a VOC annotation (${(e as Error).message})`, img.sample.id);
        parsed.set(img.stem, null);
      }
    }
    return parsed;
  }

  /** The label level whose categories (from the species catalog) the dataset's files name. */
  private resolveCategories(
    coco: unknown,
    dataYaml: { names: string[] | null } | null | undefined,
    voc: Map<string, VocParsed | null> | undefined,
  ): Categories | null {
    let candidates: Categories[];
    try {
      const species = loadCatalog(this.catalog ?? this.runCatalog).species;
      candidates = LABEL_LEVELS.map((level) => {
        const list = categoryList(species, level);
        return { level, names: list.map((c) => c.name), indexOf: categoryIndexBySpecies(list) };
      });
    } catch {
      return null; // without the catalog, boxes are still checked; class ids and names are not
    }
    const sameNames = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((n, i) => n === b[i]);
    const describeLevels = LABEL_LEVELS.join(', ');
    if (isObj(coco) && Array.isArray(coco.categories)) {
      const names = [...coco.categories]
        .filter(isObj)
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((c) => String(c.name));
      const found = candidates.find((c) => sameNames(c.names, names));
      if (!found) this.label('annotations/instances.json', `categories ${q(names)} are not those of the species catalog at any label level (${describeLevels})`);
      return found ?? null;
    }
    if (dataYaml?.names) {
      const found = candidates.find((c) => sameNames(c.names, dataYaml.names!));
      if (!found) this.label('data.yaml', `names ${q(dataYaml.names)} are not those of the species catalog at any label level (${describeLevels})`);
      return found ?? null;
    }
    if (voc && voc.size > 0) {
      // VOC names the category of each object; take the level under which every name is right.
      return candidates.find((c) => [...voc.values()].every((v) => v === null || v.objects.every((o) => c.names.includes(o.name)))) ?? null;
    }
    return null;
  }

  private checkCocoFiles(main: unknown, images: LabelledImage[], categories: Categories | null): void {
    if (main !== null) this.checkCoco('annotations/instances.json', main, images, categories);
    for (const split of SPLIT_NAMES) {
      const rel = `annotations/instances_${split}.json`;
      const subset = images.filter((img) => img.sample.split === split);
      if (!this.exists(rel)) {
        if (subset.length > 0) {
          this.add({ kind: 'missing-file', path: rel, message: `${rel} is missing but ${subset.length} image(s) are in the ${split} split; ${FIX_LABELS}.` });
        }
        continue;
      }
      const coco = this.readJson(rel);
      if (coco === null) continue;
      if (subset.length === 0) {
        this.label(rel, `no sample of ${DB_FILE} is in the ${split} split, so this file should not exist (it is left from another run)`);
        continue;
      }
      this.checkCoco(rel, coco, subset, categories, split);
    }
  }

  /** One COCO file against the labelled images it should hold. */
  private checkCoco(rel: string, coco: unknown, expected: LabelledImage[], categories: Categories | null, split?: string): void {
    try {
      validateCoco(coco);
    } catch (e) {
      this.label(rel, `not a valid COCO file: ${(e as Error).message}`);
    }
    if (!isObj(coco) || !Array.isArray(coco.images) || !Array.isArray(coco.annotations) || !Array.isArray(coco.categories)) return;
    const categoryName = new Map<number, string>();
    for (const c of coco.categories) if (isObj(c) && typeof c.id === 'number') categoryName.set(c.id, String(c.name));
    if (categories) {
      const names = [...categoryName.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
      if (q(names) !== q(categories.names)) this.label(rel, `categories ${q(names)} differ from the ${categories.level}-level categories ${q(categories.names)}`);
    }
    const byKey = new Map(expected.map((img) => [`${img.sample.id}/${img.view}`, img]));
    const matched = new Map<number, LabelledImage>();
    for (const im of coco.images) {
      if (!isObj(im)) continue;
      const sid = im.exoray_sample_id;
      const view = (im.exoray_view as string | undefined) ?? 'top';
      const img = byKey.get(`${String(sid)}/${view}`);
      if (!img) {
        this.label(rel, `image ${q(im.id)} (${q(im.file_name)}, sample ${q(sid)}, ${view} view) is not ${split ? `a ${split}-split image` : 'an image'} of ${DB_FILE}`);
        continue;
      }
      byKey.delete(`${img.sample.id}/${img.view}`);
      matched.set(im.id as number, img);
      const diffs: string[] = [];
      if (im.file_name !== img.file) diffs.push(`file_name ${q(im.file_name)} instead of ${q(img.file)}`);
      if (im.width !== img.width || im.height !== img.height) diffs.push(`size ${q(im.width)}x${q(im.height)} instead of ${img.width}x${img.height}`);
      if ((im.exoray_split ?? null) !== img.sample.split) diffs.push(`exoray_split ${q(im.exoray_split)} instead of ${q(img.sample.split)}`);
      if (diffs.length) this.label(rel, `image ${q(im.id)} (sample ${img.sample.id}, ${img.view} view) has ${diffs.join(', ')}`, img.sample.id);
    }
    for (const img of byKey.values()) {
      this.label(rel, `has no image entry for ${img.file} (sample ${img.sample.id}, ${img.view} view${split ? `, ${split} split` : ''})`, img.sample.id);
    }
    const annotationsOf = new Map<number, Record<string, unknown>[]>();
    for (const a of coco.annotations) {
      if (!isObj(a)) continue;
      const list = annotationsOf.get(a.image_id as number) ?? [];
      list.push(a);
      annotationsOf.set(a.image_id as number, list);
    }
    for (const [imageId, img] of matched) {
      const anns = annotationsOf.get(imageId) ?? [];
      const where = `image ${imageId} (sample ${img.sample.id}, ${img.view} view)`;
      if (anns.length !== img.instances.length) {
        this.label(rel, `${where} has ${anns.length} annotation(s) but ${DB_FILE} has ${img.instances.length} labelled animal(s)`, img.sample.id);
      }
      const byObject = anns.every((a) => typeof a.exoray_object_id === 'string');
      img.instances.forEach((inst, k) => {
        const ann = byObject ? anns.find((a) => a.exoray_object_id === inst.objectId) : anns[k];
        if (!ann) {
          if (byObject) this.label(rel, `${where} has no annotation for ${inst.objectId}`, img.sample.id);
          return;
        }
        this.checkAnnotation(rel, ann, inst, img, categories, categoryName);
      });
      if (byObject) {
        for (const a of anns) {
          if (!img.instances.some((i) => i.objectId === a.exoray_object_id)) {
            this.label(rel, `annotation ${q(a.id)} of ${where} is for ${q(a.exoray_object_id)}, which is not a labelled animal of that image in ${DB_FILE}`, img.sample.id);
          }
        }
      }
    }
  }

  private checkAnnotation(
    rel: string,
    ann: Record<string, unknown>,
    inst: StoredInstance,
    img: LabelledImage,
    categories: Categories | null,
    categoryName: Map<number, string>,
  ): void {
    const who = `annotation ${q(ann.id)} (sample ${img.sample.id}, ${inst.objectId})`;
    const diffs: string[] = [];
    if (!sameBox(ann.bbox as number[], inst.bbox)) diffs.push(`bbox ${q(ann.bbox)} instead of ${q(inst.bbox)}`);
    if (ann.area !== inst.maskArea) diffs.push(`area ${q(ann.area)} instead of ${inst.maskArea}`);
    const seg = ann.segmentation;
    if (!isObj(seg) || seg.counts !== inst.maskRle.counts || !sameBox(seg.size as number[], inst.maskRle.size)) {
      diffs.push(`a segmentation that is not the mask in ${DB_FILE}`);
    }
    if (categories) {
      const want = categories.names[categories.indexOf.get(inst.species) ?? -1];
      const got = categoryName.get(ann.category_id as number);
      if (want !== undefined && got !== want) diffs.push(`category ${q(got ?? ann.category_id)} instead of ${q(want)}`);
    }
    if (diffs.length) this.label(rel, `${who} differs from ${DB_FILE}: ${diffs.join('; ')}`, img.sample.id);
    // The annotation against itself: its RLE decodes to `area` pixels inside `bbox`.
    if (isObj(seg) && typeof seg.counts === 'string') {
      try {
        const facts = rleFacts({ size: seg.size as [number, number], counts: seg.counts }, img.width, img.height);
        if (facts.area !== ann.area || !sameBox(facts.bbox, ann.bbox as number[])) {
          this.label(rel, `${who}: its mask decodes to ${facts.area} pixels with box ${q(facts.bbox)}, but it says area ${q(ann.area)} and bbox ${q(ann.bbox)}`, img.sample.id);
        }
      } catch (e) {
        this.label(rel, `${who}: its segmentation does not decode (${(e as Error).message})`, img.sample.id);
      }
    }
  }

  private checkYolo(images: LabelledImage[], categories: Categories | null, dataYaml: { names: string[] | null; doc: Record<string, unknown> } | null | undefined): void {
    if (dataYaml === undefined) {
      this.add({ kind: 'missing-file', path: 'data.yaml', message: `data.yaml is missing next to labels/ (YOLO trainers read it); ${FIX_LABELS}.` });
    } else if (dataYaml !== null && dataYaml.names && categories && q(dataYaml.names) !== q(categories.names)) {
      this.label('data.yaml', `names ${q(dataYaml.names)} differ from the ${categories.level}-level categories ${q(categories.names)}`);
    }
    const texts = new Map<string, string>();
    for (const img of images) {
      const text = this.readText(`labels/${img.stem}.txt`, FIX_LABELS);
      if (text !== null) texts.set(img.stem, text);
    }
    // yolo-seg lines hold a polygon (class and at least 3 points), detection lines a box (class and 4 numbers).
    const first = [...texts.values()].map((t) => t.trim().split(/\r?\n/)[0]!).find((l) => l !== '');
    const segment = first !== undefined && first.split(/\s+/).length > 5;
    for (const img of images) {
      const text = texts.get(img.stem);
      if (text === undefined) continue;
      this.labelFiles++;
      this.compareYolo(`labels/${img.stem}.txt`, text, img, categories, segment);
    }
    const expectedStems = new Set(images.map((img) => img.stem));
    if (this.exists('labels')) {
      for (const name of readdirSync(this.abs('labels')).sort()) {
        if (name.endsWith('.txt') && !expectedStems.has(name.slice(0, -4))) {
          this.label(`labels/${name}`, `there is no image ${name.slice(0, -4)}.png in ${DB_FILE}, so this label file is left from another run (delete it)`);
        }
      }
    }
    for (const split of SPLIT_NAMES) {
      const subset = images.filter((img) => img.sample.split === split);
      this.checkList(`${split}.txt`, split, subset.map((img) => `./${img.file}`));
    }
  }

  private compareYolo(rel: string, text: string, img: LabelledImage, categories: Categories | null, segment: boolean): void {
    const classOf = (inst: StoredInstance) => categories?.indexOf.get(inst.species) ?? 0;
    let expectedText: string;
    try {
      expectedText = segment
        ? yoloSegmentationLines(
            img.instances.map((inst) => ({
              classIndex: classOf(inst),
              polygon: largestRing(maskToPolygons(decodeRle(inst.maskRle), img.width, img.height)) ?? [],
            })),
            img.width,
            img.height,
          )
        : yoloDetectionLines(img.instances.map((inst) => ({ classIndex: classOf(inst), bbox: inst.bbox! })), img.width, img.height);
    } catch (e) {
      this.add({ kind: 'db-mismatch', sampleId: img.sample.id, message: `${DB_FILE}: the labels of sample ${img.sample.id} (${img.view} view) cannot be written as YOLO: ${(e as Error).message}` });
      return;
    }
    const actual = numberRows(text);
    if ('error' in actual) return this.label(rel, actual.error, img.sample.id);
    const expected = numberRows(expectedText) as { rows: number[][] };
    const what = segment ? 'polygon' : 'box';
    if (actual.rows.length !== expected.rows.length) {
      return this.label(rel, `has ${actual.rows.length} line(s) but ${DB_FILE} has ${expected.rows.length} labelled animal(s) in ${img.file}`, img.sample.id);
    }
    const expectedLines = expectedText.split('\n');
    actual.rows.forEach((row, k) => {
      const want = expected.rows[k]!;
      const inst = img.instances[k]!;
      const fmt = (r: number[]) => (r.length > 8 ? `${r.slice(0, 7).join(' ')} ...` : r.join(' '));
      if (row.length !== want.length) {
        return this.label(rel, `line ${k + 1} has ${row.length} numbers; the ${what} of ${inst.objectId} in ${DB_FILE} has ${want.length}`, img.sample.id);
      }
      if (categories && row[0] !== want[0]) {
        return this.label(rel, `line ${k + 1} has class ${row[0]} but ${inst.objectId} (${inst.species}) is class ${want[0]} (${categories.names[want[0]!]})`, img.sample.id);
      }
      if (row.slice(1).some((v, i) => Math.abs(v - want[i + 1]!) > 1.5e-6)) {
        this.label(rel, `line ${k + 1} "${fmt(row)}" is not the ${what} of ${inst.objectId} in ${DB_FILE} ("${segment ? fmt(want) : expectedLines[k]}", bbox ${q(inst.bbox)} in pixels)`, img.sample.id);
      }
    });
  }

  /** A split list (train.txt, voc/ImageSets/Main/val.txt, ...): exactly the split's entries, in order. */
  private checkList(rel: string, split: string, want: string[]): void {
    if (!this.exists(rel)) {
      if (want.length > 0) this.add({ kind: 'missing-file', path: rel, message: `${rel} is missing but ${want.length} image(s) are in the ${split} split; ${FIX_LABELS}.` });
      return;
    }
    const text = this.readText(rel, FIX_LABELS);
    if (text === null) return;
    this.labelFiles++;
    const got = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (q(got) === q(want)) return;
    const gotSet = new Set(got);
    const wantSet = new Set(want);
    const missing = want.filter((w) => !gotSet.has(w));
    const extra = got.filter((g) => !wantSet.has(g));
    const parts = [
      ...(missing.length ? [`lacks ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`] : []),
      ...(extra.length ? [`lists ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ` and ${extra.length - 5} more` : ''}, not in the ${split} split of ${DB_FILE}`] : []),
    ];
    this.label(rel, parts.length ? parts.join('; ') : `lists the ${split} split in another order than ${DB_FILE}`);
  }

  private checkVoc(voc: Map<string, VocParsed | null>, images: LabelledImage[], categories: Categories | null): void {
    const nameOf = (inst: StoredInstance) => (categories ? categories.names[categories.indexOf.get(inst.species) ?? -1] : undefined);
    for (const img of images) {
      const parsed = voc.get(img.stem);
      if (!parsed) continue; // missing or unparsable: reported when read
      const rel = `voc/Annotations/${img.stem}.xml`;
      const diffs: string[] = [];
      if (parsed.filename !== path.posix.basename(img.file)) diffs.push(`filename ${q(parsed.filename)} instead of ${q(path.posix.basename(img.file))}`);
      if (parsed.width !== img.width || parsed.height !== img.height) diffs.push(`size ${parsed.width}x${parsed.height} instead of ${img.width}x${img.height}`);
      if (diffs.length) this.label(rel, diffs.join(', '), img.sample.id);
      if (parsed.objects.length !== img.instances.length) {
        this.label(rel, `has ${parsed.objects.length} object(s) but ${DB_FILE} has ${img.instances.length} labelled animal(s) in ${img.file}`, img.sample.id);
        continue;
      }
      parsed.objects.forEach((o, k) => {
        const inst = img.instances[k]!;
        const want = nameOf(inst);
        if (want !== undefined && o.name !== want) this.label(rel, `object ${k + 1} is named ${q(o.name)}, but ${inst.objectId} is ${q(want)}`, img.sample.id);
        if (!sameBox(o.bbox, inst.bbox)) {
          const [x, y, w, h] = inst.bbox!;
          this.label(
            rel,
            `object ${k + 1} (${inst.objectId}) has xmin ${o.xmin} ymin ${o.ymin} xmax ${o.xmax} ymax ${o.ymax}, but its box in ${DB_FILE} ${q(inst.bbox)} gives xmin ${x + 1} ymin ${y + 1} xmax ${x + w} ymax ${y + h}`,
            img.sample.id,
          );
        }
      });
    }
    const stems = new Set(images.map((img) => img.stem));
    if (this.exists('voc/Annotations')) {
      for (const name of readdirSync(this.abs('voc/Annotations')).sort()) {
        if (name.endsWith('.xml') && !stems.has(name.slice(0, -4))) {
          this.label(`voc/Annotations/${name}`, `there is no image ${name.slice(0, -4)}.png in ${DB_FILE}, so this annotation is left from another run (delete it)`);
        }
      }
    }
    for (const split of SPLIT_NAMES) {
      const subset = images.filter((img) => img.sample.split === split);
      this.checkList(`voc/ImageSets/Main/${split}.txt`, split, subset.map((img) => img.stem));
    }
  }
}

/**
 * Checks the dataset in `dir` (see the module comment); never writes. Throws
 * E_USAGE only when `dir` is not a dataset folder at all; every problem found
 * in a dataset is in the report, whose `ok` is false when any is an error.
 */
export async function verifyDataset(dir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  return new Verifier(path.resolve(dir), options.deep ?? false, options.catalog).run();
}

/** One line per count, then the problems grouped by kind (at most `perKind` each), for people. */
export function formatVerifyReport(report: VerifyReport, perKind = 20): string {
  const c = report.checked;
  const lines = [
    `Checked ${report.dir}: ${c.samples} samples, ${c.instances} labelled animals, ${c.files} files, ${c.labels} label files` +
      (report.deep ? ' (deep: every image decoded)' : ' (add --deep to decode every image)'),
  ];
  if (report.problems.length === 0) {
    lines.push('OK: every file matches the manifest and the database, and every label matches the database.');
    return `${lines.join('\n')}\n`;
  }
  const counts = `${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`;
  lines.push(report.ok ? `OK with warnings (${counts}):` : `FAILED (${counts}):`);
  for (const kind of PROBLEM_KINDS) {
    const list = report.problems.filter((p) => p.kind === kind);
    if (list.length === 0) continue;
    lines.push(`  ${kind} (${list.length}${list[0]!.severity === 'warning' ? ', warning' : ''}):`);
    for (const p of list.slice(0, perKind)) lines.push(`    ${p.message}`);
    if (list.length > perKind) lines.push(`    ... and ${list.length - perKind} more (--json lists them all)`);
  }
  return `${lines.join('\n')}\n`;
}

/** One sentence for an error message: how many problems of which kinds. */
export function summariseVerifyReport(report: VerifyReport): string {
  const kinds = PROBLEM_KINDS.map((k) => [k, report.problems.filter((p) => p.kind === k && p.severity === 'error').length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return `verify: ${report.dir} has ${report.errors} problem${report.errors === 1 ? '' : 's'} (${kinds.join(', ')})`;
}
