import { describe, expect, it } from 'vitest';
import { formulaElementFractions } from '../../src/xray/composition.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import {
  calibrateZeff,
  estimateZeff,
  referenceMassAttenuation,
  zeffFromFractions,
  zeffOfPixel,
  zeffReferences,
  type DualEnergyResponse,
} from '../../src/xray/zeff.js';

const lib = loadMaterialLibrary();
const nist = lib.nist;
const zOf = (formula: string) => zeffFromFractions(formulaElementFractions(formula, nist), nist.elementInfo);

/** Two single-energy channels: R = mu(50)/mu(100) does not depend on thickness, so estimates are exact up to the table. */
const MONO: DualEnergyResponse = {
  energiesKeV: Float64Array.of(50, 100),
  low: Float64Array.of(1, 0),
  high: Float64Array.of(0, 1),
};

describe('effective atomic number', () => {
  it('power law gives the textbook values', () => {
    expect(zOf('H2O')).toBeGreaterThan(7.4);
    expect(zOf('H2O')).toBeLessThan(7.5);
    expect(zOf('Al')).toBeCloseTo(13, 10);
    expect(zOf('Fe')).toBeCloseTo(26, 10);
    expect(zOf('C2H4')).toBeCloseTo(5.44, 1);
    // A single heavy atom in a light matrix pulls Z_eff up far more than its electron share: the power law.
    expect(zOf('NaCl')).toBeGreaterThan(15);
    expect(zOf('NaCl')).toBeLessThan(16.5);
  });

  it('works on library materials with element fractions', () => {
    const z = (id: string) => zeffFromFractions(lib.get(id).elementFractions!, nist.elementInfo);
    expect(z('aluminium')).toBeCloseTo(13, 10);
    expect(z('iron')).toBeCloseTo(26, 10);
    for (const id of ['chitin', 'cotton', 'sugar']) {
      expect(z(id)).toBeGreaterThan(6.5);
      expect(z(id)).toBeLessThan(7.5);
    }
    expect(z('stainless_steel')).toBeGreaterThan(24);
    expect(z('stainless_steel')).toBeLessThan(26.5);
    expect(lib.get('water').elementFractions).toBeNull(); // a NIST compound table: use its formula instead
  });

  it('rejects unknown elements and empty compositions', () => {
    expect(() => zeffFromFractions(new Map([['Xx', 1]]), nist.elementInfo)).toThrow(/Xx/);
    expect(() => zeffFromFractions(new Map(), nist.elementInfo)).toThrow(/empty/);
  });

  it('references span organics to lead, sorted by Z_eff', () => {
    const refs = zeffReferences(nist);
    const z = refs.map((r) => r.zeff);
    expect([...z].sort((a, b) => a - b)).toEqual(z);
    expect(z[0]).toBeCloseTo(5.44, 1);
    expect(z[z.length - 1]).toBeCloseTo(82, 6);
  });

  it('calibration recovers each reference from slabs of any thickness (two-line response)', () => {
    const refs = zeffReferences(nist);
    const mu = referenceMassAttenuation(nist);
    const cal = calibrateZeff(MONO, mu, refs);
    for (const ref of refs) {
      if (ref.zeff > 60) continue; // lead's K edge (88 keV) lies between the lines: R falls below tin's, see below
      for (const massThickness of [0.05, 0.5, 5]) {
        const tl = Math.exp(-mu(ref, 50) * massThickness);
        const th = Math.exp(-mu(ref, 100) * massThickness);
        if (th < 0.01 || tl < cal.tFloor) continue;
        expect(Math.abs(zeffOfPixel(cal, tl, th) - ref.zeff), `${ref.name} at ${massThickness} g/cm2`).toBeLessThan(0.05 * ref.zeff);
      }
    }
  });

  it('places a material between references by its R, and image and pixel estimates agree', () => {
    const refs = zeffReferences(nist);
    const mu = referenceMassAttenuation(nist);
    const cal = calibrateZeff(MONO, mu, refs);
    const salt = { name: 'salt', formula: 'NaCl', massFractions: formulaElementFractions('NaCl', nist), zeff: zOf('NaCl') };
    const tl = Math.exp(-mu(salt, 50) * 2);
    const th = Math.exp(-mu(salt, 100) * 2);
    const z = zeffOfPixel(cal, tl, th);
    // Between silicon (14) and calcium (20): the estimate is not the power law, but close to it.
    expect(z).toBeGreaterThan(14);
    expect(z).toBeLessThan(18);
    expect(Math.abs(z - salt.zeff)).toBeLessThan(1.5);
    const img = estimateZeff(cal, Float32Array.of(tl, 1, 0.5), Float32Array.of(th, 1, 0.5));
    expect(img[0]).toBeCloseTo(z, 1);
    expect(img[1]).toBe(0); // nothing in the beam: cannot tell
    const u16 = estimateZeff(cal, Uint16Array.of(Math.round(tl * 65535)), Uint16Array.of(Math.round(th * 65535)));
    expect(u16[0]).toBeCloseTo(z, 0);
  });

  it('rejects responses whose weights do not sum to 1', () => {
    const bad = { ...MONO, low: Float64Array.of(0.5, 0) };
    expect(() => calibrateZeff(bad, referenceMassAttenuation(nist), zeffReferences(nist))).toThrow(/sum to 0.5/);
  });
});
