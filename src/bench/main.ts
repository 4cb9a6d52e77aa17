/**
 * `npm run bench`: end-to-end throughput of the demo scene against the floor of
 * this design, one bare path-length geometry pass of the same scenes in the same
 * browser. Medians over several runs, all measured in this one invocation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
import { formatSampling, timeSampling } from './scene-sampling.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '24' },
      runs: { type: 'string', default: '3' },
      size: { type: 'string', default: '512' },
      workers: { type: 'string', default: '1' },
      preset: { type: 'string', default: 'parcel' },
    },
  });
  const count = Number(values.count);
  const runs = Number(values.runs);
  const size = Number(values.size);
  const workers = Number(values.workers);
  const seed = 1;
  process.stdout.write(`exoray bench: preset ${values.preset}, ${size}x${size}, ${count} images x ${runs} runs, ${workers} page(s), ${os.cpus().length} cores\n`);

  const endToEnd: number[] = [];
  const steady: number[] = [];
  const profiles: Array<Record<string, number>> = [];
  for (let r = 0; r < runs; r++) {
    const out = mkdtempSync(path.join(os.tmpdir(), 'exoray-bench-'));
    const doneAt: number[] = [];
    const profile: Record<string, number> = {};
    profiles.push(profile);
    try {
      const result = await generate({
        out,
        count,
        seed,
        preset: values.preset,
        size,
        workers,
        onProgress: () => doneAt.push(performance.now()),
        profile,
      });
      endToEnd.push(result.imagesPerSecond);
      // Steady state: from the first finished image to the last (excludes browser start-up).
      steady.push((doneAt.length - 1) / ((doneAt[doneAt.length - 1]! - doneAt[0]!) / 1000));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }

  const species = await SpeciesLibrary.load();
  const plan = makePlan(species, seed, { presets: [{ name: values.preset!, weight: 1 }], size });
  const materials = loadMaterialLibrary();
  const renderer = await Renderer.launch({ assets: species, pages: 1 });
  const geometry: number[] = [];
  const full: number[] = [];
  let tabled = 0;
  let profiled = 0;
  const passes: Record<string, number[]> = {};
  const stages: Record<string, number[]> = { geometryMs: [], physicsMs: [], readbackMs: [], maskMs: [], encodeMs: [], transferMs: [] };
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
  const e2eMs = 1000 / median(steady);
  // The dual-energy output's geometry pass: the basis line integrals when the table route ran, else the L-buffer.
  const dualGeometry = median(passes.basisGeometryMs ?? passes.geometryMs!);
  const geoMs = median(geometry);
  const rows: Array<[string, string]> = [
    ['end-to-end images/s (incl. browser start)', median(endToEnd).toFixed(2)],
    ['end-to-end images/s (steady state)', median(steady).toFixed(2)],
    ['end-to-end ms/image (steady state)', e2eMs.toFixed(1)],
    ['bare geometry pass ms/image', geoMs.toFixed(1)],
    ['ratio end-to-end / geometry pass', (e2eMs / geoMs).toFixed(2)],
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
    ['render call ms/image (pass + physics + masks + transfer)', median(full).toFixed(1)],
    ...Object.entries(stages).map(([k, v]): [string, string] => [`  render stage ${k}`, median(v).toFixed(1)]),
    ['scene sampling + physics settling ms/scene (median of 20 seeds), per preset, vs render call ms/image above:', ''],
    ...formatSampling(sampling),
    ['pipeline ms/image by stage (median over runs; stages overlap across workers)', ''],
    ...Object.keys(profiles[0] ?? {}).map((k): [string, string] => [`  ${k}`, median(profiles.map((p) => p[k]! / count)).toFixed(1)]),
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
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
