/**
 * Posed animals in a real headless Chromium: a curled python, a curled centipede and a
 * tarantula with folded legs render; each mask matches a CPU rasterisation of the posed
 * meshes (skinned in Node) and differs from the rest pose's; the path lengths add up to
 * the posed volumes; and a generated sample with posed animals re-renders from its stored
 * SceneDescription with identical labels and images.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnimalPose, SceneDescription, Vec3 } from '../../src/core/types.js';
import { Rng } from '../../src/core/rng.js';
import { signedVolume } from '../../src/geometry/mesh.js';
import { generate } from '../../src/dataset/generate.js';
import { rerenderSample } from '../../src/dataset/rerender.js';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { openDatabase } from '../../src/db/database.js';
import { Renderer } from '../../src/render/renderer.js';
import { DEFAULT_POSE_SETTINGS, samplePose, type PoseSettings, type Posture } from '../../src/scene/pose.js';
import { posedBounds } from '../../src/species/rig/pose-rig.js';
import { posePart, skinMatrices } from '../../src/species/rig/skinning.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { ScannerPhysics } from '../../src/xray/scanner-physics.js';
import { rasterize } from '../helpers/rasterize.js';
import { tempDir } from '../helpers/tmp.js';

let species: SpeciesLibrary;
let renderer: Renderer;
const tmp = tempDir('exoray-pose-render-');

beforeAll(async () => {
  species = await SpeciesLibrary.load();
  renderer = await Renderer.launch({ assets: species, timeoutMs: 60_000 });
}, 120_000);

afterAll(async () => {
  await renderer?.close();
  tmp.cleanup();
});

const only = (p: Posture): PoseSettings => ({ ...DEFAULT_POSE_SETTINGS, postures: Object.fromEntries(Object.keys(DEFAULT_POSE_SETTINGS.postures).map((k) => [k, k === p ? 1 : 0])) as PoseSettings['postures'] });

/** One animal at its stored size on an empty belt, framed on the union of its rest and posed boxes, 0.6 mm pixels. */
function sceneOf(id: string, pose: AnimalPose): { posed: SceneDescription; rest: SceneDescription } {
  const rig = species.rig(id);
  const a = posedBounds(rig, pose), b = rig.rest;
  const min = [0, 1, 2].map((k) => Math.min(a.min[k]!, b.min[k]!));
  const max = [0, 1, 2].map((k) => Math.max(a.max[k]!, b.max[k]!));
  const pixel = 0.0006;
  const fieldWidth = max[0]! - min[0]! + 0.01, fieldDepth = max[2]! - min[2]! + 0.01;
  const scene = (p?: AnimalPose): SceneDescription => ({
    version: 1,
    seed: 0,
    preset: 'test',
    scanner: { geometry: 'parallel', width: Math.round(fieldWidth / pixel), height: Math.round(fieldDepth / pixel), fieldWidth, fieldDepth, sourceHeight: 1, detectorHeight: -0.01, effectiveEnergyKeV: 60 },
    objects: [
      {
        id: 'animal-0',
        role: 'animal',
        kind: id,
        parts: [{ shape: { type: 'asset', asset: id }, material: '' }],
        position: [-(min[0]! + max[0]!) / 2, 0.2 - min[1]!, -(min[2]! + max[2]!) / 2],
        quaternion: [0, 0, 0, 1],
        scale: 1,
        ...(p ? { pose: p } : {}),
      },
    ],
  });
  return { posed: scene(pose), rest: scene() };
}

function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0, union = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) inter++;
    if (a[i] || b[i]) union++;
  }
  return inter / union;
}

const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)]!;

describe('posed animals render (headless WebGL)', () => {
  it.each([
    ['ball-python-stretched', 'curled'],
    ['giant-centipede', 'curled'],
    ['red-knee-tarantula', 'legs-folded'],
  ] as const)('%s, %s: the mask is the posed mesh\'s, not the rest pose\'s; path lengths add up to the posed volumes', async (id, posture) => {
    const pose = samplePose(species.rig(id), only(posture), new Rng(5))!;
    expect(pose.posture).toBe(posture);
    const { posed, rest } = sceneOf(id, pose);
    const s = posed.scanner;
    const physics = ScannerPhysics.monochromatic(60, loadMaterialLibrary());
    const opts = { spectral: (m: readonly string[]) => physics.spectral(m), pathLengths: true };
    const restOut = await renderer.render(rest, opts);
    const out = await renderer.render(posed, opts);
    // The posed meshes, skinned in Node, rasterised on the CPU.
    const offset = posed.objects[0]!.position as Vec3;
    const m = skinMatrices(species.skeleton(id)!, pose.joints);
    const reference = new Uint8Array(s.width * s.height);
    const volumes = new Map<string, number>();
    for (const p of species.parts(id)) {
      const mesh = posePart(p, m);
      const world = new Float64Array(mesh.positions.length);
      for (let i = 0; i < world.length; i++) world[i] = mesh.positions[i]! + offset[i % 3]!;
      rasterize(world, mesh.indices, s, reference);
      volumes.set(p.material, (volumes.get(p.material) ?? 0) + signedVolume(mesh));
    }
    const mask = out.masks[0]!;
    expect(iou(mask, reference)).toBeGreaterThan(0.95);
    expect(iou(mask, restOut.masks[0]!)).toBeLessThan(0.8);
    const pixelArea = (s.fieldWidth / s.width) * (s.fieldDepth / s.height);
    for (const [material, volume] of volumes) {
      let sum = 0;
      for (const v of out.pathLengths[out.materials.indexOf(material)]!) sum += v / 100;
      expect((sum * pixelArea) / volume, material).toBeGreaterThan(0.98);
      expect((sum * pixelArea) / volume, material).toBeLessThan(1.02);
    }
    // Cost of posing: the same image rendered a few times each way, timed in the page and overall.
    const total = { rest: [] as number[], posed: [] as number[] };
    for (let k = 0; k < 3; k++) {
      total.rest.push((await renderer.render(rest, { spectral: opts.spectral })).timings.totalMs);
      total.posed.push((await renderer.render(posed, { spectral: opts.spectral })).timings.totalMs);
    }
    console.log(`${id} ${s.width}x${s.height}: rest ${median(total.rest).toFixed(1)} ms, posed ${median(total.posed).toFixed(1)} ms per image (median of 3)`);
  }, 180_000);

  it('a generated sample with posed animals re-renders from its stored scene with identical labels and images', async () => {
    const out = `${tmp.dir}/run`;
    await generate({ out, count: 2, seed: 4, preset: 'reptile-box', size: 128, workers: 1 });
    const db = openDatabase(`${out}/exoray.db`, { readonly: true });
    const ids: string[] = [];
    try {
      for (const { id } of db.listSamples()) {
        const stored = db.getSample(id)!;
        const animals = stored.scene.objects.filter((o) => o.role === 'animal');
        expect(animals.length).toBeGreaterThan(0);
        for (const a of animals) expect(a.pose?.joints.length).toBe(species.skeleton(a.kind)!.joints.length);
        ids.push(id);
      }
      expect(ids).toHaveLength(2);
    } finally {
      db.close();
    }
    for (const id of ids) {
      const r = await rerenderSample(out, id, { out: `${tmp.dir}/again-${id}` });
      expect(r.labelsIdentical).toBe(true);
      expect(r.maxRawDifference).toBe(0);
    }
  }, 300_000);
});
