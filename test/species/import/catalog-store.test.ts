import { afterEach, describe, expect, it } from 'vitest';
import { defaultSpeciesDir, loadCatalog, parseCatalog } from '../../../src/species/catalog.js';
import { resolveCatalogDir } from '../../../src/species/import/catalog-store.js';

const HASH = 'ab'.repeat(32);

describe('catalog: import fields and directory choice', () => {
  const base = loadCatalog().species[0]!;
  const { modelPath: _, ...raw } = base;
  const saved = process.env.EXORAY_CATALOG;
  afterEach(() => {
    if (saved === undefined) delete process.env.EXORAY_CATALOG;
    else process.env.EXORAY_CATALOG = saved;
  });

  it('keeps sha256 and imported, and names a malformed one', () => {
    const ok = parseCatalog({ species: [{ ...raw, sha256: HASH, imported: { source: 'x.glb', sourceSha256: HASH } }] }, '/c/catalog.json');
    expect(ok.species[0]).toMatchObject({ sha256: HASH, imported: { source: 'x.glb', sourceSha256: HASH } });
    expect(() => parseCatalog({ species: [{ ...raw, sha256: 'abc' }] }, '/c/catalog.json')).toThrow(
      `Species catalog /c/catalog.json: species[0] ("${raw.id}"): field "sha256" must be 64 lower-case hex digits, got "abc"`,
    );
    expect(() => parseCatalog({ species: [{ ...raw, imported: { source: 'x.glb' } }] }, '/c/catalog.json')).toThrow(/field "imported\.sourceSha256" must be a non-empty string/);
  });

  it('takes --catalog, else $EXORAY_CATALOG, else the bundled catalog', () => {
    delete process.env.EXORAY_CATALOG;
    expect(resolveCatalogDir()).toBe(defaultSpeciesDir());
    process.env.EXORAY_CATALOG = '/tmp/env-catalog';
    expect(resolveCatalogDir()).toBe('/tmp/env-catalog');
    expect(resolveCatalogDir('/tmp/option-catalog')).toBe('/tmp/option-catalog');
  });
});
