/**
 * `npm run bench:poses -- --poses 300`: every bundled species posed many times (postures
 * drawn with the default weights), each pose skinned on the CPU and checked (see
 * scene/pose-quality.ts). Prints joints, the worst part volume change, the worst share of
 * turned-over triangles, and open poses and limit violations (both 0).
 *
 * `--render 10`: the cost of posing per image: 10 scenes of each preset named in
 * `--presets` (default reptile-box, parcel), rendered as production renders them, once as
 * sampled (posed) and once with the poses taken out (rest), interleaved; medians per image.
 */
import { parseArgs } from 'node:util';
import { SpeciesLibrary } from '../dataset/species-library.js';
import { Renderer } from '../render/renderer.js';
import { loadPreset, resolvePresetSpecies } from '../scene/preset.js';
import { sampleScene } from '../scene/sampler.js';
import { PROCEDURAL_MODELS } from '../species/build-assets.js';
import { measurePoses } from '../scene/pose-quality.js';
import { DEFAULT_POSE_SETTINGS } from '../scene/pose.js';
import { loadMaterialLibrary } from '../xray/materials.js';
import { scannerPhysics } from '../xray/scanner-physics.js';

const { values } = parseArgs({
  options: {
    poses: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    parts: { type: 'boolean', default: false },
    render: { type: 'string' },
    presets: { type: 'string', default: 'reptile-box,parcel' },
  },
});

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

async function renderCost(n: number): Promise<void> {
  const library = await SpeciesLibrary.load();
  const materials = loadMaterialLibrary();
  const renderer = await Renderer.launch({ assets: library });
  try {
    console.log('preset        animals  posed ms/image  rest ms/image  of which posing (page)  images');
    for (const name of values.presets!.split(',')) {
      const preset = resolvePresetSpecies(loadPreset(name), library.ids());
      const t = { posed: [] as number[], rest: [] as number[], pose: [] as number[] };
      let animals = 0;
      for (let i = 0; i < n + 1; i++) {
        const scene = sampleScene(preset, library.forScenes(), 1000 + i);
        const rest = { ...scene, objects: scene.objects.map(({ pose: _pose, ...o }) => o) };
        const physics = scannerPhysics(scene.scanner, materials);
        const e = physics.meanEnergy('high');
        const opts = { spectral: (m: readonly string[]) => physics.spectral(m), visibility: (m: readonly string[]) => m.map((x) => materials.linearAttenuation(x, e)) };
        const a = await renderer.render(scene, opts);
        const b = await renderer.render(rest, opts);
        if (i === 0) continue; // warm-up: models uploaded, shaders compiled
        animals += scene.objects.filter((o) => o.pose).length;
        t.posed.push(a.timings.totalMs);
        t.rest.push(b.timings.totalMs);
        t.pose.push(a.timings.poseMs - b.timings.poseMs);
      }
      console.log(`${name.padEnd(14)}${(animals / n).toFixed(1).padStart(7)}${median(t.posed).toFixed(1).padStart(16)}${median(t.rest).toFixed(1).padStart(15)}${median(t.pose).toFixed(1).padStart(24)}${String(n).padStart(8)}`);
    }
  } finally {
    await renderer.close();
  }
}

if (values.render) {
  await renderCost(Number(values.render));
} else {
  const poses = Number(values.poses);
  console.log('species                       joints  poses  worst dV/V  (part, posture)                      flipped  open  limits  ms/pose');
  for (const m of PROCEDURAL_MODELS) {
    if (values.only && !values.only.split(',').includes(m.id)) continue;
    const model = m.build();
    const t0 = performance.now();
    const q = measurePoses(model, { ...DEFAULT_POSE_SETTINGS }, poses, Number(values.seed));
    const ms = q.poses > 0 ? (performance.now() - t0) / q.poses : 0;
    const joints = model.skeleton?.joints.length ?? 0;
    const where = q.poses > 0 ? `(${q.worstPart}, ${q.worstPosture})` : '(rigid)';
    console.log(
      `${m.id.padEnd(30)}${String(joints).padStart(6)}${String(q.poses).padStart(7)}  ${(100 * q.worstVolumeChange).toFixed(2).padStart(8)} %  ${where.padEnd(36)} ${(100 * q.worstFlipped).toFixed(2).padStart(6)} %${String(q.openPoses).padStart(6)}${String(q.limitViolations).padStart(8)}${ms.toFixed(1).padStart(9)}`,
    );
    if (q.poses > 0) {
      console.log(`${''.padEnd(36)}postures: ${Object.entries(q.postures).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      if (values.parts) console.log(`${''.padEnd(36)}parts: ${Object.entries(q.partVolumeChange).filter(([, v]) => v > 0.001).map(([k, v]) => `${k} ${(100 * v).toFixed(2)}%`).join(', ')}; most turned over: ${q.worstFlippedPart}`);
    }
  }
}
