/**
 * A few basis functions for the attenuation of every material over the
 * scanner's energy bins: mu_m(E_b) ~= sum_k a_mk B_k(E_b). The GPU then needs
 * only K line integrals A_k = sum_m a_mk L_m per pixel, and a table indexed by
 * them (spectral-lut.ts) replaces the per-bin sum of exponentials.
 *
 * Why it works: between 15 and 160 keV the attenuation of elements up to zinc
 * is photo-absorption plus scattering, smooth in energy, so a whole library
 * spans about three dimensions. Materials with an absorption edge inside the
 * spectrum (silver, iodine, gadolinium, lead) do not fit: they are left out, and
 * a scene containing one is rendered with the exact per-bin pass.
 *
 * The basis is the leading singular vectors of the library's mu table with each
 * bin scaled by the library's geometric-mean mu (so the fit is even in relative
 * terms across energies); each material's coefficients are a least-squares fit
 * weighted by 1/mu (relative error) and by the spectrum (bins no channel sees
 * matter less). The first two basis functions are then turned to the two edge
 * materials of the library's cone, so that every material has non-negative
 * coordinates on them and both are positive in every bin: the transmission falls
 * monotonically along both table axes, and the table's far edge bounds it.
 */
import { ExorayError } from '../core/errors.js';
import { solve, symmetricEigen } from './eigen.js';

/** The renderer's accuracy contract: |T - T_exact| <= max(relative * T_exact, absolute). */
export const TRANSMISSION_TOLERANCE = { relative: 0.005, absolute: 1.5 / 65535 } as const;

/** Error in units of the tolerance (<= 1 passes). */
export function toleranceScore(exact: number, approx: number): number {
  return Math.abs(approx - exact) / Math.max(TRANSMISSION_TOLERANCE.relative * exact, TRANSMISSION_TOLERANCE.absolute);
}

/** Transmission below which a pixel is black in 16 bits with margin: the slab checks stop there. */
export const TRANSMISSION_FLOOR = 1e-7;

export interface SpectralBasis {
  /** K rows of one value per bin, 1/cm per unit coefficient. Rows 0 and 1 are positive in every bin. */
  rows: number[][];
  /** K coefficients per material. */
  coefficients: Map<string, number[]>;
  /** False when rows 0 and 1 are not positive in every bin (an outlier material opened the cone too wide). */
  positive: boolean;
}

/** Slab thicknesses the fit is checked over, cm: thin foils to far beyond opacity. */
export const SLAB_THICKNESSES_CM: readonly number[] = Array.from({ length: 160 }, (_, i) => 1e-3 * Math.pow(3e5, i / 159));

function leadingVectors(rows: number[][], scale: number[], k: number): number[][] {
  const bins = scale.length;
  const gram = new Float64Array(bins * bins);
  for (const row of rows) {
    let norm = 0;
    const x = row.map((v, b) => v / scale[b]!);
    for (const v of x) norm += v * v;
    norm = Math.sqrt(norm);
    for (let i = 0; i < bins; i++) for (let j = 0; j < bins; j++) gram[i * bins + j]! += (x[i]! * x[j]!) / (norm * norm);
  }
  return symmetricEigen(gram, bins).vectors.slice(0, k).map((v) => v.map((x, b) => x * scale[b]!));
}

function fitCoefficients(mu: ArrayLike<number>, basis: number[][], low: ArrayLike<number>, high: ArrayLike<number>): number[] {
  const k = basis.length;
  const normal = new Float64Array(k * k);
  const rhs = new Float64Array(k);
  for (let b = 0; b < mu.length; b++) {
    const w2 = (low[b]! + high[b]! + 1e-4) / (mu[b]! * mu[b]!);
    for (let i = 0; i < k; i++) {
      rhs[i]! += w2 * basis[i]![b]! * mu[b]!;
      for (let j = 0; j < k; j++) normal[i * k + j]! += w2 * basis[i]![b]! * basis[j]![b]!;
    }
  }
  return solve(normal, rhs);
}

/**
 * Fits the basis to the materials given (mu per bin each, all positive). The
 * caller decides which materials fit well enough (spectral-table.ts checks them
 * through the whole table and refits without the worst).
 */
export function fitSpectralBasis(mu: ReadonlyMap<string, ArrayLike<number>>, low: ArrayLike<number>, high: ArrayLike<number>, k = 4): SpectralBasis {
  if (!(k >= 2 && k <= 4)) throw new ExorayError('E_USAGE', `fitSpectralBasis: k must be 2, 3 or 4, got ${k}`);
  const bins = low.length;
  if (high.length !== bins || bins < k) throw new ExorayError('E_USAGE', `fitSpectralBasis: ${bins} low and ${high.length} high weights for k = ${k} (needs at least k bins)`);
  if (mu.size < k) throw new ExorayError('E_MATERIAL', `fitSpectralBasis: ${mu.size} materials cannot define ${k} basis functions`);
  const rows: number[][] = [];
  for (const [id, row] of mu) {
    if (row.length !== bins || !Array.from(row).every((v) => v > 0 && Number.isFinite(v))) {
      throw new ExorayError('E_USAGE', `fitSpectralBasis: material ${id} needs ${bins} positive mu values, got ${Array.from(row).join(', ')}`);
    }
    rows.push(Array.from(row));
  }
  const scale = Array.from({ length: bins }, (_, b) => Math.exp(rows.reduce((s, r) => s + Math.log(r[b]!), 0) / rows.length));
  const basis = leadingVectors(rows, scale, k);
  // Eigenvectors have no sign: make the leading one positive (it is the bulk attenuation).
  if (basis[0]!.reduce((s, v) => s + v, 0) < 0) basis[0] = basis[0]!.map((v) => -v);
  const coefficients = new Map([...mu].map(([id, row]) => [id, fitCoefficients(row, basis, low, high)]));
  return toCone(basis, coefficients);
}

/**
 * Re-expresses the first two basis functions along the two edge materials of
 * the cone the materials' (a_0, a_1) span, so that all of them have a_0, a_1 >= 0.
 */
function toCone(basis: number[][], coefficients: Map<string, number[]>): SpectralBasis {
  const points = [...coefficients.values()].map((a) => [a[0]!, a[1]!] as const);
  const cx = points.reduce((s, p) => s + p[0], 0);
  const cy = points.reduce((s, p) => s + p[1], 0);
  const angle = (p: readonly [number, number]) => Math.atan2(p[1] * cx - p[0] * cy, p[0] * cx + p[1] * cy);
  let lo = points[0]!;
  let hi = points[0]!;
  for (const p of points) {
    if (angle(p) < angle(lo)) lo = p;
    if (angle(p) > angle(hi)) hi = p;
  }
  const unit = (p: readonly [number, number]) => [p[0] / Math.hypot(...p), p[1] / Math.hypot(...p)] as const;
  const [r00, r10] = unit(lo); // column 0 of R
  const [r01, r11] = unit(hi); // column 1 of R
  const det = r00 * r11 - r01 * r10;
  const rows = basis.map((r) => r.slice());
  // B' = R^T B on the first two rows; a' = R^-1 a, so that a' . B' = a . B.
  rows[0] = basis[0]!.map((_, b) => r00 * basis[0]![b]! + r10 * basis[1]![b]!);
  rows[1] = basis[0]!.map((_, b) => r01 * basis[0]![b]! + r11 * basis[1]![b]!);
  const rotated = new Map<string, number[]>();
  for (const [id, a] of coefficients) {
    const c = a.slice();
    c[0] = (r11 * a[0]! - r01 * a[1]!) / det;
    c[1] = (-r10 * a[0]! + r00 * a[1]!) / det;
    // The edge materials sit on the axes up to rounding.
    c[0] = Math.max(c[0], 0);
    c[1] = Math.max(c[1], 0);
    rotated.set(id, c);
  }
  const positive = Math.abs(det) > 1e-9 && rows[0]!.every((v) => v > 0) && rows[1]!.every((v) => v > 0);
  return { rows, coefficients: rotated, positive };
}
