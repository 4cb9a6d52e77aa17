import { describe, expect, it } from 'vitest';
import { edgeEnergies, interpolateTable, interpolateTableMany, logLogInterpolate } from '../../src/xray/interpolate.js';
import { loadNistData, type NistTable } from '../../src/xray/nist.js';

const nist = loadNistData();
const el = (s: string): NistTable => nist.elementsBySymbol.get(s)!;

function table(e: number[], mu: number[]): NistTable {
  return { energyKeV: Float64Array.from(e), muRho: Float64Array.from(mu), muEnRho: Float64Array.from(mu), source: 'test' };
}

/** Index of the first row at energy e. */
function rowOf(t: NistTable, e: number): number {
  const i = t.energyKeV.findIndex((x) => Math.abs(x - e) < 1e-9);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}

describe('log-log interpolation', () => {
  it('is exact at every table point of real tables', () => {
    for (const s of ['H', 'C', 'O', 'Al', 'Cu']) {
      const t = el(s);
      for (let i = 0; i < t.energyKeV.length; i++) {
        if (t.energyKeV[i] === t.energyKeV[i + 1]) continue; // below-edge row: the edge energy returns the value above
        expect(interpolateTable(t, t.energyKeV[i]!)).toBe(t.muRho[i]);
      }
    }
  });

  it('reproduces a power law between points exactly', () => {
    const f = (e: number) => 3.7 * Math.pow(e, -2.8);
    const es = [1, 2, 5, 10, 30, 100, 500];
    const t = table(es, es.map(f));
    for (const e of [1.3, 3.1, 7, 17.5, 42, 99.9, 250, 499]) {
      expect(interpolateTable(t, e) / f(e)).toBeCloseTo(1, 12);
    }
  });

  it('is log-log, not linear: midpoint in log space of 1/E^3 data', () => {
    const t = table([10, 40], [1, 1 / 64]);
    expect(interpolateTable(t, 20)).toBeCloseTo(1 / 8, 12);
  });

  it('throws E_NIST_DATA naming the range outside the table', () => {
    const t = el('Fe');
    expect(() => interpolateTable(t, 0.5)).toThrow(/0\.5 keV is outside the tabulated range 1 to 20000 keV/);
    expect(() => interpolateTable(t, 25000)).toThrow(/outside the tabulated range/);
    expect(() => interpolateTable(t, Number.NaN)).toThrow(/outside/);
    try {
      interpolateTable(t, 0.5);
    } catch (e) {
      expect((e as { code: string }).code).toBe('E_NIST_DATA');
      expect((e as Error).message).toContain('z26.csv');
    }
  });

  it('vectorised helper matches the scalar one', () => {
    const es = Float64Array.from([10, 20, 33.3, 60, 88, 150]);
    const many = interpolateTableMany(el('Pb'), es);
    es.forEach((e, k) => expect(many[k]).toBe(interpolateTable(el('Pb'), e)));
    expect(() => interpolateTableMany(el('Pb'), es, 'muRho', new Float64Array(2))).toThrow(/length/);
  });
});

describe('absorption edges', () => {
  const cases: [string, number][] = [
    ['Fe', 7.112], // iron K
    ['W', 69.53], // tungsten K (transcribed as 6.953e-02 MeV)
    ['Pb', 88.0], // lead K
  ];
  for (const [sym, edge] of cases) {
    it(`${sym} K edge at ${edge} keV: jump, no blending across it`, () => {
      const t = el(sym);
      const i = rowOf(t, edge);
      expect(t.energyKeV[i + 1]).toBe(t.energyKeV[i]);
      const below = t.muRho[i]!;
      const above = t.muRho[i + 1]!;
      expect(above / below).toBeGreaterThan(3); // K jumps are ~4-8x
      expect(edgeEnergies(t)).toContain(t.energyKeV[i]);

      // At the edge: the value above (documented choice).
      expect(interpolateTable(t, edge)).toBe(above);
      // Just below: follows the segment that ends at the below-edge row.
      const justBelow = interpolateTable(t, edge * (1 - 1e-9));
      expect(justBelow / below).toBeCloseTo(1, 6);
      // Just above: starts from the above-edge row.
      const justAbove = interpolateTable(t, edge * (1 + 1e-9));
      expect(justAbove / above).toBeCloseTo(1, 6);
      expect(justAbove / justBelow).toBeCloseTo(above / below, 4);

      // Inside the segment below the edge the value lies between that segment's
      // two rows (a blend across the edge would exceed `below`).
      const e0 = t.energyKeV[i - 1]!;
      const mid = Math.sqrt(e0 * edge);
      const v = interpolateTable(t, mid);
      expect(v).toBeLessThan(t.muRho[i - 1]!);
      expect(v).toBeGreaterThan(below);
      expect(v).toBeCloseTo(Math.sqrt(t.muRho[i - 1]! * below), 10);
      // Inside the segment above the edge: between the above-edge row and the next.
      const e2 = t.energyKeV[i + 2]!;
      const v2 = interpolateTable(t, Math.sqrt(edge * e2));
      expect(v2).toBeLessThan(above);
      expect(v2).toBeCloseTo(Math.sqrt(above * t.muRho[i + 2]!), 10);
    });
  }

  it('a triple row (edge rounded onto a grid point, Mo K at 20 keV) uses the last row at that energy', () => {
    const t = el('Mo');
    const i = rowOf(t, 20);
    expect(t.energyKeV[i + 2]).toBe(t.energyKeV[i]);
    expect(interpolateTable(t, 20)).toBe(t.muRho[i + 2]);
    expect(interpolateTable(t, 19.99)).toBeLessThan(t.muRho[i]! * 1.01);
    expect(interpolateTable(t, 20.01)).toBeGreaterThan(t.muRho[i + 2]! * 0.99);
  });

  it('logLogInterpolate treats a synthetic duplicate as a step', () => {
    const x = Float64Array.from([1, 10, 10, 100]);
    const y = Float64Array.from([100, 1, 10, 0.1]);
    expect(logLogInterpolate(x, y, 10)).toBe(10);
    expect(logLogInterpolate(x, y, Math.sqrt(10))).toBeCloseTo(10, 12);
    expect(logLogInterpolate(x, y, Math.sqrt(1000))).toBeCloseTo(1, 12);
  });
});
