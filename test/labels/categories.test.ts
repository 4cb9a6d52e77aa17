import { describe, expect, it } from 'vitest';
import { categoryIndexBySpecies, categoryList, categoryOf, parseLabelLevel, type TaxonEntry } from '../../src/labels/categories.js';

const sp = (id: string, cls: string, order: string, family: string): TaxonEntry => ({ id, taxonomy: { class: cls, order, family } });

// Catalog order deliberately interleaves taxa, so first-appearance order differs from sorted order.
const CATALOG: TaxonEntry[] = [
  sp('stag-beetle', 'Insecta', 'Coleoptera', 'Lucanidae'),
  sp('ball-python', 'Reptilia', 'Squamata', 'Pythonidae'),
  sp('rhino-beetle', 'Insecta', 'Coleoptera', 'Scarabaeidae'),
  sp('giant-stag', 'Insecta', 'Coleoptera', 'Lucanidae'),
  sp('anole', 'Reptilia', 'Squamata', 'Dactyloidae'),
  sp('tarantula', 'Arachnida', 'Araneae', 'Theraphosidae'),
];

describe('categoryList', () => {
  it('species: one per species in catalog order, supercategory = order', () => {
    expect(categoryList(CATALOG, 'species')).toEqual([
      { name: 'stag-beetle', supercategory: 'Coleoptera', members: ['stag-beetle'] },
      { name: 'ball-python', supercategory: 'Squamata', members: ['ball-python'] },
      { name: 'rhino-beetle', supercategory: 'Coleoptera', members: ['rhino-beetle'] },
      { name: 'giant-stag', supercategory: 'Coleoptera', members: ['giant-stag'] },
      { name: 'anole', supercategory: 'Squamata', members: ['anole'] },
      { name: 'tarantula', supercategory: 'Araneae', members: ['tarantula'] },
    ]);
  });

  it('family: deduplicated in order of first appearance, supercategory = order', () => {
    expect(categoryList(CATALOG, 'family')).toEqual([
      { name: 'Lucanidae', supercategory: 'Coleoptera', members: ['stag-beetle', 'giant-stag'] },
      { name: 'Pythonidae', supercategory: 'Squamata', members: ['ball-python'] },
      { name: 'Scarabaeidae', supercategory: 'Coleoptera', members: ['rhino-beetle'] },
      { name: 'Dactyloidae', supercategory: 'Squamata', members: ['anole'] },
      { name: 'Theraphosidae', supercategory: 'Araneae', members: ['tarantula'] },
    ]);
  });

  it('order: one per order, supercategory = class', () => {
    expect(categoryList(CATALOG, 'order')).toEqual([
      { name: 'Coleoptera', supercategory: 'Insecta', members: ['stag-beetle', 'rhino-beetle', 'giant-stag'] },
      { name: 'Squamata', supercategory: 'Reptilia', members: ['ball-python', 'anole'] },
      { name: 'Araneae', supercategory: 'Arachnida', members: ['tarantula'] },
    ]);
  });

  it('animal: a single category holding every species', () => {
    expect(categoryList(CATALOG, 'animal')).toEqual([{ name: 'animal', supercategory: 'animal', members: CATALOG.map((s) => s.id) }]);
  });

  it('every species is in exactly the category categoryOf names', () => {
    for (const level of ['species', 'family', 'order', 'animal'] as const) {
      const list = categoryList(CATALOG, level);
      const index = categoryIndexBySpecies(list);
      expect(index.size).toBe(CATALOG.length);
      for (const entry of CATALOG) expect(list[index.get(entry.id)!].name).toBe(categoryOf(level, entry));
    }
  });

  it('is empty for an empty catalog', () => {
    expect(categoryList([], 'order')).toEqual([]);
  });

  it('rejects a taxonomy that files one family under two orders', () => {
    const bad = [...CATALOG, sp('odd', 'Insecta', 'Hemiptera', 'Lucanidae')];
    expect(() => categoryList(bad, 'family')).toThrow(/family "Lucanidae" is under "Coleoptera".*"Hemiptera" for odd/);
    expect(categoryList(bad, 'order').map((c) => c.name)).toContain('Hemiptera');
  });

  it('rejects a species listed twice', () => {
    expect(() => categoryList([...CATALOG, CATALOG[0]], 'species')).toThrow(expect.objectContaining({ code: 'E_LABEL' }));
  });
});

describe('categoryOf', () => {
  it('names the category at each level', () => {
    const e = CATALOG[0];
    expect(categoryOf('species', e)).toBe('stag-beetle');
    expect(categoryOf('family', e)).toBe('Lucanidae');
    expect(categoryOf('order', e)).toBe('Coleoptera');
    expect(categoryOf('animal', e)).toBe('animal');
  });
});

describe('parseLabelLevel', () => {
  it('accepts the four levels, case-insensitively', () => {
    expect(parseLabelLevel('species')).toBe('species');
    expect(parseLabelLevel(' Family ')).toBe('family');
    expect(parseLabelLevel('ORDER')).toBe('order');
    expect(parseLabelLevel('animal')).toBe('animal');
  });

  it('rejects anything else with E_USAGE naming the choices', () => {
    expect(() => parseLabelLevel('genus')).toThrow(expect.objectContaining({ code: 'E_USAGE', message: expect.stringMatching(/"genus".*species, family, order, animal/) }));
  });
});
