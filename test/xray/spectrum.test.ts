import { describe, expect, it } from 'vitest';
import { isExorayError } from '../../src/core/errors.js';
import { loadEmissionLines, parseEmissionLines, tungstenKLines, TUNGSTEN_K_EDGE_KEV } from '../../src/xray/emission.js';
import { createMaterialLibrary, defaultMaterialsDir, loadMaterialLibrary, readMaterialDefs } from '../../src/xray/materials.js';
import { parseMaterialDef } from '../../src/xray/material-schema.js';
import { loadNistData } from '../../src/xray/nist.js';
import {
  DEFAULT_TUBE,
  kramersPhotons,
  spectrumMeanEnergy,
  tubeSpectrum,
  tubeSpectrumComponents,
  type Spectrum,
  type TubeSettings,
} from '../../src/xray/spectrum.js';

const nist = loadNistData();
const lib = loadMaterialLibrary({ nist });
const lines = loadEmissionLines();

function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    expect(isExorayError(e), `expected an ExorayError, got ${String(e)}`).toBe(true);
    return e as { code: string; message: string };
  }
  throw new Error('expected an error');
}

const tube = (kVp: number, extra: Partial<TubeSettings> = {}): TubeSettings => ({ ...DEFAULT_TUBE, kVp, ...extra });
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
const binOf = (s: Spectrum, keV: number) => s.energiesKeV.findIndex((c) => Math.abs(c - keV) <= s.binWidthKeV / 2);

describe('emission lines', () => {
  it('parses BOM, CRLF, quoted blended lines and blank widths', () => {
    const text = '\uFEFFenergy [eV],z,transition,intensity,width [eV]\r\n54.3,3,"Kα1,2",150,\r\n59318.2,74,Kα1,100,43.2\r\n\r\n';
    const parsed = parseEmissionLines(text, 'x.csv');
    expect(parsed).toEqual([
      { z: 3, transition: 'Kα1,2', energyKeV: expect.closeTo(0.0543, 12), relativeIntensity: 150, widthEv: null },
      { z: 74, transition: 'Kα1', energyKeV: expect.closeTo(59.3182, 12), relativeIntensity: 100, widthEv: 43.2 },
    ]);
    const bad = codeOf(() => parseEmissionLines('energy [eV],z\nabc,74,Kα1,100,', 'bad.csv'));
    expect(bad.code).toBe('E_NIST_DATA');
    expect(bad.message).toContain('bad.csv line 2');
  });

  it('tungsten K lines from the NIST file: Kα2, Kα1, Kβ3, Kβ1, Kβ2, all below the K edge', () => {
    const k = tungstenKLines(lines);
    expect(k.map((l) => l.transition)).toEqual(['Kα2', 'Kα1', 'Kβ3', 'Kβ1', 'Kβ2']);
    expect(k[1]!.energyKeV).toBeCloseTo(59.318, 3);
    expect(k[1]!.relativeIntensity).toBe(100);
    // Kα2/Kα1 ~ 0.58 for W; the Kβ group about a fifth of all K photons.
    expect(k[0]!.relativeIntensity / k[1]!.relativeIntensity).toBeCloseTo(0.58, 2);
    for (const l of k) expect(l.energyKeV).toBeLessThan(TUNGSTEN_K_EDGE_KEV);
    expect(codeOf(() => tungstenKLines(lines.filter((l) => l.z !== 74))).code).toBe('E_NIST_DATA');
  });
});

describe('tube spectrum', () => {
  it('bins are whole, end at kVp, sum to 1; nothing at or above kVp', () => {
    for (const [kVp, w] of [[60, 2], [100, 1], [125, 2], [140, 2], [160, 0.5], [450, 5]] as const) {
      const s = tubeSpectrum(tube(kVp, { binWidthKeV: w }), lib, lines);
      expect(sum(s.photons), `${kVp} kV`).toBeCloseTo(1, 12);
      expect(s.binWidthKeV).toBe(w);
      expect(s.energiesKeV[s.energiesKeV.length - 1]).toBeCloseTo(kVp - w / 2, 9);
      expect(s.energiesKeV[0]! - w / 2).toBeGreaterThanOrEqual(10 - 1e-9);
      expect(s.energiesKeV[0]! - w / 2).toBeLessThan(10 + w);
      for (let b = 1; b < s.energiesKeV.length; b++) expect(s.energiesKeV[b]! - s.energiesKeV[b - 1]!).toBeCloseTo(w, 9);
      for (const p of s.photons) expect(p).toBeGreaterThanOrEqual(0);
      // Kramers' (kVp - E)/E vanishes at kVp: the top bin is tiny next to the peak.
      expect(s.photons[s.photons.length - 1]!).toBeLessThan(0.05 * Math.max(...s.photons));
    }
    expect(kramersPhotons(140, 140, 150)).toBe(0);
    expect(kramersPhotons(140, 139, 150)).toBe(kramersPhotons(140, 139, 140));
    expect(kramersPhotons(140, 139, 140)).toBeGreaterThan(0);
  });

  it('continuum peak sits where filtered tungsten spectra peak', () => {
    const peakOf = (s: Spectrum, skip: (e: number) => boolean) => {
      let best = -1;
      s.photons.forEach((p, b) => {
        if (!skip(s.energiesKeV[b]!) && (best < 0 || p > s.photons[best]!)) best = b;
      });
      return s.energiesKeV[best]!;
    };
    const s60 = tubeSpectrum(tube(60), lib, lines);
    expect(peakOf(s60, () => false)).toBeGreaterThan(25);
    expect(peakOf(s60, () => false)).toBeLessThan(40);
    const s140 = tubeSpectrum(tube(140), lib, lines);
    const continuum = peakOf(s140, (e) => e > 56 && e < 70);
    expect(continuum).toBeGreaterThan(38);
    expect(continuum).toBeLessThan(60);
    // With K lines the global maximum is the Kα1 bin.
    expect(peakOf(s140, () => false)).toBe(s140.energiesKeV[binOf(s140, 59.32)]);
  });

  it('K lines appear above the 69.5 keV edge only', () => {
    for (const kVp of [40, 60, 69]) {
      const c = tubeSpectrumComponents(tube(kVp), lib, lines);
      expect(c.characteristicFraction, `${kVp} kV`).toBe(0);
    }
    const s69 = tubeSpectrum(tube(69, { binWidthKeV: 1 }), lib, lines);
    const a = binOf(s69, 59.32);
    // Below the edge the continuum is smooth through the Kα1 energy.
    expect(s69.photons[a]! / ((s69.photons[a - 1]! + s69.photons[a + 1]!) / 2)).toBeLessThan(1.05);
    const c140 = tubeSpectrumComponents(tube(140, { binWidthKeV: 1 }), lib, lines);
    const s = c140.spectrum;
    const k = binOf(s, 59.32);
    expect(s.photons[k]! / ((s.photons[k - 2]! + s.photons[k + 2]!) / 2)).toBeGreaterThan(2);
    expect(c140.characteristicFraction).toBeGreaterThan(0.05);
    expect(c140.characteristicFraction).toBeLessThan(0.15);
    expect(tubeSpectrumComponents(tube(75), lib, lines).characteristicFraction).toBeGreaterThan(0);
  });

  it('matches reference spectra: K-line share and mean energy (Be window needs a test material)', () => {
    // Reference values from the "Calculation of X-ray spectra v3.5" files cited in spectrum.ts.
    const be = parseMaterialDef(
      { id: 'beryllium', name: 'Beryllium', density: 1.848, densitySource: 'NIST SRD 126', composition: { formula: 'Be' }, class: 'metal' },
      'beryllium.json',
    );
    const withBe = createMaterialLibrary([...readMaterialDefs(defaultMaterialsDir()), be], nist);
    const beAl = [{ material: 'beryllium', thicknessMm: 7 }, { material: 'aluminium', thicknessMm: 3 }];
    const refs: [TubeSettings, number, number][] = [
      [{ kVp: 80, anodeAngleDeg: 18, filtration: beAl }, 0.0197, 43.6],
      [{ kVp: 100, anodeAngleDeg: 18, filtration: beAl }, 0.0629, 49.9],
      [{ kVp: 120, anodeAngleDeg: 11.5, filtration: [{ material: 'aluminium', thicknessMm: 2.5 }, { material: 'copper', thicknessMm: 0.12 }] }, 0.1071, 60.9],
    ];
    for (const [settings, kShare, mean] of refs) {
      const c = tubeSpectrumComponents({ ...settings, binWidthKeV: 1 }, withBe, lines);
      expect(c.characteristicFraction / kShare, `${settings.kVp} kV K share`).toBeGreaterThan(0.85);
      expect(c.characteristicFraction / kShare, `${settings.kVp} kV K share`).toBeLessThan(1.15);
      expect(Math.abs(spectrumMeanEnergy(c.spectrum) - mean), `${settings.kVp} kV mean energy`).toBeLessThan(2.5);
    }
  });

  it('the anode self-filtration makes a step at the W K edge that grows with kVp', () => {
    // Bremsstrahlung just above / just below 69.5 keV, divided by the Kramers ratio.
    const step = (kVp: number) => {
      const s = tubeSpectrum({ kVp, filtration: [], binWidthKeV: 1 }, lib, lines);
      const kr = (e: number) => (kVp - e) / e;
      return s.photons[binOf(s, 71.5)]! / kr(71.5) / (s.photons[binOf(s, 65.5)]! / kr(65.5));
    };
    expect(step(90)).toBeLessThan(0.98);
    expect(step(150)).toBeLessThan(step(100));
    expect(step(150)).toBeGreaterThan(0.4);
  });

  it('more filtration hardens the beam monotonically', () => {
    for (const material of ['aluminium', 'copper']) {
      const thick = material === 'copper' ? [0, 0.1, 0.25, 0.5, 1, 2] : [0, 0.5, 1, 2, 4, 8];
      const means = thick.map((t) => spectrumMeanEnergy(tubeSpectrum({ kVp: 140, filtration: [{ material, thicknessMm: t }] }, lib, lines)));
      for (let i = 1; i < means.length; i++) expect(means[i]!, `${material} ${thick[i]} mm`).toBeGreaterThan(means[i - 1]! + 0.1);
    }
  });

  it('validates settings with clear errors', () => {
    const kv = codeOf(() => tubeSpectrum(tube(10), lib, lines));
    expect(kv.code).toBe('E_USAGE');
    expect(kv.message).toMatch(/kVp must be a number from 20 to 450, got 10/);
    expect(codeOf(() => tubeSpectrum(tube(500), lib, lines)).code).toBe('E_USAGE');
    expect(codeOf(() => tubeSpectrum(tube(Number.NaN), lib, lines)).code).toBe('E_USAGE');
    const mat = codeOf(() => tubeSpectrum(tube(140, { filtration: [{ material: 'unobtainium', thicknessMm: 1 }] }), lib, lines));
    expect(mat.code).toBe('E_MATERIAL');
    expect(mat.message).toContain('"unobtainium"');
    expect(mat.message).toContain('aluminium');
    expect(codeOf(() => tubeSpectrum(tube(140, { filtration: [{ material: 'copper', thicknessMm: -1 }] }), lib, lines)).message).toMatch(/copper/);
    expect(codeOf(() => tubeSpectrum(tube(140, { minKeV: 139.5 }), lib, lines)).message).toMatch(/minKeV/);
    expect(codeOf(() => tubeSpectrum(tube(140, { binWidthKeV: 0 }), lib, lines)).message).toMatch(/binWidthKeV/);
    expect(codeOf(() => tubeSpectrum(tube(140, { anodeAngleDeg: 90 }), lib, lines)).message).toMatch(/anodeAngleDeg/);
    const opaque = codeOf(() => tubeSpectrum(tube(40, { filtration: [{ material: 'lead', thicknessMm: 1000 }] }), lib, lines));
    expect(opaque.message).toMatch(/stops every photon/);
  });
});
