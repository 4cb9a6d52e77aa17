/**
 * The generator: plans samples from the run seed, renders them on a pool of
 * pages, computes transmission and labels, writes files atomically and commits
 * database rows in sample order (so runs are identical whatever the timing).
 */
import { mkdirSync, existsSync, rmSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExorayError } from '../core/errors.js';
import { deriveSeed } from '../core/rng.js';
import { toolVersion } from '../core/paths.js';
import type { SceneDescription, ViewName } from '../core/types.js';
import { openDatabase, type SimulationDb } from '../db/database.js';
import type { SampleRecord, StoredRun } from '../db/records.js';
import { Renderer } from '../render/renderer.js';
import { makePlan, parsePresetList, planScene, type PresetOverrides } from './plan.js';
import { inShard, shardFromEnv, shardSize, type Shard } from './shard.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { makeSample, OUTPUT_FOLDERS, type SampleContext } from './sample.js';
import { SpeciesLibrary } from './species-library.js';
import type { LabelFormat } from './export.js';
import { finishDataset } from './finish.js';
import { makeInOrder } from './pipeline.js';
import { EncodePool } from './encode-pool.js';
import { normaliseSplitRatios, type SplitRatios } from './split.js';
import type { LabelLevel } from '../labels/categories.js';

export interface GenerateOptions extends PresetOverrides {
  /** Only these species are placed (each preset keeps those of its species in the list). */
  species?: string[];
  out: string;
  count: number;
  seed: number;
  /** Preset name from scenes/ or a path to a YAML file; several with weights as "parcel:3,reptile-box:1". */
  preset?: string;
  /** Render pages in parallel. */
  workers?: number;
  chromium?: string;
  gpu?: boolean;
  /** Replace an existing dataset in `out`. */
  overwrite?: boolean;
  /** Continue the dataset in `out` where a stopped run left it (same options; the count may grow). */
  resume?: boolean;
  /** Aborting stops the run cleanly after the samples in flight (Ctrl-C); `--resume` continues it. */
  signal?: AbortSignal;
  /**
   * Make only this shard's samples (index mod count = shard index) of a `count`-sample run.
   * Without it, the shard is read from the batch scheduler's environment (Kubernetes,
   * Slurm, AWS Batch; see dataset/shard.ts); null there means the whole run.
   */
  shard?: Shard | null;
  /** Shard count for Kubernetes Indexed Jobs, whose environment gives only the index. */
  shardCount?: number;
  /** Also write label overlays (preview with masks, contours and boxes) to overlays/. */
  overlays?: boolean;
  /** Label formats to write (default coco). */
  formats?: LabelFormat[];
  /** Category granularity of the labels (default species). */
  labelLevel?: LabelLevel;
  /** Train/val/test ratios (default 80/10/10); each sample's split comes from a hash of its id. */
  split?: SplitRatios;
  onProgress?: (p: { done: number; total: number; failures: number; elapsedMs: number }) => void;
  /** Filled with milliseconds per stage (render, detector, labels, encode, write, database), summed over samples. */
  profile?: Record<string, number>;
}

export interface GenerateResult {
  out: string;
  dbPath: string;
  cocoPath: string;
  count: number;
  /** Samples made by this invocation (fewer than `count` when resuming). */
  made: number;
  /** Labelled animals in the samples made by this invocation. */
  instances: number;
  seconds: number;
  imagesPerSecond: number;
  replacedPages: number;
  chromium: string;
}

export const DB_FILE = 'exoray.db';
/** Written from the database at the end of a run; removed with the rest by --overwrite. */
const DERIVED_OUTPUTS = ['labels', 'voc', 'report', 'data.yaml', 'train.txt', 'val.txt', 'test.txt', 'manifest.json'];
export const DEFAULT_SPLIT: SplitRatios = { train: 0.8, val: 0.1, test: 0.1 };

/** Samples in flight per render page (see makeInOrder's call in generate). */
const SAMPLES_IN_FLIGHT_PER_PAGE = 2;

export function defaultWorkers(): number {
  // SwiftShader already uses several threads per page; one page per two cores keeps them busy.
  return Math.max(1, Math.floor(os.availableParallelism() / 2));
}

function checkOptions(o: GenerateOptions): void {
  if (!Number.isInteger(o.count) || o.count < 1) {
    throw new ExorayError('E_USAGE', `generate: --count must be a whole number of at least 1, got ${o.count}`);
  }
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 2 ** 32 - 1) {
    throw new ExorayError('E_USAGE', `generate: --seed must be a whole number from 0 to 4294967295, got ${o.seed}`);
  }
  if (o.size !== undefined && (!Number.isInteger(o.size) || o.size < 16 || o.size > 8192)) {
    throw new ExorayError('E_USAGE', `generate: --size must be a whole number of pixels from 16 to 8192, got ${o.size}`);
  }
  if (o.workers !== undefined && (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > 64)) {
    throw new ExorayError('E_USAGE', `generate: --workers must be from 1 to 64, got ${o.workers}`);
  }
}

/** Makes `out` ready: refuses to mix with an existing dataset unless asked to replace it. */
export function prepareOutput(out: string, overwrite: boolean, overlays: boolean, resume: boolean): void {
  const db = path.join(out, DB_FILE);
  if (existsSync(db) && !resume) {
    if (!overwrite) {
      throw new ExorayError(
        'E_OUTPUT',
        `generate: ${out} already holds a dataset (${DB_FILE}). Continue it with --resume, replace it with --overwrite, or choose another --out.`,
      );
    }
    for (const name of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, ...OUTPUT_FOLDERS, ...DERIVED_OUTPUTS]) {
      rmSync(path.join(out, name), { recursive: true, force: true });
    }
  }
  try {
    for (const dir of OUTPUT_FOLDERS) if (overlays || dir !== 'overlays') mkdirSync(path.join(out, dir), { recursive: true });
    // A killed run may leave temporary files behind; no final name ever points at one.
    for (const dir of OUTPUT_FOLDERS) {
      if (!existsSync(path.join(out, dir))) continue;
      for (const f of readdirSync(path.join(out, dir))) if (f.includes('.tmp-')) rmSync(path.join(out, dir, f), { force: true });
    }
  } catch (cause) {
    throw new ExorayError('E_OUTPUT', `generate: cannot create the output folder ${out}: ${(cause as Error).message}`, { cause });
  }
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  checkOptions(options);
  const out = path.resolve(options.out);
  const shard = options.shard !== undefined ? options.shard : shardFromEnv(process.env, options.shardCount);
  const species = await SpeciesLibrary.load();
  const plan = makePlan(species, options.seed, { ...options, presets: parsePresetList(options.preset ?? 'parcel') });
  const materials = loadMaterialLibrary();
  // Fail before any browser starts if a preset names an unknown material.
  for (const id of species.materialIds()) materials.get(id);
  for (const { preset } of plan.presets) materials.get(preset.container.material);

  // Everything that can be checked is checked before the output folder is touched.
  const workers = options.workers ?? defaultWorkers();
  const renderer = await Renderer.launch({ assets: species, chromium: options.chromium, gpu: options.gpu, pages: workers });
  try {
    prepareOutput(out, options.overwrite ?? false, options.overlays ?? false, options.resume ?? false);
  } catch (e) {
    await renderer.close();
    throw e;
  }
  const dbPath = path.join(out, DB_FILE);
  let db: SimulationDb | null = null;
  let runId = 0;
  const started = performance.now();
  let status: 'completed' | 'failed' | 'interrupted' = 'failed';
  let instances = 0;
  let made = 0;
  let encoder: EncodePool | null = null;
  try {
    db = openDatabase(dbPath);
    db.upsertSpecies(species.entries());
    const runOptions = {
      preset: options.preset ?? 'parcel',
      species: options.species ?? null,
      size: options.size ?? null,
      scanner: options.scanner ?? null,
      views: options.views ?? null,
      effects: options.effects ?? true,
      overlays: options.overlays ?? false,
      split: normaliseSplitRatios(options.split ?? DEFAULT_SPLIT),
      formats: options.formats ?? ['coco'],
      labelLevel: options.labelLevel ?? 'species',
    };
    const previous = options.resume ? db.latestRun() : undefined;
    if (previous) {
      checkResumable(previous, options.seed, runOptions, out);
      if (JSON.stringify(previous.shard) !== JSON.stringify(shard)) {
        throw new ExorayError(
          'E_USAGE',
          `generate: --resume continues shard ${previous.shard ? `${previous.shard.index}/${previous.shard.count}` : '(none)'} in ${out}; this command is for shard ${shard ? `${shard.index}/${shard.count}` : '(none)'}. Use the same shard.`,
        );
      }
      runId = previous.id;
      db.reopenRun(runId);
    } else {
      runId = db.startRun({
        toolVersion: toolVersion(),
        preset: plan.presets.map((p) => p.preset.name).join(','),
        seed: options.seed,
        options: { count: options.count, ...runOptions },
        host: os.hostname(),
        shard,
      });
    }
    // Samples already stored (a resumed run) are not made again, nor other shards' samples:
    // both are skipped, in planning and in the in-order commit.
    const stored = new Set(db.sampleIndices(runId));
    const skip = (index: number) => stored.has(index) || (shard !== null && !inShard(index, shard));
    const total = shard ? shardSize(options.count, shard) : options.count;
    const ctx: SampleContext = {
      out,
      materials,
      species,
      renderer,
      overlays: options.overlays ?? false,
      profile: options.profile,
      split: { seed: options.seed, ratios: runOptions.split },
    };
    encoder = new EncodePool();
    ctx.encoder = encoder;
    let done = stored.size;
    const items: number[] = [];
    for (let index = 0; index < options.count; index++) if (!skip(index)) items.push(index);
    try {
      await makeInOrder({
        items,
        // Two samples per page in flight: while a page renders one, this thread turns the
        // previous render into detector images and labels and the encode pool writes its PNGs.
        workers: SAMPLES_IN_FLIGHT_PER_PAGE * workers,
        signal: options.signal,
        interrupted: () => new ExorayError('E_INTERRUPTED', `generate: interrupted after ${done} of ${total} samples; continue with --resume --out ${out}`),
        make: async (index) => {
          const record = await makeSample(ctx, runId, index, planScene(plan, index));
          instances += record.instances.length;
          made++;
          return record;
        },
        commit: (batch) => {
          const t0 = performance.now();
          db!.insertSamples(batch);
          if (options.profile) options.profile.database = (options.profile.database ?? 0) + performance.now() - t0;
        },
        onMade: () => {
          done++;
          options.onProgress?.({ done, total, failures: renderer.replacedPages, elapsedMs: performance.now() - started });
        },
      });
    } catch (failure) {
      if (failure instanceof ExorayError && failure.code === 'E_INTERRUPTED') status = 'interrupted';
      throw failure;
    }
    status = 'completed';
  } finally {
    await renderer.close();
    await encoder?.close();
    if (db) {
      if (runId) db.finishRun(runId, status);
      try {
        if (status === 'completed') {
          await finishDataset(db, out, species, {
            formats: options.formats ?? ['coco'],
            labelLevel: options.labelLevel ?? 'species',
            runStartedAt: db.getRun(runId)?.startedAt,
            seed: options.seed,
          });
        }
      } finally {
        db.close();
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    out,
    dbPath,
    cocoPath: path.join(out, 'annotations', 'instances.json'),
    count: options.count,
    made,
    instances,
    seconds,
    imagesPerSecond: made / seconds,
    replacedPages: renderer.replacedPages,
    chromium: renderer.chromiumPath,
  };
}

/** Files of a dataset folder, for tests and the CLI summary. */
export function listImages(out: string): string[] {
  return readdirSync(path.join(out, 'images')).filter((f) => f.endsWith('.png')).sort();
}

/** A resumed run must be the same run: same seed and options (only the count may change). */
function checkResumable(previous: StoredRun, seed: number, runOptions: Record<string, unknown>, out: string): void {
  const was = { seed: previous.seed, ...Object.fromEntries(Object.keys(runOptions).map((k) => [k, previous.options[k] ?? null])) };
  const now: Record<string, unknown> = { seed, ...runOptions };
  const differ = Object.keys(now).filter((k) => JSON.stringify(was[k as keyof typeof was]) !== JSON.stringify(now[k]));
  if (differ.length > 0) {
    throw new ExorayError(
      'E_USAGE',
      `generate: --resume continues the run in ${out}, made with ${differ.map((k) => `${k}=${JSON.stringify(was[k as keyof typeof was])}`).join(', ')}; ` +
        `this command has ${differ.map((k) => `${k}=${JSON.stringify(now[k])}`).join(', ')}. Use the same options, or another --out for a new dataset.`,
    );
  }
}
