/**
 * Every bundled species model has a skeleton (a real glTF skin with joint limits in the
 * joint nodes' extras) or is declared rigid in the catalog; skins are complete; the rest
 * pose reproduces the stored mesh; the skeletons have the joints their body plans promise.
 */
import { readFileSync } from 'node:fs';
import { Document, NodeIO } from '@gltf-transform/core';
import { validateBytes } from 'gltf-validator';
import { describe, expect, it } from 'vitest';
import type { Skeleton, SpeciesModel } from '../../src/core/types.js';
import { ExorayError } from '../../src/core/errors.js';
import { qfromEuler, qtoEuler } from '../../src/geometry/quat.js';
import { box } from '../../src/geometry/primitives.js';
import { loadCatalog, loadSpeciesRigged } from '../../src/species/catalog.js';
import { readSpeciesGlb, writeSpeciesGlb } from '../../src/species/glb.js';
import { checkSkins } from '../../src/species/rig/check.js';
import { jointFrame, mirrorLimits, RigBuilder, FIXED } from '../../src/species/rig/rig-builder.js';
import { posePart, skinMatrices } from '../../src/species/rig/skinning.js';
import { chainSkin, quantise, rigidSkin } from '../../src/species/rig/weights.js';
import { mainChain } from '../../src/scene/pose-chain.js';

const catalog = loadCatalog();

/** The JSON chunk of a GLB. */
function gltfJson(bytes: Uint8Array): { nodes: Array<{ name?: string; extras?: Record<string, unknown>; mesh?: number; skin?: number }>; skins?: Array<{ joints: number[] }> } {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length)));
}

describe('bundled species skeletons', () => {
  it.each(catalog.species.map((e) => e.id))('%s: has a skin with limits on every joint, or is declared rigid', async (id) => {
    const entry = catalog.species.find((e) => e.id === id)!;
    const model = await loadSpeciesRigged(entry);
    const json = gltfJson(new Uint8Array(readFileSync(entry.modelPath)));
    if (entry.rigid) {
      expect(model.skeleton).toBeNull();
      expect(json.skins ?? []).toEqual([]);
      return;
    }
    expect(model.skeleton, `${id} has no skeleton and is not declared rigid`).not.toBeNull();
    const sk = model.skeleton!;
    expect(json.skins).toHaveLength(1);
    const joints = json.skins![0]!.joints;
    expect(joints).toHaveLength(sk.joints.length);
    for (const n of joints) {
      const limits = json.nodes[n]!.extras?.limits as Record<string, [number, number]>;
      for (const axis of ['x', 'y', 'z']) {
        expect(limits[axis]![0]).toBeLessThanOrEqual(0);
        expect(limits[axis]![1]).toBeGreaterThanOrEqual(0);
      }
      expect(['root', 'axial', 'head', 'limb', 'appendage']).toContain(json.nodes[n]!.extras?.role);
    }
    // Every mesh node is skinned, every part has a complete skin.
    for (const node of json.nodes.filter((n) => n.mesh !== undefined)) expect(node.skin).toBe(0);
    checkSkins(model, id);
    // Some joint actually moves, and the identity pose leaves every vertex where it is stored.
    expect(sk.joints.some((j) => j.limits.y[1] - j.limits.y[0] > 0)).toBe(true);
    const m = skinMatrices(sk, sk.joints.map(() => [0, 0, 0, 1]));
    for (const part of model.parts) {
      const posed = posePart(part, m).positions;
      let worst = 0;
      for (let i = 0; i < posed.length; i++) worst = Math.max(worst, Math.abs(posed[i]! - part.mesh.positions[i]!));
      expect(worst, part.name).toBeLessThan(1e-6);
    }
  });

  it('the declared-rigid models are the egg, the ant colony and the dried seahorse; every other bundled species is skinned', () => {
    expect(catalog.species.filter((e) => e.rigid).map((e) => e.id).sort()).toEqual(['grey-parrot-egg', 'harvester-ant-colony', 'spotted-seahorse-dried']);
  });

  it('skeletons have the joints their body plans promise', async () => {
    const sk = async (id: string): Promise<Skeleton> => (await loadSpeciesRigged(catalog.species.find((e) => e.id === id)!)).skeleton!;
    const names = (s: Skeleton) => s.joints.map((j) => j.name);
    // Serpent: a spine chain of a few dozen joints.
    for (const id of ['ball-python', 'ball-python-stretched']) expect(mainChain(await sk(id)).length).toBe(36);
    // Myriapods: a joint per trunk segment.
    expect(mainChain(await sk('giant-centipede')).length).toBe(21);
    expect(mainChain(await sk('giant-african-millipede')).length).toBe(56);
    // Arthropods: leg chains (tarantula: 8 legs of 6 joints), the scorpion's metasoma and telson.
    const tarantula = names(await sk('red-knee-tarantula'));
    expect(tarantula.filter((n) => n.startsWith('leg.')).length).toBe(48);
    expect(tarantula).toContain('opisthosoma');
    const scorpion = await sk('emperor-scorpion');
    expect(mainChain(scorpion).map((k) => scorpion.joints[k]!.name)).toEqual(['mesosoma', 'metasoma1', 'metasoma2', 'metasoma3', 'metasoma4', 'metasoma5', 'telson']);
    expect(names(scorpion)).toEqual(expect.arrayContaining(['chela.R', 'chela.L', 'leg.R4.tarsus']));
    // Tetrapods: spine, tail, head and three joints per limb.
    const gecko = names(await sk('leopard-gecko'));
    expect(gecko).toEqual(expect.arrayContaining(['chest', 'neck', 'head', 'trunk', 'hips', 'tail1', 'tail8', 'forelimb.R.proximal', 'hindlimb.L.distal']));
    // Seahorse: root at the neck, the head nodding on it, 2 trunk and 14 tail joints down the curled tail.
    const seahorse = await sk('spotted-seahorse');
    expect(seahorse.joints[0]!.name).toBe('trunk1');
    expect(names(seahorse)).toContain('head');
    expect(mainChain(seahorse).length).toBe(16);
    // Chelonians: neck and head, tail, limbs; the shell is the root.
    const tortoise = await sk('star-tortoise');
    expect(tortoise.joints[0]!.name).toBe('shell');
    expect(names(tortoise)).toEqual(expect.arrayContaining(['neck', 'head', 'tail', 'forelimb.R.proximal', 'hindlimb.L.distal']));
  });

  it('hard parts of arthropods move rigidly: every vertex of a part on one joint', async () => {
    for (const id of ['stag-beetle', 'red-knee-tarantula', 'emperor-scorpion', 'giant-centipede']) {
      const model = await loadSpeciesRigged(catalog.species.find((e) => e.id === id)!);
      for (const p of model.parts) {
        for (let v = 0; v < p.skin!.weights.length; v += 4) expect(p.skin!.weights[v]).toBe(1);
      }
    }
  });
});

describe('skeleton building blocks', () => {
  it('joint frames: +Z along the bone, +X horizontal, right-handed; a vertical bone still gets a frame', () => {
    for (const dir of [[1, 0, 0], [0.3, -0.5, 0.8], [0, -1, 0], [0, 1, 1e-9]] as Array<[number, number, number]>) {
      const q = jointFrame(dir);
      const e = qtoEuler(q);
      expect(e.every(Number.isFinite)).toBe(true);
      expect(Math.hypot(...q)).toBeCloseTo(1, 12);
    }
  });

  it('mirrored limits reverse Y and Z and keep X', () => {
    expect(mirrorLimits({ x: [-10, 30], y: [-5, 20], z: [-1, 2] })).toEqual({ x: [-10, 30], y: [-20, 5], z: [-2, 1] });
  });

  it('Euler angles round-trip within +-90 degrees of Y', () => {
    for (const [a, b, c] of [[0.3, -0.2, 0.1], [-1.2, 1.3, 2.5], [0, 0, 0]]) {
      const e = qtoEuler(qfromEuler(a!, b!, c!));
      expect(e[0]).toBeCloseTo(a!, 10);
      expect(e[1]).toBeCloseTo(b!, 10);
      expect(e[2]).toBeCloseTo(c!, 10);
    }
  });

  it('quantised weights are multiples of 1/255 summing to exactly 255/255', () => {
    for (const pairs of [[[0, 1 / 3], [1, 1 / 3], [2, 1 / 3]], [[3, 0.999], [4, 0.001]], [[1, 0.25], [2, 0.25], [3, 0.25], [4, 0.125], [5, 0.125]]] as Array<Array<[number, number]>>) {
      const q = quantise(pairs);
      expect(q.length).toBeLessThanOrEqual(4);
      expect(q.reduce((s, [, w]) => s + Math.round(w * 255), 0)).toBe(255);
      for (const [, w] of q) expect(Math.abs(w * 255 - Math.round(w * 255))).toBeLessThan(1e-9);
    }
  });

  it('a test-made two-joint model writes a valid skinned GLB, reads back the same and refuses contradictions', async () => {
    const rig = new RigBuilder('test');
    rig.add({ name: 'root', parent: null, at: [0, 0, 0], dir: [0, 0, -1], limits: FIXED, role: 'root' });
    rig.add({ name: 'tail', parent: 'root', at: [0, 0, -0.01], dir: [0, 0, -1], limits: { x: [-10, 10], y: [-30, 30], z: [0, 0] }, role: 'axial' });
    const slab = box([0.01, 0.01, 0.04]);
    const skinned = chainSkin(slab, { points: [[0, 0, -0.01]], owners: [rig.index('root'), rig.index('tail')], windows: [0.005] });
    const model: SpeciesModel = { parts: [{ name: 'body', material: 'soft_tissue', mesh: slab, skin: skinned.skin }, { name: 'pin', material: 'chitin', mesh: box([0.002, 0.002, 0.002]), skin: rigidSkin(box([0.002, 0.002, 0.002]), 1).skin }], skeleton: rig.build({ scale: 1, centre: [0, 0, 0] }) };
    const bytes = await writeSpeciesGlb(model, { id: 'two-joints', scientificName: 'Testus', commonName: 'Test' });
    const report = await validateBytes(bytes, { uri: 't.glb', format: 'glb', writeTimestamp: false });
    expect(report.issues.numErrors).toBe(0);
    const back = await readSpeciesGlb(bytes, 't.glb');
    expect(back.skeleton!.joints.map((j) => [j.name, j.parent, j.limits, j.role])).toEqual(model.skeleton!.joints.map((j) => [j.name, j.parent, j.limits, j.role]));
    back.parts.forEach((p, i) => {
      expect(p.skin!.joints).toEqual(model.parts[i]!.skin!.joints);
      expect(p.skin!.weights).toEqual(model.parts[i]!.skin!.weights);
    });
    // A joint without limits in its extras is refused, naming the joint and the fix.
    const doc = await new NodeIO().readBinary(bytes);
    doc.getRoot().listNodes().find((n) => n.getName() === 'tail')!.setExtras({});
    const stripped = await new NodeIO().writeBinary(doc as Document);
    const err = await readSpeciesGlb(stripped, 'stripped.glb').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExorayError);
    expect((err as Error).message).toMatch(/joint "tail": no joint limits in its extras/);
  });
});
