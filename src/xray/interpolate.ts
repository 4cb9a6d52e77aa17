/**
 * Log-log interpolation of NIST tables that respects absorption edges.
 *
 * Between edges mu/rho is close to a power law in E, so straight lines in
 * log-log space are accurate. An absorption edge is a step: the tables list
 * its energy twice (value below, then value above). Interpolating across that
 * step would smear a jump of up to ~8x over a whole table interval, so a query
 * only ever uses the two rows that bound it *within* one edge-free segment.
 *
 * At exactly an edge energy the value ABOVE the edge is returned (the last row
 * with that energy): the photon has just enough energy to eject the electron.
 * Some transcribed tables repeat an energy three times where an edge was rounded
 * onto a grid point (Mo K edge at 20 keV); taking the last row handles that too.
 */
import { ExorayError } from '../core/errors.js';
import type { NistTable } from './nist.js';

export type NistColumn = 'muRho' | 'muEnRho';

/**
 * Index of the last row whose energy is <= e (binary search). Caller guarantees
 * energies[0] <= e <= energies[n-1].
 */
function segmentStart(energies: Float64Array, e: number): number {
  let lo = 0;
  let hi = energies.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (energies[mid]! <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * y(x) by log-log interpolation in (x, y) pairs with x non-decreasing; repeated x
 * values are steps (see module comment). Throws E_NIST_DATA outside [x0, xN].
 */
export function logLogInterpolate(x: Float64Array, y: Float64Array, xq: number, sourceName = 'table'): number {
  const n = x.length;
  if (!(xq >= x[0]! && xq <= x[n - 1]!)) {
    throw new ExorayError(
      'E_NIST_DATA',
      `energy ${xq} keV is outside the tabulated range ${x[0]} to ${x[n - 1]} keV of ${sourceName}`,
    );
  }
  const i = segmentStart(x, xq);
  if (i === n - 1 || x[i] === xq) return y[i]!;
  // i is the last row with x <= xq and xq < x[i+1], so x[i] < x[i+1]: never an edge pair.
  const x0 = x[i]!;
  const x1 = x[i + 1]!;
  const t = Math.log(xq / x0) / Math.log(x1 / x0);
  return Math.exp(Math.log(y[i]!) + t * Math.log(y[i + 1]! / y[i]!));
}

/** mu/rho (or mu_en/rho) of one table at `keV`, cm^2/g. */
export function interpolateTable(table: NistTable, keV: number, column: NistColumn = 'muRho'): number {
  return logLogInterpolate(table.energyKeV, table[column], keV, table.source);
}

/** Vectorised interpolateTable for many energies (e.g. a spectrum's bins). */
export function interpolateTableMany(
  table: NistTable,
  energiesKeV: ArrayLike<number>,
  column: NistColumn = 'muRho',
  out: Float64Array = new Float64Array(energiesKeV.length),
): Float64Array {
  if (out.length !== energiesKeV.length) {
    throw new ExorayError('E_NIST_DATA', `output length ${out.length} does not match ${energiesKeV.length} energies`);
  }
  for (let k = 0; k < energiesKeV.length; k++) out[k] = interpolateTable(table, energiesKeV[k]!, column);
  return out;
}

/** Energies (keV) at which the table has an absorption edge (rows that repeat an energy). */
export function edgeEnergies(table: NistTable): number[] {
  const e = table.energyKeV;
  const edges: number[] = [];
  for (let i = 1; i < e.length; i++) if (e[i] === e[i - 1] && edges[edges.length - 1] !== e[i]) edges.push(e[i]!);
  return edges;
}
