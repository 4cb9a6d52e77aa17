/**
 * `exoray species add|list|inspect|remove` as a user runs them: the compiled binary in a
 * child process, against a temporary catalog (--catalog and $EXORAY_CATALOG).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { box, ellipsoid } from '../../src/geometry/primitives.js';
import { tempDir } from '../helpers/tmp.js';
import { glbOf, staticDocument } from '../species/import/fixtures.js';

const bin = path.join(packageRoot(), 'dist', 'cli', 'main.js');
const tmp = tempDir('exoray-cli-species-');
afterAll(() => tmp.cleanup());

function exoray(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Several child processes per test, each starting node and the CLI: allow for a loaded machine.
describe('exoray species', { timeout: 300_000 }, () => {
  const catalog = path.join(tmp.dir, 'catalog');
  const model = path.join(tmp.dir, 'scorpion.glb');

  it('adds a model, reporting the material mapping', async () => {
    writeFileSync(
      model,
      await glbOf(
        staticDocument([
          { name: 'Prosoma', mesh: ellipsoid([0.01, 0.005, 0.015], 16), material: 'Cuticle' },
          { name: 'Claw_L', mesh: box([0.004, 0.003, 0.012]), translation: [0.015, 0, 0.01] },
        ]),
      ),
    );
    const add = exoray(['species', 'add', model, '--id', 'emperor-scorpion', '--name', 'Pandinus imperator', '--common', 'Emperor scorpion', '--size-mm', '120-200', '--class', 'Arachnida', '--cites', 'II', '--catalog', catalog]);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('Imported');
    expect(add.stdout).toContain('Prosoma -> chitin  [rule "cuticle" matched material name "Cuticle"]');
    expect(add.stdout).toContain('Claw_L -> chitin  [rule "horn/claw (by body plan)" matched mesh name "Claw_L"]');
    expect(add.stdout).toContain('body plan: arthropod (from class Arachnida)');
  });

  it('lists (catalog from $EXORAY_CATALOG) and inspects it', () => {
    const list = exoray(['species', 'list', '--json'], { EXORAY_CATALOG: catalog });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).species).toEqual([
      { id: 'emperor-scorpion', scientificName: 'Pandinus imperator', commonName: 'Emperor scorpion', sizeMm: { min: 120, max: 200 }, model: 'emperor-scorpion.glb', source: 'imported', hash: 'ok' },
    ]);

    const inspect = exoray(['species', 'inspect', 'emperor-scorpion', '--json', '--catalog', catalog]);
    expect(inspect.code).toBe(0);
    const info = JSON.parse(inspect.stdout);
    expect(info.entry.modelLengthMm).toBeCloseTo(160, 2);
    expect(info.entry).toMatchObject({ cites: 'II', taxonomy: { class: 'Arachnida', order: 'unknown' } });
    expect(info.materials).toEqual(['chitin']);
    expect(info.hash.status).toBe('ok');
    expect(info.extentMm[2]).toBeCloseTo(160, 3);
    expect(exoray(['species', 'inspect', 'emperor-scorpion', '--catalog', catalog]).stdout).toMatch(/sha256: [0-9a-f]{64} \(matches the catalog\)/);
  });

  it('removes it with its model file', () => {
    const remove = exoray(['species', 'remove', 'emperor-scorpion', '--catalog', catalog]);
    expect(remove.code).toBe(0);
    expect(existsSync(path.join(catalog, 'emperor-scorpion.glb'))).toBe(false);
    expect(exoray(['species', 'list', '--catalog', catalog]).stdout).toMatch(/^No species in /);
  });

  it('refuses bad input with a message naming the file, a non-zero exit and the catalog unchanged', () => {
    const before = readFileSync(path.join(catalog, 'catalog.json'));
    const junk = path.join(tmp.dir, 'notes.glb');
    writeFileSync(junk, 'these are not the polygons you are looking for');
    const r = exoray(['species', 'add', junk, '--id', 'junk', '--name', 'Junk junk', '--catalog', catalog]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`exoray: Model file ${junk}: is not a glTF file`);
    expect(readFileSync(path.join(catalog, 'catalog.json')).equals(before)).toBe(true);
    const usage = exoray(['species', 'add', model, '--id', 'x', '--name', 'X x', '--size-mm', 'big', '--catalog', catalog]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--size-mm "big" must be MIN-MAX');
    expect(exoray(['species', 'remove', 'nobody', '--catalog', catalog]).code).toBe(2);
  });

  it('imports the real public spider, reporting the joins and openings; --no-cap-openings refuses it', () => {
    const fixtures = path.join(packageRoot(), 'test', 'fixtures', 'public');
    const spider = path.join(fixtures, 'spider', 'spider.glb');
    const own = path.join(tmp.dir, 'spiders');
    const args = ['species', 'add', spider, '--id', 'spider', '--name', 'Araneae sp.', '--size-mm', '60-90', '--class', 'Arachnida', '--catalog', own];
    const strict = exoray([...args, '--no-cap-openings']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/Mesh "spider\.glb:Kopf" cannot be made a closed outward-facing volume: .*capping openings is off/);
    expect(existsSync(path.join(own, 'spider.glb'))).toBe(false);
    const r = exoray([...args, '--materials', path.join(fixtures, 'mappings', 'spider.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OK+Brust -> soft_tissue');
    expect(r.stdout).toContain('repaired: joined 2 open parts (OK, Brust) along 12 shared boundary edges');
    expect(r.stdout).toMatch(/Kopf -> soft_tissue .*; 90 -> 114 tris \(repaired\)\n(.*\n)*?\s+repaired: capped 1 opening \(13 edges, perimeter [\d.]+ mm\)/);
    expect(r.stdout).toContain('triangles: 1368 in, 1384 stored (budget 40000)');
    // Parts it cannot close are left out with --skip-unrepairable, and listed.
    const sheet = path.join(fixtures, 'texture-transform', 'TextureTransformTest.gltf');
    const skipped = exoray(['species', 'add', sheet, '--id', 'planes', '--name', 'Planus planus', '--skip-unrepairable', '--catalog', own]);
    expect(skipped.code).toBe(1);
    expect(skipped.stderr).toMatch(/TextureTransformTest\.gltf: no part can be made a closed outward-facing volume; the first: Mesh "TextureTransformTest\.gltf:Offset U" is an open sheet/);
  });
});
