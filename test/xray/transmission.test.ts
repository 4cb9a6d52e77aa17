import { describe, expect, it } from 'vitest';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { toPreview8, toUint16, transmission } from '../../src/xray/transmission.js';

describe('transmission', () => {
  const lib = loadMaterialLibrary();

  it('a slab gives exp(-mu t) for real materials', () => {
    for (const [id, keV] of [['water', 60], ['aluminium', 60], ['iron', 100], ['chitin', 40]] as const) {
      const mu = lib.linearAttenuation(id, keV);
      const thickness = [0, 0.1, 1, 2.5, 5];
      const t = transmission([Float32Array.from(thickness)], [mu]);
      thickness.forEach((l, p) => expect(t[p]).toBeCloseTo(Math.exp(-mu * l), 6));
    }
    // 1 cm of water at 60 keV passes about 81.4 %.
    expect(transmission([Float32Array.of(1)], [lib.linearAttenuation('water', 60)])[0]).toBeCloseTo(0.8139, 3);
  });

  it('sums attenuation over channels and clamps negative lengths to 0', () => {
    const water = Float32Array.of(1, 2, -1e-6, 0);
    const steel = Float32Array.of(0.1, 0, 0.1, -0.5);
    const t = transmission([water, steel], [0.2, 9]);
    expect(t[0]).toBeCloseTo(Math.exp(-(0.2 * 1 + 9 * 0.1)), 6);
    expect(t[1]).toBeCloseTo(Math.exp(-0.4), 6);
    expect(t[2]).toBeCloseTo(Math.exp(-0.9), 6);
    expect(t[3]).toBe(1);
  });

  it('writes into `out` and validates shapes', () => {
    const out = new Float32Array(2);
    expect(transmission([Float32Array.of(1, 2)], [0.5], out)).toBe(out);
    expect(out[1]).toBeCloseTo(Math.exp(-1), 6);
    expect(() => transmission([Float32Array.of(1, 2)], [0.5, 1])).toThrow(/planes/);
    expect(() => transmission([Float32Array.of(1, 2), Float32Array.of(1)], [0.5, 1])).toThrow(/plane 1/);
    expect(() => transmission([Float32Array.of(1, 2)], [0.5], new Float32Array(3))).toThrow(/output/);
    expect(() => transmission([Float32Array.of(1)], [Number.NaN])).toThrow(/mu/);
  });
});

describe('image conversion', () => {
  it('toUint16 scales by 65535, rounds and clamps', () => {
    const u = toUint16(Float32Array.of(0, 1, 0.5, 1.2, -0.1, Number.NaN, 1 / 65535));
    expect(Array.from(u)).toEqual([0, 65535, 32768, 65535, 0, 0, 1]);
  });

  it('toPreview8: T=1 white, T=0 black, v = 255 T^gamma', () => {
    const t = Float32Array.of(1, 0, 0.5, 0.9, 2, -1);
    const p = toPreview8(t);
    expect(p[0]).toBe(255);
    expect(p[1]).toBe(0);
    expect(p[2]).toBe(Math.round(255 * Math.pow(0.5, 1.5)));
    expect(p[3]).toBe(Math.round(255 * Math.pow(0.9, 1.5)));
    expect(p[4]).toBe(255);
    expect(p[5]).toBe(0);
    expect(toPreview8(Float32Array.of(0.5), { gamma: 1 })[0]).toBe(128);
    expect(() => toPreview8(t, { gamma: 0 })).toThrow(/gamma/);
  });

  it('the default preview stretches thin organics: 255 - v(0.9) is larger than linear', () => {
    const v = toPreview8(Float32Array.of(0.9))[0]!;
    expect(255 - v).toBeGreaterThan(255 - Math.round(0.9 * 255));
    // monotone in T
    const ramp = toPreview8(Float32Array.from({ length: 101 }, (_, i) => i / 100));
    for (let i = 1; i < ramp.length; i++) expect(ramp[i]!).toBeGreaterThanOrEqual(ramp[i - 1]!);
  });
});
