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
  validate(t.length, width, height, effects);
  if (allOff(effects)) return new Float32Array(t);
  const out = new Float32Array(t.length);
  effectsInto(t, width, height, effects, seed, out);
  return out;
}

/** level / 65535 rounded to float32: exactly what a Float32Array holds after `t[i] = level / 65535`. */
const LEVEL_TO_T = Float32Array.from({ length: 65536 }, (_, v) => v / 65535);

/**
 * The detector effects on a 16-bit transmission image (65535 = open beam), back
 * to 16 bits: the same numbers, bit for bit, as
 * toUint16(applyDetectorEffects(levels / 65535 as float32)), without the
 * image-sized temporaries (the generator calls this twice per image).
 */
export function applyDetectorEffects16(
  levels: Uint16Array,
  width: number,
  height: number,
  effects: DetectorEffects,
  seed: number,
  out: Uint16Array = new Uint16Array(levels.length),
): Uint16Array {
  validate(levels.length, width, height, effects);
  if (out.length !== levels.length) throw new ExorayError('E_USAGE', `detector effects: output has ${out.length} pixels, image ${levels.length}`);
  if (allOff(effects)) {
    out.set(levels);
    return out;
  }
  const signal = scratch(SCRATCH_A, levels.length, Float64Array);
  levelsToT(levels, signal);
  effectsOnSignal(signal, width, height, effects, seed, (c) => calibrate16(c, out));
  return out;
}

function levelsToT(levels: Uint16Array, t: Float64Array): void {
  for (let i = 0; i < levels.length; i++) t[i] = LEVEL_TO_T[levels[i]!]!;
}

function allOff(e: DetectorEffects): boolean {
  return e.photonsPerPixel === null && e.blurSigmaPx === 0 && e.darkLevel === 0 && e.flatGainSd === 0 && e.lineGainSd === 0 && e.saturation === Infinity;
}

/**
 * Image-sized work buffers, kept between calls: a 512 x 512 image would otherwise
 * allocate ~10 MB of temporaries per call, and the garbage collector then costs
 * as much as the arithmetic. Images above SCRATCH_MAX_PIXELS get fresh buffers.
 */
const SCRATCH_MAX_PIXELS = 2048 * 2048;
const SCRATCH_A = 0;
const SCRATCH_B = 1;
const SCRATCH_C = 2;
const scratchBuffers: Array<Float64Array | Float32Array | undefined> = [];

function scratch<A extends Float64Array | Float32Array>(slot: number, n: number, kind: { new (n: number): A }): A {
  if (n > SCRATCH_MAX_PIXELS) return new kind(n);
  const have = scratchBuffers[slot];
  if (have instanceof kind && have.length >= n) return have.subarray(0, n) as A;
  const made = new kind(n);
  scratchBuffers[slot] = made;
  return made;
}

/**
 * Steps 1-6 (see the top of this file) from float transmission into `out`.
 * Noise, gains, clipping and normalisation are one loop; the random stream is
 * drawn in pixel order, Box-Muller pairs kept as Rng.normal keeps them, so the
 * result does not depend on how the loop is written.
 */
function effectsInto(t: Float32Array, width: number, height: number, effects: DetectorEffects, seed: number, out: Float32Array): void {
  const signal = scratch(SCRATCH_A, t.length, Float64Array);
  copyInto(t, signal);
  effectsOnSignal(signal, width, height, effects, seed, (c) => calibrate(c, out));
}

/** Steps 1-2 on `signal` (float transmission, overwritten), then `finish` applies steps 3-6. */
function effectsOnSignal(
  input: Float64Array,
  width: number,
  height: number,
  effects: DetectorEffects,
  seed: number,
  finish: (c: Calibration) => void,
): void {
  const { photonsPerPixel, blurSigmaPx, darkLevel, flatGainSd, lineGainSd, saturation } = effects;
  let signal = input;
  if (blurSigmaPx > 0) {
    signal = scratch(SCRATCH_C, input.length, Float64Array);
    blurInto(input, width, height, blurSigmaPx, scratch(SCRATCH_B, input.length, Float64Array), signal);
  }
  const colGain = gains(width, flatGainSd, deriveSeed(seed, 'column-gain'));
  const rowGain = gains(height, lineGainSd, deriveSeed(seed, 'line-gain'));
  // With no clipping (Infinity) there is no full scale; the open beam stands in for it.
  const dark = darkLevel * (Number.isFinite(saturation) ? saturation : 1);
  // The flat is recorded through the same clipping, so an over-bright element normalises to 1, not below.
  const flatMinusDark = colGain.map((g) => Math.min(g + dark, saturation) - dark);
  if (photonsPerPixel !== null) photonNoise(signal, photonsPerPixel, new Rng(deriveSeed(seed, 'photon-noise')));
  finish({ signal, width, height, rowGain, colGain, flatMinusDark, dark, saturation });
}

// The loops below are separate small functions on purpose: V8 optimises each
// with complete type feedback; one function holding them all was deoptimised
// and re-optimised on every image (a loop not yet run has no feedback), at
// twice the cost.

function copyInto(t: Float32Array, signal: Float64Array): void {
  for (let i = 0; i < t.length; i++) signal[i] = t[i]!;
}

/**
 * counts ~ Poisson(N * signal), signal = counts / N, in pixel order. The second
 * normal of each Box-Muller pair is kept as Rng.normal keeps it, and products
 * are grouped as there (mean + sd * radius * cos, mean + sd * spare), so the
 * result is bit for bit that of poisson(rng, ...) per pixel.
 */
function photonNoise(signal: Float64Array, photons: number, rng: Rng): void {
  let spare = 0;
  let haveSpare = false;
  for (let i = 0; i < signal.length; i++) {
    const s = signal[i]!;
    const mean = photons * (s > 0 ? s : 0);
    let k: number;
    if (!(mean > 0)) k = 0;
    else if (mean > POISSON_EXACT_MAX_MEAN) {
      const sd = Math.sqrt(mean);
      let draw: number;
      if (haveSpare) {
        draw = mean + sd * spare;
        haveSpare = false;
      } else {
        const radius = Math.sqrt(-2 * Math.log(1 - rng.next()));
        const angle = 2 * Math.PI * rng.next();
        spare = radius * Math.sin(angle);
        haveSpare = true;
        draw = mean + sd * radius * Math.cos(angle);
      }
      k = Math.max(0, Math.round(draw));
    } else k = knuthPoisson(rng, mean);
    signal[i] = k / photons;
  }
}

interface Calibration {
  signal: Float64Array;
  width: number;
  height: number;
  rowGain: Float64Array;
  colGain: Float64Array;
  flatMinusDark: Float64Array;
  dark: number;
  saturation: number;
}

/** One pixel's gained signal: dark offset, clipping at saturation, dark/flat normalisation. */
function calibrated(gained: number, dark: number, flatMinusDark: number, saturation: number): number {
  const raw = Math.min(gained + dark, saturation);
  const v = (raw - dark) / flatMinusDark;
  return v < 0 ? 0 : v > saturation ? saturation : v;
}

/** Steps 3-6: gains, dark offset, clipping, dark/flat normalisation. */
function calibrate(c: Calibration, out: Float32Array): void {
  const { signal, width, height, rowGain, colGain, flatMinusDark, dark, saturation } = c;
  for (let y = 0; y < height; y++) {
    const g = rowGain[y]!;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      out[i] = calibrated(signal[i]! * g * colGain[x]!, dark, flatMinusDark[x]!, saturation);
    }
  }
}

/**
 * calibrate, then to 16 bits as toUint16 (transmission.ts) does: the value is
 * rounded to float32 first (Math.fround), as storing it in a Float32Array
 * would, then round(T * 65535), clamped.
 */
function calibrate16(c: Calibration, out: Uint16Array): void {
  const { signal, width, height, rowGain, colGain, flatMinusDark, dark, saturation } = c;
  for (let y = 0; y < height; y++) {
    const g = rowGain[y]!;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const q = Math.round(Math.fround(calibrated(signal[i]! * g * colGain[x]!, dark, flatMinusDark[x]!, saturation)) * 65535);
      out[i] = q > 65535 ? 65535 : q > 0 ? q : 0;
    }
  }
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
  return knuthPoisson(rng, mean);
}

function knuthPoisson(rng: Rng, mean: number): number {
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
  const out = new Float64Array(width * height);
  blurInto(Float64Array.from(src), width, height, sigma, new Float64Array(width * height), out);
  return out;
}

/**
 * gaussianBlur into given buffers. The taps are summed in the same order at the
 * edges (clamped) and inside (not), so splitting the loops changes no bit; the
 * split only keeps the clamping out of the 98 % of pixels that do not need it.
 */
function blurInto(src: Float64Array, width: number, height: number, sigma: number, tmp: Float64Array, out: Float64Array): void {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const w = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let k = -r; k <= r; k++) sum += w[k + r] = Math.exp((-0.5 * k * k) / (sigma * sigma));
  for (let k = 0; k < w.length; k++) w[k]! /= sum;
  const taps = 2 * r + 1;
  // Columns [r, width - r) and rows [r, height - r) read no pixel outside the image.
  const xIn0 = Math.min(r, width);
  const xIn1 = Math.max(xIn0, width - r);
  const clampedX = (row: number, x: number): number => {
    let acc = 0;
    for (let k = -r; k <= r; k++) {
      const xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
      acc += w[k + r]! * src[row + xx]!;
    }
    return acc;
  };
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < xIn0; x++) tmp[row + x] = clampedX(row, x);
    for (let x = xIn0; x < xIn1; x++) {
      let acc = 0;
      const base = row + x - r;
      for (let k = 0; k < taps; k++) acc += w[k]! * src[base + k]!;
      tmp[row + x] = acc;
    }
    for (let x = xIn1; x < width; x++) tmp[row + x] = clampedX(row, x);
  }
  const yIn0 = Math.min(r, height);
  const yIn1 = Math.max(yIn0, height - r);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (y >= yIn0 && y < yIn1) {
      const base = (y - r) * width;
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = 0; k < taps; k++) acc += w[k]! * tmp[base + k * width + x]!;
        out[row + x] = acc;
      }
      continue;
    }
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -r; k <= r; k++) {
        const yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
        acc += w[k + r]! * tmp[yy * width + x]!;
      }
      out[row + x] = acc;
    }
  }
}

function validate(length: number, width: number, height: number, e: DetectorEffects): void {
  const bad = (what: string): never => {
    throw new ExorayError('E_USAGE', `detector effects: ${what}`);
  };
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) bad(`image size ${width}x${height} must be positive integers`);
  if (length !== width * height) bad(`image has ${length} pixels, ${width}x${height} needs ${width * height}`);
  if (e.photonsPerPixel !== null && !(e.photonsPerPixel > 0 && Number.isFinite(e.photonsPerPixel))) bad(`photonsPerPixel must be a positive number or null, got ${e.photonsPerPixel}`);
  if (!(e.blurSigmaPx >= 0 && Number.isFinite(e.blurSigmaPx))) bad(`blurSigmaPx must be >= 0, got ${e.blurSigmaPx}`);
  if (!(e.flatGainSd >= 0 && e.flatGainSd < 1)) bad(`flatGainSd must be in [0, 1), got ${e.flatGainSd}`);
  if (!(e.lineGainSd >= 0 && e.lineGainSd < 1)) bad(`lineGainSd must be in [0, 1), got ${e.lineGainSd}`);
  if (!(e.saturation >= 1)) bad(`saturation must be >= 1 (full scale at or above the open beam), got ${e.saturation}`);
  if (!(e.darkLevel >= 0 && e.darkLevel < 0.5)) bad(`darkLevel must be in [0, 0.5), got ${e.darkLevel}`);
}
