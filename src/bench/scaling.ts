/**
 * `npm run bench:scaling`: how the time per image grows with the work — triangles in
 * the scene, image size, animals per scene, render pages (workers) — plus the
 * end-to-end throughput at 1024 x 1024 and with two views. Prints a markdown table
 * and writes the figure (SVG) and the raw medians (JSON). Everything is measured in
 * this one invocation, so the rows compare with each other.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SceneDescription, SceneObject } from '../core/types.js';
import { generate } from '../dataset/generate.js';
import { makePlan, planScene } from '../dataset/plan.js';
import { SpeciesLibrary } from '../dataset/species-library.js';
import { shapeToMesh } from '../geometry/primitives.js';
import { Renderer } from '../render/renderer.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { scannerPhysics } from '../xray/scanner-physics.js';
import { median } from './median.js';
import { scalingSvg, type ScalingPanel } from './scaling-plot.js';

function triangles(scene: SceneDescription, species: SpeciesLibrary): number {
  let n = 0;
  for (const obj of scene.objects) {
    for (const part of obj.parts) {
      if (part.shape.type === 'asset') n += species.parts(part.shape.asset).reduce((a, p) => a + p.mesh.indices.length / 3, 0);
      else n += shapeToMesh(part.shape).indices.length / 3;
    }
  }
  return n;
}

/** The scene with its animals replaced by `count` copies of `template`, spread on a grid around it. */
function withAnimals(scene: SceneDescription, template: SceneObject, count: number, spacing: number): SceneDescription {
  const others = scene.objects.filter((o) => o.role !== 'animal');
  const side = Math.ceil(Math.sqrt(count));
  const animals = Array.from({ length: count }, (_, i): SceneObject => {
    const gx = (i % side) - (side - 1) / 2;
    const gz = Math.floor(i / side) - (side - 1) / 2;
    const [x, y, z] = template.position;
    return { ...template, id: `animal-${i}`, position: [x + gx * spacing, y, z + gz * spacing] };
  });
  return { ...scene, objects: [...others, ...animals] };
}

interface Row {
  axis: string;
  work: number;
  label: string;
  triangles: number;
  geometryMs: number;
  renderMs: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenes: { type: 'string', default: '4' },
      runs: { type: 'string', default: '3' },
      count: { type: 'string', default: '16' },
      preset: { type: 'string', default: 'parcel' },
      out: { type: 'string', default: 'output/bench-scaling' },
      figure: { type: 'string', default: 'docs/images/bench-scaling.svg' },
    },
  });
  const sceneCount = Number(values.scenes);
  const runs = Number(values.runs);
  const count = Number(values.count);
  const preset = values.preset!;
  const seed = 1;
  process.stdout.write(`exoray bench:scaling: preset ${preset}, ${sceneCount} scenes x ${runs} runs per point, ${os.cpus().length} cores\n`);

  const species = await SpeciesLibrary.load();
  const materials = loadMaterialLibrary();
  const renderer = await Renderer.launch({ assets: species, pages: 1 });
  const rows: Row[] = [];
  const heavy0 = species
    .ids()
    .map((id) => ({ id, tris: species.parts(id).reduce((a, p) => a + p.mesh.indices.length / 3, 0) }))
    .sort((a, b) => b.tris - a.tris)[0]!;
  const measure = async (axis: string, work: number, label: string, scenes: SceneDescription[]) => {
    const geometry: number[] = [];
    const render: number[] = [];
    await renderer.geometryPassMs(scenes[0]!); // warm-up: shaders, asset upload, render-target size
    for (let r = 0; r < runs; r++) {
      for (const scene of scenes) {
        geometry.push(await renderer.geometryPassMs(scene));
        const physics = scannerPhysics(scene.scanner, materials);
        const out = await renderer.render(scene, { spectral: (ms) => physics.spectral(ms) });
        render.push(out.timings.totalMs);
      }
    }
    const row = { axis, work, label, triangles: median(scenes.map((s) => triangles(s, species))), geometryMs: median(geometry), renderMs: median(render) };
    rows.push(row);
    process.stdout.write(`  ${axis} ${label}: ${row.triangles} triangles, geometry ${row.geometryMs.toFixed(1)} ms, render ${row.renderMs.toFixed(1)} ms\n`);
  };

  const endToEnd: Array<{ label: string; imagesPerSecond: number }> = [];
  try {
    const scenesAt = (size: number) => {
      const plan = makePlan(species, seed, { presets: [{ name: preset, weight: 1 }], size });
      return Array.from({ length: sceneCount }, (_, i) => planScene(plan, i));
    };
    for (const size of [256, 512, 768, 1024]) await measure('image size', size, `${size} x ${size}`, scenesAt(size));

    const base = scenesAt(512);
    const template = (s: SceneDescription) => s.objects.find((o) => o.role === 'animal');
    const withTemplate = base.filter((s) => template(s));
    for (const k of [1, 2, 4, 8, 16, 32]) {
      await measure('animals', k, `${k} animals`, withTemplate.map((s) => withAnimals(s, template(s)!, k, 0.04)));
    }
    for (const k of [0, 1, 2, 4, 8, 16]) {
      const scenes = withTemplate.map((s) => {
        const heavy: SceneObject = { ...template(s)!, kind: heavy0.id, parts: [{ shape: { type: 'asset', asset: heavy0.id }, material: '' }] };
        return k === 0 ? { ...s, objects: s.objects.filter((o) => o.role !== 'animal') } : withAnimals(s, heavy, k, 0);
      });
      await measure('triangles', k, `${k} x ${heavy0.id}`, scenes);
    }
  } finally {
    await renderer.close();
  }

  const runGenerate = async (label: string, o: { size: number; workers: number; views?: Array<'top' | 'side'> }) => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'exoray-scaling-'));
    const doneAt: number[] = [];
    try {
      await generate({ out, count, seed, preset, size: o.size, workers: o.workers, views: o.views, onProgress: () => doneAt.push(performance.now()) });
      const ips = (doneAt.length - 1) / ((doneAt[doneAt.length - 1]! - doneAt[0]!) / 1000);
      endToEnd.push({ label, imagesPerSecond: ips });
      process.stdout.write(`  end to end ${label}: ${ips.toFixed(2)} images/s\n`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
  await runGenerate('512 x 512, top view, 1 worker', { size: 512, workers: 1 });
  await runGenerate('512 x 512, top view, 2 workers', { size: 512, workers: 2 });
  await runGenerate('512 x 512, top + side views, 1 worker', { size: 512, workers: 1, views: ['top', 'side'] });
  await runGenerate('1024 x 1024, top view, 1 worker', { size: 1024, workers: 1 });

  const table = [
    '| axis | work | triangles | bare geometry pass ms | render call ms (all passes + transfer) |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.axis} | ${r.label} | ${r.triangles.toLocaleString('en-US')} | ${r.geometryMs.toFixed(1)} | ${r.renderMs.toFixed(1)} |`),
    '',
    '| end to end (labels, PNGs, database rows written) | images/s (steady state) | ms/image |',
    '| --- | --- | --- |',
    ...endToEnd.map((e) => `| ${e.label} | ${e.imagesPerSecond.toFixed(2)} | ${(1000 / e.imagesPerSecond).toFixed(0)} |`),
  ].join('\n');
  process.stdout.write(`\n${table}\n`);

  const panel = (axis: string, title: string, xLabel: string, x: (r: Row) => number): ScalingPanel => ({
    title,
    xLabel,
    yLabel: 'ms per image',
    series: [
      { name: 'render call', points: rows.filter((r) => r.axis === axis).map((r) => [x(r), r.renderMs]) },
      { name: 'bare geometry pass', points: rows.filter((r) => r.axis === axis).map((r) => [x(r), r.geometryMs]) },
    ],
  });
  const ms = (ips: number) => 1000 / ips;
  const workerPoints = endToEnd.filter((e) => e.label.startsWith('512 x 512, top view')).map((e, i): [number, number] => [i + 1, ms(e.imagesPerSecond)]);
  const svg = scalingSvg(
    [
      panel('image size', 'Image size', 'pixels per side', (r) => r.work),
      panel('triangles', 'Triangles in the scene', 'triangles', (r) => r.triangles),
      panel('animals', 'Animals per scene', 'animals', (r) => r.work),
      { title: 'Render pages (workers), end to end', xLabel: 'workers', yLabel: 'ms per image', series: [{ name: 'end to end', points: workerPoints }] },
    ],
    `exoray bench:scaling, ${os.cpus().length} cores, SwiftShader; medians of ${sceneCount} scenes x ${runs} runs`,
  );
  mkdirSync(path.dirname(values.figure!), { recursive: true });
  writeFileSync(values.figure!, svg);
  mkdirSync(values.out!, { recursive: true });
  writeFileSync(path.join(values.out!, 'scaling.json'), JSON.stringify({ rows, endToEnd }, null, 2));
  writeFileSync(path.join(values.out!, 'scaling.md'), `${table}\n`);
  process.stdout.write(`\nfigure: ${values.figure}\ntable and data: ${values.out}/scaling.{md,json}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench:scaling failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
