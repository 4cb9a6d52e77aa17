/**
 * The documented pipeline (docs/examples/refresh-pipeline.sh) run as a user would:
 * add a model to a catalog, refresh, verify, export; then run again with nothing new.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { ellipsoid } from '../../src/geometry/primitives.js';
import { finishParts } from '../../src/species/body-parts.js';
import { defaultSpeciesDir } from '../../src/species/catalog.js';
import { writeModelGlb } from '../../src/species/glb.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('exoray-pipeline-');
afterAll(() => tmp.cleanup());

const script = path.join(packageRoot(), 'docs', 'examples', 'refresh-pipeline.sh');

function run(args: string[], env: Record<string, string>) {
  return spawnSync('bash', [script, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 400_000 });
}

describe('docs/examples/refresh-pipeline.sh', () => {
  it('adds a model, refreshes, verifies and exports; a second run of another model changes only that species', async () => {
    const catalog = path.join(tmp.dir, 'species');
    mkdirSync(catalog);
    const bundled = JSON.parse(readFileSync(path.join(defaultSpeciesDir(), 'catalog.json'), 'utf8'));
    const beetle = bundled.species.find((s: { id: string }) => s.id === 'stag-beetle');
    copyFileSync(path.join(defaultSpeciesDir(), beetle.model), path.join(catalog, beetle.model));
    writeFileSync(path.join(catalog, 'catalog.json'), JSON.stringify({ version: 1, species: [beetle] }, null, 2));

    const model = path.join(tmp.dir, 'pill-bug.glb');
    const parts = finishParts([{ name: 'shell', mesh: ellipsoid([0.007, 0.004, 0.012], 24), kind: 'shell', minRadius: 0.004 }], {
      length: 0.018,
      wall: 0.0004,
      hardMaterial: 'chitin',
      softMaterial: 'soft_tissue',
    });
    writeFileSync(model, await writeModelGlb(parts, { id: 'pill-bug', scientificName: 'Armadillidium vulgare', commonName: 'Pill bug' }));
    const target = path.join(tmp.dir, 'target.yaml');
    writeFileSync(target, 'presets: parcel\nsamplesPerSpecies: 2\nseed: 3\nsplit: 100/0/0\nscanner: { size: 64, effects: false }\nformats: [coco, yolo]\n');
    const data = path.join(tmp.dir, 'data');
    const env = { DATA: data, EXORAY_CATALOG: catalog, TARGET: target };

    const first = run([model, 'pill-bug', 'Armadillidium vulgare', '12-18'], env);
    expect(first.stderr).not.toMatch(/exoray: /);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/pill-bug\s+new\s+2/);
    expect(first.stdout).toContain('dataset changed');
    expect(first.stdout).toMatch(/OK: every file matches/);
    const exported = readdirSync(path.join(`${data}-train`, 'images')).sort();
    expect(exported).toHaveLength(4);
    expect(exported.filter((f) => f.startsWith('pill-bug-'))).toHaveLength(2);
    expect(existsSync(path.join(`${data}-train`, 'data.yaml'))).toBe(true);

    // Another model: only its species is new; the beetle and pill bug samples stay.
    const second = run([model, 'pill-bug-2', 'Armadillidium nasatum', '10-16'], env);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/pill-bug-2\s+new\s+2/);
    expect(second.stdout).not.toMatch(/stag-beetle\s+(new|changed)/);
    expect(readdirSync(path.join(`${data}-train`, 'images'))).toHaveLength(6);
  }, 600_000);
});
