import { describe, expect, it } from 'vitest';
import { formulaMassFractions, molarMass, parseFormula } from '../../src/xray/formula.js';

const W: Record<string, number> = { H: 1.008, C: 12.011, N: 14.007, O: 15.999, Li: 6.94, Co: 58.933, Ca: 40.078, P: 30.974, Cu: 63.546, S: 32.06, Fe: 55.845, Cr: 51.996 };
const weight = (s: string) => W[s];

describe('parseFormula', () => {
  it('counts atoms', () => {
    expect(Object.fromEntries(parseFormula('C8H13NO5'))).toEqual({ C: 8, H: 13, N: 1, O: 5 });
    expect(Object.fromEntries(parseFormula('LiCoO2'))).toEqual({ Li: 1, Co: 1, O: 2 });
    expect(Object.fromEntries(parseFormula('C2H4'))).toEqual({ C: 2, H: 4 });
    expect(Object.fromEntries(parseFormula('CH3COOH'))).toEqual({ C: 2, H: 4, O: 2 });
  });

  it('handles groups, adducts and decimal counts', () => {
    expect(Object.fromEntries(parseFormula('Ca3(PO4)2'))).toEqual({ Ca: 3, P: 2, O: 8 });
    expect(Object.fromEntries(parseFormula('CuSO4·5H2O'))).toEqual({ Cu: 1, S: 1, O: 9, H: 10 });
    expect(Object.fromEntries(parseFormula('Fe0.7Cr0.3'))).toEqual({ Fe: 0.7, Cr: 0.3 });
  });

  it('rejects malformed formulas with E_MATERIAL', () => {
    for (const bad of ['', 'c2h4', 'C2H4)', '(C2H4', 'C0', 'H2O-']) {
      expect(() => parseFormula(bad), bad).toThrow(/chemical formula/);
    }
  });
});

describe('formulaMassFractions', () => {
  it('water is 11.19% H by mass', () => {
    const f = formulaMassFractions('H2O', weight);
    expect(f.get('H')).toBeCloseTo((2 * 1.008) / 18.015, 6);
    expect(f.get('O')! + f.get('H')!).toBeCloseTo(1, 12);
  });

  it('chitin fractions sum to 1 and match the molar mass', () => {
    const f = formulaMassFractions('C8H13NO5', weight);
    expect([...f.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(molarMass('C8H13NO5', weight)).toBeCloseTo(203.19, 1);
    expect(f.get('N')).toBeCloseTo(14.007 / 203.194, 4);
  });

  it('unknown element symbols are errors naming the symbol', () => {
    expect(() => formulaMassFractions('XyO2', weight)).toThrow(/"Xy".*not a known element/);
  });
});
