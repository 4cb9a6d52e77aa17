/**
 * Imported models keep what poses them: a skinned model with an animation clip keeps its
 * skeleton (rebound at its rest pose, default joint limits or a limits file) and the clip;
 * with no noise, a 'clip' pose is exactly the clip's pose at the sampled time, and the
 * posed mesh is the source file's own skinning at that time. A morph-target model keeps
 * its target; its weight is sampled and the render shows it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SceneDescription } from '../../../src/core/types.js';
import { Rng } from '../../../src/core/rng.js';
import { qangle } from '../../../src/geometry/quat.js';
import { capsule } from '../../../src/geometry/primitives.js';
import { SpeciesLibrary } from '../../../src/dataset/species-library.js';
import { Renderer } from '../../../src/render/renderer.js';
import { DEFAULT_POSE_SETTINGS, limitViolations, samplePose, type PoseSettings, type Posture } from '../../../src/scene/pose.js';
import { addSpeciesFromFile } from '../../../src/species/import/add-species.js';
import { extractParts } from '../../../src/species/import/extract.js';
import { readModelMeta } from '../../../src/species/glb.js';
import { posePart, skinMatrices } from '../../../src/species/rig/skinning.js';
import { readFileSync } from 'node:fs';
import { rasterize } from '../../helpers/rasterize.js';
import { tempDir } from '../../helpers/tmp.js';
import { animatedDocument, glbOf, morphDocument } from './fixtures.js';

const tmp = tempDir('exoray-pose-import-');
afterAll(() => tmp.cleanup());

const only = (p: Posture, noiseDeg: number): PoseSettings => ({ ...DEFAULT_POSE_SETTINGS, noiseDeg, postures: Object.fromEntries(Object.keys(DEFAULT_POSE_SETTINGS.postures).map((k) => [k, k === p ? 1 : 0])) as PoseSettings['postures'] });
const base = { maxTriangles: 20_000, maxBytes: 1 << 24, up: 'y' as const, unit: 'm' as const, knownMaterials: ['soft_tissue', 'chitin', 'arthropod_cuticle'], materialsFile: undefined };
const tube = capsule([0, 0, -0.02], [0, 0, 0.02], 0.005, { around: 16, cap: 4 });

describe('imported skeletons, clips and morph targets', () => {
  it('keeps a clip: with no noise the pose is the clip pose at the sampled time, and the mesh the file\'s own skinning there', async () => {
    const doc = animatedDocument(tube, 0.006);
    const file = path.join(tmp.dir, 'wagging.glb');
    writeFileSync(file, await glbOf(doc));
    const limitsFile = path.join(tmp.dir, 'limits.yaml');
    writeFileSync(limitsFile, 'default: 40\njoints:\n  tail_joint: { x: [-10, 10], y: [-40, 40], z: [0, 0], role: axial }\n');
    const catalogDir = path.join(tmp.dir, 'animated');
    const { entry, report } = await addSpeciesFromFile({ ...base, file, catalogDir, id: 'wagging-thing', scientificName: 'Testus caudatus', jointLimitsFile: limitsFile });
    expect(report.joints).toBe(2);
    expect(entry.rigid).toBeUndefined();
    const library = await SpeciesLibrary.load(catalogDir);
    const rig = library.rig('wagging-thing');
    expect(rig.skeleton!.joints.map((j) => [j.name, j.role, j.limits.y])).toEqual([['root_joint', 'root', [0, 0]], ['tail_joint', 'axial', [-40, 40]]]);
    expect(rig.clips.map((c) => [c.name, c.duration])).toEqual([['wag', 2]]);
    const meta = await readModelMeta(new Uint8Array(readFileSync(entry.modelPath)), entry.model);
    const toModel = meta.sourceToModel as number[];
    for (let seed = 0; seed < 5; seed++) {
      const pose = samplePose(rig, only('clip', 0), new Rng(seed))!;
      expect(pose.posture).toBe('clip');
      const t = pose.clip!.time;
      expect(pose.clip!.name).toBe('wag');
      // The clip's own value at t: linear between the keys, about Y.
      const deg = t <= 1 ? 35 * t : 35 - 70 * (t - 1);
      const expected: [number, number, number, number] = [0, Math.sin((deg * Math.PI) / 360), 0, Math.cos((deg * Math.PI) / 360)];
      expect(qangle(pose.joints[1]!, expected)).toBeLessThan(1e-5);
      expect(qangle(pose.joints[0]!, [0, 0, 0, 1])).toBeLessThan(1e-9);
      // The source file skinned with the tail at that rotation, normalised like the import.
      doc.getRoot().listNodes().find((n) => n.getName() === 'tail_joint')!.setRotation(expected);
      const source = extractParts(doc, 'wagging.glb').parts[0]!.mesh.positions;
      doc.getRoot().listNodes().find((n) => n.getName() === 'tail_joint')!.setRotation([0, 0, 0, 1]);
      const rest = extractParts(doc, 'wagging.glb').parts[0]!.mesh.positions;
      const part = library.parts('wagging-thing')[0]!;
      const posed = posePart(part, skinMatrices(rig.skeleton!, pose.joints)).positions;
      const m = toModel;
      const apply = (p: ArrayLike<number>, i: number) => [0, 1, 2].map((r) => m[r]! * p[3 * i]! + m[4 + r]! * p[3 * i + 1]! + m[8 + r]! * p[3 * i + 2]! + m[12 + r]!);
      let worst = 0;
      for (let v = 0; v < part.mesh.positions.length / 3; v++) {
        // The source vertex this stored vertex came from: the one at its rest position.
        let best = Infinity, src = 0;
        for (let i = 0; i < rest.length / 3; i++) {
          const r = apply(rest, i);
          const d = Math.hypot(r[0]! - part.mesh.positions[3 * v]!, r[1]! - part.mesh.positions[3 * v + 1]!, r[2]! - part.mesh.positions[3 * v + 2]!);
          if (d < best) [best, src] = [d, i];
        }
        const want = apply(source, src);
        worst = Math.max(worst, Math.hypot(want[0]! - posed[3 * v]!, want[1]! - posed[3 * v + 1]!, want[2]! - posed[3 * v + 2]!));
      }
      // Weights are stored as bytes (1/255): a blended vertex may sit a few micrometres off.
      expect(worst).toBeLessThan(2e-5);
    }
    // With noise the clip pose moves, within the limits the file gave.
    const noisy = samplePose(rig, only('clip', 5), new Rng(1))!;
    expect(limitViolations(rig.skeleton!, noisy)).toEqual([]);
  });

  it('keeps morph targets: weights are sampled in [0, 1] and the render shows the morphed mesh', async () => {
    const file = path.join(tmp.dir, 'blob.glb');
    writeFileSync(file, await glbOf(morphDocument(tube, 0.012, 0)));
    const catalogDir = path.join(tmp.dir, 'morph');
    const { entry } = await addSpeciesFromFile({ ...base, file, catalogDir, id: 'growing-blob', scientificName: 'Testus crescens' });
    expect(entry.rigid).toBeUndefined();
    const library = await SpeciesLibrary.load(catalogDir);
    const rig = library.rig('growing-blob');
    expect(rig.morphTargets).toEqual([1]);
    const weights = Array.from({ length: 50 }, (_, s) => samplePose(rig, DEFAULT_POSE_SETTINGS, new Rng(s))!.morphWeights![0]![0]!);
    expect(Math.min(...weights)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...weights)).toBeLessThanOrEqual(1);
    expect(Math.max(...weights) - Math.min(...weights)).toBeGreaterThan(0.5);
    const renderer = await Renderer.launch({ assets: library });
    try {
      const scene = (w: number): SceneDescription => ({
        version: 1,
        seed: 0,
        preset: 'test',
        scanner: { geometry: 'parallel', width: 150, height: 400, fieldWidth: 0.03, fieldDepth: 0.08, sourceHeight: 1, detectorHeight: -0.01, effectiveEnergyKeV: 60 },
        objects: [{ id: 'animal-0', role: 'animal', kind: 'growing-blob', parts: [{ shape: { type: 'asset', asset: 'growing-blob' }, material: '' }], position: [0, 0.1, 0], quaternion: [0, 0, 0, 1], scale: 1, pose: { posture: 'rest', joints: [], morphWeights: [[w]] } }],
      });
      const part = library.parts('growing-blob')[0]!;
      for (const w of [0, 1, weights[3]!]) {
        const out = await renderer.render(scene(w));
        const mesh = posePart(part, null, [w]);
        const world = Float64Array.from(mesh.positions, (v, i) => v + [0, 0.1, 0][i % 3]!);
        const s = scene(w).scanner;
        const reference = rasterize(world, mesh.indices, s);
        const mask = out.masks[0]!;
        let inter = 0, union = 0, area = 0;
        for (let i = 0; i < mask.length; i++) {
          if (mask[i] && reference[i]) inter++;
          if (mask[i] || reference[i]) union++;
          area += mask[i]!;
        }
        expect(inter / union, `weight ${w}`).toBeGreaterThan(0.95);
        // At weight 1 the half at z > 0 grows by 12 mm: the 50 mm tube by nearly a quarter.
        if (w === 1) expect(area).toBeGreaterThan(1.18 * (await renderer.render(scene(0))).masks[0]!.reduce((a, b) => a + b, 0));
      }
    } finally {
      await renderer.close();
    }
  }, 120_000);
});
