/**
 * Monochromatic Beer-Lambert transmission per pixel, and its conversion to
 * images. Pure; the polychromatic image is a spectrum-weighted sum of these.
 */
import { ExorayError } from '../core/errors.js';

/**
 * T = exp(-sum_m mu_m * L_m) for every pixel.
 *
 * @param pathLengthsCm one plane per material channel, each W*H path lengths in cm
 * @param muPerChannel  linear attenuation coefficient of each channel's material, 1/cm
 * @param out           optional destination of the same length as the planes
 *
 * Negative lengths are clamped to 0: the L-buffer sums +exit and -entry depths,
 * and float rounding leaves tiny negatives where a ray grazes a surface.
 */
export function transmission(pathLengthsCm: Float32Array[], muPerChannel: number[], out?: Float32Array): Float32Array {
  if (pathLengthsCm.length !== muPerChannel.length) {
    throw new ExorayError('E_RENDER', `transmission: ${pathLengthsCm.length} path-length planes but ${muPerChannel.length} attenuation coefficients`);
  }
  const n = pathLengthsCm.length > 0 ? pathLengthsCm[0]!.length : (out?.length ?? 0);
  for (let m = 0; m < pathLengthsCm.length; m++) {
    if (pathLengthsCm[m]!.length !== n) {
      throw new ExorayError('E_RENDER', `transmission: plane ${m} has ${pathLengthsCm[m]!.length} pixels, plane 0 has ${n}`);
    }
    const mu = muPerChannel[m]!;
    if (!Number.isFinite(mu) || mu < 0) throw new ExorayError('E_RENDER', `transmission: mu of channel ${m} is ${mu}; it must be finite and >= 0`);
  }
  const result = out ?? new Float32Array(n);
  if (result.length !== n) throw new ExorayError('E_RENDER', `transmission: output has ${result.length} pixels, planes have ${n}`);
  const planes = pathLengthsCm;
  const mus = Float64Array.from(muPerChannel);
  const channels = planes.length;
  for (let p = 0; p < n; p++) {
    let a = 0;
    for (let m = 0; m < channels; m++) {
      const l = planes[m]![p]!;
      if (l > 0) a += mus[m]! * l;
    }
    result[p] = Math.exp(-a);
  }
  return result;
}

/** T in [0,1] -> 16-bit: round(T * 65535), clamped; NaN becomes 0. */
export function toUint16(t: Float32Array): Uint16Array {
  const out = new Uint16Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const v = Math.round(t[i]! * 65535);
    out[i] = v > 65535 ? 65535 : v > 0 ? v : 0;
  }
  return out;
}

export interface PreviewOptions {
  /**
   * Exponent of the mapping v = 255 * T^gamma (default 1.5). gamma > 1 darkens
   * mid tones and multiplies contrast near T = 1 by gamma, where thin organics
   * (cardboard, cuticle, cloth at T ~ 0.8-0.95) would otherwise be near-white.
   */
  gamma?: number;
}

export const DEFAULT_PREVIEW_GAMMA = 1.5;

const previewLuts = new Map<number, Uint8Array>();

/** 16-bit transmission level -> 8-bit preview value, built once per gamma. */
function previewLut(gamma: number): Uint8Array {
  if (!(gamma > 0) || !Number.isFinite(gamma)) throw new ExorayError('E_USAGE', `preview gamma must be a positive number, got ${gamma}`);
  let lut = previewLuts.get(gamma);
  if (!lut) {
    lut = new Uint8Array(65536);
    for (let i = 0; i < 65536; i++) lut[i] = Math.round(255 * Math.pow(i / 65535, gamma));
    previewLuts.set(gamma, lut);
  }
  return lut;
}

/**
 * 8-bit greyscale preview: T = 1 (nothing in the beam) is white 255, T = 0 is
 * black 0, v = round(255 * clamp(T, 0, 1)^gamma). For viewing only; the 16-bit
 * images stay linear in T.
 */
export function toPreview8(t: Float32Array, options: PreviewOptions = {}): Uint8Array {
  const lut = previewLut(options.gamma ?? DEFAULT_PREVIEW_GAMMA);
  const out = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const x = t[i]!;
    const idx = x >= 1 ? 65535 : x > 0 ? Math.round(x * 65535) : 0;
    out[i] = lut[idx]!;
  }
  return out;
}

/** The same preview from a 16-bit transmission image (as the GPU returns it). */
export function previewFromUint16(levels: Uint16Array, options: PreviewOptions = {}): Uint8Array {
  const lut = previewLut(options.gamma ?? DEFAULT_PREVIEW_GAMMA);
  const out = new Uint8Array(levels.length);
  for (let i = 0; i < levels.length; i++) out[i] = lut[levels[i]!]!;
  return out;
}
