/**
 * The Khronos glTF validator on the bundled species models and on an imported one
 * (skinned, so its skeleton metadata and baked geometry are exercised too).
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateBytes, type ValidationReport } from 'gltf-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { ellipsoid } from '../../../src/geometry/primitives.js';
import { defaultSpeciesDir } from '../../../src/species/catalog.js';
import { addSpeciesFromFile } from '../../../src/species/import/add-species.js';
import { tempDir } from '../../helpers/tmp.js';
import { glbOf, skinnedDocument } from './fixtures.js';

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
});
