import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { categoryList } from '../../src/labels/categories.js';
import { boundsOf } from '../../src/geometry/mesh.js';
import { buildModel, PROCEDURAL_MODELS } from '../../src/species/build-assets.js';
import { defaultSpeciesDir, findSpecies, loadCatalog, loadSpeciesModel, parseCatalog } from '../../src/species/catalog.js';
import { tempDir } from '../helpers/tmp.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function catalogWith(mutate: (entry: Record<string, unknown>) => void): string {
  const { dir, cleanup } = tempDir('exoray-catalog-');
  cleanups.push(cleanup);
  const json = JSON.parse(readFileSync(path.join(defaultSpeciesDir(), 'catalog.json'), 'utf8')) as { species: Array<Record<string, unknown>> };
  mutate(json.species[0]!);
  writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify(json));
  return dir;
}

function errorOf(fn: () => unknown): ExorayError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ExorayError);
    expect((e as ExorayError).code).toBe('E_ASSET');
    return e as ExorayError;
  }
  throw new Error('expected an error');
}

describe('species catalog', () => {
  it('loads the packaged catalog', () => {
    const cat = loadCatalog();
    const beetle = findSpecies(cat, 'stag-beetle');
    expect(beetle).toMatchObject({
      scientificName: 'Dorcus titanus',
      commonNames: { en: 'Giant stag beetle', zh: '巨扁锹甲' },
      taxonomy: { class: 'Insecta', order: 'Coleoptera', family: 'Lucanidae' },
      cites: null,
      bodyPlan: 'arthropod',
      model: 'stag-beetle.glb',
    });
    expect(beetle.modelPath).toBe(path.join(defaultSpeciesDir(), 'stag-beetle.glb'));
    expect(() => findSpecies(cat, 'unicorn')).toThrow(/unicorn.*stag-beetle/);
  });

  it('loads a model whose parts are closed and whose length matches modelLengthMm', async () => {
    const entry = findSpecies(loadCatalog(), 'stag-beetle');
    const parts = await loadSpeciesModel(entry);
    expect(parts.length).toBeGreaterThan(20);
    expect(await loadSpeciesModel(entry)).toBe(parts); // cached
    const b = boundsOf(parts.map((p) => p.mesh));
    expect((b.max[2] - b.min[2]) * 1000).toBeCloseTo(entry.modelLengthMm, 2);
  });

  it('names the file, entry and field of a broken catalog', () => {
    const dir = catalogWith((e) => {
      e.sizeMm = { min: 40, max: 'big' };
    });
    const msg = errorOf(() => loadCatalog(dir)).message;
    expect(msg).toContain(path.join(dir, 'catalog.json'));
    expect(msg).toContain('species[0] ("stag-beetle")');
    expect(msg).toContain('"sizeMm.max"');
    expect(msg).toContain('"big"');

    expect(errorOf(() => loadCatalog(catalogWith((e) => delete e.scientificName))).message).toContain('"scientificName"');
    expect(errorOf(() => loadCatalog(catalogWith((e) => (e.cites = 'IV')))).message).toContain('"cites"');
    expect(errorOf(() => loadCatalog(catalogWith((e) => (e.commonNames = { zh: 'x' })))).message).toContain('"commonNames.en"');
    expect(errorOf(() => loadCatalog(catalogWith((e) => (e.id = 'Stag Beetle')))).message).toContain('kebab-case');
    expect(errorOf(() => loadCatalog(catalogWith((e) => (e.labelAs = 'no-such-species')))).message).toMatch(/"labelAs" must name another species/);
  });

  it('labels a second model of a species (labelAs) in that species\' category', () => {
    const catalog = loadCatalog();
    const stretched = findSpecies(catalog, 'ball-python-stretched');
    expect(stretched.labelAs).toBe('ball-python');
    const classes = categoryList(catalog.species, 'species');
    const python = classes.find((c) => c.name === 'ball-python')!;
    expect(python.members).toEqual(['ball-python', 'ball-python-stretched']);
    expect(classes.map((c) => c.name)).not.toContain('ball-python-stretched');
  });

  it('reports unreadable and invalid JSON catalogs', () => {
    const { dir, cleanup } = tempDir('exoray-catalog-');
    cleanups.push(cleanup);
    expect(errorOf(() => loadCatalog(dir)).message).toContain('catalog.json');
    writeFileSync(path.join(dir, 'catalog.json'), '{ "species": [');
    expect(errorOf(() => loadCatalog(dir)).message).toMatch(/not valid JSON/);
    expect(errorOf(() => parseCatalog({ species: {} }, 'x.json')).message).toContain('"species" array');
  });

  it('names the species when its model is missing or corrupt', async () => {
    const dir = catalogWith(() => {});
    const entry = findSpecies(loadCatalog(dir), 'stag-beetle');
    await expect(loadSpeciesModel(entry)).rejects.toThrow(/stag-beetle.*build-assets/);
    writeFileSync(entry.modelPath, 'not a glb');
    await expect(loadSpeciesModel(entry)).rejects.toThrow(entry.modelPath);
    copyFileSync(path.join(defaultSpeciesDir(), 'stag-beetle.glb'), entry.modelPath);
    expect((await loadSpeciesModel(entry)).length).toBeGreaterThan(0);
  });
});

describe('committed procedural models', () => {
  it.each(PROCEDURAL_MODELS.map((m) => [m.file, m] as const))(
    '%s equals a fresh build (rebuild: npx tsc -p tsconfig.build.json && node dist/species/build-assets.js)',
    async (_file, model) => {
      const built = await buildModel(model);
      const committed = readFileSync(path.join(defaultSpeciesDir(), model.file));
      expect(Buffer.from(built.bytes).equals(committed)).toBe(true);
      expect(built.bytes.byteLength).toBeLessThan(1_000_000);
      expect(findSpecies(loadCatalog(), model.id).modelLengthMm).toBe(built.modelLengthMm);
    },
  );
});
