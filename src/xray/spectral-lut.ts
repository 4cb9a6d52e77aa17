/**
 * The dual-energy transmission as a table over the basis line integrals, so the
 * GPU does one projection and a few texture fetches per pixel instead of one
 * exponential per energy bin (spectral-basis.ts explains the basis).
 *
 * With A_k = sum_m a_mk L_m and the basis rows B_k(E_b):
 *   T_c = sum_b w_c[b] exp(-sum_k B_k(E_b) A_k).
 * A_0 and A_1 carry almost all of the attenuation and index a 2-D table of
 * ln F_c(A_0, A_1) = ln sum_b w_c[b] exp(-B_0 A_0 - B_1 A_1). A_2 and A_3 are
 * small corrections, added by a second-order cumulant expansion: under the
 * spectrum as hardened by (A_0, A_1), with mean m_k and covariance v_kl of B_k,
 *   ln T_c ~= ln F_c - A_2 m_2 - A_3 m_3 + (A_2^2 v_22 + 2 A_2 A_3 v_23 + A_3^2 v_33) / 2,
 * exact to third order in the corrections. Every term is tabulated.
 *
 * Axes: u = sqrt(A / extent) on a uniform grid, so that cells are finest near zero
 * where the soft end of the spectrum dies quickly. Plane 0 (ln F and the mean of
 * B_2) is interpolated bilinearly; planes 1 and 2 are read at the nearest grid
 * point: they multiply the small corrections and vary slowly, and the shader saves
 * six texture fetches a pixel (the error stays within the same budget). Beyond
 * the extent of either axis the transmission is below TRANSMISSION_FLOOR (the
 * basis rows are positive, so it only falls further): black.
 *
 * Table layout (what the render page uploads as one RGBA float texture of size x
 * 3*size; texel (i, j) of plane p at row p*size + j, i along A_0, j along A_1):
 *   plane 0: ln F_low, ln F_high, m_2 low, m_2 high
 *   plane 1: m_3 low, m_3 high, v_22 low, v_22 high
 *   plane 2: v_23 low, v_23 high, v_33 low, v_33 high
 */
import { ExorayError } from '../core/errors.js';
import { TRANSMISSION_FLOOR } from './spectral-basis.js';

/** Basis functions the table takes: fewer are padded with zero rows. */
export const LUT_BASIS = 4;

export interface SpectralLutSpec {
  /** Grid points per axis. */
  size: number;
  /** Largest A_0 and A_1 in the table. */
  extent: [number, number];
  /** LUT_BASIS rows of one value per bin. */
  rows: number[][];
  low: number[];
  high: number[];
}

function channelTransmission(rows: number[][], weights: ArrayLike<number>, a0: number, a1: number): number {
  let t = 0;
  for (let b = 0; b < weights.length; b++) t += weights[b]! * Math.exp(-rows[0]![b]! * a0 - rows[1]![b]! * a1);
  return t;
}

/** Per axis, the line integral beyond which both channels transmit less than TRANSMISSION_FLOOR. */
export function lutExtent(rows: number[][], low: ArrayLike<number>, high: ArrayLike<number>): [number, number] {
  const along = (axis: 0 | 1): number => {
    const at = (a: number) => Math.max(channelTransmission(rows, low, axis ? 0 : a, axis ? a : 0), channelTransmission(rows, high, axis ? 0 : a, axis ? a : 0));
    let hi = 1;
    while (at(hi) > TRANSMISSION_FLOOR) {
      hi *= 2;
      if (hi > 1e12) throw new ExorayError('E_USAGE', 'lutExtent: the basis does not attenuate along an axis (rows must be positive)');
    }
    let lo = 0;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (at(mid) > TRANSMISSION_FLOOR) lo = mid;
      else hi = mid;
    }
    return hi;
  };
  return [along(0), along(1)];
}

/** Pads the basis rows to LUT_BASIS. */
export function padRows(rows: number[][], bins: number): number[][] {
  if (rows.length > LUT_BASIS) throw new ExorayError('E_USAGE', `spectral table: ${rows.length} basis rows, at most ${LUT_BASIS}`);
  return [...rows.map((r) => Array.from(r)), ...Array.from({ length: LUT_BASIS - rows.length }, () => new Array<number>(bins).fill(0))];
}

/** The table (see the layout above), float32 as the GPU reads it. */
export function buildSpectralLut(spec: SpectralLutSpec): Float32Array {
  const { size, extent, rows, low, high } = spec;
  const bins = low.length;
  if (!(size >= 2) || rows.length !== LUT_BASIS || rows.some((r) => r.length !== bins) || high.length !== bins) {
    throw new ExorayError('E_USAGE', `buildSpectralLut: size ${size}, ${rows.length} rows (need ${LUT_BASIS}) of ${bins} bins, ${high.length} high weights`);
  }
  const out = new Float32Array(size * size * 3 * 4);
  const plane = size * size * 4;
  const e = new Float64Array(bins);
  const [b0, b1, b2, b3] = rows as [number[], number[], number[], number[]];
  const weights = [low, high];
  for (let j = 0; j < size; j++) {
    const a1 = extent[1] * (j / (size - 1)) ** 2;
    for (let i = 0; i < size; i++) {
      const a0 = extent[0] * (i / (size - 1)) ** 2;
      let top = -Infinity;
      for (let b = 0; b < bins; b++) {
        e[b] = -b0[b]! * a0 - b1[b]! * a1;
        if (e[b]! > top) top = e[b]!;
      }
      // Scaled by exp(-top) so that deep in the table the sums neither underflow nor lose digits.
      for (let b = 0; b < bins; b++) e[b] = Math.exp(e[b]! - top);
      const texel = (j * size + i) * 4;
      for (let c = 0; c < 2; c++) {
        const w = weights[c]!;
        let f = 0, m2 = 0, m3 = 0, s22 = 0, s23 = 0, s33 = 0;
        for (let b = 0; b < bins; b++) {
          const p = w[b]! * e[b]!;
          const x2 = b2[b]!;
          const x3 = b3[b]!;
          f += p;
          m2 += p * x2;
          m3 += p * x3;
          s22 += p * x2 * x2;
          s23 += p * x2 * x3;
          s33 += p * x3 * x3;
        }
        m2 /= f;
        m3 /= f;
        out[texel + c] = Math.log(f) + top;
        out[texel + 2 + c] = m2;
        out[plane + texel + c] = m3;
        out[plane + texel + 2 + c] = s22 / f - m2 * m2;
        out[2 * plane + texel + c] = s23 / f - m2 * m3;
        out[2 * plane + texel + 2 + c] = s33 / f - m3 * m3;
      }
    }
  }
  return out;
}

/** Grid cell, fractions and nearest grid point of (A_0, A_1), or null beyond the table (black). Mirrors the shader. */
function cell(size: number, extent: [number, number], a0: number, a1: number): { i: number; j: number; fx: number; fy: number; ni: number; nj: number } | null {
  const x0 = Math.max(a0, 0) / extent[0];
  const x1 = Math.max(a1, 0) / extent[1];
  if (x0 >= 1 || x1 >= 1) return null;
  const x = Math.sqrt(x0) * (size - 1);
  const y = Math.sqrt(x1) * (size - 1);
  const i = Math.min(Math.floor(x), size - 2);
  const j = Math.min(Math.floor(y), size - 2);
  return { i, j, fx: x - i, fy: y - j, ni: Math.floor(x + 0.5), nj: Math.floor(y + 0.5) };
}

/** Low and high transmission from the table for basis line integrals `a` (LUT_BASIS values), as the shader computes it. */
export function lutTransmission(spec: SpectralLutSpec, table: Float32Array, a: ArrayLike<number>): { low: number; high: number } {
  const { size } = spec;
  const c = cell(size, spec.extent, a[0]!, a[1]!);
  if (!c) return { low: 0, high: 0 };
  const plane = size * size * 4;
  const v = new Array<number>(12);
  for (let p = 0; p < 3; p++) {
    for (let q = 0; q < 4; q++) {
      const at = (i: number, j: number) => table[p * plane + (j * size + i) * 4 + q]!;
      v[p * 4 + q] =
        p > 0
          ? at(c.ni, c.nj)
          : at(c.i, c.j) * (1 - c.fx) * (1 - c.fy) + at(c.i + 1, c.j) * c.fx * (1 - c.fy) + at(c.i, c.j + 1) * (1 - c.fx) * c.fy + at(c.i + 1, c.j + 1) * c.fx * c.fy;
    }
  }
  const a2 = a[2]!;
  const a3 = a[3]!;
  const ln = (ch: 0 | 1) =>
    v[ch]! - a2 * v[2 + ch]! - a3 * v[4 + ch]! + 0.5 * a2 * a2 * v[6 + ch]! + a2 * a3 * v[8 + ch]! + 0.5 * a3 * a3 * v[10 + ch]!;
  return { low: Math.exp(ln(0)), high: Math.exp(ln(1)) };
}

/** A short stable key for a table spec, so the render page builds each table once. */
export function lutKey(spec: SpectralLutSpec): string {
  // FNV-1a over the float64 bytes of everything that decides the table.
  let h = 0x811c9dc5;
  const mix = (x: number) => {
    const bytes = new Uint8Array(Float64Array.of(x).buffer);
    for (const byte of bytes) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  };
  mix(spec.size);
  spec.extent.forEach(mix);
  spec.rows.forEach((r) => r.forEach(mix));
  spec.low.forEach(mix);
  spec.high.forEach(mix);
  return `${spec.size}:${h.toString(16)}`;
}
