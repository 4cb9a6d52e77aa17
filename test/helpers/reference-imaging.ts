/**
 * The detector effects and the 16-bit pseudo-colour written the plain way (as
 * they were before the fused, table-driven versions in src/xray): the
 * specification the fast code must match bit for bit.
 */
import { deriveSeed, Rng } from '../../src/core/rng.js';
import { poisson, type DetectorEffects } from '../../src/xray/effects.js';
import { absorbanceImage, estimateZeff, type ZeffCalibration } from '../../src/xray/zeff.js';
import { zeffColour } from '../../src/xray/pseudocolour.js';

function blur(src: ArrayLike<number>, width: number, height: number, sigma: number): Float64Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const w = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let k = -r; k <= r; k++) sum += w[k + r] = Math.exp((-0.5 * k * k) / (sigma * sigma));
  for (let k = 0; k < w.length; k++) w[k]! /= sum;
  const tmp = new Float64Array(width * height);
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) acc += w[k + r]! * src[y * width + Math.min(width - 1, Math.max(0, x + k))]!;
      tmp[y * width + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) acc += w[k + r]! * tmp[Math.min(height - 1, Math.max(0, y + k)) * width + x]!;
      out[y * width + x] = acc;
    }
  }
  return out;
}

function gains(n: number, sd: number, seed: number): Float64Array {
  const g = new Float64Array(n).fill(1);
  if (sd === 0) return g;
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) g[i] = Math.max(0.01, rng.normal(1, sd));
  return g;
}

export function referenceEffects(t: Float32Array, width: number, height: number, e: DetectorEffects, seed: number): Float32Array {
  const signal = e.blurSigmaPx > 0 ? blur(t, width, height, e.blurSigmaPx) : Float64Array.from(t);
  if (e.photonsPerPixel !== null) {
    const rng = new Rng(deriveSeed(seed, 'photon-noise'));
    for (let i = 0; i < signal.length; i++) signal[i] = poisson(rng, e.photonsPerPixel * Math.max(signal[i]!, 0)) / e.photonsPerPixel;
  }
  const colGain = gains(width, e.flatGainSd, deriveSeed(seed, 'column-gain'));
  const rowGain = gains(height, e.lineGainSd, deriveSeed(seed, 'line-gain'));
  const dark = e.darkLevel * (Number.isFinite(e.saturation) ? e.saturation : 1);
  const out = new Float32Array(t.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const raw = Math.min(signal[i]! * rowGain[y]! * colGain[x]! + dark, e.saturation);
      const v = (raw - dark) / (Math.min(colGain[x]! + dark, e.saturation) - dark);
      out[i] = Math.min(e.saturation, Math.max(0, v));
    }
  }
  return out;
}

/** The detector effects on 16-bit levels through float32 transmission, back to 16 bits. */
export function referenceEffects16(levels: Uint16Array, width: number, height: number, e: DetectorEffects, seed: number): Uint16Array {
  const t = Float32Array.from(levels, (v) => v / 65535);
  const f = referenceEffects(t, width, height, e, seed);
  return Uint16Array.from(f, (v) => Math.min(65535, Math.max(0, Math.round(v * 65535))));
}

/** Default-option pseudo-colour of 16-bit images: Z_eff image, A_high image, then colour per pixel with exp. */
export function referencePseudoColour16(low: Uint16Array, high: Uint16Array, cal: ZeffCalibration): Uint8Array {
  const zeff = estimateZeff(cal, low, high);
  const aHigh = absorbanceImage(high, cal.tFloor);
  const aOpaque = -Math.log(0.01);
  const out = new Uint8Array(3 * low.length);
  for (let p = 0; p < low.length; p++) {
    const ah = aHigh[p]!;
    if (ah > aOpaque) continue;
    // The palette and brightness tables are quantised exactly as the code under test quantises them.
    const a = ((ah * 2048 + 0.5) | 0) / 2048;
    const s = 1 - Math.exp(-a / 0.15);
    const v = 255 * (1 - ((1 - 0.25) / aOpaque) * Math.min(a, aOpaque));
    const z = Math.min(2000, (zeff[p]! / 0.05 + 0.5) | 0) * 0.05;
    const c = zeffColour(z, 2);
    const white = Math.fround(v * (1 - s));
    const tint = Math.fround(v * s);
    for (let k = 0; k < 3; k++) out[3 * p + k] = white + tint * Math.fround(c[k]!) + 0.5;
  }
  return out;
}
