/**
 * `npm run bench`: end-to-end throughput of the demo scene against the floor of
 * this design, one bare path-length geometry pass of the same scenes in the same
 * browser. Medians over several runs, all measured in this one invocation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '../dataset/generate.js';
import { makePlan, planScene } from '../dataset/plan.js';
import { SpeciesLibrary } from '../dataset/species-library.js';
import { Renderer } from '../render/renderer.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { scannerPhysics } from '../xray/scanner-physics.js';
import { lutAccuracy } from '../xray/spectral-accuracy.js';
import type { MaterialLibrary } from '../xray/materials.js';
import type { ScannerSettings } from '../core/types.js';
import { median } from './median.js';
import { cpuPerImage, cpuSnapshot, type CpuSnapshot } from './cpu.js';
import type { ViewName } from '../core/types.js';
import { formatSampling, timeSampling } from './scene-sampling.js';

type Generate = typeof generate;

interface EndToEndRun {
  /** Images per second including the browser's start, and from the first finished image to the last. */
  withStart: number;
  steady: number;
  /** CPU ms per image over the steady-state window (null off Linux). */
  cpu: ReturnType<typeof cpuPerImage> | null;
  /** Wall ms per image by pipeline stage (they overlap: samples are in flight together). */
  profile: Record<string, number>;
  load: [number, number];
}

/** One generator run of `count` images in a fresh folder, timed from the progress callbacks. */
async function endToEnd(run: Generate, o: { count: number; seed: number; preset: string; size: number; workers: number; views: ViewName[]; gpu: boolean }): Promise<EndToEndRun> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'exoray-bench-'));
  const doneAt: number[] = [];
  const profile: Record<string, number> = {};
  let first: CpuSnapshot | null = null;
  let last: CpuSnapshot | null = null;
  const loadBefore = os.loadavg()[0]!;
  try {
    const result = await run({
      out,
      count: o.count,
      seed: o.seed,
      preset: o.preset,
      size: o.size,
      workers: o.workers,
      gpu: o.gpu,
      ...(o.views.length > 0 ? { views: o.views } : {}),
      onProgress: (p) => {
        doneAt.push(performance.now());
        if (p.done === 1) first = cpuSnapshot();
        if (p.done === o.count) last = cpuSnapshot();
      },
      profile,
    });
    const steadyImages = doneAt.length - 1;
    return {
      withStart: result.imagesPerSecond,
      steady: steadyImages / ((doneAt[doneAt.length - 1]! - doneAt[0]!) / 1000),
      cpu: first && last ? cpuPerImage(first, last, steadyImages) : null,
      profile: Object.fromEntries(Object.entries(profile).map(([k, v]) => [k, v / o.count])),
      load: [loadBefore, os.loadavg()[0]!],
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function endToEndRows(label: string, runs: EndToEndRun[]): Array<[string, string]> {
  const med = (f: (r: EndToEndRun) => number) => median(runs.map(f));
  const steady = med((r) => r.steady);
  const rows: Array<[string, string]> = [
    [`${label}: end-to-end images/s (incl. browser start)`, med((r) => r.withStart).toFixed(2)],
    [`${label}: end-to-end images/s (steady state; each run)`, `${steady.toFixed(2)} (${runs.map((r) => r.steady.toFixed(2)).join(', ')})`],
    [`${label}: end-to-end ms/image (steady state)`, (1000 / steady).toFixed(1)],
    [`${label}: load average (1 min) before/after each run`, runs.map((r) => `${r.load[0].toFixed(1)}/${r.load[1].toFixed(1)}`).join(', ')],
  ];
  if (runs.every((r) => r.cpu)) {
    const cpu = (k: 'main' | 'nodeOther' | 'browser' | 'total') => med((r) => r.cpu![k]);
    const cores = os.availableParallelism();
    rows.push(
      [`${label}: CPU ms/image: Node main thread`, cpu('main').toFixed(1)],
      [`${label}: CPU ms/image: Node other threads (PNG workers, zlib, GC)`, cpu('nodeOther').toFixed(1)],
      [`${label}: CPU ms/image: browser processes (SwiftShader, page)`, cpu('browser').toFixed(1)],
      [`${label}: CPU ms/image: total`, cpu('total').toFixed(1)],
      [`${label}: images/s if all ${cores} cores did only this (cores * 1000 / total CPU)`, ((cores * 1000) / cpu('total')).toFixed(2)],
    );
  }
  rows.push([`${label}: pipeline wall ms/image by stage (overlapping)`, '']);
  for (const k of Object.keys(runs[0]!.profile)) rows.push([`  ${k}`, med((r) => r.profile[k] ?? 0).toFixed(1)]);
  return rows;
}

function print(rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '24' },
      runs: { type: 'string', default: '3' },
      size: { type: 'string', default: '512' },
      workers: { type: 'string', default: '1' },
      preset: { type: 'string', default: 'parcel' },
      /** Comma-separated views (top,side); default the preset's. */
      views: { type: 'string', default: '' },
      /** Another exoray checkout, built: its generator runs alternately with this one's, measured the same way. */
      baseline: { type: 'string' },
      /** Only the end-to-end runs: no pass breakdown, no scene-sampling timing. */
      'e2e-only': { type: 'boolean', default: false },
      /** Chromium on a hardware GPU instead of SwiftShader (as `exoray generate --gpu`). */
      gpu: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.count);
  const runs = Number(values.runs);
  const size = Number(values.size);
  const workers = Number(values.workers);
  const views = values.views ? (values.views.split(',') as ViewName[]) : [];
  const seed = 1;
  process.stdout.write(
    `exoray bench: preset ${values.preset}, ${size}x${size}, ${views.length > 0 ? views.join('+') : "preset's views"}, ${count} images x ${runs} runs, ${workers} page(s), ${values.gpu ? 'hardware GPU' : 'SwiftShader'}, ${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
  );

  const builds: Array<[string, Generate]> = [['this build', generate]];
  if (values.baseline) {
    const file = path.resolve(values.baseline, 'dist', 'dataset', 'generate.js');
    builds.unshift(['baseline', ((await import(pathToFileURL(file).href)) as { generate: Generate }).generate]);
  }
  const results = new Map<string, EndToEndRun[]>(builds.map(([label]) => [label, []]));
  // Builds alternate run by run, so a change in the machine's load hits both alike.
  for (let r = 0; r < runs; r++) {
    for (const [label, run] of builds) {
      const result = await endToEnd(run, { count, seed, preset: values.preset!, size, workers, views, gpu: values.gpu! });
      results.get(label)!.push(result);
      process.stdout.write(`  run ${r + 1}/${runs}, ${label}: ${result.steady.toFixed(2)} images/s, load ${result.load[0].toFixed(1)} -> ${result.load[1].toFixed(1)}\n`);
    }
  }
  const rows: Array<[string, string]> = [];
  for (const [label] of builds) rows.push(...endToEndRows(label, results.get(label)!));
  if (values['e2e-only']) {
    print(rows);
    return;
  }
  const steadyMs = 1000 / median(results.get('this build')!.map((r) => r.steady));

  const species = await SpeciesLibrary.load();
  const plan = makePlan(species, seed, { presets: [{ name: values.preset!, weight: 1 }], size });
  const materials = loadMaterialLibrary();
  const renderer = await Renderer.launch({ assets: species, pages: 1, gpu: values.gpu! });
  const geometry: number[] = [];
  const full: number[] = [];
  let tabled = 0;
  let profiled = 0;
  const passes: Record<string, number[]> = {};
  const stages: Record<string, number[]> = { poseMs: [], geometryMs: [], physicsMs: [], readbackMs: [], maskMs: [], encodeMs: [], transferMs: [] };
  try {
    const scenes = Array.from({ length: count }, (_, i) => planScene(plan, i));
    await renderer.geometryPassMs(scenes[0]!); // warm-up: shader compilation, asset upload
    for (let r = 0; r < runs; r++) {
      for (const scene of scenes) geometry.push(await renderer.geometryPassMs(scene));
      for (const scene of scenes) {
        const req = renderer.request(scene);
        req.spectral = scannerPhysics(scene.scanner, materials).spectral(req.materials);
        const p = await renderer.profilePasses(req);
        for (const k of ['coldGeometryMs', 'geometryMs', 'basisGeometryMs', 'spectralMs', 'spectralExactMs', 'spectralShaderMs', 'spectralReadMs', 'spectralUnpackMs', 'maskMs', 'pathLengthReadbackMs']) if (p[k] !== undefined) (passes[k] ??= []).push(p[k]!);
        tabled += req.spectral.table ? 1 : 0;
        profiled++;
      }
      for (const scene of scenes) {
        const physics = scannerPhysics(scene.scanner, materials);
        const out = await renderer.render(scene, { spectral: (ms) => physics.spectral(ms) });
        full.push(out.timings.totalMs);
        for (const k of Object.keys(stages)) stages[k]!.push((out.timings as unknown as Record<string, number>)[k]!);
      }
    }
  } finally {
    await renderer.close();
  }

  const scenesScanner = planScene(plan, 0).scanner;
  // Sampling and settling run in Node, ahead of the renderer: their time per scene against the render's per image.
  const sampling = timeSampling(species, 20);
  // The dual-energy output's geometry pass: the basis line integrals when the table route ran, else the L-buffer.
  const dualGeometry = median(passes.basisGeometryMs ?? passes.geometryMs!);
  const geoMs = median(geometry);
  rows.push(
    ['bare geometry pass ms/image', geoMs.toFixed(1)],
    ['ratio end-to-end / geometry pass', (steadyMs / geoMs).toFixed(2)],
    ['GPU passes, each run to completion (ms/image):', ''],
    ...Object.entries(passes).map(([k, v]): [string, string] => [`  ${k}`, median(v).toFixed(1)]),
    [
      'ratio dual-energy output / path-length output ((basis) geometry+spectral vs geometry+L-buffer readback)',
      ((dualGeometry + median(passes.spectralMs!)) / (median(passes.geometryMs!) + median(passes.pathLengthReadbackMs!))).toFixed(2),
    ],
    ['ratio dual-energy output / bare geometry pass', ((dualGeometry + median(passes.spectralMs!)) / median(passes.geometryMs!)).toFixed(2)],
    ...(passes.spectralExactMs
      ? [
          [
            'same ratio with the exact per-bin spectral pass over the path lengths (geometryMs + spectralExactMs)',
            ((median(passes.geometryMs!) + median(passes.spectralExactMs)) / (median(passes.geometryMs!) + median(passes.pathLengthReadbackMs!))).toFixed(2),
          ] as [string, string],
        ]
      : []),
    ['images whose spectral pass used the table (the others: a material outside the basis)', `${tabled}/${profiled}`],
    ...tableAccuracy(scenesScanner, materials),
    ['render call ms/image, alone (pass + physics + masks + transfer)', median(full).toFixed(1)],
    ...Object.entries(stages).map(([k, v]): [string, string] => [`  render stage ${k}`, median(v).toFixed(1)]),
    ['scene sampling + physics settling ms/scene (median of 20 seeds), per preset, vs render call ms/image above:', ''],
    ...formatSampling(sampling),
  );
  print(rows);
}

/** How far the table is from the exact per-bin sum, in tolerance units (0.5 % or 1.5 16-bit levels). */
function tableAccuracy(scanner: ScannerSettings, lib: MaterialLibrary): Array<[string, string]> {
  const physics = scannerPhysics(scanner, lib);
  const table = physics.table();
  if (!table) return [['spectral table', 'none (every image takes the exact per-bin pass)']];
  const mu = new Map(lib.ids().map((m) => [m, physics.mu(m)]));
  const acc = lutAccuracy(mu, table.basis, table.spec, table.table, { mixtures: 5000 });
  return [
    [
      `spectral table ${table.spec.size}x${table.spec.size}, ${table.basis.coefficients.size} materials; worst error / tolerance`,
      `slabs ${acc.slabs.worst.toFixed(3)} (${acc.slabs.material} ${acc.slabs.thicknessCm.toFixed(2)} cm), ${acc.mixtures.count} mixtures ${acc.mixtures.worst.toFixed(3)}`,
    ],
    ['materials outside the basis (exact pass)', [...table.excluded.keys()].join(', ') || 'none'],
  ];
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
