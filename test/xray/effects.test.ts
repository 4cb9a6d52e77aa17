import { describe, expect, it } from 'vitest';
import { isExorayError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { applyDetectorEffects, DEFAULT_EFFECTS, NO_EFFECTS, noiseSd, poisson, type DetectorEffects } from '../../src/xray/effects.js';

const W = 256;
const H = 256;
const flat = (v: number, n = W * H) => new Float32Array(n).fill(v);
const only = (e: Partial<DetectorEffects>): DetectorEffects => ({ ...NO_EFFECTS, ...e });

function stats(a: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  const mean = s / a.length;
  let v = 0;
  for (let i = 0; i < a.length; i++) v += (a[i]! - mean) ** 2;
  return { mean, sd: Math.sqrt(v / (a.length - 1)) };
}

function columnMeans(img: Float32Array, w: number, h: number): Float64Array {
  const m = new Float64Array(w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[x]! += img[y * w + x]! / h;
  return m;
}

function rowMeans(img: Float32Array, w: number, h: number): Float64Array {
  const m = new Float64Array(h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y]! += img[y * w + x]! / w;
  return m;
}

describe('detector effects', () => {
  it('NO_EFFECTS returns a bit-identical copy', () => {
    const t = Float32Array.from({ length: 64 * 32 }, (_, i) => (i % 7) / 6 + (i % 3) * 1e-7);
    const out = applyDetectorEffects(t, 64, 32, NO_EFFECTS, 1);
    expect(out).not.toBe(t);
    expect(Buffer.from(out.buffer).equals(Buffer.from(t.buffer))).toBe(true);
  });

  for (const [t, photons] of [[1, 10], [0.5, 10], [0.5, 100], [1, 1000], [0.2, 1000], [0.5, 10000], [0.01, 5000]] as const) {
    it(`photon noise sd is sqrt(N T)/N: T ${t}, N ${photons} (seed 7)`, () => {
      const out = applyDetectorEffects(flat(t), W, H, only({ photonsPerPixel: photons }), 7);
      const { mean, sd } = stats(out);
      expect(Math.abs(mean - t) / t).toBeLessThan(0.01);
      expect(Math.abs(sd / noiseSd(t, photons) - 1)).toBeLessThan(0.03);
    });
  }

  it('noiseSd is 0 without photon noise', () => {
    expect(noiseSd(0.5, null)).toBe(0);
    expect(noiseSd(1, 100)).toBeCloseTo(0.1, 12);
  });

  it('exact Poisson sampling for small means has mean = variance = lambda (seed 3)', () => {
    const rng = new Rng(3);
    for (const lambda of [0.5, 3, 12, 29]) {
      const draws = Float64Array.from({ length: 100_000 }, () => poisson(rng, lambda));
      const { mean, sd } = stats(draws);
      expect(Math.abs(mean / lambda - 1)).toBeLessThan(0.02);
      expect(Math.abs((sd * sd) / lambda - 1)).toBeLessThan(0.04);
      expect(draws.every((d) => Number.isInteger(d) && d >= 0)).toBe(true);
    }
  });

  it('same seed gives the same image, another seed a different one (seeds 11, 12)', () => {
    const t = Float32Array.from({ length: W * H }, (_, i) => 0.2 + 0.6 * ((i * 37) % 101) / 100);
    const a = applyDetectorEffects(t, W, H, DEFAULT_EFFECTS, 11);
    const b = applyDetectorEffects(t, W, H, DEFAULT_EFFECTS, 11);
    const c = applyDetectorEffects(t, W, H, DEFAULT_EFFECTS, 12);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== c[i]) differ++;
    expect(differ).toBeGreaterThan(0.9 * a.length);
  });

  it('blur preserves the mean of an image that is flat at its borders', () => {
    const t = flat(1, 128 * 96);
    for (let y = 30; y < 60; y++) for (let x = 20; x < 100; x++) t[y * 128 + x] = 0.3 + 0.4 * ((x * y) % 5) / 4;
    for (const sigma of [0.7, 2, 5]) {
      const out = applyDetectorEffects(t, 128, 96, only({ blurSigmaPx: sigma }), 1);
      expect(stats(out).mean).toBeCloseTo(stats(t).mean, 5);
      expect(out.some((v, i) => Math.abs(v - t[i]!) > 0.01)).toBe(true);
    }
  });

  for (const sigma of [1.5, 2, 4]) {
    it(`blur widens a step edge to a 10-90 % width of 2.563 sigma (sigma ${sigma})`, () => {
      const w = 100;
      const h = 8;
      const t = Float32Array.from({ length: w * h }, (_, i) => (i % w >= 50 ? 1 : 0));
      const out = applyDetectorEffects(t, w, h, only({ blurSigmaPx: sigma }), 1);
      const row = Array.from(out.subarray(3 * w, 4 * w));
      // Sub-pixel crossing of a level on the rising profile.
      const cross = (level: number) => {
        const i = row.findIndex((v) => v >= level);
        return i - 1 + (level - row[i - 1]!) / (row[i]! - row[i - 1]!);
      };
      const width = cross(0.9) - cross(0.1);
      expect(Math.abs(width / (2.563 * sigma) - 1)).toBeLessThan(0.05);
      expect(cross(0.5)).toBeCloseTo(49.5, 1);
    });
  }

  it('flat-field normalisation removes column gains and the dark offset (seed 5)', () => {
    const gains = only({ flatGainSd: 0.1, darkLevel: 0.03, saturation: 1.5 });
    const open = applyDetectorEffects(flat(1), W, H, gains, 5);
    const maxDev = (img: Float32Array, v: number) => img.reduce((m, x) => Math.max(m, Math.abs(x - v)), 0);
    expect(maxDev(open, 1)).toBeLessThan(1e-6);
    expect(maxDev(applyDetectorEffects(flat(0.5), W, H, gains, 5), 0.5)).toBeLessThan(1e-6);

    // With noise: column means stay at 1 within the noise of a column mean, far below the 10 % gains.
    const noisy = applyDetectorEffects(flat(1), W, H, { ...gains, photonsPerPixel: 1000 }, 5);
    const cols = stats(columnMeans(noisy, W, H));
    expect(Math.abs(cols.mean - 1)).toBeLessThan(0.002);
    expect(cols.sd).toBeLessThan(2 * noiseSd(1, 1000) / Math.sqrt(H));
  });

  it('line gains are not removed by the flat field: rows vary by lineGainSd (seed 9)', () => {
    const out = applyDetectorEffects(flat(0.8), W, H, only({ lineGainSd: 0.02 }), 9);
    const rows = stats(rowMeans(out, W, H));
    expect(rows.sd / 0.8).toBeGreaterThan(0.015);
    expect(rows.sd / 0.8).toBeLessThan(0.025);
    // Every pixel of a row carries the same gain.
    for (let x = 1; x < W; x++) expect(out[5 * W + x]).toBe(out[5 * W]);
  });

  it('saturation clips the raw signal: output never exceeds full scale (seed 4)', () => {
    const t = flat(1);
    t.fill(1.6, 0, 100); // e.g. scatter or an uncorrected over-bright source
    const out = applyDetectorEffects(t, W, H, only({ photonsPerPixel: 100, saturation: 1.05 }), 4);
    expect(out.reduce((m, v) => Math.max(m, v), 0)).toBeLessThanOrEqual(Math.fround(1.05));
    const atFull = out.filter((v) => Math.abs(v - 1.05) < 1e-6).length;
    for (let i = 0; i < 100; i++) expect(out[i]).toBeCloseTo(1.05, 6);
    // sd 0.1 at T = 1: about 31 % of the open-beam pixels are above 1.05 and clip.
    expect(atFull / out.length).toBeGreaterThan(0.2);
    expect(atFull / out.length).toBeLessThan(0.45);
  });

  it('rejects bad sizes and parameters with E_USAGE', () => {
    const bad = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(isExorayError(e) && e.code).toBe('E_USAGE');
        return;
      }
      throw new Error('expected an error');
    };
    bad(() => applyDetectorEffects(flat(1, 10), 3, 3, NO_EFFECTS, 1));
    bad(() => applyDetectorEffects(flat(1, 9), 3, 3, only({ photonsPerPixel: 0 }), 1));
    bad(() => applyDetectorEffects(flat(1, 9), 3, 3, only({ blurSigmaPx: -1 }), 1));
    bad(() => applyDetectorEffects(flat(1, 9), 3, 3, only({ saturation: 0.9 }), 1));
  });
});
