/**
 * The scanner's transmission table and the materials it serves: fits the
 * basis (spectral-basis.ts) to the library, builds the table (spectral-lut.ts),
 * checks every material's slabs through the whole table against the exact
 * per-bin sum, and refits without the worst one until all that remain are
 * within the budget. Materials left out are rendered by the exact per-bin pass.
 */
import { fitSpectralBasis, type SpectralBasis } from './spectral-basis.js';
import { slabScores } from './spectral-accuracy.js';
import { buildSpectralLut, lutExtent, lutKey, padRows, type SpectralLutSpec } from './spectral-lut.js';

export interface SpectralTable {
  /** The basis, with coefficients for the kept materials only. */
  basis: SpectralBasis;
  spec: SpectralLutSpec;
  table: Float32Array;
  /** Identifies spec (the render page builds each table once). */
  key: string;
  /** Materials left out, with the worst slab score they had when they were dropped (tolerance units). */
  excluded: Map<string, number>;
  /** Worst slab score of the kept materials. */
  worstSlabScore: number;
}

export interface TableOptions {
  /** Basis functions, 2 to 4 (default 4). */
  k?: number;
  /** Grid points per table axis (default 256). */
  size?: number;
  /**
   * Largest slab score a kept material may have, in tolerance units (default 0.35:
   * 16-bit rounding adds up to 0.33 more, and the shader's float32 arithmetic a little).
   */
  budget?: number;
}

/** Null when fewer than k materials, or under three quarters of them, fit (every scene then takes the exact pass). */
export function fitSpectralTable(
  mu: ReadonlyMap<string, ArrayLike<number>>,
  low: ArrayLike<number>,
  high: ArrayLike<number>,
  options: TableOptions = {},
): SpectralTable | null {
  const k = options.k ?? 4;
  const size = options.size ?? 256;
  const budget = options.budget ?? 0.35;
  const excluded = new Map<string, number>();
  const kept = new Map<string, ArrayLike<number>>();
  for (const [id, row] of mu) {
    if (row.length === low.length && Array.from(row).every((v) => v > 0 && Number.isFinite(v))) kept.set(id, row);
    else excluded.set(id, Infinity);
  }
  // Past a quarter of the library the table itself (too coarse a grid), not odd materials, is at fault.
  const maxDropped = Math.floor(mu.size / 4);
  while (kept.size >= k && excluded.size <= maxDropped) {
    const basis = fitSpectralBasis(kept, low, high, k);
    let drop = '';
    let worst = 0;
    let spec: SpectralLutSpec | null = null;
    let table: Float32Array | null = null;
    if (basis.positive) {
      const rows = padRows(basis.rows, low.length);
      spec = { size, extent: lutExtent(rows, low, high), rows, low: Array.from(low), high: Array.from(high) };
      table = buildSpectralLut(spec);
      for (const [id, r] of slabScores(kept, basis, spec, table)) if (r.worst >= worst) [worst, drop] = [r.worst, id];
    } else {
      // An outlier opened the cone so wide that an axis is not positive: the material least like the rest goes.
      for (const [id, row] of kept) {
        const a = basis.coefficients.get(id)!;
        const err = Math.max(...Array.from(row, (v, b) => Math.abs(a.reduce((s, c, j) => s + c * basis.rows[j]![b]!, 0) - v) / v));
        if (err >= worst) [worst, drop] = [err, id];
      }
      worst = Infinity;
    }
    if (spec && table && worst <= budget) return { basis, spec, table, key: lutKey(spec), excluded, worstSlabScore: worst };
    excluded.set(drop, worst);
    kept.delete(drop);
  }
  return null;
}
