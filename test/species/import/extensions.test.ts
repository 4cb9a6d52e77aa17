/**
 * Models written with the extensions real-world exporters use (KHR_mesh_quantization,
 * EXT_meshopt_compression, KHR_draco_mesh_compression, KHR_materials_*,
 * KHR_texture_transform) import like their plain originals.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger, NodeIO, type Document } from '@gltf-transform/core';
import { ALL_EXTENSIONS, KHRMaterialsClearcoat, KHRTextureTransform } from '@gltf-transform/extensions';
import { draco, meshopt, quantize } from '@gltf-transform/functions';
import draco3d from 'draco3dgltf';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ellipsoid, box } from '../../../src/geometry/primitives.js';
import { addSpeciesFromFile } from '../../../src/species/import/add-species.js';
import { tempDir } from '../../helpers/tmp.js';
import { staticDocument } from './fixtures.js';

const tmp = tempDir('exoray-ext-');
afterAll(() => tmp.cleanup());

async function encoderIO(): Promise<NodeIO> {
  await MeshoptEncoder.ready;
  await MeshoptDecoder.ready;
  return new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
    'draco3d.encoder': await draco3d.createEncoderModule(),
    'draco3d.decoder': await draco3d.createDecoderModule(),
    'meshopt.encoder': MeshoptEncoder,
    'meshopt.decoder': MeshoptDecoder,
  });
}

async function model(): Promise<Document> {
  const doc = staticDocument([
    { name: 'abdomen', mesh: ellipsoid([0.012, 0.008, 0.02], 24), material: 'Body' },
    { name: 'shield', mesh: box([0.02, 0.004, 0.012]), material: 'carapace', translation: [0, 0.01, 0.01] },
  ]);
  doc.setLogger(new Logger(Logger.Verbosity.WARN));
  // Material extensions and a texture transform: irrelevant to X-rays, but they must not stop the import.
  const clearcoat = doc.createExtension(KHRMaterialsClearcoat);
  const textureTransform = doc.createExtension(KHRTextureTransform);
  const png = await sharp({ create: { width: 2, height: 2, channels: 4, background: '#884422' } }).png().toBuffer();
  const texture = doc.createTexture('tex').setImage(new Uint8Array(png)).setMimeType('image/png');
  for (const m of doc.getRoot().listMaterials()) {
    m.setExtension('KHR_materials_clearcoat', clearcoat.createClearcoat().setClearcoatFactor(0.5));
    m.setBaseColorTexture(texture);
    m.getBaseColorTextureInfo()!.setExtension('KHR_texture_transform', textureTransform.createTransform().setScale([2, 2]));
  }
  return doc;
}

describe('species add: compressed and extended glTF', () => {
  const cases: Array<[string, (doc: Document) => Promise<void>, string]> = [
    ['plain', async () => undefined, ''],
    ['quantized', async (doc) => void (await doc.transform(quantize())), 'KHR_mesh_quantization'],
    ['meshopt', async (doc) => void (await doc.transform(meshopt({ encoder: MeshoptEncoder }))), 'EXT_meshopt_compression'],
    ['draco', async (doc) => void (await doc.transform(draco())), 'KHR_draco_mesh_compression'],
  ];
  const lengths = new Map<string, number>();

  it.each(cases)('imports a %s model', async (label, compress, extension) => {
    const doc = await model();
    await compress(doc);
    const io = await encoderIO();
    const bytes = await io.writeBinary(doc);
    const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true))));
    if (extension) expect(json.extensionsUsed).toContain(extension);
    expect(json.extensionsUsed).toContain('KHR_materials_clearcoat');
    const file = join(tmp.dir, `${label}.glb`);
    writeFileSync(file, bytes);
    const r = await addSpeciesFromFile({ file, catalogDir: join(tmp.dir, label), id: label, scientificName: 'Testus compressus', bodyPlan: 'reptile', maxTriangles: 40_000, maxBytes: 1 << 24, up: 'y', unit: 'm' });
    expect(r.report.parts.map((p) => [p.part, p.material])).toEqual([
      ['abdomen', 'soft_tissue'],
      ['shield', 'turtle_shell'],
    ]);
    lengths.set(label, r.entry.modelLengthMm);
    // Quantisation moves vertices by at most a few micrometres on a 40 mm model.
    expect(r.entry.modelLengthMm).toBeCloseTo(lengths.get('plain')!, 1);
  });
});
