/**
 * Time to sample one scene (container, animals, clutter, and physics settling), per
 * preset: the median and 90th percentile over seeds, wall clock, in this process. Run
 * alone with `npm run bench:scenes`; `npm run bench` prints it next to the render time.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { SpeciesLibrary } from '../dataset/species-library.js';
import { listPresets, loadPreset, resolvePresetSpecies } from '../scene/preset.js';
import { sampleScene } from '../scene/sampler.js';

export interface SamplingTiming {
  preset: string;
  medianMs: number;
  p90Ms: number;
  /** Mean share of the interior taken by the clutter's boxes. */
  meanFill: number;
  /** Deepest contact after settling over the seeds, millimetres. */
  maxPenetrationMm: number;
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

export function timeSampling(species: SpeciesLibrary, seeds: number, presets = listPresets()): SamplingTiming[] {
  const forScenes = species.forScenes();
  return presets.map((name) => {
    const preset = resolvePresetSpecies(loadPreset(name), species.ids());
    // Warm-up: the first scenes run before the engine's WebAssembly and the JIT are tuned.
    for (let s = 0; s < 3; s++) sampleScene(preset, forScenes, 1_000_000 + s);
    const ms: number[] = [];
    let fill = 0;
    let pen = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const t = performance.now();
      const scene = sampleScene(preset, forScenes, seed);
      ms.push(performance.now() - t);
      fill += scene.randomisation!.clutterFill;
      pen = Math.max(pen, scene.randomisation!.penetrationMm ?? 0);
    }
    return { preset: name, medianMs: quantile(ms, 0.5), p90Ms: quantile(ms, 0.9), meanFill: fill / seeds, maxPenetrationMm: pen };
  });
}

export function formatSampling(rows: readonly SamplingTiming[]): Array<[string, string]> {
  return rows.map((r) => [
    `  ${r.preset}`,
    `${r.medianMs.toFixed(1)} (p90 ${r.p90Ms.toFixed(1)}; fill ${r.meanFill.toFixed(3)}; deepest contact ${r.maxPenetrationMm.toFixed(2)} mm)`,
  ]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seeds: { type: 'string', default: '30' }, preset: { type: 'string' } } });
  const species = await SpeciesLibrary.load();
  const seeds = Number(values.seeds);
  const rows = formatSampling(timeSampling(species, seeds, values.preset ? values.preset.split(',') : undefined));
  process.stdout.write(`scene sampling + settling, ms/scene over ${seeds} seeds:\n`);
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
}
