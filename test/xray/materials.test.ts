import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isExorayError } from '../../src/core/errors.js';
import { createMaterialLibrary, defaultMaterialsDir, loadMaterialLibrary } from '../../src/xray/materials.js';
import { parseMaterialDef } from '../../src/xray/material-schema.js';
import { loadNistData } from '../../src/xray/nist.js';

const nist = loadNistData();
const lib = loadMaterialLibrary({ nist });

const REQUIRED = [
  'soft_tissue', 'water', 'cortical_bone', 'chitin', 'keratin', 'eggshell', 'cardboard', 'paper', 'cotton',
  'polyester', 'polyethylene', 'polypropylene', 'pet', 'abs', 'pvc', 'rubber', 'glass', 'aluminium', 'iron',
  'stainless_steel', 'copper', 'brass', 'li_ion_cell', 'pcb', 'sugar', 'starch', 'alcohol', 'oil',
];

function errorOf(fn: () => unknown): Error & { code: string } {
  try {
    fn();
  } catch (e) {
    expect(isExorayError(e), `expected an ExorayError, got ${String(e)}`).toBe(true);
    return e as Error & { code: string };
  }
  throw new Error('expected an error');
}

describe('material library', () => {
  it('loads every file in assets/materials, one material per file', () => {
    const files = readdirSync(defaultMaterialsDir()).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
    expect(lib.ids()).toEqual(files.sort());
    for (const id of REQUIRED) expect(lib.ids(), id).toContain(id);
  });

  it('mu at 60 keV matches NIST for materials NIST tabulates (value x NIST density)', () => {
    const expected: [string, number, number][] = [
      ['water', 0.2059, 1.0],
      ['cortical_bone', 0.3148, 1.92],
      ['soft_tissue', 0.2048, 1.06],
      ['polyethylene', 0.197, 0.93],
      ['pet', 0.1868, 1.38],
      ['pvc', 0.3325, 1.406],
      ['pyrex', 0.2417, 2.23],
      ['aluminium', 0.2778, 2.699],
      ['iron', 1.205, 7.874],
      ['copper', 1.593, 8.96],
    ];
    for (const [id, muRho, rho] of expected) {
      expect(lib.massAttenuation(id, 60) / muRho, id).toBeCloseTo(1, 3);
      expect(lib.linearAttenuation(id, 60) / (muRho * rho), id).toBeCloseTo(1, 3);
    }
    expect(lib.linearAttenuation('water', 60)).toBeCloseTo(0.206, 3);
    expect(lib.linearAttenuation('aluminium', 60)).toBeCloseTo(0.75, 2);
  });

  it('every material has a plausible mu at 60 keV for its class', () => {
    for (const id of lib.ids()) {
      const m = lib.get(id);
      const muRho = lib.massAttenuation(id, 60);
      const mu = lib.linearAttenuation(id, 60);
      expect(mu, id).toBeCloseTo(muRho * m.density, 12);
      const terms = m.terms.reduce((s, t) => s + t.fraction, 0);
      expect(terms, id).toBeCloseTo(1, 9);
      if (m.class === 'organic') {
        // Low-Z matter: mu/rho ~0.18-0.21 at 60 keV, up to ~0.35 with chlorine (PVC).
        expect(muRho, id).toBeGreaterThan(0.17);
        expect(muRho, id).toBeLessThan(0.35);
      } else if (m.class === 'inorganic') {
        expect(muRho, id).toBeGreaterThan(0.17);
        expect(muRho, id).toBeLessThan(1.5);
      } else {
        expect(muRho, id).toBeGreaterThan(0.25);
        expect(mu, id).toBeGreaterThan(0.7);
      }
    }
    // Relations a screener relies on: cuticle ~ cardboard per gram; bone, shell >> tissue; metals far more.
    expect(lib.massAttenuation('chitin', 60) / lib.massAttenuation('cardboard', 60)).toBeCloseTo(1, 1);
    expect(lib.linearAttenuation('cortical_bone', 60)).toBeGreaterThan(2.5 * lib.linearAttenuation('soft_tissue', 60));
    expect(lib.linearAttenuation('eggshell', 60)).toBeGreaterThan(3 * lib.linearAttenuation('soft_tissue', 60));
    expect(lib.linearAttenuation('iron', 60)).toBeGreaterThan(10 * lib.linearAttenuation('cortical_bone', 60));
  });

  it('resolves formulas, fraction tables and mixtures into element terms', () => {
    const chitin = lib.get('chitin');
    expect(chitin.elementFractions!.get('N')).toBeCloseTo(14.007 / 203.19, 3);
    const brass = lib.get('brass');
    expect(lib.massAttenuation('brass', 80)).toBeCloseTo(0.7 * lib.massAttenuation('copper', 80) + 0.3 * massOf('Zn', 80), 10);
    expect(brass.class).toBe('metal');
    // Mixture of materials: the weighted sum of the components' mu/rho.
    const cell = lib.get('li_ion_cell').composition as { mixture: Record<string, number> };
    const sum = Object.entries(cell.mixture).reduce((s, [id, w]) => s + w * lib.massAttenuation(id, 60), 0);
    expect(lib.massAttenuation('li_ion_cell', 60)).toBeCloseTo(sum, 10);
    // A NIST compound table keeps the material from having element fractions.
    expect(lib.get('water').elementFractions).toBeNull();
    expect(lib.get('water').terms).toEqual([{ kind: 'compound', key: 'water', fraction: 1 }]);
  });

  it('linearAttenuationMany matches the scalar call; energy-absorption is below attenuation', () => {
    const es = [20, 60, 100, 140];
    const many = lib.linearAttenuationMany('li_ion_cell', es);
    es.forEach((e, k) => expect(many[k]).toBeCloseTo(lib.linearAttenuation('li_ion_cell', e), 12));
    expect(lib.massEnergyAbsorption('water', 60)).toBeCloseTo(0.0319, 4);
  });

  it('unknown id: E_MATERIAL naming the id, the known ids and how to add one', () => {
    const e = errorOf(() => lib.get('unobtainium'));
    expect(e.code).toBe('E_MATERIAL');
    expect(e.message).toContain('"unobtainium"');
    expect(e.message).toContain('water');
    expect(e.message).toContain('assets/materials/unobtainium.json');
    expect(() => lib.linearAttenuation('unobtainium', 60)).toThrow(/unobtainium/);
    expect(lib.has('water')).toBe(true);
  });

  it('energies outside the NIST range are E_NIST_DATA errors', () => {
    expect(errorOf(() => lib.linearAttenuation('water', 0.1)).code).toBe('E_NIST_DATA');
  });
});

function massOf(sym: string, keV: number): number {
  const only = createMaterialLibrary(
    [parseMaterialDef({ id: 'x', name: 'x', density: 1, densitySource: 'test', composition: { formula: sym }, class: 'metal' }, 'x.json')],
    nist,
  );
  return only.massAttenuation('x', keV);
}

describe('adding and validating material files', () => {
  const base = { id: 'thing', name: 'Thing', density: 1.2, densitySource: 'test', class: 'organic', composition: { formula: 'C2H4' } };

  /** A temp copy of the real library plus the given extra files. */
  function dirWith(files: Record<string, unknown>): string {
    const dir = mkdtempSync(join(tmpdir(), 'exoray-mat-'));
    cpSync(defaultMaterialsDir(), dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return dir;
  }
  const load = (files: Record<string, unknown>) => loadMaterialLibrary({ materialsDir: dirWith(files), nist });
  const failure = (files: Record<string, unknown>) => errorOf(() => load(files));

  it('adding a material is adding a file', () => {
    const l = load({ 'thing.json': base, 'wet_thing.json': { ...base, id: 'wet_thing', composition: { mixture: { thing: 0.5, water: 0.5 } } } });
    expect(l.ids()).toContain('thing');
    expect(l.linearAttenuation('thing', 60)).toBeCloseTo(lib.massAttenuation('polyethylene', 60) * 1.2, 3);
    expect(l.massAttenuation('wet_thing', 60)).toBeCloseTo(0.5 * l.massAttenuation('thing', 60) + 0.5 * 0.2059, 4);
  });

  const bad: [string, Record<string, unknown>, (string | RegExp)[]][] = [
    ['fractions not summing to 1', { 'thing.json': { ...base, composition: { massFractions: { H: 0.1, O: 0.85 } } } }, ['thing.json', 'composition.massFractions', 'sum to 0.95']],
    ['a negative density', { 'thing.json': { ...base, density: -1 } }, ['thing.json', '"density"', 'positive']],
    ['a missing density', { 'thing.json': { ...base, density: undefined } }, ['thing.json', '"density"']],
    ['an unknown element', { 'thing.json': { ...base, composition: { massFractions: { H: 0.5, Xx: 0.5 } } } }, ['thing.json', 'composition.massFractions.Xx', 'not an element']],
    ['an unknown element in a formula', { 'thing.json': { ...base, composition: { formula: 'C2Qq4' } } }, ['thing.json', 'composition.formula', 'Qq']],
    ['an unknown NIST compound', { 'thing.json': { ...base, composition: { nist: 'kryptonite' } } }, ['thing.json', 'composition.nist', 'kryptonite']],
    ['an unknown mixture component', { 'thing.json': { ...base, composition: { mixture: { water: 0.5, nothing: 0.5 } } } }, ['thing.json', 'composition.mixture.nothing', 'assets/materials/nothing.json']],
    ['a mixture cycle', {
      'cyc_a.json': { ...base, id: 'cyc_a', composition: { mixture: { cyc_b: 0.5, water: 0.5 } } },
      'cyc_b.json': { ...base, id: 'cyc_b', composition: { mixture: { cyc_a: 1 } } },
    }, ['cyc_', 'cycle', /cyc_a -> cyc_b -> cyc_a|cyc_b -> cyc_a -> cyc_b/]],
    ['an id that differs from the file name', { 'thing.json': { ...base, id: 'other' } }, ['thing.json', '"id"', 'other']],
    ['two composition forms', { 'thing.json': { ...base, composition: { formula: 'H2O', nist: 'water' } } }, ['thing.json', '"composition"', 'exactly one']],
    ['an unknown class', { 'thing.json': { ...base, class: 'plasma' } }, ['thing.json', '"class"', 'plasma']],
    ['a misspelt field', { 'thing.json': { ...base, desnity: 1 } }, ['thing.json', '"desnity"']],
    ['a negative fraction', { 'thing.json': { ...base, composition: { mixture: { water: 0.6, paper: 0.5, thing2: -0.1 } } } }, ['thing.json', 'composition.mixture.thing2']],
    ['invalid JSON', { 'thing.json': '{ "id": "thing", ' }, ['thing.json', 'not valid JSON']],
  ];
  for (const [what, files, parts] of bad) {
    it(`rejects ${what}, naming the file and field`, () => {
      const e = failure(files);
      expect(e.code).toBe('E_MATERIAL');
      for (const p of parts) expect(e.message).toMatch(p);
    });
  }

  it('fractions within 1e-3 of 1 are accepted and renormalised', () => {
    const def = parseMaterialDef({ ...base, composition: { massFractions: { H: 0.1121, O: 0.8884 } } }, 't.json');
    const f = (def.composition as { massFractions: Record<string, number> }).massFractions;
    expect(f['H']! + f['O']!).toBeCloseTo(1, 12);
  });

  it('an empty or missing directory is an error', () => {
    expect(errorOf(() => loadMaterialLibrary({ materialsDir: mkdtempSync(join(tmpdir(), 'exoray-empty-')), nist })).message).toMatch(/no \.json/);
    expect(errorOf(() => loadMaterialLibrary({ materialsDir: '/nonexistent/materials', nist })).message).toMatch(/does not exist/);
  });
});
