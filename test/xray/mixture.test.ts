import { describe, expect, it } from 'vitest';
import { formulaElementFractions, mixtureMassAttenuation, type AttenuationTerm } from '../../src/xray/composition.js';
import { interpolateTable } from '../../src/xray/interpolate.js';
import { loadNistData } from '../../src/xray/nist.js';

const nist = loadNistData();
const ENERGIES = [10, 15, 20, 30, 40, 50, 60, 80, 100, 150, 200];

function termsOf(formula: string): AttenuationTerm[] {
  return [...formulaElementFractions(formula, nist)].map(([key, fraction]) => ({ kind: 'element' as const, key, fraction }));
}

describe('mixture rule reproduces NIST compound tables', () => {
  const cases: [string, string, number][] = [
    ['H2O', 'water', 0.002],
    ['C2H4', 'polyethylene', 0.002],
    ['C10H8O4', 'mylar', 0.002],
    ['C2H3Cl', 'pvc', 0.002],
    ['C2F4', 'teflon', 0.002],
    ['CaF2', 'calcium_fluoride', 0.002],
  ];
  for (const [formula, compound, tol] of cases) {
    it(`${formula} vs compounds/${compound}.csv within ${tol * 100}% at 10-200 keV`, () => {
      const terms = termsOf(formula);
      const ref = nist.compounds.get(compound)!;
      for (const e of ENERGIES) {
        const mix = mixtureMassAttenuation(terms, nist, e);
        const want = interpolateTable(ref, e);
        expect(Math.abs(mix / want - 1), `${formula} at ${e} keV: ${mix} vs ${want}`).toBeLessThan(tol);
      }
    });
  }

  it('the check is sensitive: H2O with 10% of hydrogen mass moved to oxygen fails it', () => {
    const terms = termsOf('H2O').map((t) => ({ ...t, fraction: t.key === 'H' ? t.fraction * 0.9 : t.fraction + 0.1 * (1 - t.fraction) }));
    const worst = Math.max(...ENERGIES.map((e) => Math.abs(mixtureMassAttenuation(terms, nist, e) / interpolateTable(nist.compounds.get('water')!, e) - 1)));
    expect(worst).toBeGreaterThan(0.002);
  });

  it('water at 60 keV is 0.2059 cm^2/g (NIST)', () => {
    expect(mixtureMassAttenuation(termsOf('H2O'), nist, 60)).toBeCloseTo(0.2059, 3);
  });
});
