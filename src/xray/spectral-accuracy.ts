/**
 * How far the table transmission (basis + table + cumulant correction) is from
 * the exact per-bin sum, in units of the renderer's tolerance
 * (TRANSMISSION_TOLERANCE: 0.5 % or 1.5 16-bit levels). Checked over slabs of
 * every material the basis keeps, from foils to beyond opacity, and over random
 * mixtures of up to five of them whose total attenuation spans the same range.
 * Pure; every random choice from the seeded Rng.
 */
import { Rng } from '../core/rng.js';
import { SLAB_THICKNESSES_CM, TRANSMISSION_FLOOR, toleranceScore, type SpectralBasis } from './spectral-basis.js';
import { LUT_BASIS, lutTransmission, type SpectralLutSpec } from './spectral-lut.js';

export interface LutAccuracy {
  /** Worst score over the slabs, and where. */
  slabs: { worst: number; material: string; thicknessCm: number; count: number };
  /** Worst score over the mixtures, and the mixture (cm per material). */
  mixtures: { worst: number; mixture: Record<string, number>; count: number };
}

export interface AccuracyOptions {
  mixtures?: number;
  seed?: number;
}

function exact(mu: ReadonlyMap<string, ArrayLike<number>>, path: Record<string, number>, w: ArrayLike<number>): number {
  let t = 0;
  for (let b = 0; b < w.length; b++) {
    let a = 0;
    for (const id in path) a += mu.get(id)![b]! * path[id]!;
    t += w[b]! * Math.exp(-a);
  }
  return t;
}

function viaTable(basis: SpectralBasis, spec: SpectralLutSpec, table: Float32Array, path: Record<string, number>): { low: number; high: number } {
  const a = new Array<number>(LUT_BASIS).fill(0);
  for (const id in path) basis.coefficients.get(id)!.forEach((c, k) => (a[k]! += c * path[id]!));
  return lutTransmission(spec, table, a);
}

function score(mu: ReadonlyMap<string, ArrayLike<number>>, basis: SpectralBasis, spec: SpectralLutSpec, table: Float32Array, path: Record<string, number>): number {
  const got = viaTable(basis, spec, table, path);
  return Math.max(toleranceScore(exact(mu, path, spec.low), got.low), toleranceScore(exact(mu, path, spec.high), got.high));
}

/** Worst score over the slabs of each material (SLAB_THICKNESSES_CM, until both channels are black). */
export function slabScores(
  mu: ReadonlyMap<string, ArrayLike<number>>,
  basis: SpectralBasis,
  spec: SpectralLutSpec,
  table: Float32Array,
): Map<string, { worst: number; thicknessCm: number; count: number }> {
  const out = new Map<string, { worst: number; thicknessCm: number; count: number }>();
  for (const id of basis.coefficients.keys()) {
    const r = { worst: 0, thicknessCm: 0, count: 0 };
    for (const t of SLAB_THICKNESSES_CM) {
      const path = { [id]: t };
      if (Math.max(exact(mu, path, spec.low), exact(mu, path, spec.high)) < TRANSMISSION_FLOOR) break;
      const s = score(mu, basis, spec, table, path);
      r.count++;
      if (s > r.worst) Object.assign(r, { worst: s, thicknessCm: t });
    }
    out.set(id, r);
  }
  return out;
}

export function lutAccuracy(
  mu: ReadonlyMap<string, ArrayLike<number>>,
  basis: SpectralBasis,
  spec: SpectralLutSpec,
  table: Float32Array,
  options: AccuracyOptions = {},
): LutAccuracy {
  const ids = [...basis.coefficients.keys()];
  const slabs = { worst: 0, material: '', thicknessCm: 0, count: 0 };
  for (const [id, r] of slabScores(mu, basis, spec, table)) {
    slabs.count += r.count;
    if (r.worst >= slabs.worst) Object.assign(slabs, { worst: r.worst, material: id, thicknessCm: r.thicknessCm });
  }
  // Each material's share of the attenuation, as mu*L at the high channel's mean bin, log-uniform
  // from 1e-3 to 16 in total: thin films to beyond the 16-bit floor, whatever the material.
  const mean = spec.high.reduce((s, w, b) => s + w * b, 0) / spec.high.reduce((s, w) => s + w, 0);
  const bin = Math.round(mean);
  const rng = new Rng(options.seed ?? 1);
  const count = options.mixtures ?? 5000;
  const mixtures = { worst: 0, mixture: {} as Record<string, number>, count };
  for (let n = 0; n < count; n++) {
    const parts = rng.int(2, 5);
    const path: Record<string, number> = {};
    for (let p = 0; p < parts; p++) {
      const id = rng.pick(ids);
      const tau = Math.exp(rng.uniform(Math.log(1e-3), Math.log(16 / parts)));
      path[id] = (path[id] ?? 0) + tau / mu.get(id)![bin]!;
    }
    const s = score(mu, basis, spec, table, path);
    if (s > mixtures.worst) Object.assign(mixtures, { worst: s, mixture: path });
  }
  return { slabs, mixtures };
}
