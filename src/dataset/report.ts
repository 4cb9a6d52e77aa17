/**
 * The dataset report: counts per species, preset, difficulty, split and view,
 * histograms of box size, visibility, animals and clutter per image, and the
 * scanners and runs that made the dataset, read from the simulation database
 * with SQL aggregates (a 100k-sample dataset is summed by SQLite, not in JS).
 *
 * computeReport is a pure function of the database rows: the same database
 * gives the same report, byte for byte (no dates unless passed in).
 * writeReport writes report/report.json, report/report.html and
 * report/contact-sheet.png next to the dataset's database.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { toolVersion } from '../core/paths.js';
import type { SimulationDb } from '../db/database.js';
import { DIFFICULTY_THRESHOLDS } from '../labels/difficulty.js';
import { contactSheet, describeSheetSamples, sheetLayout, type SheetLayout, type SheetSample } from './contact-sheet.js';
import { writeFileAtomic } from './files.js';
import { renderReportHtml } from './report-html.js';
import { SPLIT_NAMES } from './split.js';

/** Key used in counts for a NULL column (a sample without split, an instance without difficulty). */
export const UNASSIGNED = 'unassigned';

export interface HistogramBin {
  /** Lower edge (inclusive). For integer histograms, the first value of the bin. */
  lo: number;
  /** Upper edge: exclusive for continuous bins (inclusive for the last); the last value for integer bins. */
  hi: number;
  label: string;
  count: number;
}

export interface Histogram {
  title: string;
  /** Axis titles. */
  xLabel: string;
  yLabel: string;
  /** 'continuous': bins are intervals [lo, hi); 'integer': bins hold whole values lo..hi. */
  kind: 'continuous' | 'integer';
  bins: HistogramBin[];
  /** Values counted in the bins (the sum of the bin counts). */
  total: number;
  /** Rows without a value (an animal with no pixel in the image has no box; unmeasured visibility). */
  missing: number;
  stats: { min: number; max: number; mean: number } | null;
  /** Reference lines to draw, e.g. the difficulty thresholds on the visibility axis. */
  markers?: Array<{ at: number; label: string }>;
}

export interface SpeciesSummary {
  species: string;
  scientificName: string;
  /** Labels (one per animal and view). */
  instances: number;
  /** Samples with at least one of them. */
  samples: number;
  /** Mean visibility of the measured labels; null when none is measured. */
  meanVisibility: number | null;
  /** Mean sqrt(box area) in pixels, over labels with a box. */
  meanBoxPx: number | null;
}

export interface SplitSummary {
  split: string;
  samples: number;
  instances: number;
}

export interface ScannerSummary {
  geometry: string;
  width: number;
  height: number;
  /** Tube voltage of a dual-energy scanner; null for a monochromatic one. */
  kVp: number | null;
  /** The single energy of a monochromatic scanner (also stored for spectral ones). */
  effectiveEnergyKeV: number | null;
  views: string[];
  /** Detector effects on (noise, blur, gains). */
  effects: boolean;
  photonsPerPixel: number | null;
  samples: number;
}

export interface RunSummary {
  id: number;
  preset: string;
  seed: number;
  status: string;
  toolVersion: string;
  /** Scanner named on the command line; null: the preset's own. */
  scanner: string | null;
  /** Samples the run asked for (its --count), when recorded. */
  requested: number | null;
  /** Samples of the run stored in the database. */
  samples: number;
  shard: { index: number; count: number } | null;
}

/** The contact sheet's place in the report (written by writeReport). */
export interface ContactSheetInfo extends SheetLayout {
  /** File name relative to the report folder. */
  file: string;
  seed: number;
  samples: SheetSample[];
}

export interface ReportData {
  /** Version of this JSON layout. */
  version: 1;
  tool: { name: 'exoray'; version: string };
  /** Only when the caller passes it (the report is otherwise a pure function of the database). */
  generatedAt?: string;
  generatedFrom: { samples: number; instances: number; images: number; runs: number };
  counts: {
    /** Labels per species (all views). */
    bySpecies: Record<string, number>;
    /** Samples per preset. */
    byPreset: Record<string, number>;
    /** Labels per difficulty level; `unassigned` where visibility was not measured. */
    byDifficulty: Record<string, number>;
    /** Samples per split; `unassigned` where none was assigned. */
    bySplit: Record<string, number>;
    /** Labels per view. */
    byView: Record<string, number>;
    /** Samples per container kind. */
    byContainer: Record<string, number>;
  };
  species: SpeciesSummary[];
  splits: SplitSummary[];
  histograms: {
    /** sqrt(w * h) of each label's box, pixels. */
    boxSizePx: Histogram;
    /** Visibility of each label, 0..1 in 10 bins (none when no label has one). */
    visibility: Histogram;
    /** Animals in each sample's scene. */
    animalsPerImage: Histogram;
    /** Clutter objects in each sample's scene. */
    clutterPerImage: Histogram;
  };
  scanners: ScannerSummary[];
  runs: RunSummary[];
  contactSheet?: ContactSheetInfo;
}

export interface ComputeReportOptions {
  /** ISO 8601 time to stamp the report with; omitted by default so the report is reproducible. */
  generatedAt?: string;
}

type Db = SimulationDb['connection'];

const DIFFICULTY_ORDER = ['easy', 'hard', 'hidden'];
const VIEW_ORDER = ['top', 'side'];
/** Box size of an instance row in SQL: sqrt of the box area, pixels. */
const BOX_SIZE = 'sqrt(bbox_w * bbox_h)';

/**
 * The report describes the dataset as exported: superseded and retired samples
 * (see refresh) stay in the database but are not counted.
 */
const ACTIVE_SAMPLES = "SELECT id FROM samples WHERE status = 'active'";

/** Adds `n` to `map[key]`. */
function add<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/**
 * The report of the dataset in `db`. SQLite does the counting: one grouped pass
 * over the samples, three over the instances (value ranges, then counts grouped by
 * species, view, difficulty and histogram bin, then samples per species); the
 * groups are few, whatever the size of the dataset.
 */
export function computeReport(db: SimulationDb, options: ComputeReportOptions = {}): ReportData {
  const c = db.connection;
  const images = (
    c.prepare(`SELECT count(*) AS n FROM sample_files WHERE kind = 'image' AND sample_id IN (${ACTIVE_SAMPLES})`).get() as { n: number }
  ).n;
  const runs = runSummary(c);
  const s = samplePass(c);
  const i = instancePass(c);

  const splits = ordered(
    [...s.bySplit].map(([split, v]) => ({ key: split, row: { split, samples: v.samples, instances: v.instances } })),
    SPLIT_NAMES,
  ).map((e) => e.row);

  return {
    version: 1,
    tool: { name: 'exoray', version: toolVersion() },
    ...(options.generatedAt !== undefined ? { generatedAt: options.generatedAt } : {}),
    generatedFrom: { samples: s.samples, instances: i.instances, images, runs: runs.length },
    counts: {
      bySpecies: Object.fromEntries(i.species.map((sp) => [sp.species, sp.instances])),
      byPreset: countRecord(s.byPreset, []),
      byDifficulty: countRecord(i.byDifficulty, DIFFICULTY_ORDER),
      bySplit: Object.fromEntries(splits.map((sp) => [sp.split, sp.samples])),
      byView: countRecord(i.byView, VIEW_ORDER),
      byContainer: countRecord(s.byContainer, []),
    },
    species: i.species,
    splits,
    histograms: {
      boxSizePx: i.boxSizePx,
      visibility: i.visibility,
      animalsPerImage: integerHistogram(s.animals, s.samples, { title: 'Animals per image', xLabel: 'animals in the scene', yLabel: 'images' }),
      clutterPerImage: integerHistogram(s.clutter, s.samples, { title: 'Clutter per image', xLabel: 'clutter objects in the scene', yLabel: 'images' }),
    },
    scanners: s.scanners,
    runs,
  };
}

/** Counts keyed by value, in `order` first, then by count (descending) and name; `unassigned` last. */
function countRecord(counts: Map<string, number>, order: readonly string[]): Record<string, number> {
  return Object.fromEntries(ordered([...counts].map(([key, n]) => ({ key, row: n })), order, (a, b) => b.row - a.row).map((e) => [e.key, e.row]));
}

function ordered<T>(entries: Array<{ key: string; row: T }>, order: readonly string[], tie?: (a: { key: string; row: T }, b: { key: string; row: T }) => number) {
  const rank = (k: string) => (k === UNASSIGNED ? order.length + 1 : order.includes(k) ? order.indexOf(k) : order.length);
  return [...entries].sort((a, b) => rank(a.key) - rank(b.key) || (tie ? tie(a, b) : 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** A bin width of 1, 2 or 5 times a power of ten giving at most `maxBins` bins over [lo, hi]. */
export function niceBinWidth(lo: number, hi: number, maxBins: number): number {
  const span = Math.max(hi - lo, 1e-9);
  let width = 10 ** Math.floor(Math.log10(span / maxBins));
  for (;;) {
    for (const m of [1, 2, 5]) {
      const w = width * m;
      if (Math.floor(hi / w) - Math.floor(lo / w) + 1 <= maxBins) return w;
    }
    width *= 10;
  }
}

// ---- samples ------------------------------------------------------------------

interface SamplePass {
  samples: number;
  byPreset: Map<string, number>;
  byContainer: Map<string, number>;
  bySplit: Map<string, { samples: number; instances: number }>;
  /** Samples per animal count and per clutter count. */
  animals: Map<number, number>;
  clutter: Map<number, number>;
  scanners: ScannerSummary[];
}

/**
 * Everything per sample in one grouped scan of the samples table. The scanner
 * settings are read from one sample of each (run, image size) group: a run images
 * every sample with the same scanner (a resumed run must keep its options), and
 * parsing the scanner JSON of every sample would cost more than the rest together.
 */
function samplePass(c: Db): SamplePass {
  const rows = c
    .prepare(
      `SELECT run_id, preset, split, container_kind, animal_count, clutter_count, width, height, min(id) AS example,
              count(*) AS n, sum((SELECT count(*) FROM instances i WHERE i.sample_id = s.id)) AS instances
       FROM samples s WHERE s.status = 'active' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    )
    .all() as Array<{
    run_id: number;
    preset: string;
    split: string | null;
    container_kind: string | null;
    animal_count: number;
    clutter_count: number;
    width: number;
    height: number;
    example: string;
    n: number;
    instances: number;
  }>;
  const scannerOf = c.prepare(
    `SELECT json_extract(scanner_json, '$.geometry') AS geometry,
            json_extract(scanner_json, '$.spectral.kVp') AS kvp,
            json_extract(scanner_json, '$.effectiveEnergyKeV') AS kev,
            coalesce(json_extract(scanner_json, '$.views'), '["top"]') AS views,
            json_type(scanner_json, '$.effects') IS NOT NULL AS effects,
            json_extract(scanner_json, '$.effects.photonsPerPixel') AS photons
     FROM samples WHERE id = ?`,
  );
  const out: SamplePass = { samples: 0, byPreset: new Map(), byContainer: new Map(), bySplit: new Map(), animals: new Map(), clutter: new Map(), scanners: [] };
  /** Scanner key of each (run, width, height) group, read once. */
  const groupScanner = new Map<string, string>();
  const scanners = new Map<string, ScannerSummary>();
  for (const r of rows) {
    out.samples += r.n;
    add(out.byPreset, r.preset, r.n);
    add(out.byContainer, r.container_kind ?? UNASSIGNED, r.n);
    const split = r.split ?? UNASSIGNED;
    const sp = out.bySplit.get(split) ?? { samples: 0, instances: 0 };
    sp.samples += r.n;
    sp.instances += r.instances;
    out.bySplit.set(split, sp);
    add(out.animals, r.animal_count, r.n);
    add(out.clutter, r.clutter_count, r.n);
    const group = `${r.run_id}/${r.width}/${r.height}`;
    let key = groupScanner.get(group);
    if (key === undefined) {
      const sc = scannerOf.get(r.example) as { geometry: string | null; kvp: number | null; kev: number | null; views: string; effects: number; photons: number | null };
      const scanner: ScannerSummary = {
        geometry: sc.geometry ?? 'unknown',
        width: r.width,
        height: r.height,
        kVp: sc.kvp,
        effectiveEnergyKeV: sc.kev,
        views: JSON.parse(sc.views) as string[],
        effects: sc.effects === 1,
        photonsPerPixel: sc.photons,
        samples: 0,
      };
      key = JSON.stringify({ ...scanner, samples: undefined });
      groupScanner.set(group, key);
      if (!scanners.has(key)) scanners.set(key, scanner);
    }
    scanners.get(key)!.samples += r.n;
  }
  out.scanners = [...scanners].sort(([ka, a], [kb, b]) => b.samples - a.samples || (ka < kb ? -1 : ka > kb ? 1 : 0)).map(([, v]) => v);
  return out;
}

/** One bin per whole value from the smallest to the largest (grouped when there are more than 24). */
function integerHistogram(values: Map<number, number>, samples: number, labels: Pick<Histogram, 'title' | 'xLabel' | 'yLabel'>): Histogram {
  const base = { ...labels, kind: 'integer' as const, total: samples, missing: 0 };
  if (values.size === 0) return { ...base, bins: [], stats: null };
  const keys = [...values.keys()];
  const lo = Math.min(...keys);
  const hi = Math.max(...keys);
  let sum = 0;
  for (const [v, n] of values) sum += v * n;
  const width = Math.max(1, Math.ceil((hi - lo + 1) / 24));
  const bins: HistogramBin[] = [];
  for (let first = lo; first <= hi; first += width) {
    const last = Math.min(first + width - 1, hi);
    let count = 0;
    for (let v = first; v <= last; v++) count += values.get(v) ?? 0;
    bins.push({ lo: first, hi: last, label: first === last ? String(first) : `${first}–${last}`, count });
  }
  return { ...base, bins, stats: { min: lo, max: hi, mean: round(sum / samples, 3) } };
}

// ---- instances ------------------------------------------------------------------

interface InstancePass {
  instances: number;
  species: SpeciesSummary[];
  byDifficulty: Map<string, number>;
  byView: Map<string, number>;
  boxSizePx: Histogram;
  visibility: Histogram;
}

interface Range {
  n: number;
  lo: number | null;
  hi: number | null;
  mean: number | null;
}

function stats(r: Range, digits: number): Histogram['stats'] {
  if (r.lo === null || r.hi === null || r.mean === null) return null;
  return { min: round(r.lo, digits), max: round(r.hi, digits), mean: round(r.mean, digits) };
}

function instancePass(c: Db): InstancePass {
  const ranges = c
    .prepare(
      `SELECT count(*) AS n, count(bbox_w) AS boxes, min(${BOX_SIZE}) AS box_lo, max(${BOX_SIZE}) AS box_hi, avg(${BOX_SIZE}) AS box_mean,
              count(visibility) AS vis, min(visibility) AS vis_lo, max(visibility) AS vis_hi, avg(visibility) AS vis_mean
       FROM instances WHERE sample_id IN (${ACTIVE_SAMPLES})`,
    )
    .get() as { n: number; boxes: number; box_lo: number | null; box_hi: number | null; box_mean: number | null; vis: number; vis_lo: number | null; vis_hi: number | null; vis_mean: number | null };
  const box: Range = { n: ranges.boxes, lo: ranges.box_lo, hi: ranges.box_hi, mean: ranges.box_mean };
  const vis: Range = { n: ranges.vis, lo: ranges.vis_lo, hi: ranges.vis_hi, mean: ranges.vis_mean };

  // Box bins: a nice width from the range; bin b covers [(first + b) * width, (first + b + 1) * width), the last one closed.
  const boxWidth = box.lo === null || box.hi === null ? 1 : niceBinWidth(box.lo, box.hi, 16);
  const boxFirst = box.lo === null ? 0 : Math.floor(box.lo / boxWidth);
  const boxBins = box.hi === null ? 0 : Math.floor(box.hi / boxWidth) - boxFirst + 1;
  // Visibility: ten bins of 0.1; the epsilon keeps 0.3 (2.9999999999999996 after * 10) in the bin it names.
  const rows = c
    .prepare(
      `SELECT species, min(scientific_name) AS scientific, view, difficulty,
              CASE WHEN bbox_w IS NULL THEN NULL ELSE min(max(CAST(${BOX_SIZE} / @width AS INTEGER) - @first, 0), @last) END AS box_bin,
              CASE WHEN visibility IS NULL THEN NULL ELSE min(max(CAST(visibility * 10 + 1e-9 AS INTEGER), 0), 9) END AS vis_bin,
              count(*) AS n, count(visibility) AS vis_n, total(visibility) AS vis_sum, count(bbox_w) AS box_n, total(${BOX_SIZE}) AS box_sum
       FROM instances WHERE sample_id IN (${ACTIVE_SAMPLES}) GROUP BY species, view, difficulty, box_bin, vis_bin`,
    )
    .all({ width: boxWidth, first: boxFirst, last: Math.max(0, boxBins - 1) }) as Array<{
    species: string;
    scientific: string;
    view: string;
    difficulty: string | null;
    box_bin: number | null;
    vis_bin: number | null;
    n: number;
    vis_n: number;
    vis_sum: number;
    box_n: number;
    box_sum: number;
  }>;
  const samplesPerSpecies = new Map(
    (c.prepare(`SELECT species, count(DISTINCT sample_id) AS n FROM instances WHERE sample_id IN (${ACTIVE_SAMPLES}) GROUP BY species`).all() as Array<{ species: string; n: number }>).map((r) => [r.species, r.n]),
  );

  const byDifficulty = new Map<string, number>();
  const byView = new Map<string, number>();
  const boxCounts = new Map<number, number>();
  const visCounts = new Map<number, number>();
  const species = new Map<string, { scientific: string; n: number; visN: number; visSum: number; boxN: number; boxSum: number }>();
  for (const r of rows) {
    add(byDifficulty, r.difficulty ?? UNASSIGNED, r.n);
    add(byView, r.view, r.n);
    if (r.box_bin !== null) add(boxCounts, r.box_bin, r.n);
    if (r.vis_bin !== null) add(visCounts, r.vis_bin, r.n);
    const sp = species.get(r.species) ?? { scientific: r.scientific, n: 0, visN: 0, visSum: 0, boxN: 0, boxSum: 0 };
    if (r.scientific < sp.scientific) sp.scientific = r.scientific;
    sp.n += r.n;
    sp.visN += r.vis_n;
    sp.visSum += r.vis_sum;
    sp.boxN += r.box_n;
    sp.boxSum += r.box_sum;
    species.set(r.species, sp);
  }

  const boxHistogram: Histogram = {
    title: 'Box size',
    xLabel: 'box size √(w·h), pixels',
    yLabel: 'labels',
    kind: 'continuous',
    bins: Array.from({ length: boxBins }, (_, b) => {
      const lo = round((boxFirst + b) * boxWidth, 6);
      const hi = round((boxFirst + b + 1) * boxWidth, 6);
      return { lo, hi, label: `${lo}–${hi}`, count: boxCounts.get(b) ?? 0 };
    }),
    total: box.n,
    missing: ranges.n - box.n,
    stats: stats(box, 2),
  };
  const visibilityHistogram: Histogram = {
    title: 'Visibility',
    xLabel: 'visibility (share of the attenuation from the animal)',
    yLabel: 'labels',
    kind: 'continuous',
    bins: Array.from({ length: vis.n > 0 ? 10 : 0 }, (_, b) => ({ lo: b / 10, hi: (b + 1) / 10, label: `${(b / 10).toFixed(1)}–${((b + 1) / 10).toFixed(1)}`, count: visCounts.get(b) ?? 0 })),
    total: vis.n,
    missing: ranges.n - vis.n,
    stats: stats(vis, 4),
    markers: [
      { at: DIFFICULTY_THRESHOLDS.hard, label: `hard ≥ ${DIFFICULTY_THRESHOLDS.hard}` },
      { at: DIFFICULTY_THRESHOLDS.easy, label: `easy ≥ ${DIFFICULTY_THRESHOLDS.easy}` },
    ],
  };
  const speciesList = [...species]
    .map(
      ([name, sp]): SpeciesSummary => ({
        species: name,
        scientificName: sp.scientific,
        instances: sp.n,
        samples: samplesPerSpecies.get(name) ?? 0,
        meanVisibility: sp.visN > 0 ? round(sp.visSum / sp.visN, 4) : null,
        meanBoxPx: sp.boxN > 0 ? round(sp.boxSum / sp.boxN, 2) : null,
      }),
    )
    .sort((a, b) => b.instances - a.instances || (a.species < b.species ? -1 : a.species > b.species ? 1 : 0));
  return { instances: ranges.n, species: speciesList, byDifficulty, byView, boxSizePx: boxHistogram, visibility: visibilityHistogram };
}

// ---- runs ------------------------------------------------------------------

function runSummary(c: Db): RunSummary[] {
  const rows = c
    .prepare(
      `SELECT r.id, r.preset, r.seed, r.status, r.tool_version, r.shard_index, r.shard_count,
              json_extract(r.options_json, '$.scanner') AS scanner, json_extract(r.options_json, '$.count') AS requested,
              (SELECT count(*) FROM samples s WHERE s.run_id = r.id) AS samples
       FROM runs r ORDER BY r.id`,
    )
    .all() as Array<{
    id: number;
    preset: string;
    seed: number;
    status: string;
    tool_version: string;
    shard_index: number | null;
    shard_count: number | null;
    scanner: unknown;
    requested: unknown;
    samples: number;
  }>;
  return rows.map((r) => ({
    id: r.id,
    preset: r.preset,
    seed: r.seed,
    status: r.status,
    toolVersion: r.tool_version,
    scanner: typeof r.scanner === 'string' ? r.scanner : null,
    requested: typeof r.requested === 'number' ? r.requested : null,
    samples: r.samples,
    shard: r.shard_index === null || r.shard_count === null ? null : { index: r.shard_index, count: r.shard_count },
  }));
}

// ---- files ------------------------------------------------------------------

export const REPORT_FOLDER = 'report';

export interface WriteReportOptions extends ComputeReportOptions {
  /** Seed of the contact sheet's pick; default the seed of the dataset's first run (0 without runs). */
  seed?: number;
  /** Samples on the contact sheet (default 16; 0 for none). */
  count?: number;
  /** Thumbnail size on the contact sheet, pixels (default 192). */
  thumb?: number;
}

export interface ReportFiles {
  /** The report folder, `<dir>/report`. */
  dir: string;
  json: string;
  html: string;
  /** null when the dataset has no samples to show. */
  contactSheet: string | null;
  data: ReportData;
}

/** Default contact sheet seed: the run seed of the dataset's first run. */
export function defaultReportSeed(db: SimulationDb): number {
  const row = db.connection.prepare('SELECT seed FROM runs ORDER BY id LIMIT 1').get() as { seed: number } | undefined;
  return row?.seed ?? 0;
}

/**
 * Writes `<dir>/report/report.json`, `report.html` and `contact-sheet.png`
 * (each atomically) for the dataset in `dir` whose database is `db`.
 */
export async function writeReport(dir: string, db: SimulationDb, options: WriteReportOptions = {}): Promise<ReportFiles> {
  const seed = options.seed ?? defaultReportSeed(db);
  const thumb = options.thumb ?? 192;
  const folder = path.join(dir, REPORT_FOLDER);
  mkdirSync(folder, { recursive: true });
  const data = computeReport(db, options);
  const sheetFile = 'contact-sheet.png';
  const chosen = await contactSheet(dir, db, { count: options.count ?? 16, seed, thumb });
  let sheetPath: string | null = null;
  if (chosen.length > 0) {
    sheetPath = path.join(folder, sheetFile);
    const layout = sheetLayout(chosen.length, thumb);
    data.contactSheet = { file: sheetFile, seed, ...layout, samples: describeSheetSamples(dir, db, chosen) };
  }
  const json = path.join(folder, 'report.json');
  const html = path.join(folder, 'report.html');
  await writeFileAtomic(json, `${JSON.stringify(data, null, 2)}\n`);
  await writeFileAtomic(html, renderReportHtml(data, { contactSheet: sheetFile, chosen }));
  return { dir: folder, json, html, contactSheet: sheetPath, data };
}
