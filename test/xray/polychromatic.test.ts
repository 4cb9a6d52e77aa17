import { describe, expect, it } from 'vitest';
import { isExorayError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { DEFAULT_SANDWICH } from '../../src/xray/detector.js';
import { loadEmissionLines } from '../../src/xray/emission.js';
import { createMaterialLibrary, defaultMaterialsDir, loadMaterialLibrary, readMaterialDefs } from '../../src/xray/materials.js';
import { parseMaterialDef } from '../../src/xray/material-schema.js';
import { loadNistData } from '../../src/xray/nist.js';
import { attenuationTable, effectiveAttenuation, polychromaticTransmission, scannerResponse } from '../../src/xray/polychromatic.js';
import { DEFAULT_TUBE } from '../../src/xray/spectrum.js';
import { transmission } from '../../src/xray/transmission.js';

const nist = loadNistData();
const lib = loadMaterialLibrary({ nist });
const lines = loadEmissionLines();

describe('attenuation table', () => {
  it('a point bin is the library mu; the layout is [material][bin]', () => {
    const mats = ['water', 'aluminium', 'copper'];
    const energies = Float64Array.of(30, 60, 100);
    const table = attenuationTable(lib, mats, energies, 0);
    expect(table).toBeInstanceOf(Float32Array);
    expect(table.length).toBe(9);
    mats.forEach((id, m) => energies.forEach((e, b) => expect(table[m * 3 + b]! / lib.linearAttenuation(id, e)).toBeCloseTo(1, 6)));
  });

  it('bin means follow the bin, not the centre, and never interpolate across an edge', () => {
    // Lead's K edge (88.0 keV) inside the bin [87, 89]: half the bin sees mu ~ 5x higher.
    const [lead] = attenuationTable(lib, ['lead'], Float64Array.of(88), 2);
    let fine = 0;
    const n = 2000;
    for (let i = 0; i < n; i++) fine += lib.linearAttenuation('lead', 87 + (2 * (i + 0.5)) / n);
    fine /= n;
    expect(lead! / fine).toBeGreaterThan(0.97);
    expect(lead! / fine).toBeLessThan(1.03);
    expect(lead!).toBeGreaterThan(1.5 * lib.linearAttenuation('lead', 87.9));
    expect(lead!).toBeLessThan(0.8 * lib.linearAttenuation('lead', 88.1));
    // Without a width the bins come from the spacing of the centres: the same answer on a uniform grid.
    const grid = Float64Array.of(84, 86, 88, 90);
    expect(attenuationTable(lib, ['lead'], grid)).toEqual(attenuationTable(lib, ['lead'], grid, 2));
    // Away from edges the mean is close to the centre value (mu is smooth).
    const [water] = attenuationTable(lib, ['water'], Float64Array.of(60), 2);
    expect(Math.abs(water! / lib.linearAttenuation('water', 60) - 1)).toBeLessThan(0.002);
  });

  it('unknown materials and unsorted energies are rejected', () => {
    const e = (() => {
      try {
        attenuationTable(lib, ['water', 'mithril'], Float64Array.of(60));
      } catch (err) {
        return err as { code: string; message: string };
      }
      throw new Error('expected an error');
    })();
    expect(isExorayError(e)).toBe(true);
    expect(e.code).toBe('E_MATERIAL');
    expect(e.message).toContain('"mithril"');
    expect(() => attenuationTable(lib, ['water'], Float64Array.of(60, 50))).toThrow(/increase/);
  });
});

describe('polychromatic transmission', () => {
  it('one bin of weight 1 is Beer-Lambert exp(-mu L)', () => {
    const table = attenuationTable(lib, ['water', 'iron'], Float64Array.of(60), 0);
    const muW = lib.linearAttenuation('water', 60);
    const muFe = lib.linearAttenuation('iron', 60);
    for (const [lw, lfe] of [[0, 0], [1, 0], [10, 0], [3, 0.2], [0, 1]]) {
      const t = polychromaticTransmission([lw!, lfe!], table, 2, Float64Array.of(1));
      expect(t).toBeCloseTo(Math.exp(-(muW * lw! + muFe * lfe!)), 6);
    }
    // 1 cm of water at 60 keV passes about 81.4 %.
    expect(polychromaticTransmission([1, 0], table, 2, Float64Array.of(1))).toBeCloseTo(0.8139, 3);
    // Negative lengths (L-buffer rounding) count as 0.
    expect(polychromaticTransmission([-1e-6, 0], table, 2, Float64Array.of(1))).toBe(1);
  });

  it('seed 20240611: random paths and weights equal the weighted sum of monochromatic transmissions', () => {
    const rng = new Rng(20240611);
    const mats = ['water', 'cortical_bone', 'aluminium', 'iron'];
    const energies = Float64Array.from({ length: 12 }, (_, b) => 20 + 10 * b);
    const table = attenuationTable(lib, mats, energies);
    for (let trial = 0; trial < 50; trial++) {
      const w = Float64Array.from(energies, () => rng.next());
      const paths = mats.map(() => (rng.next() < 0.3 ? 0 : Math.fround(rng.uniform(0, 3))));
      let expected = 0;
      energies.forEach((_, b) => {
        const mono = transmission(paths.map((l) => Float32Array.of(l)), mats.map((_, m) => table[m * energies.length + b]!));
        expected += w[b]! * mono[0]!;
      });
      expect(polychromaticTransmission(paths, table, mats.length, w), `trial ${trial}`).toBeCloseTo(expected, 6);
    }
  });

  it('a water slab at 140 kV hardens the beam: -ln(T)/t falls with thickness, within [mu(max E), mu(min E)]', () => {
    const { weights } = scannerResponse({ ...DEFAULT_TUBE, kVp: 140 }, DEFAULT_SANDWICH, lib, lines);
    const row = attenuationTable(lib, ['water'], weights.energiesKeV);
    const muMin = Math.min(...row);
    const muMax = Math.max(...row);
    for (const channel of [weights.low, weights.high]) {
      let prev = Infinity;
      for (const t of [0.5, 1, 2, 5, 10, 20, 40]) {
        const mu = effectiveAttenuation(t, row, channel);
        expect(mu, `${t} cm`).toBeLessThan(prev);
        expect(mu).toBeGreaterThan(muMin);
        expect(mu).toBeLessThan(muMax);
        // The same number from the GPU-reference sum.
        expect(-Math.log(polychromaticTransmission([t], row, 1, channel)) / t).toBeCloseTo(mu, 9);
        prev = mu;
      }
    }
    // Through 10 cm of water the low channel is attenuated more than the high one.
    const t10 = (w: Float64Array) => polychromaticTransmission([10], row, 1, w);
    expect(t10(weights.low)).toBeLessThan(t10(weights.high));
    // One bin: no hardening.
    expect(effectiveAttenuation(7, [0.2], Float64Array.of(1))).toBeCloseTo(0.2, 12);
  });

  it('validates shapes', () => {
    const table = attenuationTable(lib, ['water'], Float64Array.of(50, 60));
    expect(() => polychromaticTransmission([1, 2], table, 1, Float64Array.of(0.5, 0.5))).toThrow(/path lengths/);
    expect(() => polychromaticTransmission([1], table, 1, Float64Array.of(1))).toThrow(/materials x bins/);
    expect(() => effectiveAttenuation(0, [0.2], Float64Array.of(1))).toThrow(/thickness/);
  });
});

describe('mixture rule vs NIST compounds (formula materials against the compound tables)', () => {
  const defs = [
    ...readMaterialDefs(defaultMaterialsDir()),
    parseMaterialDef({ id: 'water_formula', name: 'water', density: 1, densitySource: 'NIST', composition: { formula: 'H2O' }, class: 'organic' }, 'w.json'),
    parseMaterialDef({ id: 'pet_formula', name: 'PET', density: 1.38, densitySource: 'NIST', composition: { formula: 'C10H8O4' }, class: 'organic' }, 'p.json'),
  ];
  const mixed = createMaterialLibrary(defs, nist);

  // NIST's own grid points in 20-150 keV (element and compound tables share them).
  const GRID = [20, 30, 40, 50, 60, 80, 100, 150];

  it('H2O and C10H8O4 match compounds/water and compounds/mylar within 0.5% at 20-150 keV', () => {
    for (const [formulaId, nistId] of [['water_formula', 'water'], ['pet_formula', 'pet']] as const) {
      expect(mixed.get(nistId).terms[0]!.kind).toBe('compound');
      expect(mixed.get(formulaId).elementFractions).not.toBeNull();
      const ratio = (e: number) => mixed.linearAttenuation(formulaId, e) / mixed.linearAttenuation(nistId, e);
      for (const e of GRID) expect(Math.abs(ratio(e) - 1), `${formulaId} at ${e} keV`).toBeLessThan(0.005);
      // Between grid points each side is a log-log interpolation, and a sum of power laws
      // is not one: water differs by up to 0.55% at 25 keV (interpolation, not data).
      for (let e = 20; e <= 150; e += 2.5) expect(Math.abs(ratio(e) - 1), `${formulaId} at ${e} keV`).toBeLessThan(0.0075);
      // Bin-averaged, as the renderer uses them.
      const energies = Float64Array.from({ length: 65 }, (_, b) => 11 + 2 * b).filter((e) => e >= 20 && e <= 150);
      const t = attenuationTable(mixed, [formulaId, nistId], energies);
      for (let b = 0; b < energies.length; b++) expect(Math.abs(t[b]! / t[energies.length + b]! - 1)).toBeLessThan(0.0075);
    }
  });

  it('the comparison can fail: PET with a wrong formula (polyethylene C2H4) is off by more than 0.5%', () => {
    const wrong = createMaterialLibrary(
      [...defs, parseMaterialDef({ id: 'pe', name: 'PE', density: 1.38, densitySource: 't', composition: { formula: 'C2H4' }, class: 'organic' }, 'pe.json')],
      nist,
    );
    expect(Math.abs(wrong.linearAttenuation('pe', 30) / wrong.linearAttenuation('pet', 30) - 1)).toBeGreaterThan(0.005);
  });
});
