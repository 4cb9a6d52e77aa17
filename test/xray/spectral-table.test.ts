/**
 * The spectral table against the exact per-bin sum, for the bundled scanners:
 * which materials it serves, and a bound on its error over slabs from foils to
 * beyond opacity and over random mixtures (fails if the error grows).
 */
import { describe, expect, it } from 'vitest';
import { loadScannerModel, scannersDir } from '../../src/scene/scanner-model.js';
import { presetsDir } from '../../src/scene/preset.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { ScannerPhysics } from '../../src/xray/scanner-physics.js';
import { lutAccuracy } from '../../src/xray/spectral-accuracy.js';
import { TRANSMISSION_FLOOR, fitSpectralBasis, toleranceScore } from '../../src/xray/spectral-basis.js';
import { LUT_BASIS, buildSpectralLut, lutExtent, lutTransmission, padRows } from '../../src/xray/spectral-lut.js';

const lib = loadMaterialLibrary();
const physicsOf = (name: string) => ScannerPhysics.dualEnergy(loadScannerModel(name, scannersDir(presetsDir())).spectral!, lib);
const p160 = physicsOf('dual-energy-160kv');
const muOf = (p: ScannerPhysics) => new Map(lib.ids().map((m) => [m, p.mu(m)]));
/** Materials with an absorption edge inside the 15-160 keV spectrum: Ag 25.5, I 33.2, Cs 36.0, Gd 50.2, Pb 88.0 keV. */
const EDGE_MATERIALS = ['cesium_iodide', 'gadox', 'lead', 'silver'];

describe('spectral basis', () => {
  it('the first two functions are positive in every bin and library materials have non-negative coordinates on them', () => {
    const { low, high } = p160.response;
    const kept = new Map([...muOf(p160)].filter(([m]) => !EDGE_MATERIALS.includes(m)));
    const basis = fitSpectralBasis(kept, low, high, 4);
    expect(basis.positive).toBe(true);
    for (const row of basis.rows.slice(0, 2)) for (const v of row) expect(v).toBeGreaterThan(0);
    for (const a of basis.coefficients.values()) expect(Math.min(a[0]!, a[1]!)).toBeGreaterThanOrEqual(0);
    // Water's and iron's mu are reproduced to a fraction of a percent in every bin that carries 1 % of a channel's signal
    // (the fit is weighted by the spectrum: the 17.5 keV bin, which neither channel sees, may be off by more).
    for (const m of ['water', 'iron']) {
      const a = basis.coefficients.get(m)!;
      p160.mu(m).forEach((mu, b) => {
        if (Math.max(low[b]!, high[b]!) < 0.01) return;
        expect(Math.abs(a.reduce((s, c, k) => s + c * basis.rows[k]![b]!, 0) / mu - 1)).toBeLessThan(0.003);
      });
    }
  });
});

describe('spectral table', () => {
  for (const scanner of ['dual-energy-160kv', 'dual-energy-140kv']) {
    it(`${scanner}: serves every material without an edge in the spectrum, within the error bound`, () => {
      const physics = scanner === 'dual-energy-160kv' ? p160 : physicsOf(scanner);
      const table = physics.table()!;
      expect(table).not.toBeNull();
      expect([...table.excluded.keys()].sort()).toEqual(EDGE_MATERIALS);
      for (const m of ['water', 'soft_tissue', 'chitin', 'cardboard', 'polyethylene', 'aluminium', 'iron', 'stainless_steel', 'copper', 'brass', 'li_ion_cell', 'pcb']) {
        expect(table.basis.coefficients.has(m)).toBe(true);
      }
      const acc = lutAccuracy(muOf(physics), table.basis, table.spec, table.table, { mixtures: 4000, seed: 7 });
      console.log(`${scanner} table ${table.spec.size}x${table.spec.size}: worst error / tolerance: slabs ${acc.slabs.worst.toFixed(3)} (${acc.slabs.material} ${acc.slabs.thicknessCm.toFixed(2)} cm), mixtures ${acc.mixtures.worst.toFixed(3)}`);
      // The bound: 16-bit rounding adds up to 0.33 of the tolerance on the GPU, so the table keeps below 0.5.
      expect(acc.slabs.count).toBeGreaterThan(5000);
      expect(acc.slabs.worst).toBeLessThanOrEqual(0.35);
      expect(acc.mixtures.worst).toBeLessThanOrEqual(0.5);
    });
  }

  it('thick steel, thin foils and near-opaque stacks through the table, point by point', () => {
    const table = p160.table()!;
    const cases: Array<Record<string, number>> = [
      { stainless_steel: 2 },
      { stainless_steel: 4, water: 10 },
      { iron: 0.01 },
      { aluminium: 0.005, polyethylene: 0.01 },
      { copper: 0.3, soft_tissue: 5, chitin: 0.2 },
      { water: 40 },
      { brass: 1, cardboard: 3, pcb: 0.5, li_ion_cell: 0.6 },
    ];
    for (const path of cases) {
      const ids = Object.keys(path);
      const a = new Array<number>(LUT_BASIS).fill(0);
      for (const id of ids) table.basis.coefficients.get(id)!.forEach((c, k) => (a[k]! += c * path[id]!));
      const got = lutTransmission(table.spec, table.table, a);
      for (const ch of ['low', 'high'] as const) {
        const exact = p160.transmission(ids, ids.map((id) => path[id]!), ch);
        expect(toleranceScore(exact, got[ch])).toBeLessThanOrEqual(0.35);
      }
    }
  });

  it('open beam is 1 exactly; beyond the table is black and the exact sum there is below the floor', () => {
    const table = p160.table()!;
    const open = lutTransmission(table.spec, table.table, [0, 0, 0, 0]);
    expect(open.low).toBeCloseTo(1, 6);
    expect(open.high).toBeCloseTo(1, 6);
    expect(lutTransmission(table.spec, table.table, [table.spec.extent[0] * 1.01, 0, 0, 0])).toEqual({ low: 0, high: 0 });
    const [b0] = table.spec.rows;
    const edge = p160.response.high.reduce((s, w, b) => s + w * Math.exp(-b0![b]! * table.spec.extent[0]), 0);
    expect(edge).toBeLessThanOrEqual(TRANSMISSION_FLOOR * 1.0001);
  });

  it('the extent and the table are deterministic', () => {
    const table = p160.table()!;
    const rows = padRows(table.basis.rows, p160.response.low.length);
    expect(lutExtent(rows, p160.response.low, p160.response.high)).toEqual(table.spec.extent);
    expect(buildSpectralLut({ ...table.spec, size: 16 })).toEqual(buildSpectralLut({ ...table.spec, size: 16 }));
  });
});

describe('spectral request', () => {
  it('carries the table when every material fits it, not when one has an edge in the spectrum, and never for an exact request', () => {
    const fits = p160.spectral(['water', 'stainless_steel', 'chitin']);
    expect(fits.table).toBeDefined();
    expect(fits.table!.coefficients).toHaveLength(3 * LUT_BASIS);
    expect(fits.table!.rows).toHaveLength(LUT_BASIS * fits.bins);
    expect(p160.spectral(['water', 'silver']).table).toBeUndefined();
    expect(p160.spectral(['water'], { exact: true }).table).toBeUndefined();
    // A monochromatic scanner sums one bin: no table.
    expect(ScannerPhysics.monochromatic(60, lib).spectral(['water']).table).toBeUndefined();
  });
});
