import { describe, expect, it } from 'vitest';
import { isExorayError } from '../../src/core/errors.js';
import {
  absorbedEnergyFraction,
  DEFAULT_SANDWICH,
  dualEnergySignals,
  dualEnergyWeights,
  meanEnergy,
  type SandwichDetector,
} from '../../src/xray/detector.js';
import { loadEmissionLines } from '../../src/xray/emission.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { DEFAULT_TUBE, tubeSpectrum } from '../../src/xray/spectrum.js';

const lib = loadMaterialLibrary();
const lines = loadEmissionLines();
const spectrumAt = (kVp: number) => tubeSpectrum({ ...DEFAULT_TUBE, kVp }, lib, lines);
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('scintillator materials', () => {
  it('CsI and GOS come from the NIST compound tables at NIST densities', () => {
    expect(lib.get('cesium_iodide').density).toBe(4.51);
    expect(lib.get('gadox').density).toBe(7.32);
    // NIST compounds/cesium_iodide.csv: mu/rho 7.921 cm^2/g at 60 keV; gadox has its Gd K edge at 50.24 keV.
    expect(lib.massAttenuation('cesium_iodide', 60)).toBeCloseTo(7.921, 3);
    expect(lib.massAttenuation('gadox', 51) / lib.massAttenuation('gadox', 49.5)).toBeGreaterThan(3);
  });
});

describe('sandwich detector', () => {
  it('absorbed energy fraction: at most 1, over 0.9 for the thick layer at 20 keV, jumps at the I K edge', () => {
    for (const e of [15, 30, 60, 100, 150]) {
      const f = absorbedEnergyFraction(lib, DEFAULT_SANDWICH.back, e);
      expect(f, `${e} keV`).toBeGreaterThan(0);
      expect(f, `${e} keV`).toBeLessThanOrEqual(1);
    }
    expect(absorbedEnergyFraction(lib, DEFAULT_SANDWICH.back, 20)).toBeGreaterThan(0.9);
    const thin = { material: 'cesium_iodide', thicknessMm: 0.05 };
    expect(absorbedEnergyFraction(lib, thin, 33.5)).toBeGreaterThan(1.15 * absorbedEnergyFraction(lib, thin, 33));
  });

  it('weights are normalised, non-negative and on the spectrum bins', () => {
    const s = spectrumAt(140);
    const w = dualEnergyWeights(s, DEFAULT_SANDWICH, lib);
    expect(Array.from(w.energiesKeV)).toEqual(Array.from(s.energiesKeV));
    expect(sum(w.low)).toBeCloseTo(1, 12);
    expect(sum(w.high)).toBeCloseTo(1, 12);
    for (let b = 0; b < w.low.length; b++) {
      expect(w.low[b]).toBeGreaterThanOrEqual(0);
      expect(w.high[b]).toBeGreaterThanOrEqual(0);
    }
  });

  it('the high channel sees a harder beam than the low one, at 140 and 160 kV', () => {
    const means: Record<number, { low: number; high: number }> = {};
    for (const kVp of [140, 160]) {
      const m = meanEnergy(dualEnergyWeights(spectrumAt(kVp), DEFAULT_SANDWICH, lib));
      means[kVp] = m;
      console.log(`default sandwich at ${kVp} kV: low mean ${m.low.toFixed(1)} keV, high mean ${m.high.toFixed(1)} keV`);
      // Sandwich detectors separate their channels by a few tens of keV.
      expect(m.high - m.low, `${kVp} kV`).toBeGreaterThan(20);
      expect(m.high - m.low, `${kVp} kV`).toBeLessThan(50);
      expect(m.low).toBeGreaterThan(45);
      expect(m.low).toBeLessThan(75);
      expect(m.high).toBeGreaterThan(80);
      expect(m.high).toBeLessThan(115);
    }
    expect(means[160]!.high).toBeGreaterThan(means[140]!.high);
    expect(means[160]!.low).toBeGreaterThan(means[140]!.low);
  });

  it('a thicker front layer raises the low signal and starves the back layer', () => {
    const s = spectrumAt(140);
    const signals = [0.1, 0.3, 0.5, 1].map((t) => {
      const d: SandwichDetector = { ...DEFAULT_SANDWICH, front: { material: 'cesium_iodide', thicknessMm: t } };
      const r = dualEnergySignals(s, d, lib);
      return { low: sum(r.low), high: sum(r.high), meanLow: meanEnergy(dualEnergyWeights(s, d, lib)).low };
    });
    for (let i = 1; i < signals.length; i++) {
      expect(signals[i]!.low).toBeGreaterThan(signals[i - 1]!.low);
      expect(signals[i]!.high).toBeLessThan(signals[i - 1]!.high);
      expect(signals[i]!.meanLow).toBeGreaterThan(signals[i - 1]!.meanLow);
    }
    // Signals are energy per incident photon: below the mean photon energy.
    expect(signals[3]!.low).toBeLessThan(140);
  });

  it('a thicker copper filter hardens the high channel only', () => {
    const s = spectrumAt(140);
    const m = [0, 0.5, 1.5].map((t) => meanEnergy(dualEnergyWeights(s, { ...DEFAULT_SANDWICH, filter: { material: 'copper', thicknessMm: t } }, lib)));
    expect(m[1]!.high).toBeGreaterThan(m[0]!.high + 1);
    expect(m[2]!.high).toBeGreaterThan(m[1]!.high + 1);
    expect(m[2]!.low).toBeCloseTo(m[0]!.low, 9);
  });

  it('rejects unknown materials and bad thicknesses', () => {
    const s = spectrumAt(140);
    const err = (d: SandwichDetector) => {
      try {
        dualEnergyWeights(s, d, lib);
      } catch (e) {
        expect(isExorayError(e)).toBe(true);
        return e as { code: string; message: string };
      }
      throw new Error('expected an error');
    };
    const unknown = err({ ...DEFAULT_SANDWICH, back: { material: 'kryptonite', thicknessMm: 3 } });
    expect(unknown.code).toBe('E_MATERIAL');
    expect(unknown.message).toMatch(/back layer material "kryptonite"/);
    expect(err({ ...DEFAULT_SANDWICH, front: { material: 'gadox', thicknessMm: 0 } }).code).toBe('E_USAGE');
    expect(err({ ...DEFAULT_SANDWICH, filter: { material: 'copper', thicknessMm: -0.1 } }).message).toMatch(/filter/);
    // No filter at all is allowed.
    expect(() => dualEnergyWeights(s, { ...DEFAULT_SANDWICH, filter: { material: 'copper', thicknessMm: 0 } }, lib)).not.toThrow();
  });
});
