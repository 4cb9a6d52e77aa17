/**
 * `exoray refresh DIR`: brings a dataset up to its target (DIR/target.yaml) and
 * the species catalog. It makes exactly the missing samples, supersedes those of
 * changed models, retires those of removed species, then rewrites the label
 * files, report and manifest. When nothing is missing it touches nothing and
 * starts no browser, so a pipeline can run it on every commit.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExorayError } from '../core/errors.js';
import { toolVersion } from '../core/paths.js';
import { openDatabase, type SimulationDb } from '../db/database.js';
import { readRefreshState, setSampleStatuses } from '../db/refresh-state.js';
import type { SampleRecord, StoredRun } from '../db/records.js';
import { Renderer } from '../render/renderer.js';
import { loadPreset } from '../scene/preset.js';
import { defaultSpeciesDir, loadCatalog } from '../species/catalog.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { finishDataset } from './finish.js';
import { DB_FILE, defaultWorkers, prepareOutput } from './generate.js';
import { makeInOrder } from './pipeline.js';
import { presetWithOverrides } from './plan.js';
import { isEmptyPlan, planRefresh, refreshSplitKey, type RefreshPlan, type SpeciesPlan } from './refresh-plan.js';
import { refreshScene } from './refresh-scene.js';
import { makeSample, type SampleContext } from './sample.js';
import { SpeciesLibrary } from './species-library.js';
import { fixedSettings, loadTarget, TARGET_FILE, type DatasetTarget } from './target.js';

export interface RefreshOptions {
  dir: string;
  /** A target file to install as DIR/target.yaml (the dataset's first refresh, or a changed count/species list). */
  target?: string;
  /** Species catalog folder (default: the bundled one). */
  catalog?: string;
  dryRun?: boolean;
  workers?: number;
  chromium?: string;
  gpu?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; failures: number; elapsedMs: number }) => void;
}

export type RefreshOutcome = 'changed' | 'nothing-to-do';

export interface RefreshSummary {
  outcome: RefreshOutcome;
  dryRun: boolean;
  dir: string;
  species: SpeciesPlan[];
  added: number;
  superseded: number;
  retired: number;
  reactivated: number;
  /** Whether label files, report and manifest are (or, in a dry run, would be) rewritten. */
  exports: boolean;
  /** Why the exports are rewritten when no sample changes (a stopped refresh, new formats). */
  exportsReason: string | null;
  seconds: number;
}

function fail(message: string): never {
  throw new ExorayError('E_USAGE', `refresh: ${message}`);
}

function fileSha256(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch (e) {
    throw new ExorayError('E_ASSET', `refresh: cannot read the model ${file} (${(e as Error).message}); fix the catalog entry or restore the file.`, { cause: e });
  }
}

/** Options stored with each refresh run: the fixed settings, plus what may change between refreshes. */
function runOptions(t: DatasetTarget, catalogDir: string): Record<string, unknown> {
  return { kind: 'refresh', ...fixedSettings(t), samplesPerSpecies: t.samplesPerSpecies, species: t.species, formats: t.formats, labelLevel: t.labelLevel, catalog: catalogDir };
}

function checkFixedSettings(first: StoredRun | undefined, t: DatasetTarget, dir: string): void {
  if (!first) return;
  const was = first.options;
  const now = fixedSettings(t);
  const differ = Object.keys(now).filter((k) => JSON.stringify(was[k] ?? null) !== JSON.stringify(now[k]));
  if (differ.length > 0) {
    fail(
      `the target of ${dir} changes ${differ.join(', ')} (was ${differ.map((k) => `${k}=${JSON.stringify(was[k] ?? null)}`).join(', ')}), which would change every sample. ` +
        'A refresh may change only samplesPerSpecies, species, formats and labelLevel; for other settings make a new dataset in another folder.',
    );
  }
}

/** Why exports must be rewritten although no sample changes, or null when they are current. */
function staleExports(latest: StoredRun | undefined, t: DatasetTarget): string | null {
  if (!latest) return null;
  if (latest.status !== 'completed') return `the last refresh (run ${latest.id}) ended "${latest.status}" before its exports were written`;
  const o = latest.options;
  if (JSON.stringify(o.formats) !== JSON.stringify(t.formats)) return `the label formats changed to ${t.formats.join(', ')}`;
  if (o.labelLevel !== t.labelLevel) return `the label level changed to ${t.labelLevel}`;
  return null;
}

export async function refresh(o: RefreshOptions): Promise<RefreshSummary> {
  const started = performance.now();
  const dir = path.resolve(o.dir);
  const targetFile = path.join(dir, TARGET_FILE);
  if (!o.target && !existsSync(dir)) fail(`${dir} does not exist; create a dataset with --target FILE (see docs/REFRESH.md).`);
  const target = loadTarget(o.target ? path.resolve(o.target) : targetFile);
  const catalogDir = path.resolve(o.catalog ?? process.env.EXORAY_CATALOG ?? defaultSpeciesDir());
  const catalog = loadCatalog(catalogDir);
  if (target.species !== 'all') {
    const unknown = target.species.filter((id) => !catalog.species.some((s) => s.id === id));
    // Listed but not in the catalog: treated as removed (its samples retired), and said.
    if (unknown.length > 0) process.emitWarning(`refresh: target species ${unknown.join(', ')} are not in the catalog ${catalog.file}; their samples are retired.`);
  }
  const models = catalog.species.map((s) => ({ id: s.id, sha256: fileSha256(s.modelPath) }));

  const dbPath = path.join(dir, DB_FILE);
  const hasDb = existsSync(dbPath);
  let plan: RefreshPlan;
  let exportsReason: string | null;
  let maxIndex = -1;
  {
    const db = hasDb ? openDatabase(dbPath, { readonly: true }) : null;
    try {
      const state = db ? readRefreshState(db) : { samples: [], plainSamples: 0, maxSampleIndex: -1 };
      if (state.plainSamples > 0) {
        fail(`${dir} holds ${state.plainSamples} samples made by \`exoray generate\`; refresh manages datasets it made itself. Refresh into a new folder with --target FILE.`);
      }
      const runs = db ? (db.connection.prepare('SELECT id FROM runs ORDER BY id').pluck().all() as number[]) : [];
      checkFixedSettings(runs.length > 0 ? db!.getRun(runs[0]!) : undefined, target, dir);
      plan = planRefresh(target, models, state.samples);
      exportsReason = staleExports(db?.latestRun(), target);
      maxIndex = state.maxSampleIndex;
    } finally {
      db?.close();
    }
  }
  const summary = (outcome: RefreshOutcome, exports: boolean): RefreshSummary => ({
    outcome,
    dryRun: o.dryRun ?? false,
    dir,
    species: plan.species,
    added: plan.add.length,
    superseded: plan.supersede.length,
    retired: plan.retire.length,
    reactivated: plan.reactivate.length,
    exports,
    exportsReason: isEmptyPlan(plan) ? exportsReason : null,
    seconds: (performance.now() - started) / 1000,
  });
  const work = !isEmptyPlan(plan) || exportsReason !== null || !hasDb;
  if (o.dryRun) return summary(work ? 'changed' : 'nothing-to-do', work);
  if (!work) return summary('nothing-to-do', false);

  // There is work: everything that can be checked is checked before anything is written.
  const species = await SpeciesLibrary.load(catalogDir);
  const presets = target.presets.map(({ name, weight }) => ({ preset: presetWithOverrides(loadPreset(name), target.scanner), weight }));
  const materials = loadMaterialLibrary();
  for (const id of species.materialIds()) materials.get(id);
  for (const { preset } of presets) materials.get(preset.container.material);
  const workers = Math.min(o.workers ?? defaultWorkers(), Math.max(1, plan.add.length));
  const renderer = plan.add.length > 0 ? await Renderer.launch({ assets: species, chromium: o.chromium, gpu: o.gpu, pages: workers }) : null;

  let db: SimulationDb | null = null;
  let runId = 0;
  let status: 'completed' | 'failed' | 'interrupted' = 'failed';
  try {
    mkdirSync(dir, { recursive: true });
    prepareOutput(dir, false, target.overlays, true);
    if (o.target && path.resolve(o.target) !== targetFile) {
      // Installed atomically: a reader never sees half a target.
      copyFileSync(path.resolve(o.target), `${targetFile}.tmp-${process.pid}`);
      renameSync(`${targetFile}.tmp-${process.pid}`, targetFile);
    }
    db = openDatabase(dbPath);
    db.upsertSpecies(species.entries());
    runId = db.startRun({
      toolVersion: toolVersion(),
      preset: target.presets.map((p) => p.name).join(','),
      seed: target.seed,
      options: runOptions(target, catalogDir),
      host: os.hostname(),
      shard: null,
    });
    // Status changes first: a refresh stopped after them is continued by the next one,
    // which then finds only the samples still to make.
    setSampleStatuses(db, [
      { ids: plan.supersede, status: 'superseded' },
      { ids: plan.retire, status: 'retired' },
      { ids: plan.reactivate, status: 'active' },
    ]);
    if (renderer) {
      const ctx: SampleContext = { out: dir, materials, species, renderer, overlays: target.overlays, split: { seed: target.seed, ratios: target.split } };
      const scenesOf = species.forScenes();
      let done = 0;
      const items = plan.add.map((item, i) => ({ ...item, index: maxIndex + 1 + i }));
      await makeInOrder({
        items,
        workers,
        signal: o.signal,
        interrupted: () => new ExorayError('E_INTERRUPTED', `refresh: interrupted after ${done} of ${items.length} new samples; run exoray refresh ${o.dir} again to continue`),
        make: async (item): Promise<SampleRecord> => {
          const scene = refreshScene(presets, scenesOf, target.seed, item.species, item.k);
          const record = await makeSample(ctx, runId, item.index, scene, { id: item.id, splitKey: refreshSplitKey(item.species, item.k) });
          return { ...record, targetSpecies: item.species, modelSha256: item.sha256 };
        },
        commit: (batch) => db!.insertSamples(batch),
        onMade: () => {
          done++;
          o.onProgress?.({ done, total: items.length, failures: renderer.replacedPages, elapsedMs: performance.now() - started });
        },
      });
    }
    await finishDataset(db, dir, species, { formats: target.formats, labelLevel: target.labelLevel, seed: target.seed });
    status = 'completed';
  } catch (e) {
    if (e instanceof ExorayError && e.code === 'E_INTERRUPTED') status = 'interrupted';
    throw e;
  } finally {
    await renderer?.close();
    if (db) {
      // 'completed' only once the exports are written: a refresh stopped before that is redone by the next.
      if (runId) db.finishRun(runId, status);
      db.close();
    }
  }
  return summary('changed', true);
}
