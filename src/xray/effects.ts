/**
 * Detector effects on an ideal transmission image, and the dark/flat-field
 * calibration a scanner applies before anyone sees the image. Pure and seeded.
 *
 * Image layout: a line scanner's detector is one row of elements across the
 * belt, read out once per belt step. So x (columns) indexes detector elements
 * and y (rows) indexes lines in time. That is why gains are per column (a fixed
 * property of each element) and per row (a drift of the whole line in time).
 *
 * Order, as the signal flows:
 *  1. blur of the photon fluence (focal-spot penumbra and scintillator light
 *     spread), separable Gaussian, edges clamped. The blur is applied before the
 *     noise, so the noise stays white; real scintillator spread correlates it a
 *     little, which this model ignores;
 *  2. photon counting noise: counts ~ Poisson(N * T), signal = counts / N;
 *  3. gains: per column (element sensitivity) and per row (tube output / readout
 *     drift line to line);
 *  4. dark offset, added to the raw signal (its noise is not modelled: in an
 *     X-ray line scanner it is far below the photon noise);
 *  5. clipping at full scale (ADC / well saturation) of the raw signal;
 *  6. dark/flat-field normalisation T = (raw - dark) / (flat - dark), with flat the
 *     noise-free open-beam raw signal with the same column gains (also clipped).
 *     This removes the column gains exactly, as a real calibration does. It does
 *     NOT remove the row gains: a flat field is recorded once, before the bag,
 *     and cannot know how the source drifts during it, so line-to-line banding
 *     stays in the image (real scanners show it too).
 */
import { ExorayError } from '../core/errors.js';
import { deriveSeed, Rng } from '../core/rng.js';
import type { DetectorEffectSettings } from '../core/types.js';

/** The detector effect settings (documented in core/types.ts, where scanner settings live). */
export type DetectorEffects = DetectorEffectSettings;

/**
 * A plausible baggage scanner: 5000 photons per pixel in the open beam gives an
 * open-beam SNR of ~70 and still ~7 at T = 0.01, where the pseudo-colour calls a
 * pixel opaque; gains of a few percent per element are typical of uncalibrated
 * scintillator arrays.
 */
export const DEFAULT_EFFECTS: Readonly<DetectorEffects> = Object.freeze({
  photonsPerPixel: 5000,
  blurSigmaPx: 0.7,
  darkLevel: 0.01,
  flatGainSd: 0.05,
  lineGainSd: 0.002,
  saturation: 1.05,
});

/** Every effect off: applyDetectorEffects returns a bit-identical copy. */
export const NO_EFFECTS: Readonly<DetectorEffects> = Object.freeze({
  photonsPerPixel: null,
  blurSigmaPx: 0,
  darkLevel: 0,
  flatGainSd: 0,
  lineGainSd: 0,
  saturation: Infinity,
});

/** Above this mean a rounded normal replaces exact Poisson sampling (skewness 1/sqrt(30) < 0.2). */
const POISSON_EXACT_MAX_MEAN = 30;

/** Standard deviation of the normalised transmission from photon noise alone: sqrt(N T) / N. */
export function noiseSd(t: number, photons: number | null): number {
  if (photons === null) return 0;
  return Math.sqrt(Math.max(t, 0) * photons) / photons;
}

export function applyDetectorEffects(
  t: Float32Array,
  width: number,
  height: number,
  effects: DetectorEffects,
  seed: number,
): Float32Array {
  validate(t, width, height, effects);
  const { photonsPerPixel, blurSigmaPx, darkLevel, flatGainSd, lineGainSd, saturation } = effects;
  if (photonsPerPixel === null && blurSigmaPx === 0 && darkLevel === 0 && flatGainSd === 0 && lineGainSd === 0 && saturation === Infinity) {
    return new Float32Array(t);
  }

  const signal = blurSigmaPx > 0 ? gaussianBlur(t, width, height, blurSigmaPx) : Float64Array.from(t);
  if (photonsPerPixel !== null) {
    const rng = new Rng(deriveSeed(seed, 'photon-noise'));
    for (let i = 0; i < signal.length; i++) signal[i] = poisson(rng, photonsPerPixel * Math.max(signal[i]!, 0)) / photonsPerPixel;
  }
  const colGain = gains(width, flatGainSd, deriveSeed(seed, 'column-gain'));
  const rowGain = gains(height, lineGainSd, deriveSeed(seed, 'line-gain'));
  // With no clipping (Infinity) there is no full scale; the open beam stands in for it.
  const dark = darkLevel * (Number.isFinite(saturation) ? saturation : 1);
  // The flat is recorded through the same clipping, so an over-bright element normalises to 1, not below.
  const flatMinusDark = colGain.map((g) => Math.min(g + dark, saturation) - dark);
  const out = new Float32Array(t.length);
  for (let y = 0; y < height; y++) {
    const g = rowGain[y]!;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const raw = Math.min(signal[i]! * g * colGain[x]! + dark, saturation);
      const v = (raw - dark) / flatMinusDark[x]!;
      out[i] = v < 0 ? 0 : v > saturation ? saturation : v;
    }
  }
  return out;
}

/** 1 + sd * N(0,1) per index; all ones (no draws) when sd is 0. Gains are floored at 1 % to stay positive. */
function gains(n: number, sd: number, seed: number): Float64Array {
  const g = new Float64Array(n).fill(1);
  if (sd === 0) return g;
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) g[i] = Math.max(0.01, rng.normal(1, sd));
  return g;
}

/**
 * Poisson variate: Knuth's product of uniforms for small means (exact, O(mean)),
 * a rounded normal above POISSON_EXACT_MAX_MEAN, where the two differ by less
 * than the noise itself.
 */
export function poisson(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean > POISSON_EXACT_MAX_MEAN) return Math.max(0, Math.round(rng.normal(mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Separable Gaussian (radius ceil(3 sigma), weights summing to 1), edges clamped. */
export function gaussianBlur(src: ArrayLike<number>, width: number, height: number, sigma: number): Float64Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const w = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let k = -r; k <= r; k++) sum += w[k + r] = Math.exp((-0.5 * k * k) / (sigma * sigma));
  for (let k = 0; k < w.length; k++) w[k]! /= sum;
  const tmp = new Float64Array(width * height);
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) {
        const xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
        acc += w[k + r]! * src[row + xx]!;
      }
      tmp[row + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) {
        const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
        acc += w[k + r]! * tmp[yy * width + x]!;
      }
      out[y * width + x] = acc;
    }
  }
  return out;
}

function validate(t: Float32Array, width: number, height: number, e: DetectorEffects): void {
  const bad = (what: string): never => {
    throw new ExorayError('E_USAGE', `detector effects: ${what}`);
  };
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) bad(`image size ${width}x${height} must be positive integers`);
  if (t.length !== width * height) bad(`image has ${t.length} pixels, ${width}x${height} needs ${width * height}`);
  if (e.photonsPerPixel !== null && !(e.photonsPerPixel > 0 && Number.isFinite(e.photonsPerPixel))) bad(`photonsPerPixel must be a positive number or null, got ${e.photonsPerPixel}`);
  if (!(e.blurSigmaPx >= 0 && Number.isFinite(e.blurSigmaPx))) bad(`blurSigmaPx must be >= 0, got ${e.blurSigmaPx}`);
  if (!(e.flatGainSd >= 0 && e.flatGainSd < 1)) bad(`flatGainSd must be in [0, 1), got ${e.flatGainSd}`);
  if (!(e.lineGainSd >= 0 && e.lineGainSd < 1)) bad(`lineGainSd must be in [0, 1), got ${e.lineGainSd}`);
  if (!(e.saturation >= 1)) bad(`saturation must be >= 1 (full scale at or above the open beam), got ${e.saturation}`);
  if (!(e.darkLevel >= 0 && e.darkLevel < 0.5)) bad(`darkLevel must be in [0, 0.5), got ${e.darkLevel}`);
}
