import { Document, NodeIO } from '@gltf-transform/core';
import { describe, expect, it } from 'vitest';
import type { ModelPart } from '../../src/core/types.js';
import { ExorayError } from '../../src/core/errors.js';
import { signedVolume } from '../../src/geometry/mesh.js';
import { box, ellipsoid } from '../../src/geometry/primitives.js';
import { validateClosedMesh } from '../../src/geometry/validate.js';
import { buildStagBeetle } from '../../src/species/beetle.js';
import { readModelGlb, readModelMeta, writeModelGlb, type ModelMeta } from '../../src/species/glb.js';

const META: ModelMeta = { id: 'test-thing', scientificName: 'Testus testus', commonName: 'Test thing', params: { a: 1 } };

async function expectAssetError(p: Promise<unknown>, ...fragments: string[]): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ExorayError);
  expect((e as ExorayError).code).toBe('E_ASSET');
  for (const f of fragments) expect((e as Error).message).toContain(f);
}

describe('GLB write / read', () => {
  const beetle = buildStagBeetle();

  it('round-trips parts, materials and exact vertex positions', async () => {
    const bytes = await writeModelGlb(beetle, { ...META, id: 'stag-beetle' });
    const back = await readModelGlb(bytes, 'beetle.glb');
    expect(back.map((p) => [p.name, p.material])).toEqual(beetle.map((p) => [p.name, p.material]));
    back.forEach((p, i) => {
      expect(p.mesh.positions).toEqual(beetle[i]!.mesh.positions);
      expect(p.mesh.indices).toEqual(beetle[i]!.mesh.indices);
      expect(validateClosedMesh(p.mesh, p.name).outward).toBe(true);
    });
    expect(await readModelMeta(bytes, 'beetle.glb')).toMatchObject({ id: 'stag-beetle', scientificName: 'Testus testus', params: { a: 1 } });
  });

  it('writes identical bytes twice, with normals and named materials', async () => {
    const a = await writeModelGlb(beetle, META);
    const b = await writeModelGlb(beetle, META);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const doc = await new NodeIO().readBinary(a);
    expect(doc.getRoot().listMaterials().map((m) => m.getName()).sort()).toEqual(['chitin', 'soft_tissue']);
    for (const mesh of doc.getRoot().listMeshes()) expect(mesh.listPrimitives()[0]!.getAttribute('NORMAL')).not.toBeNull();
    // The JSON chunk follows the 12-byte header and the chunk's 8-byte length/type.
    const jsonLength = new DataView(a.buffer, a.byteOffset).getUint32(12, true);
    const json = JSON.parse(new TextDecoder().decode(a.subarray(20, 20 + jsonLength))) as { asset: Record<string, unknown> };
    expect(json.asset).toMatchObject({ generator: 'exoray', version: '2.0', extras: { id: 'test-thing' } });
  });

  it('reads non-indexed, Uint32-indexed and transformed nodes', async () => {
    const doc = new Document();
    const buffer = doc.createBuffer();
    const mat = doc.createMaterial('aluminium');
    const scene = doc.createScene('s');
    // Non-indexed box, translated by a parent node and mirrored (negative scale).
    const b = box([1, 2, 3]);
    const flat = new Float32Array(b.indices.length * 3);
    b.indices.forEach((v, i) => flat.set(b.positions.subarray(3 * v, 3 * v + 3), 3 * i));
    const boxPrim = doc
      .createPrimitive()
      .setAttribute('POSITION', doc.createAccessor('p', buffer).setType('VEC3').setArray(flat))
      .setMaterial(mat);
    const parent = doc.createNode('parent').setTranslation([10, 0, 0]);
    parent.addChild(doc.createNode('flat-box').setMesh(doc.createMesh('m').addPrimitive(boxPrim)).setScale([-1, 1, 1]));
    scene.addChild(parent);
    // Uint32 indices.
    const e = ellipsoid([1, 1, 1], 12);
    const ePrim = doc
      .createPrimitive()
      .setAttribute('POSITION', doc.createAccessor('p2', buffer).setType('VEC3').setArray(e.positions))
      .setIndices(doc.createAccessor('i2', buffer).setType('SCALAR').setArray(new Uint32Array(e.indices)))
      .setMaterial(doc.createMaterial('water'));
    scene.addChild(doc.createNode('ball').setMesh(doc.createMesh('m2').addPrimitive(ePrim)));
    const bytes = await new NodeIO().writeBinary(doc);
    const parts: ModelPart[] = await readModelGlb(bytes, 'handmade.glb');
    expect(parts.map((p) => [p.name, p.material])).toEqual([['flat-box', 'aluminium'], ['ball', 'water']]);
    const fb = parts[0]!.mesh;
    expect(fb.positions.length).toBe(24); // welded back to 8 corners
    expect(validateClosedMesh(fb, 'flat-box').outward).toBe(true);
    expect(signedVolume(fb)).toBeCloseTo(6, 5);
    expect(Math.min(...Array.from(fb.positions).filter((_, i) => i % 3 === 0))).toBeCloseTo(9.5, 6);
    expect(validateClosedMesh(parts[1]!.mesh, 'ball').outward).toBe(true);
  });

  it('refuses corrupt bytes and primitives without a material name, naming the file', async () => {
    await expectAssetError(readModelGlb(new Uint8Array([1, 2, 3, 4, 5]), 'junk.glb'), 'junk.glb');
    const good = await writeModelGlb([{ name: 'b', material: 'chitin', mesh: box([1, 1, 1]) }], META);
    await expectAssetError(readModelGlb(good.slice(0, good.length - 40), 'truncated.glb'), 'truncated.glb');

    const doc = new Document();
    const buffer = doc.createBuffer();
    const prim = doc.createPrimitive().setAttribute('POSITION', doc.createAccessor('p', buffer).setType('VEC3').setArray(box([1, 1, 1]).positions));
    doc.createScene('s').addChild(doc.createNode('nameless').setMesh(doc.createMesh('m').addPrimitive(prim)));
    const bytes = await new NodeIO().writeBinary(doc);
    await expectAssetError(readModelGlb(bytes, 'nomaterial.glb'), 'nomaterial.glb', 'nameless', 'material');
  });

  it('refuses to write parts without a material', async () => {
    await expectAssetError(writeModelGlb([{ name: 'x', material: '', mesh: box([1, 1, 1]) }], META), '"x"');
  });
});
