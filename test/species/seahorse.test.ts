import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { boundsOf, computeBounds, signedVolume } from '../../src/geometry/mesh.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import { findSpecies, loadCatalog, loadSpeciesModel } from '../../src/species/catalog.js';
import { syngnathidComponents, syngnathidLayout } from '../../src/species/plans/syngnathid.js';
import { buildSeahorse, buildSeahorseModel, DRIED_SEAHORSE_DEFAULTS, SEAHORSE_DEFAULTS, SEAHORSE_RIG, seahorsePlan } from '../../src/species/seahorse.js';
import { mainChain, restAngles } from '../../src/scene/pose-chain.js';
import { jointWorldMatrices, posePart, skinMatrices } from '../../src/species/rig/skinning.js';
import { qfromEuler } from '../../src/geometry/quat.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { overlappingPairs, overlapShare, triangleTotal, verticesOutside } from '../helpers/anatomy.js';

const live = buildSeahorse();
const dried = buildSeahorse(DRIED_SEAHORSE_DEFAULTS);
const c = syngnathidComponents(seahorsePlan());
const layout = syngnathidLayout(seahorsePlan());
const rings = [...c.trunkRings, ...c.tailRings];
const bones = [...c.headArmour, ...rings, ...c.vertebrae];
const volume = (parts: typeof live, name: string) => signedVolume(parts.find((p) => p.name === name)!.mesh);
const BONE = ['head-armour', 'trunk-rings', 'tail-rings', 'vertebrae'];
const SOFT = ['head', 'body', 'dorsal-fin'];

describe('procedural spotted seahorse', () => {
  it('has soft head, body and dorsal fin and bony head armour, rings and vertebrae, each closed and outward', () => {
    const expected = (tissue: string) => [
      ['head', tissue], ['body', tissue], ['dorsal-fin', tissue],
      ['head-armour', 'cortical_bone'], ['trunk-rings', 'cortical_bone'], ['tail-rings', 'cortical_bone'], ['vertebrae', 'cortical_bone'],
    ];
    expect(live.map((p) => [p.name, p.material])).toEqual(expected('soft_tissue'));
    expect(dried.map((p) => [p.name, p.material])).toEqual(expected('dried_tissue'));
    for (const p of [...live, ...dried]) expect(() => assertClosedOutward(p.mesh, p.name)).not.toThrow();
    for (const m of [...c.head, ...c.body, ...c.dorsalFin, ...bones]) expect(assertClosedOutward(m, 'component').outward).toBe(true);
    expect(triangleTotal(live)).toBeLessThan(30_000);
    expect(triangleTotal(dried)).toBeLessThan(30_000);
  });

  it('is armoured in 11 trunk and 36 tail rings of bone, one vertebra per ring, and a bony head with a coronet', () => {
    expect(c.trunkRings).toHaveLength(11);
    expect(c.tailRings).toHaveLength(36);
    expect(c.vertebrae).toHaveLength(47);
    expect(c.headArmour).toHaveLength(2);
    expect(layout.rings.map((r) => r.kind)).toEqual([...Array(11).fill('trunk'), ...Array(36).fill('tail')]);
    // Every ring is a band around the soft body: a hole through it (genus one, V - E + F = 0).
    for (const ring of rings) {
      const v = ring.positions.length / 3, f = ring.indices.length / 3;
      expect(v - (3 * f) / 2 + f).toBe(0);
    }
    // The armour is bone throughout, and a real share of the animal (plates ~0.2 mm thick at 15 cm).
    const bone = BONE.reduce((s, n) => s + volume(live, n), 0);
    const soft = SOFT.reduce((s, n) => s + volume(live, n), 0);
    expect(bone / soft).toBeGreaterThan(0.08);
    expect(bone / soft).toBeLessThan(0.25);
  });

  it('keeps bones apart from each other and from the soft body (no path counted twice)', () => {
    expect(overlappingPairs(bones)).toEqual([]);
    // The soft body runs inside the rings with a clearance; the vertebrae inside the soft body.
    expect(overlappingPairs([c.body[0]!, ...rings])).toEqual([]);
    expect(overlappingPairs([c.head[0]!, c.headArmour[0]!])).toEqual([]);
    expect(verticesOutside(c.vertebrae, c.body)).toBe(0);
    expect(overlappingPairs([c.dorsalFin[0]!, ...rings])).toEqual([]);
  });

  it('counts little tissue twice where the body tube rises into the head (under 4% of the soft volume)', () => {
    const soft = signedVolume(c.body[0]!) + signedVolume(c.head[0]!);
    const shared = overlapShare(c.head, c.body, 6000) * signedVolume(c.head[0]!);
    expect(shared / soft).toBeLessThan(0.04);
    expect(shared).toBeGreaterThan(0);
  });

  it('stands upright with the head on top, the snout forward and the tail curled below, without touching itself', () => {
    const b = boundsOf(live.map((p) => p.mesh));
    const head = computeBounds(c.headArmour[0]!);
    const tail = boundsOf(c.tailRings);
    // The coronet is the highest point; the head, at an angle to the trunk, reaches forward
    // (+X) from the back of the head well past the neck ring.
    const H = SEAHORSE_DEFAULTS.height;
    // Up is -Z (top views draw -Z at the top).
    expect(computeBounds(c.headArmour[1]!).min[2]).toBeCloseTo(b.min[2], 6);
    expect(head.max[2]).toBeLessThan(b.min[2] + 0.25 * (b.max[2] - b.min[2]));
    expect(head.max[0] - head.min[0]).toBeGreaterThan(0.17 * H);
    expect(head.max[0]).toBeGreaterThan(computeBounds(c.trunkRings[0]!).max[0] + 0.08 * H);
    expect(tail.max[2]).toBeCloseTo(b.max[2], 6);
    // A resting curl: more than one turn, and the coiled rings stay apart (checked above).
    expect(layout.turns).toBeGreaterThan(1);
    expect(layout.foldRatio).toBeLessThan(0.8);
    // Lying on its side: +Y is the lateral axis, the thinnest one.
    expect(b.max[1] - b.min[1]).toBeLessThan(0.4 * (b.max[0] - b.min[0]));
  });

  it.each([0.07, 0.15, 0.17])('scales to a standard height of %s m; curled, it stands 0.66-0.72 of that', (height) => {
    const b = boundsOf(buildSeahorse({ height, detail: 0.5 }).map((p) => p.mesh));
    const z = b.max[2] - b.min[2];
    expect(z / height).toBeGreaterThan(0.66);
    expect(z / height).toBeLessThan(0.72);
    for (let k = 0; k < 3; k++) expect(Math.abs(b.max[k]! + b.min[k]!)).toBeLessThan(1e-6);
  });

  it('weighs what a 15 cm seahorse weighs alive (6-20 g) and dried (2-8 g), the dried one lighter by its water', () => {
    const lib = loadMaterialLibrary();
    const mass = (parts: typeof live) => parts.reduce((s, p) => s + signedVolume(p.mesh) * 1e6 * lib.get(p.material).density, 0);
    expect(mass(live)).toBeGreaterThan(6);
    expect(mass(live)).toBeLessThan(20);
    expect(mass(dried)).toBeGreaterThan(2);
    expect(mass(dried)).toBeLessThan(8);
    expect(mass(dried) / mass(live)).toBeLessThan(0.6);
    // Drying leaves the organic matter less dense than bone and far less than live tissue.
    expect(lib.get('dried_tissue').density).toBeLessThan(0.5 * lib.get('soft_tissue').density);
  });

  it('is deterministic and refuses out-of-range parameters by name', () => {
    const again = buildSeahorse();
    again.forEach((p, i) => expect(p.mesh.positions).toEqual(live[i]!.mesh.positions));
    expect(() => buildSeahorse({ height: 2 })).toThrow(ExorayError);
    expect(() => buildSeahorse({ tailCurl: 3 })).toThrow(/tailCurl/);
    expect(() => buildSeahorse({ tissue: 'water' as never })).toThrow(/tissue/);
    // A curl tighter than the tail is thick would fold the surface: refused.
    expect(() => syngnathidLayout({ ...seahorsePlan(), body: { ...seahorsePlan().body, curvature: [[0, 0], [0.5, 80]] } })).toThrow(/curls tighter/);
  });
});

describe('spotted seahorse assets', () => {
  it('has a live and a dried entry with names, taxonomy and CITES II; the dried one labels as the species', async () => {
    const catalog = loadCatalog();
    for (const [id, params] of [['spotted-seahorse', SEAHORSE_DEFAULTS], ['spotted-seahorse-dried', DRIED_SEAHORSE_DEFAULTS]] as const) {
      const entry = findSpecies(catalog, id);
      expect(entry).toMatchObject({
        scientificName: 'Hippocampus kuda',
        taxonomy: { class: 'Actinopterygii', order: 'Syngnathiformes', family: 'Syngnathidae' },
        cites: 'II',
        bodyPlan: 'fish',
      });
      expect(entry.commonNames.zh).toMatch(/^库达海马/);
      // sizeMm is the curled height: the standard height range 70-170 mm times the model's Z extent / 150 mm.
      const ratio = entry.modelLengthMm / (params.height * 1000);
      expect(entry.sizeMm.min).toBeCloseTo(70 * ratio, 0);
      expect(entry.sizeMm.max).toBeCloseTo(170 * ratio, 0);
      const parts = await loadSpeciesModel(entry);
      expect(parts.map((p) => p.material)).toContain('cortical_bone');
    }
    expect(findSpecies(catalog, 'spotted-seahorse-dried')).toMatchObject({ labelAs: 'spotted-seahorse', orientation: 'flat' });
  });
});

describe('live seahorse skeleton', () => {
  const model = buildSeahorseModel();
  const sk = model.skeleton!;
  const names = sk.joints.map((j) => j.name);
  const index = (n: string) => names.indexOf(n);

  it('has the same parts and meshes as the rigid build, a head joint and a chain of trunk and tail joints', () => {
    expect(model.parts.map((p) => p.name)).toEqual(live.map((p) => p.name));
    model.parts.forEach((p, k) => expect(Array.from(p.mesh.positions)).toEqual(Array.from(live[k]!.mesh.positions)));
    expect(names.slice(0, 4)).toEqual(['trunk1', 'head', 'trunk2', 'trunk3']);
    expect(sk.joints[index('head')]!.role).toBe('head');
    const chain = mainChain(sk).map((k) => names[k]!);
    const tail = chain.filter((n) => n.startsWith('tail'));
    expect(chain.slice(0, 2)).toEqual(['trunk2', 'trunk3']);
    expect(tail.length).toBeGreaterThanOrEqual(10);
    expect(tail.length).toBeLessThanOrEqual(16);
    expect(chain.length).toBe(sk.joints.length - 2);
  });

  it('rests curled ventrally; the tail may straighten and curl tighter, bends sideways only a little', () => {
    const rest = restAngles(sk);
    let curl = 0;
    for (const k of mainChain(sk).filter((k) => names[k]!.startsWith('tail'))) {
      const j = sk.joints[k]!;
      curl += rest[k]![0];
      expect(rest[k]![0]).toBeGreaterThan(0);
      // Straight (minus the rest bend) and tighter (up to 1.25 times the rest bend) lie within the limits.
      expect(j.limits.x[0]).toBeLessThanOrEqual(-rest[k]![0] + 1e-3);
      expect(j.limits.x[1]).toBeGreaterThanOrEqual(0.25 * rest[k]![0] - 1e-3);
      expect(j.limits.y[1]).toBe(SEAHORSE_RIG.tail.lateral);
      expect(j.limits.y[1]).toBeLessThan(j.limits.x[1] - j.limits.x[0]);
    }
    // The resting tail turns by more than a full circle from the trunk to the tip.
    expect(curl).toBeGreaterThan(360);
  });

  it('moves every ring, vertebra and the head rigidly; soft tissue blends', () => {
    for (const p of model.parts) {
      const single = Array.from({ length: p.skin!.weights.length / 4 }, (_, v) => p.skin!.weights[4 * v]);
      if (BONE.includes(p.name) || p.name === 'head') expect(single.every((w) => w === 1), p.name).toBe(true);
    }
    const body = model.parts.find((p) => p.name === 'body')!;
    let blended = 0;
    for (let v = 0; v < body.skin!.weights.length; v += 4) if (body.skin!.weights[v]! < 1) blended++;
    expect(blended).toBeGreaterThan(0);
  });

  it('straightened (the "stretched" posture), the tail joints lie on a line and the tail reaches further down', () => {
    const rest = restAngles(sk);
    const tailJoints = mainChain(sk).filter((k) => names[k]!.startsWith('tail'));
    const deltas = sk.joints.map((_, k): [number, number, number, number] => (tailJoints.includes(k) ? (qfromEuler((-rest[k]![0] * Math.PI) / 180, 0, 0) as [number, number, number, number]) : [0, 0, 0, 1]));
    const pos = (w: ReturnType<typeof jointWorldMatrices>, k: number) => [w[k]![12]!, w[k]![13]!, w[k]![14]!];
    const posed = jointWorldMatrices(sk, deltas);
    const pts = tailJoints.map((k) => pos(posed, k));
    let along = 0;
    for (let i = 1; i < pts.length; i++) along += Math.hypot(...pts[i]!.map((v, c) => v - pts[i - 1]![c]!));
    const first = pts[0]!, last = pts[pts.length - 1]!;
    expect(Math.hypot(...last.map((v, c) => v - first[c]!)) / along).toBeGreaterThan(0.999);
    const tail = model.parts.find((p) => p.name === 'tail-rings')!;
    // Z is down: uncurled, the tail reaches further down.
    expect(computeBounds(posePart(tail, skinMatrices(sk, deltas))).max[2]).toBeGreaterThan(computeBounds(tail.mesh).max[2] + 0.2 * SEAHORSE_DEFAULTS.height);
  });

  it('the dried seahorse is stiff: built without a skeleton, declared rigid', async () => {
    const catalog = loadCatalog();
    expect(findSpecies(catalog, 'spotted-seahorse-dried').rigid).toBe(true);
    expect(findSpecies(catalog, 'spotted-seahorse').rigid ?? false).toBe(false);
  });
});
