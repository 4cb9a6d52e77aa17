/**
 * The contact sheet: a grid of randomly chosen samples with their labels drawn
 * on (mask tint, contour and box, as `--overlays` draws them), so a reviewer sees
 * at a glance what the dataset looks like and whether the labels sit on the animals.
 *
 * The pick is a pure function of the seed and the sample ids: each sample is
 * ranked by a hash of (seed, id) and the lowest ranks are taken, so the same
 * seed shows the same samples, and growing the dataset only ever swaps in new
 * samples that rank lower.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { deriveSeed } from '../core/rng.js';
import { ExorayError } from '../core/errors.js';
import type { SimulationDb } from '../db/database.js';
import type { BBox } from '../labels/mask.js';
import { drawOverlay, OVERLAY_COLOURS, type OverlayInstance } from '../labels/overlay.js';
import { decodeRle, type Rle } from '../labels/rle.js';
import { writeFileAtomic } from './files.js';

export interface ContactSheetOptions {
  /** Samples to show (default 16); fewer when the dataset is smaller. */
  count?: number;
  /** Seed of the pick. */
  seed: number;
  /** Tile size, pixels (default 192). */
  thumb?: number;
  /** Draw the labels (default true); false shows the plain images. */
  labels?: boolean;
  /** Output file; default `<dir>/report/contact-sheet.png`. */
  file?: string;
}

/** Pixels between tiles (and no border around the sheet). */
export const SHEET_GAP = 4;
const BACKGROUND = { r: 24, g: 24, b: 27 };

export interface SheetLayout {
  thumb: number;
  gap: number;
  columns: number;
  rows: number;
  width: number;
  height: number;
}

/** Grid of `n` tiles: as square as possible, filled row by row. */
export function sheetLayout(n: number, thumb = 192, gap = SHEET_GAP): SheetLayout {
  const columns = Math.max(1, Math.ceil(Math.sqrt(n)));
  const rows = Math.max(1, Math.ceil(n / columns));
  return { thumb, gap, columns, rows, width: columns * thumb + (columns - 1) * gap, height: rows * thumb + (rows - 1) * gap };
}

/** Top-left corner of tile `k` on the sheet. */
export function tileOrigin(layout: SheetLayout, k: number): { left: number; top: number } {
  return { left: (k % layout.columns) * (layout.thumb + layout.gap), top: Math.floor(k / layout.columns) * (layout.thumb + layout.gap) };
}

/** Ids of `count` samples chosen by the seed, in id order. */
export function pickSamples(db: SimulationDb, count: number, seed: number): string[] {
  if (!Number.isInteger(count) || count < 0) throw new ExorayError('E_USAGE', `contact sheet: the sample count must be a whole number >= 0, got ${count}`);
  if (count === 0) return [];
  // The k lowest (hash, id), kept sorted; one pass over the ids, O(n log k) memory-light.
  const best: Array<{ h: number; id: string }> = [];
  const before = (a: { h: number; id: string }, b: { h: number; id: string }) => a.h < b.h || (a.h === b.h && a.id < b.id);
  for (const row of db.connection.prepare("SELECT id FROM samples WHERE status = 'active'").iterate() as IterableIterator<{ id: string }>) {
    const cand = { h: deriveSeed(seed, 'contact-sheet', row.id), id: row.id };
    if (best.length === count && !before(cand, best[count - 1])) continue;
    let i = best.length;
    while (i > 0 && before(cand, best[i - 1])) i--;
    best.splice(i, 0, cand);
    if (best.length > count) best.pop();
  }
  return best.map((b) => b.id).sort();
}

interface SheetSource {
  id: string;
  imagePath: string;
}

function sources(db: SimulationDb, ids: readonly string[]): SheetSource[] {
  const stmt = db.connection.prepare(
    `SELECT s.id, coalesce((SELECT f.path FROM sample_files f WHERE f.sample_id = s.id AND f.view = 'top' AND f.kind = 'image'), s.image_path) AS path
     FROM samples s WHERE s.id = ?`,
  );
  return ids.map((id) => {
    const row = stmt.get(id) as { id: string; path: string } | undefined;
    if (!row) throw new ExorayError('E_DATABASE', `contact sheet: sample ${id} is not in ${db.path}`);
    return { id, imagePath: row.path };
  });
}

interface LabelRow {
  species: string;
  difficulty: string | null;
  visibility: number | null;
  bbox_x: number | null;
  bbox_y: number | null;
  bbox_w: number | null;
  bbox_h: number | null;
  mask_rle: string;
}

function topLabels(db: SimulationDb, id: string): LabelRow[] {
  return db.connection
    .prepare("SELECT species, difficulty, visibility, bbox_x, bbox_y, bbox_w, bbox_h, mask_rle FROM instances WHERE sample_id = ? AND view = 'top' ORDER BY instance_index")
    .all(id) as LabelRow[];
}

/** Size of an image of `width` x `height` fitted into a `thumb` square (aspect kept), and its offset in the square. */
export function fitTile(width: number, height: number, thumb: number): { width: number; height: number; left: number; top: number } {
  const scale = thumb / Math.max(width, height);
  const w = Math.max(1, Math.min(thumb, Math.round(width * scale)));
  const h = Math.max(1, Math.min(thumb, Math.round(height * scale)));
  return { width: w, height: h, left: Math.floor((thumb - w) / 2), top: Math.floor((thumb - h) / 2) };
}

/**
 * A row-major mask resampled to `tw` x `th`: a target pixel is set when any
 * source pixel under it is set, so thin parts (legs, antennae) survive shrinking.
 */
export function resampleMask(mask: Uint8Array, width: number, height: number, tw: number, th: number): Uint8Array {
  const out = new Uint8Array(tw * th);
  const sx = tw / width;
  const sy = th / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.min(th - 1, Math.max(y0, Math.ceil((y + 1) * sy) - 1));
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      const x0 = Math.floor(x * sx);
      const x1 = Math.min(tw - 1, Math.max(x0, Math.ceil((x + 1) * sx) - 1));
      for (let ty = y0; ty <= y1; ty++) out.fill(1, ty * tw + x0, ty * tw + x1 + 1);
    }
  }
  return out;
}

/** A pixel box [x, y, w, h] of a `width` x `height` image in a `tw` x `th` resampling of it (covering every pixel it touches). */
export function resampleBox(box: BBox, width: number, height: number, tw: number, th: number): BBox {
  const sx = tw / width;
  const sy = th / height;
  const x0 = Math.floor(box[0] * sx);
  const y0 = Math.floor(box[1] * sy);
  const x1 = Math.min(tw, Math.max(x0 + 1, Math.ceil((box[0] + box[2]) * sx)));
  const y1 = Math.min(th, Math.max(y0 + 1, Math.ceil((box[1] + box[3]) * sy)));
  return [x0, y0, x1 - x0, y1 - y0];
}

/**
 * The overlay instances of a sample's top view at tile size. Every instance is
 * passed (an empty one when its mask does not fit the image), so instance k
 * keeps overlay colour k, as in the table of the report.
 */
function overlayInstances(rows: readonly LabelRow[], width: number, height: number, tw: number, th: number): OverlayInstance[] {
  return rows.map((r) => {
    const rle = JSON.parse(r.mask_rle) as Rle;
    if (rle.size[0] !== height || rle.size[1] !== width) return { mask: new Uint8Array(tw * th), bbox: null };
    const bbox: BBox | null = r.bbox_x === null ? null : resampleBox([r.bbox_x, r.bbox_y!, r.bbox_w!, r.bbox_h!], width, height, tw, th);
    return { mask: resampleMask(decodeRle(rle), width, height, tw, th), bbox };
  });
}

/** Whole-number enlargements stay crisp (each pixel a square); everything else is resampled smoothly. */
function resizeKernel(size: number, target: number): 'nearest' | 'lanczos3' {
  return size < target && target % size === 0 ? 'nearest' : 'lanczos3';
}

interface Tile {
  pixels: Buffer | Uint8Array;
  width: number;
  height: number;
  left: number;
  top: number;
}

/**
 * One tile: the sample's image fitted into thumb x thumb, with its labels drawn
 * at tile resolution (so contours and boxes stay one sharp pixel wide), as raw RGB.
 */
async function tile(dir: string, db: SimulationDb, src: SheetSource, thumb: number, labels: boolean): Promise<Tile> {
  const file = path.join(dir, src.imagePath);
  if (!existsSync(file)) {
    // A missing image shows as a dark red tile rather than failing the whole report.
    const pixels = await sharp({ create: { width: thumb, height: thumb, channels: 3, background: { r: 90, g: 20, b: 20 } } }).raw().toBuffer();
    return { pixels, width: thumb, height: thumb, left: 0, top: 0 };
  }
  const meta = await sharp(file).metadata();
  const fit = fitTile(meta.width, meta.height, thumb);
  const { data, info } = await sharp(file)
    .removeAlpha()
    .toColourspace('srgb')
    .resize(fit.width, fit.height, { fit: 'fill', kernel: resizeKernel(Math.max(meta.width, meta.height), thumb) })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== fit.width || info.height !== fit.height) {
    throw new ExorayError('E_OUTPUT', `contact sheet: ${file} decoded to ${info.width}x${info.height} with ${info.channels} channels, expected ${fit.width}x${fit.height} RGB`);
  }
  const pixels = labels ? drawOverlay(data, fit.width, fit.height, overlayInstances(topLabels(db, src.id), meta.width, meta.height, fit.width, fit.height), 3) : data;
  return { pixels, ...fit };
}

/**
 * Draws `count` seed-chosen samples with their labels into one PNG
 * (`<dir>/report/contact-sheet.png` unless `file` is given), written
 * atomically; returns the chosen sample ids in tile order (row by row). Writes
 * nothing and returns [] when there is no sample to show.
 */
export async function contactSheet(dir: string, db: SimulationDb, options: ContactSheetOptions): Promise<string[]> {
  const thumb = options.thumb ?? 192;
  if (!Number.isInteger(thumb) || thumb < 16 || thumb > 2048) throw new ExorayError('E_USAGE', `contact sheet: the thumbnail size must be 16 to 2048 pixels, got ${thumb}`);
  const ids = pickSamples(db, options.count ?? 16, options.seed);
  if (ids.length === 0) return [];
  const layout = sheetLayout(ids.length, thumb);
  // Tiles are copied into one RGB buffer (sharp's composite would add an alpha channel).
  const sheet = Buffer.alloc(layout.width * layout.height * 3);
  for (let p = 0; p < sheet.length; p += 3) {
    sheet[p] = BACKGROUND.r;
    sheet[p + 1] = BACKGROUND.g;
    sheet[p + 2] = BACKGROUND.b;
  }
  // One tile at a time: a 4k image decoded and drawn on is tens of megabytes.
  for (const [k, src] of sources(db, ids).entries()) {
    const t = await tile(dir, db, src, thumb, options.labels ?? true);
    const origin = tileOrigin(layout, k);
    for (let y = 0; y < t.height; y++) {
      const from = y * t.width * 3;
      const to = ((origin.top + t.top + y) * layout.width + origin.left + t.left) * 3;
      sheet.set(t.pixels.subarray(from, from + t.width * 3), to);
    }
  }
  const png = await sharp(sheet, { raw: { width: layout.width, height: layout.height, channels: 3 } }).png({ compressionLevel: 9 }).toBuffer();
  const file = options.file ?? path.join(dir, 'report', 'contact-sheet.png');
  mkdirSync(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, png);
  return ids;
}

/** What the report says about a sample on the sheet: its split and its labels, in overlay colour order. */
export interface SheetSample {
  id: string;
  split: string | null;
  preset: string;
  width: number;
  height: number;
  /** False when the image file is missing (its tile is dark red). */
  imageFound: boolean;
  labels: Array<{ species: string; difficulty: string | null; visibility: number | null; colour: string; hasBox: boolean }>;
}

const hex = (c: readonly number[]) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** The overlay colour of the k-th label of a sample (as drawOverlay draws it), as #rrggbb. */
export function overlayColour(k: number): string {
  return hex(OVERLAY_COLOURS[k % OVERLAY_COLOURS.length]);
}

export function describeSheetSamples(dir: string, db: SimulationDb, ids: readonly string[]): SheetSample[] {
  const stmt = db.connection.prepare('SELECT split, preset, width, height FROM samples WHERE id = ?');
  return sources(db, ids).map((src) => {
    const row = stmt.get(src.id) as { split: string | null; preset: string; width: number; height: number };
    return {
      id: src.id,
      ...row,
      imageFound: existsSync(path.join(dir, src.imagePath)),
      labels: topLabels(db, src.id).map((l, k) => ({
        species: l.species,
        difficulty: l.difficulty,
        visibility: l.visibility,
        colour: overlayColour(k),
        hasBox: l.bbox_x !== null,
      })),
    };
  });
}
