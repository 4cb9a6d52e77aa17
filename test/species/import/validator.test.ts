/**
 * The Khronos glTF validator on the bundled species models and on an imported one
 * (skinned, so its skeleton metadata and baked geometry are exercised too).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { NodeIO } from '@gltf-transform/core';
import { join } from 'node:path';
import { validateBytes, type ValidationReport } from 'gltf-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { box, ellipsoid } from '../../../src/geometry/primitives.js';
import { defaultSpeciesDir } from '../../../src/species/catalog.js';
import { addSpeciesFromFile } from '../../../src/species/import/add-species.js';
import { tempDir } from '../../helpers/tmp.js';
import { glbOf, skinnedDocument, staticDocument } from './fixtures.js';

const tmp = tempDir('exoray-validator-');
afterAll(() => tmp.cleanup());

function errors(report: ValidationReport): string[] {
  return report.issues.messages.filter((m) => m.severity === 0).map((m) => `${m.code} ${m.pointer ?? ''}: ${m.message}`);
}

describe('gltf-validator', () => {
  const bundled = readdirSync(defaultSpeciesDir()).filter((f) => f.endsWith('.glb'));

  it('finds the bundled models', () => {
    expect(bundled.length).toBeGreaterThanOrEqual(2);
  });

  it.each(bundled)('bundled %s has no validation errors', async (file) => {
    const report = await validateBytes(new Uint8Array(readFileSync(join(defaultSpeciesDir(), file))), { uri: file, format: 'glb', writeTimestamp: false });
    expect(errors(report)).toEqual([]);
  });

  it('an imported skinned model has no validation errors', async () => {
    const source = join(tmp.dir, 'skinned.glb');
    writeFileSync(source, await glbOf(skinnedDocument(ellipsoid([0.01, 0.01, 0.02], 16), 0.004)));
    const { entry } = await addSpeciesFromFile({
      file: source,
      catalogDir: tmp.dir,
      id: 'skinned-thing',
      scientificName: 'Testus skinnatus',
      maxTriangles: 10_000,
      maxBytes: 1 << 24,
      up: 'y',
      unit: 'm',
    });
    const report = await validateBytes(new Uint8Array(readFileSync(entry.modelPath)), { uri: entry.model, format: 'glb', writeTimestamp: false });
    expect(errors(report)).toEqual([]);
  });

  it('species add --validate reports the source file\'s findings without refusing it', async () => {
    const sub = join(tmp.dir, 'gltf');
    mkdirSync(sub);
    await new NodeIO().write(join(sub, 'clean.gltf'), staticDocument([{ name: 'body', mesh: box([0.01, 0.01, 0.02]) }]));
    const base = { catalogDir: join(tmp.dir, 'validated'), scientificName: 'Testus validus', maxTriangles: 10_000, maxBytes: 1 << 24, up: 'y' as const, unit: 'm' as const, validate: true };
    const clean = await addSpeciesFromFile({ ...base, file: join(sub, 'clean.gltf'), id: 'clean' });
    expect(clean.validation).toEqual({ validator: 'gltf-validator', errors: 0, warnings: 0, messages: [] });
    // A rotation that is not a unit quaternion: a validator error, yet the geometry imports.
    const doc = staticDocument([{ name: 'body', mesh: box([0.01, 0.01, 0.02]) }]);
    doc.getRoot().listNodes()[0]!.setRotation([0, 0, 0, 1.5]);
    const sloppy = join(tmp.dir, 'sloppy.glb');
    writeFileSync(sloppy, await glbOf(doc));
    const r = await addSpeciesFromFile({ ...base, file: sloppy, id: 'sloppy' });
    expect(r.validation!.errors).toBe(1);
    expect(r.validation!.messages[0]).toBe('error VALUE_NOT_IN_RANGE /nodes/0/rotation/3: Value 1.5 is out of range.');
  });
});
