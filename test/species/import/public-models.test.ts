/**
 * `species add` on real public models (test/fixtures/public, made by
 * scripts/fetch-public-models.sh from Debian's assimp-testmodels): a real animal model (a
 * game spider converted from OBJ), Khronos sample files exercising Draco, morph targets,
 * skins, external buffers and KHR_texture_transform, and broken files that must be refused
 * with the file and the problem named and the catalog untouched.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ExorayError } from '../../../src/core/errors.js';
import { boundsOf } from '../../../src/geometry/mesh.js';
import { validateClosedMesh } from '../../../src/geometry/validate.js';
import { loadCatalog, loadSpeciesModel } from '../../../src/species/catalog.js';
import { addSpeciesFromFile, type AddSpeciesOptions } from '../../../src/species/import/add-species.js';
import { extractParts } from '../../../src/species/import/extract.js';
import { readSourceModel } from '../../../src/species/import/source.js';
import { tempDir } from '../../helpers/tmp.js';

const PUBLIC = fileURLToPath(new URL('../../fixtures/public/', import.meta.url));
const at = (...p: string[]) => join(PUBLIC, ...p);
const tmp = tempDir('exoray-public-');
afterAll(() => tmp.cleanup());
let counter = 0;
const freshDir = () => {
  const dir = join(tmp.dir, `c${counter++}`);
  mkdirSync(dir);
  return dir;
};

function options(file: string, catalogDir: string, extra: Partial<AddSpeciesOptions> = {}): AddSpeciesOptions {
  return { file, catalogDir, id: 'public-model', scientificName: 'Publicus modelus', maxTriangles: 40_000, maxBytes: 1 << 26, up: 'y', unit: 'm', ...extra };
}

async function refusal(file: string, catalogDir: string, extra: Partial<AddSpeciesOptions> = {}): Promise<ExorayError> {
  const before = readFileSync(join(catalogDir, 'catalog.json'));
  const files = readdirSync(catalogDir).sort();
  const err = await addSpeciesFromFile(options(file, catalogDir, { id: 'refused', ...extra })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExorayError);
  // Refused before anything was written.
  expect(readFileSync(join(catalogDir, 'catalog.json')).equals(before)).toBe(true);
  expect(readdirSync(catalogDir).sort()).toEqual(files);
  return err as ExorayError;
}

describe('species add on real public models', () => {
  it('imports the spider (a real animal model): joins its split thorax, caps its open halves and eyes, maps its materials', async () => {
    const dir = freshDir();
    const t0 = performance.now();
    const r = await addSpeciesFromFile(
      options(at('spider', 'spider.glb'), dir, {
        id: 'spider',
        scientificName: 'Araneae sp.',
        commonName: 'Spider (assimp test model)',
        sizeMm: { min: 60, max: 90 },
        taxonomy: { class: 'Arachnida' },
        materialsFile: at('mappings', 'spider.json'),
      }),
    );
    const ms = performance.now() - t0;
    // 19 OBJ groups; the upper (OK) and lower (Brust) shells of the cephalothorax close each other.
    expect(r.report.parts).toHaveLength(18);
    const byName = Object.fromEntries(r.report.parts.map((p) => [p.part, p]));
    expect(byName['OK+Brust']!.repairs[0]).toBe('joined 2 open parts (OK, Brust) along 12 shared boundary edges');
    // Each half of the head is open along the mid-plane, each eye is an open hemisphere: capped.
    for (const name of ['Kopf', 'Kopf2', 'Auge', 'Duplicate05']) expect(byName[name]!.repairs.join(' ')).toMatch(/capped 1 opening \(1[23] edges/);
    for (const name of ['Zahn', 'klZahn', 'Zahn2', 'klZahn2']) expect(byName[name]!.repairs).toEqual(['dropped 14 collapsed triangles (a repeated vertex)']);
    expect(r.report.leftOut).toEqual([]);
    expect(r.report.trianglesIn).toBe(1368);
    expect(r.report.trianglesOut).toBe(1384);
    // A real size: a 60-90 mm leg span, scaled to its middle along Z.
    expect(r.entry.modelLengthMm).toBe(75);
    expect(r.entry.bodyPlan).toBe('arthropod');
    expect(byName['Bein1Li']!.material).toBe('arthropod_cuticle');
    expect(byName['Zahn']!.material).toBe('chitin');
    expect(byName['HLeib01']!.material).toBe('soft_tissue');
    // The catalog loads it with the normal loader: every part closed and outward.
    const parts = await loadSpeciesModel(loadCatalog(dir).species[0]!);
    for (const p of parts) expect(validateClosedMesh(p.mesh).outward, p.name).toBe(true);
    const b = boundsOf(parts.map((p) => p.mesh));
    expect((b.max[2] - b.min[2]) * 1000).toBeCloseTo(75, 3);
    expect(ms).toBeLessThan(30_000);
  });

  it('decodes the Draco engine (115 meshes); without help it names the first part it cannot close, with --skip-unrepairable it keeps 105', async () => {
    const dir = freshDir();
    await addSpeciesFromFile(options(at('spider', 'spider.glb'), dir, { id: 'first' }));
    const err = await refusal(at('draco-engine', '2CylinderEngine.gltf'), dir, { sizeMm: { min: 100, max: 200 } });
    expect(err.code).toBe('E_MESH_INVALID');
    expect(err.message).toMatch(/^Mesh "2CylinderEngine\.gltf:rod_123-699_0_Parts_1#0" cannot be made a closed outward-facing volume: 11 non-manifold edges/);

    const r = await addSpeciesFromFile(
      options(at('draco-engine', '2CylinderEngine.gltf'), dir, { id: 'engine', sizeMm: { min: 100, max: 200 }, skipUnrepairable: true, materialsFile: at('mappings', 'engine.json') }),
    );
    expect(r.report.parts).toHaveLength(105);
    expect(r.report.leftOut).toHaveLength(10);
    expect(r.report.leftOut.map((l) => l.part)).toContain('body_2_2');
    expect(r.report.warnings.join(' ')).toMatch(/left out 10 of 115 parts \(40524 of \d+ triangles\)/);
    // 69,812 triangles kept, simplified to the 40,000 budget.
    expect(r.report.trianglesIn).toBe(69_812);
    expect(r.report.trianglesOut).toBeLessThanOrEqual(40_000);
    expect(r.report.parts.filter((p) => p.simplifiedAtError !== null).length).toBeGreaterThan(50);
    expect(new Set(r.report.parts.map((p) => p.material))).toEqual(new Set(['aluminium']));
    for (const p of await loadSpeciesModel(loadCatalog(dir).species.find((s) => s.id === 'engine')!)) expect(validateClosedMesh(p.mesh).outward).toBe(true);
  });

  it('bakes the morph cube at its default weights and the skinned strip at its default pose', async () => {
    const dir = freshDir();
    const r = await addSpeciesFromFile(options(at('morph-cube', 'AnimatedMorphCube.gltf'), dir, { sizeMm: { min: 20, max: 30 } }));
    // Its default weights are 0 and 0: the cube is stored as modelled.
    expect(r.report.parts.map((p) => [p.part, p.morphed, p.trianglesOut])).toEqual([['AnimatedMorphCube', false, 12]]);
    // The same real file with its first target at full weight: baked into the positions.
    const cube = await readSourceModel(at('morph-cube', 'AnimatedMorphCube.gltf'));
    const mesh = cube.document.getRoot().listMeshes()[0]!;
    expect(mesh.listPrimitives()[0]!.listTargets()).toHaveLength(2);
    const rest = extractParts(cube.document, cube.file).parts[0]!;
    mesh.setWeights([1, 0]);
    const morphed = extractParts(cube.document, cube.file).parts[0]!;
    expect(morphed.morphed).toBe(true);
    const extent = (m: typeof rest) => {
      const b = boundsOf([m.mesh]);
      return [0, 1, 2].map((k) => b.max[k]! - b.min[k]!);
    };
    expect(extent(morphed)).not.toEqual(extent(rest));

    // The skin is read and baked (2 joints), but the strip is a flat sheet: no volume to import.
    const source = await readSourceModel(at('simple-skin', 'simple_skin.gltf'));
    const extracted = extractParts(source.document, source.file);
    expect(extracted.skins.map((s) => s.joints.length)).toEqual([2]);
    expect(extracted.parts.map((p) => p.skinned)).toEqual([true]);
    const err = await refusal(at('simple-skin', 'simple_skin.gltf'), dir);
    expect(err.message).toMatch(/^Mesh "simple_skin\.gltf:node0" is an open sheet, not a volume/);
  });

  it('reads a .gltf with its external buffer and texture, and refuses the texture-transform planes as sheets', async () => {
    const dir = freshDir();
    const r = await addSpeciesFromFile(options(at('box-textured', 'BoxTextured.gltf'), dir, { sizeMm: { min: 20, max: 30 } }));
    expect(r.report.trianglesOut).toBe(12);
    expect(r.entry.imported?.source).toBe('BoxTextured.gltf');
    // KHR_texture_transform is read; the file's nine textured planes have no volume.
    const source = await readSourceModel(at('texture-transform', 'TextureTransformTest.gltf'));
    expect(source.document.getRoot().listExtensionsUsed().map((e) => e.extensionName)).toContain('KHR_texture_transform');
    const err = await refusal(at('texture-transform', 'TextureTransformTest.gltf'), dir);
    expect(err.message).toMatch(/is an open sheet, not a volume/);
    const skipped = await refusal(at('texture-transform', 'TextureTransformTest.gltf'), dir, { skipUnrepairable: true });
    expect(skipped.message).toMatch(/TextureTransformTest\.gltf: no part can be made a closed outward-facing volume/);
  });

  it('refuses the broken files, naming the file and the problem, and leaves the catalog untouched', async () => {
    const dir = freshDir();
    await addSpeciesFromFile(options(at('box-textured', 'BoxTextured.gltf'), dir, { id: 'first' }));
    const missing = await refusal(at('missing-bin', 'BoxTextured.gltf'), dir);
    expect(missing.message).toBe(
      `Model file ${at('missing-bin', 'BoxTextured.gltf')}: is missing its external buffer "BoxTextured0.bin" (buffers[0], expected at ${at('missing-bin', 'BoxTextured0.bin')}); copy it next to BoxTextured.gltf or export a .glb`,
    );
    const oob = await refusal(at('index-out-of-range', 'IndexOutOfRange.gltf'), dir);
    expect(oob.message).toMatch(/IndexOutOfRange\.gltf, node "Mesh", primitive 0: index 255 is past its 24 vertices; the file is corrupted/);
    // A schema error in the geometry: explained by the validator, not by the reader's crash.
    const bad = await refusal(at('wrong-types', 'badArray.gltf'), dir);
    expect(bad.message).toMatch(/badArray\.gltf: is a corrupted glTF: the glTF validator finds 1 error: TYPE_MISMATCH \/meshes\/0\/primitives: Type mismatch/);
    expect(bad.message).not.toMatch(/forEach is not a function/);
  });

  it('reads past schema errors that only touch looks, and says so', async () => {
    const dir = freshDir();
    for (const [k, file] of ['badNumber.gltf', 'badUint.gltf'].entries()) {
      const r = await addSpeciesFromFile(options(at('wrong-types', file), dir, { id: `wrong-${k}` }));
      expect(r.report.warnings).toEqual([expect.stringMatching(/^read without its materials and textures, which the glTF validator finds broken \((UNDEFINED_PROPERTY|INVALID_INDEX) \/materials\/0\//)]);
      expect(r.report.trianglesOut).toBe(12);
    }
    // A wrong type in a name does not stop the reader; --validate reports it.
    const r = await addSpeciesFromFile(options(at('wrong-types', 'badString.gltf'), dir, { id: 'named', validate: true }));
    expect(r.validation?.messages).toEqual(["error TYPE_MISMATCH /scenes/0/name: Type mismatch. Property value 42 is not a 'string'."]);
  });
});
