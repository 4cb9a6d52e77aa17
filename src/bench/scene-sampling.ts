/**
 * Time to sample one scene (container, animals, clutter, and physics settling), per
 * preset, next to the time to render scenes of that preset with the renderer `generate`
 * uses: sampling runs ahead of rendering, so it must take a small share of it. Also the
 * fill each preset reaches against its drawn target. Run alone with `npm run bench:scenes`;
 * `npm run bench` prints the sampling part next to its own render figures.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { SpeciesLibrary } from '../dataset/species-library.js';
import { listPresets, loadPreset, resolvePresetSpecies } from '../scene/preset.js';
import { fillReached } from '../scene/physics/arrange.js';
import { sampleScene } from '../scene/sampler.js';
import { median } from './median.js';
import { Renderer } from '../render/renderer.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { renderMedianMs } from './preset-render.js';

export interface SamplingTiming {
  preset: string;
  medianMs: number;
  p90Ms: number;
  /** Mean share of the interior taken by the contents' boxes (animals and clutter). */
  meanFill: number;
  /** Over the seeds of a `fill` preset: reached / target, lowest and median; null for count presets. */
  fillRatio: { min: number; median: number } | null;
  /** Seeds whose reached fill is at least 0.9 of the target or within 0.03 of it (fill presets). */
  fillMet: number;
  seeds: number;
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
    const ratios: number[] = [];
    let met = 0;
    let fill = 0;
    let pen = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const t = performance.now();
      const scene = sampleScene(preset, forScenes, seed);
      ms.push(performance.now() - t);
      const r = scene.randomisation!;
      fill += r.contentsFill;
      if (r.fillTarget !== null) {
        ratios.push(r.contentsFill / r.fillTarget);
        if (fillReached(r.contentsFill, r.fillTarget)) met++;
      }
      pen = Math.max(pen, r.penetrationMm ?? 0);
    }
    return {
      preset: name,
      medianMs: median(ms),
      p90Ms: quantile(ms, 0.9),
      meanFill: fill / seeds,
      fillRatio: ratios.length > 0 ? { min: Math.min(...ratios), median: median(ratios) } : null,
      fillMet: met,
      seeds,
      maxPenetrationMm: pen,
    };
  });
}

export function formatSampling(rows: readonly SamplingTiming[]): Array<[string, string]> {
  return rows.map((r) => [
    `  ${r.preset}`,
    `${r.medianMs.toFixed(1)} (p90 ${r.p90Ms.toFixed(1)}; fill ${r.meanFill.toFixed(3)}` +
      (r.fillRatio ? `, reached/target min ${r.fillRatio.min.toFixed(2)} median ${r.fillRatio.median.toFixed(2)}, met in ${r.fillMet}/${r.seeds}` : '') +
      `; deepest contact ${r.maxPenetrationMm.toFixed(2)} mm)`,
  ]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '30' },
      preset: { type: 'string' },
      renders: { type: 'string', default: '3' },
    },
  });
  const species = await SpeciesLibrary.load();
  const seeds = Number(values.seeds);
  const renders = Number(values.renders);
  const presets = values.preset ? values.preset.split(',') : listPresets();
  const renderer = renders > 0 ? await Renderer.launch({ assets: species, pages: 1 }) : null;
  const materials = loadMaterialLibrary();
  const rows: Array<{ sampling: SamplingTiming; renderMs: number | null }> = [];
  try {
    // Each preset's sampling and rendering run back to back, so both meet about the same
    // load on a shared machine; the browser is idle while the sampler runs.
    for (const name of presets) {
      const [sampling] = timeSampling(species, seeds, [name]);
      const renderMs = renderer ? await renderMedianMs(renderer, species, materials, resolvePresetSpecies(loadPreset(name), species.ids()), renders) : null;
      rows.push({ sampling: sampling!, renderMs });
      process.stderr.write(`${name} done\n`);
    }
  } finally {
    await renderer?.close();
  }
  process.stdout.write(`scene sampling + settling, ms/scene over ${seeds} seeds (wall clock, this process):\n`);
  const text = formatSampling(rows.map((r) => r.sampling));
  const width = Math.max(...text.map((r) => r[0].length));
  for (const [k, v] of text) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  if (!renderer) return;
  process.stdout.write(`\nmedian sampling vs median render of the same preset's scenes (${renders} rendered per preset after a warm-up, one page):\n`);
  process.stdout.write(`${'  preset'.padEnd(width)}  sample ms  render ms  sample/render\n`);
  for (const { sampling: s, renderMs } of rows) {
    process.stdout.write(`${`  ${s.preset}`.padEnd(width)}  ${s.medianMs.toFixed(1).padStart(9)}  ${renderMs!.toFixed(1).padStart(9)}  ${(s.medianMs / renderMs!).toFixed(2).padStart(13)}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
}
