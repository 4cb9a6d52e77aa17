/**
 * Pose sampling: within joint limits over 1,000 seeds per species, deterministic per seed,
 * postures that differ from each other and keep body chains clear of themselves, poses
 * that survive JSON, and the preset's pose block with errors that name file and line.
 */
import { describe, expect, it } from 'vitest';
import type { Preset } from '../../src/scene/preset.js';
import { Rng, deriveSeed } from '../../src/core/rng.js';
import { qangle } from '../../src/geometry/quat.js';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { parsePreset } from '../../src/scene/preset.js';
import { chainClear, mainChain } from '../../src/scene/pose-chain.js';
import { DEFAULT_POSE_SETTINGS, limitViolations, posturesFor, samplePose, type PoseSettings, type Posture } from '../../src/scene/pose.js';
import { loadScannerModel, scannersDir } from '../../src/scene/scanner-model.js';
import { presetsDir } from '../../src/scene/preset.js';
import { sampleScene } from '../../src/scene/sampler.js';
import { posedBounds } from '../../src/species/rig/pose-rig.js';
import { jointWorldMatrices } from '../../src/species/rig/skinning.js';

const library = await SpeciesLibrary.load();
const skinned = library.ids().filter((id) => library.rig(id).skeleton);
const only = (p: Posture): PoseSettings => ({ ...DEFAULT_POSE_SETTINGS, postures: Object.fromEntries(Object.keys(DEFAULT_POSE_SETTINGS.postures).map((k) => [k, k === p ? 1 : 0])) as PoseSettings['postures'] });

describe('pose sampling', () => {
  it.each(skinned)('%s: 1,000 seeds stay within the joint limits, and chains keep clear of themselves', (id) => {
    const rig = library.rig(id);
    const sk = rig.skeleton!;
    const chain = mainChain(sk);
    const drawn = new Map<string, number>();
    for (let seed = 0; seed < 1000; seed++) {
      const pose = samplePose(rig, DEFAULT_POSE_SETTINGS, new Rng(deriveSeed(seed, id)))!;
      expect(pose.joints).toHaveLength(sk.joints.length);
      expect(limitViolations(sk, pose), `seed ${seed}, ${pose.posture}`).toEqual([]);
      if (chain.length >= 4) expect(chainClear(sk, chain, pose.joints), `seed ${seed}, ${pose.posture}`).toBe(true);
      drawn.set(pose.posture, (drawn.get(pose.posture) ?? 0) + 1);
    }
    // Every posture the species can take is drawn (default weights 1-2 each, 1,000 draws).
    for (const p of posturesFor(rig).filter((p) => p !== 'clip')) expect(drawn.get(p) ?? 0, `${id} ${p}`).toBeGreaterThan(20);
  });

  it('snakes, centipedes and millipedes can be stretched, curled and S-curved; legs folded and spread', () => {
    for (const id of ['ball-python', 'ball-python-stretched', 'giant-centipede', 'giant-african-millipede', 'emperor-scorpion', 'leopard-gecko', 'jungle-nymph']) {
      expect(posturesFor(library.rig(id))).toEqual(expect.arrayContaining(['stretched', 'curled', 's-curve']));
    }
    for (const id of ['red-knee-tarantula', 'stag-beetle', 'hercules-beetle', 'emperor-scorpion', 'giant-centipede', 'leopard-gecko', 'star-tortoise']) {
      expect(posturesFor(library.rig(id))).toEqual(expect.arrayContaining(['legs-folded', 'legs-spread']));
    }
    expect(posturesFor(library.rig('grey-parrot-egg'))).toEqual([]);
  });

  it('the same seed gives the same pose; other seeds and other postures give other poses', () => {
    for (const id of ['ball-python-stretched', 'giant-centipede', 'red-knee-tarantula']) {
      const rig = library.rig(id);
      const a = samplePose(rig, DEFAULT_POSE_SETTINGS, new Rng(7));
      expect(samplePose(rig, DEFAULT_POSE_SETTINGS, new Rng(7))).toEqual(a);
      expect(samplePose(rig, DEFAULT_POSE_SETTINGS, new Rng(8))).not.toEqual(a);
      const postures = posturesFor(rig).filter((p) => p !== 'rest' && p !== 'clip');
      const poses = postures.map((p) => samplePose(rig, only(p), new Rng(7))!);
      poses.forEach((p, i) => expect(p.posture).toBe(postures[i]));
      // Any two postures differ by more than 10 degrees at some joint.
      for (let i = 0; i < poses.length; i++) {
        for (let j = i + 1; j < poses.length; j++) {
          const most = Math.max(...poses[i]!.joints.map((q, k) => qangle(q, poses[j]!.joints[k]!)));
          expect(most, `${id}: ${postures[i]} vs ${postures[j]}`).toBeGreaterThan((10 * Math.PI) / 180);
        }
      }
    }
  });

  it('a stretched snake is straight and long, a curled one compact; the coiled model stretches to its length', () => {
    const extent = (id: string, p: Posture) => {
      const rig = library.rig(id);
      const b = posedBounds(rig, samplePose(rig, { ...only(p), noiseDeg: 0 }, new Rng(1)));
      // A straight snake lies along its head's heading: the diagonal of its box on the floor.
      return Math.hypot(b.max[0] - b.min[0], b.max[2] - b.min[2]);
    };
    for (const id of ['ball-python', 'ball-python-stretched']) {
      expect(extent(id, 'stretched')).toBeGreaterThan(0.85);
      expect(extent(id, 'curled')).toBeLessThan(0.5);
    }
    // Stretched with no noise: all spine joints on one line.
    const rig = library.rig('ball-python');
    const pose = samplePose(rig, { ...only('stretched'), noiseDeg: 0 }, new Rng(1))!;
    const world = jointWorldMatrices(rig.skeleton!, pose.joints);
    const pts = mainChain(rig.skeleton!).map((k) => [world[k]![12]!, world[k]![14]!]);
    const [a, b] = [pts[0]!, pts[pts.length - 1]!];
    const len = Math.hypot(b[0]! - a[0]!, b[1]! - a[1]!);
    for (const p of pts) expect(Math.abs((b[0]! - a[0]!) * (p[1]! - a[1]!) - (b[1]! - a[1]!) * (p[0]! - a[0]!)) / len).toBeLessThan(0.002);
  });

  it('poses survive JSON, and a rigid model or posing switched off gives none', () => {
    const rig = library.rig('giant-centipede');
    const pose = samplePose(rig, DEFAULT_POSE_SETTINGS, new Rng(3))!;
    expect(JSON.parse(JSON.stringify(pose))).toEqual(pose);
    expect(samplePose(library.rig('grey-parrot-egg'), DEFAULT_POSE_SETTINGS, new Rng(3))).toBeUndefined();
    expect(samplePose(rig, { ...DEFAULT_POSE_SETTINGS, enabled: false }, new Rng(3))).toBeUndefined();
  });
});

describe('the preset pose block', () => {
  const scanner = (name: string) => loadScannerModel(name, scannersDir(presetsDir()));
  const yaml = (pose: string) => `name: t
scanner: { model: dual-energy-160kv, width: 64, height: 64 }
container: { kind: cardboard-box, material: cardboard, size: { x: [0.3, 0.3], y: [0.15, 0.15], z: [0.3, 0.3] }, wall: [0.003, 0.003] }
clutter: []
animals: { species: [giant-centipede], count: [1, 1] }
${pose}`;
  const parse = (text: string): Preset => parsePreset((globalThis as any).__yaml.load(text), 'scenes/t.yaml', scanner, text);

  it('defaults when absent; weights, noise and switches when given', async () => {
    (globalThis as any).__yaml = (await import('js-yaml')).default;
    expect(parse(yaml('')).pose).toEqual(DEFAULT_POSE_SETTINGS);
    const p = parse(yaml('pose:\n  noiseDeg: 0\n  morphs: false\n  postures: { curled: 5, relaxed: 0 }\n')).pose!;
    expect(p.noiseDeg).toBe(0);
    expect(p.morphs).toBe(false);
    expect(p.postures.curled).toBe(5);
    expect(p.postures.relaxed).toBe(0);
    expect(p.postures.stretched).toBe(DEFAULT_POSE_SETTINGS.postures.stretched);
    // The sampler takes it: only curled centipedes.
    const preset = parse(yaml('pose:\n  postures: { rest: 0, relaxed: 0, stretched: 0, s-curve: 0, legs-folded: 0, legs-spread: 0, curled: 1 }\n'));
    for (let seed = 0; seed < 5; seed++) {
      const animal = sampleScene(preset, library.forScenes(), seed).objects.find((o) => o.role === 'animal')!;
      expect(animal.pose!.posture).toBe('curled');
    }
  });

  it('refuses unknown postures and bad values, naming file, line and field', async () => {
    (globalThis as any).__yaml = (await import('js-yaml')).default;
    expect(() => parse(yaml('pose:\n  postures: { coiled: 1 }\n'))).toThrow(/scenes\/t\.yaml:7: field "pose\.postures\.coiled" is not a known field here; known: rest, relaxed/);
    expect(() => parse(yaml('pose:\n  noiseDeg: 90\n'))).toThrow(/scenes\/t\.yaml:7: field "pose\.noiseDeg" must be between 0 and 30/);
    expect(() => parse(yaml('pose:\n  postures: { rest: 0, relaxed: 0, stretched: 0, curled: 0, s-curve: 0, legs-folded: 0, legs-spread: 0, clip: 0 }\n'))).toThrow(/field "pose\.postures" must give at least one posture a positive weight/);
    expect(() => parse(yaml('pose:\n  enabled: yes please\n'))).toThrow(/field "pose\.enabled" must be true or false/);
  });
});
