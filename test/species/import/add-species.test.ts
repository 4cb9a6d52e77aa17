/**
 * Import round-trips through addSpeciesFromFile into temporary catalogs: static (several
 * meshes and materials), skinned, morph-target and .gltf-with-.bin models, repairs,
 * simplification, and every bad input refused with the catalog byte-identical.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync, copyFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { MeshData } from '../../../src/core/types.js';
import { ExorayError } from '../../../src/core/errors.js';
import { boundsOf, flipWinding, triangleCount } from '../../../src/geometry/mesh.js';
import { box, ellipsoid } from '../../../src/geometry/primitives.js';
import { validateClosedMesh } from '../../../src/geometry/validate.js';
import { SpeciesLibrary } from '../../../src/dataset/species-library.js';
import { loadCatalog, loadSpeciesModel } from '../../../src/species/catalog.js';
import { readModelMeta } from '../../../src/species/glb.js';
import { addSpeciesFromFile, type AddSpeciesOptions } from '../../../src/species/import/add-species.js';
import { modelHashStatus, removeSpecies } from '../../../src/species/import/catalog-store.js';
import { inspectSpecies } from '../../../src/species/import/inspect.js';
import { tempDir } from '../../helpers/tmp.js';
import { glbOf, morphDocument, skinnedDocument, staticDocument } from './fixtures.js';

const tmp = tempDir('exoray-import-');
afterAll(() => tmp.cleanup());
let counter = 0;

function freshDir(): string {
  const dir = join(tmp.dir, `c${counter++}`);
  mkdirSync(dir);
  return dir;
}

function options(file: string, catalogDir: string, extra: Partial<AddSpeciesOptions> = {}): AddSpeciesOptions {
  return { file, catalogDir, id: 'test-animal', scientificName: 'Testus animalis', maxTriangles: 40_000, maxBytes: 1 << 26, up: 'y', unit: 'm', ...extra };
}

async function writeGlb(name: string, doc: Parameters<typeof glbOf>[0]): Promise<string> {
  const file = join(tmp.dir, name);
  writeFileSync(file, await glbOf(doc));
  return file;
}

/** Projected area onto the XY plane of a closed convex mesh: each point is covered twice. */
function projectedAreaXY(mesh: MeshData): number {
  const p = mesh.positions;
  let sum = 0;
  for (let t = 0; t < mesh.indices.length; t += 3) {
    const a = 3 * mesh.indices[t]!, b = 3 * mesh.indices[t + 1]!, c = 3 * mesh.indices[t + 2]!;
    sum += Math.abs((p[b]! - p[a]!) * (p[c + 1]! - p[a + 1]!) - (p[c]! - p[a]!) * (p[b + 1]! - p[a + 1]!)) / 2;
  }
  return sum / 2;
}

const beetleParts = () => [
  { name: 'Body', mesh: ellipsoid([0.01, 0.008, 0.02], 24), material: 'BodyMat' },
  { name: 'Elytra', mesh: box([0.03, 0.004, 0.03]), material: 'Shell_Mat', translation: [0, 0.012, 0] as [number, number, number] },
  { name: 'LeftLeg', mesh: box([0.002, 0.002, 0.01]), material: 'untitled', translation: [0.02, -0.005, 0] as [number, number, number] },
];

describe('species add: round trips', () => {
  it('imports a static model with several meshes and materials, scaled, centred and mapped', async () => {
    const dir = freshDir();
    const file = await writeGlb('beetle.glb', staticDocument(beetleParts()));
    const r = await addSpeciesFromFile(options(file, dir, { sizeMm: { min: 40, max: 80 }, taxonomy: { class: 'Insecta' } }));
    expect(r.entry.modelLengthMm).toBeCloseTo(60, 3);
    expect(r.entry.bodyPlan).toBe('arthropod');
    const materials = Object.fromEntries(r.report.parts.map((p) => [p.part, [p.material, p.reason]]));
    expect(materials.Body).toEqual(['soft_tissue', 'rule "soft tissue" matched material name "BodyMat"']);
    expect(materials.Elytra![0]).toBe('chitin');
    expect(materials.LeftLeg).toEqual(['chitin', 'rule "limb (by body plan)" matched mesh name "LeftLeg"']);
    // The catalog loads it back with the normal loader, every part closed and outward.
    const catalog = loadCatalog(dir);
    const entry = catalog.species.find((s) => s.id === 'test-animal')!;
    expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.imported?.source).toBe('beetle.glb');
    const parts = await loadSpeciesModel(entry);
    expect(parts.map((p) => [p.name, p.material])).toEqual([
      ['Body', 'soft_tissue'],
      ['Elytra', 'chitin'],
      ['LeftLeg', 'chitin'],
    ]);
    const b = boundsOf(parts.map((p) => p.mesh));
    for (let k = 0; k < 3; k++) expect(b.min[k]! + b.max[k]!).toBeCloseTo(0, 6);
    expect((b.max[2] - b.min[2]) * 1000).toBeCloseTo(60, 3);
    expect(await modelHashStatus(entry)).toMatchObject({ status: 'ok' });
    // What generate loads: the imported species with its real size and model bounds.
    const library = await SpeciesLibrary.load(dir);
    expect(library.forScenes()).toEqual([expect.objectContaining({ id: 'test-animal', sizeMm: { min: 40, max: 80 }, modelLengthMm: entry.modelLengthMm })]);
    expect(library.materialIds().sort()).toEqual(['chitin', 'soft_tissue']);
  });

  it('bakes a skinned mesh at its default pose and keeps the joints', async () => {
    const dir = freshDir();
    const body = ellipsoid([0.01, 0.01, 0.02], 16);
    const file = await writeGlb('skinned.glb', skinnedDocument(body, 0.005));
    const r = await addSpeciesFromFile(options(file, dir));
    // No --size-mm: metres kept, so the tail joint's 5 mm lengthens the body by 5 mm.
    const b = boundsOf([body]);
    expect(r.entry.modelLengthMm).toBeCloseTo((b.max[2] - b.min[2]) * 1000 + 5, 3);
    expect(r.report.parts[0]).toMatchObject({ skinned: true, material: 'soft_tissue' });
    expect(r.report.joints).toBe(2);
    const meta = await readModelMeta(readFileSync(join(dir, 'test-animal.glb')), 'm');
    expect(meta.skins).toEqual([
      expect.objectContaining({ name: 'body_skin', joints: [expect.objectContaining({ name: 'root_joint', parent: null }), expect.objectContaining({ name: 'tail_joint', parent: 0, translation: [0, 0, 0.005] })] }),
    ]);
    const info = await inspectSpecies(dir, 'test-animal');
    expect(info.skins).toEqual([{ name: 'body_skin', joints: 2 }]);
    expect(info.parts.every((p) => p.closedOutward)).toBe(true);
  });

  it('bakes morph targets at their default weights', async () => {
    const dir = freshDir();
    const file = await writeGlb('morph.glb', morphDocument(box([0.01, 0.01, 0.02]), 0.01, 0.5));
    const r = await addSpeciesFromFile(options(file, dir, { unit: 'm' }));
    expect(r.report.parts[0]!.morphed).toBe(true);
    expect(r.entry.modelLengthMm).toBeCloseTo(25, 3);
  });

  it('reads a .gltf with an external .bin, Z up, in centimetres', async () => {
    const dir = freshDir();
    const sub = join(tmp.dir, 'gltf-model');
    mkdirSync(sub);
    // 3 x 2 x 8 cm, standing along Z: after Z-up it is 8 cm tall and 2 cm long, so it is turned to lie along Z.
    await new NodeIO().write(join(sub, 'tall.gltf'), staticDocument([{ name: 'horn', mesh: box([3, 2, 8]), material: 'Horn' }]));
    expect(existsSync(join(sub, 'tall.bin'))).toBe(true);
    const r = await addSpeciesFromFile(options(join(sub, 'tall.gltf'), dir, { up: 'z', unit: 'cm', bodyPlan: 'mammal' }));
    expect(r.report.extentMm).toEqual([20, 80, 30]);
    expect(r.report.steps[0]).toBe('rotated +Z up to +Y up');
    expect(r.report.parts[0]).toMatchObject({ material: 'keratin', reason: 'rule "horn/claw (by body plan)" matched material name "Horn"' });
  });

  it('reads an exporter-style model: rotated parent, two primitives in one mesh, unindexed with seams a rounding error apart', async () => {
    const dir = freshDir();
    const doc = staticDocument([]);
    const buffer = doc.getRoot().listBuffers()[0]!;
    const unindexed = (m: MeshData, offsetY: number): Float32Array => {
      const flat = new Float32Array(m.indices.length * 3);
      m.indices.forEach((v, i) => {
        for (let k = 0; k < 3; k++) flat[3 * i + k] = m.positions[3 * v + k]! + (k === 1 ? offsetY : 0) + (((i * 7 + k) % 5) - 2) * 5e-9;
      });
      return flat;
    };
    const mesh = doc.createMesh('critter');
    for (const [m, offset, material] of [[box([0.01, 0.01, 0.03]), 0, 'Body'], [box([0.004, 0.004, 0.004]), 0.02, 'Leg']] as const) {
      mesh.addPrimitive(
        doc
          .createPrimitive()
          .setAttribute('POSITION', doc.createAccessor('', buffer).setType('VEC3').setArray(unindexed(m, offset)))
          .setMaterial(doc.createMaterial(material)),
      );
    }
    // Blender-style: the model is Z up inside, under a root turned -90 degrees about X.
    const root = doc.createNode('Armature_root').setRotation([-Math.SQRT1_2, 0, 0, Math.SQRT1_2]);
    root.addChild(doc.createNode('critter').setMesh(mesh));
    doc.getRoot().getDefaultScene()!.addChild(root);
    const file = await writeGlb('exported.glb', doc);
    const r = await addSpeciesFromFile(options(file, dir, { taxonomy: { class: 'Insecta' } }));
    expect(r.report.parts.map((p) => [p.part, p.material, p.trianglesOut])).toEqual([
      ['critter#0', 'soft_tissue', 12],
      ['critter#1', 'chitin', 12],
    ]);
    expect(r.report.parts[0]!.repairs[0]).toMatch(/^welded \d+ vertices closer than 0\.0\d+ um \(open seams\)$/);
    // In the mesh: 10 x 27 x 30 mm (the leg sits 18-22 mm up Y); the parent turns Y onto -Z and Z onto Y.
    expect(r.report.extentMm).toEqual([10, 30, 27]);
  });

  it('repairs inverted winding and caps a small hole, reporting both', async () => {
    const dir = freshDir();
    const e = ellipsoid([0.01, 0.01, 0.02], 24);
    const holed: MeshData = { positions: e.positions, indices: Uint32Array.from([...e.indices].filter((_, i, a) => ![a[i - (i % 3)], a[i - (i % 3) + 1], a[i - (i % 3) + 2]].includes(40))) };
    const file = await writeGlb('broken.glb', staticDocument([
      { name: 'inverted', mesh: flipWinding(box([0.01, 0.01, 0.01])), material: 'bone' },
      { name: 'holed', mesh: holed, translation: [0.03, 0, 0] },
    ]));
    const r = await addSpeciesFromFile(options(file, dir));
    expect(r.report.parts[0]!.repairs).toEqual(['turned the inside-out surface outward']);
    expect(r.report.parts[0]!.material).toBe('cortical_bone');
    expect(r.report.parts[1]!.repairs).toEqual(['capped 1 small holes']);
    expect(r.report.parts[1]!.reason).toBe('default (no mapping or rule matched)');
    const parts = await loadSpeciesModel(loadCatalog(dir).species[0]!);
    for (const p of parts) expect(validateClosedMesh(p.mesh).outward).toBe(true);
  });

  it('simplifies a model over the triangle budget and keeps its silhouette', async () => {
    const dir = freshDir();
    const fine = ellipsoid([0.01, 0.006, 0.02], { around: 160, poleToPole: 80 });
    expect(triangleCount(fine)).toBeGreaterThan(20_000);
    const file = await writeGlb('fine.glb', staticDocument([{ name: 'body', mesh: fine }]));
    const r = await addSpeciesFromFile(options(file, dir, { maxTriangles: 2000 }));
    expect(r.report.trianglesIn).toBe(triangleCount(fine));
    expect(r.report.trianglesOut).toBeLessThanOrEqual(2000);
    expect(r.report.trianglesOut).toBeGreaterThan(500);
    const [part] = await loadSpeciesModel(loadCatalog(dir).species[0]!);
    const before = boundsOf([fine]);
    const after = boundsOf([part!.mesh]);
    for (let k = 0; k < 3; k++) {
      const ratio = (after.max[k]! - after.min[k]!) / (before.max[k]! - before.min[k]!);
      expect(ratio).toBeGreaterThan(0.98);
      expect(ratio).toBeLessThanOrEqual(1.0001);
    }
    expect(projectedAreaXY(part!.mesh) / projectedAreaXY(fine)).toBeGreaterThan(0.98);
    expect(projectedAreaXY(part!.mesh) / projectedAreaXY(fine)).toBeLessThan(1.02);
  });

  it('maps materials with a YAML mapping file first, and removes only what it owns', async () => {
    const dir = freshDir();
    const file = await writeGlb('mapped.glb', staticDocument(beetleParts()));
    const mapping = join(tmp.dir, 'map.yaml');
    writeFileSync(mapping, '"untitled": keratin\n"body*": water\n');
    const r = await addSpeciesFromFile(options(file, dir, { materialsFile: mapping }));
    expect(r.report.parts.map((p) => p.material)).toEqual(['water', 'chitin', 'keratin']);
    expect(r.report.parts[2]!.reason).toBe('mapping "untitled" matched material name "untitled"');
    // A second entry pointing at a bundled-style model the catalog does not own.
    copyFileSync(join(dir, 'test-animal.glb'), join(dir, 'handmade.glb'));
    const json = JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8'));
    const { imported: _, sha256: __, ...plain } = json.species[0];
    json.species.push({ ...plain, id: 'handmade', model: 'handmade.glb' });
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(json));
    expect((await removeSpecies(dir, 'handmade')).deletedModel).toBeNull();
    expect(existsSync(join(dir, 'handmade.glb'))).toBe(true);
    expect((await removeSpecies(dir, 'test-animal')).deletedModel).toBe(join(dir, 'test-animal.glb'));
    expect(readdirSync(dir).sort()).toEqual(['catalog.json', 'handmade.glb']);
    expect(loadCatalog(dir).species).toEqual([]);
  });

  it('notices a model file changed after import', async () => {
    const dir = freshDir();
    const file = await writeGlb('plain.glb', staticDocument([{ name: 'body', mesh: box([0.01, 0.01, 0.02]) }]));
    const { entry } = await addSpeciesFromFile(options(file, dir));
    const model = join(dir, entry.model);
    writeFileSync(model, Buffer.concat([readFileSync(model), Buffer.alloc(4)]));
    expect((await inspectSpecies(dir, entry.id)).hash).toMatchObject({ status: 'changed', recorded: entry.sha256 });
  });
});

describe('species add: open parts', () => {
  it('joins parts that close each other, caps openings and reports both', async () => {
    const dir = freshDir();
    const e = ellipsoid([0.01, 0.01, 0.02], 16);
    const y = (v: number) => e.positions[3 * v + 1]!;
    // The upper and lower halves as two primitives (two materials), and a dome on its own.
    const tris = (keep: (t: number[]) => boolean) => {
      const out: number[] = [];
      for (let t = 0; t < e.indices.length; t += 3) {
        const tri = [e.indices[t]!, e.indices[t + 1]!, e.indices[t + 2]!];
        if (keep(tri)) out.push(...tri);
      }
      return { positions: e.positions, indices: Uint32Array.from(out) };
    };
    const upper = tris((t) => t.some((v) => y(v) > 1e-6));
    const lower = tris((t) => !t.some((v) => y(v) > 1e-6));
    const file = await writeGlb('halves.glb', staticDocument([
      { name: 'top', mesh: upper, material: 'Skin' },
      { name: 'bottom', mesh: lower, material: 'Belly' },
      { name: 'eye', mesh: upper, material: 'Eye', translation: [0.05, 0, 0] },
    ]));
    const r = await addSpeciesFromFile(options(file, dir, { sizeMm: { min: 60, max: 80 } }));
    expect(r.report.parts.map((p) => p.part)).toEqual(['top+bottom', 'eye']);
    expect(r.report.parts[0]!.repairs[0]).toMatch(/^joined 2 open parts \(top, bottom\) along 16 shared boundary edges$/);
    expect(r.report.parts[1]!.repairs.join(' ')).toMatch(/capped 1 opening \(16 edges, perimeter [\d.]+ mm\)/);
    const parts = await loadSpeciesModel(loadCatalog(dir).species[0]!);
    for (const p of parts) expect(validateClosedMesh(p.mesh).outward).toBe(true);
  });

  it('leaves out parts it cannot repair with skipUnrepairable, and reports them', async () => {
    const dir = freshDir();
    const sheet = { positions: new Float32Array([0, 0, 0, 0.01, 0, 0, 0.01, 0, 0.01, 0, 0, 0.01]), indices: Uint32Array.from([0, 2, 1, 0, 3, 2]) };
    const file = await writeGlb('with-sheet.glb', staticDocument([{ name: 'body', mesh: box([0.01, 0.01, 0.02]) }, { name: 'shadow', mesh: sheet }]));
    const r = await addSpeciesFromFile(options(file, dir, { skipUnrepairable: true }));
    expect(r.report.parts.map((p) => p.part)).toEqual(['body']);
    expect(r.report.leftOut).toEqual([{ part: 'shadow', triangles: 2, reason: expect.stringMatching(/is an open sheet/) }]);
    expect(r.report.warnings).toEqual([expect.stringMatching(/^left out 1 of 2 parts \(2 of 14 triangles\) that cannot be made closed volumes: shadow$/)]);
    // Nothing left: refused, naming the file.
    const only = await writeGlb('only-sheet.glb', staticDocument([{ name: 'shadow', mesh: sheet }]));
    await expect(addSpeciesFromFile(options(only, freshDir(), { skipUnrepairable: true }))).rejects.toThrow(/only-sheet\.glb: no part can be made a closed outward-facing volume/);
  });
});

describe('species add: bad input leaves the catalog untouched', () => {
  const dir = freshDir();
  let catalogBytes: Buffer;
  let files: string[];
  const good = join(tmp.dir, 'good.glb');

  async function expectRefused(opts: Partial<AddSpeciesOptions> & { file: string }, code: string, ...fragments: (string | RegExp)[]): Promise<void> {
    if (!catalogBytes) {
      writeFileSync(good, await glbOf(staticDocument([{ name: 'body', mesh: box([0.01, 0.01, 0.02]) }])));
      await addSpeciesFromFile(options(good, dir, { id: 'existing' }));
      catalogBytes = readFileSync(join(dir, 'catalog.json'));
      files = readdirSync(dir).sort();
    }
    const err = await addSpeciesFromFile(options(opts.file, dir, opts)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExorayError);
    expect((err as ExorayError).code).toBe(code);
    for (const f of fragments) expect((err as Error).message).toMatch(f);
    expect(readFileSync(join(dir, 'catalog.json')).equals(catalogBytes)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(files);
  }

  it('refuses a truncated GLB', async () => {
    const bytes = await glbOf(staticDocument([{ name: 'body', mesh: ellipsoid([1, 1, 1], 16) }]));
    const file = join(tmp.dir, 'truncated.glb');
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expectRefused({ file }, 'E_ASSET', 'truncated.glb', /is truncated: its header declares \d+ bytes but the file has \d+/);
  });

  it('refuses a corrupted GLB (garbage in its JSON chunk)', async () => {
    const bytes = Buffer.from(await glbOf(staticDocument([{ name: 'body', mesh: box([1, 1, 1]) }])));
    bytes.fill(0x7b, 20, 40);
    const file = join(tmp.dir, 'corrupted.glb');
    writeFileSync(file, bytes);
    await expectRefused({ file }, 'E_ASSET', 'corrupted.glb', 'is a corrupted GLB');
  });

  it('refuses a file that is not glTF', async () => {
    const file = join(tmp.dir, 'photo.glb');
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6]));
    await expectRefused({ file }, 'E_ASSET', 'photo.glb', 'is not a glTF file');
    const json = join(tmp.dir, 'other.json');
    writeFileSync(json, '{"hello": "world"}');
    await expectRefused({ file: json }, 'E_ASSET', 'other.json', 'is JSON but not glTF');
  });

  it('refuses a file over the size limit', async () => {
    await expectRefused({ file: good, id: 'big', maxBytes: 100 }, 'E_ASSET', 'good.glb', /is too large \(\d+ bytes, limit 100 bytes\); simplify it first or raise --max-bytes/);
  });

  it('refuses a .gltf whose external buffer is missing', async () => {
    const sub = join(tmp.dir, 'missing-bin');
    mkdirSync(sub);
    await new NodeIO().write(join(sub, 'm.gltf'), staticDocument([{ name: 'body', mesh: box([1, 1, 1]) }]));
    unlinkSync(join(sub, 'm.bin'));
    await expectRefused({ file: join(sub, 'm.gltf'), id: 'missing' }, 'E_ASSET', 'm.gltf', 'is missing its external buffer "m.bin"');
  });

  it('refuses a model with no geometry', async () => {
    const doc = staticDocument([]);
    doc.getRoot().getDefaultScene()!.addChild(doc.createNode('empty'));
    const file = await writeGlb('empty.glb', doc);
    await expectRefused({ file, id: 'empty' }, 'E_ASSET', 'empty.glb', 'has no geometry');
  });

  it('refuses a mesh that cannot be repaired, naming it', async () => {
    const e = ellipsoid([1, 1, 1], 16);
    const open = { positions: e.positions, indices: e.indices.subarray(0, e.indices.length / 2) };
    const file = await writeGlb('open.glb', staticDocument([{ name: 'cup', mesh: open }]));
    // With openings left open (--no-cap-openings), a half shell has a hole too large to cap.
    await expectRefused({ file, id: 'open', capOpenings: false }, 'E_MESH_INVALID', 'Mesh "open.glb:cup"', /\d+ boundary edges/, 'capping openings is off');
    // A flat sheet has nothing to close, openings or not.
    const sheet = { positions: new Float32Array([0, 0, 0, 0.01, 0, 0, 0.01, 0, 0.01, 0, 0, 0.01]), indices: Uint32Array.from([0, 2, 1, 0, 3, 2]) };
    const flat = await writeGlb('sheet.glb', staticDocument([{ name: 'plane', mesh: sheet }]));
    await expectRefused({ file: flat, id: 'sheet' }, 'E_MESH_INVALID', 'Mesh "sheet.glb:plane" is an open sheet, not a volume');
  });

  it('refuses a duplicate id and an unknown material in the mapping', async () => {
    await expectRefused({ file: good, id: 'existing' }, 'E_USAGE', 'Species "existing" is already in');
    const mapping = join(tmp.dir, 'bad-map.json');
    writeFileSync(mapping, JSON.stringify({ body: 'unobtainium' }));
    await expectRefused({ file: good, id: 'mapped', materialsFile: mapping }, 'E_USAGE', 'bad-map.json', '"body" maps to unknown material "unobtainium"');
  });
});
