/**
 * Polychromatic Beer-Lambert: T = Σ_b w_b exp(-Σ_m mu_mb L_m), the plain
 * TypeScript reference the GPU shader is tested against, and the per-bin
 * attenuation table the shader reads. Pure except scannerResponse's default lines.
 *
 * mu per bin is the mean of mu at SAMPLES_PER_BIN energies inside the bin (never an
 * interpolation across an absorption edge: the library evaluates each energy on its
 * own side of any edge). Averaging mu rather than exp(-mu L) keeps the table
 * independent of path length, as a shader needs; within a 2 keV bin the two differ
 * by far less than the bin-to-bin change.
 */
import { ExorayError } from '../core/errors.js';
import { dualEnergyWeights, type DualEnergyWeights, type SandwichDetector } from './detector.js';
import { loadEmissionLines, type EmissionLine } from './emission.js';
import type { MaterialLibrary } from './materials.js';
import { binSamples, tubeSpectrum, type Spectrum, type TubeSettings } from './spectrum.js';

/**
 * Bin edges from bin centres: c ± binWidthKeV/2 when the width is given, else
 * halfway to the neighbouring centres (the ends mirrored); one bin with no width is a point.
 */
function binBounds(energiesKeV: ArrayLike<number>, b: number, binWidthKeV?: number): [number, number] {
  const c = energiesKeV[b]!;
  if (binWidthKeV !== undefined) return [c - binWidthKeV / 2, c + binWidthKeV / 2];
  const n = energiesKeV.length;
  if (n === 1) return [c, c];
  const below = b > 0 ? (c - energiesKeV[b - 1]!) / 2 : (energiesKeV[1]! - c) / 2;
  const above = b < n - 1 ? (energiesKeV[b + 1]! - c) / 2 : (c - energiesKeV[n - 2]!) / 2;
  return [c - below, c + above];
}

/**
 * Linear attenuation (1/cm) of each material averaged over each bin, row-major
 * [material][bin], float32 as a GPU texture wants it.
 */
export function attenuationTable(
  lib: MaterialLibrary,
  materials: readonly string[],
  energiesKeV: ArrayLike<number>,
  binWidthKeV?: number,
): Float32Array {
  if (binWidthKeV !== undefined && !(binWidthKeV >= 0)) {
    throw new ExorayError('E_USAGE', `attenuationTable: binWidthKeV must be >= 0, got ${binWidthKeV}`);
  }
  const n = energiesKeV.length;
  for (let b = 1; b < n; b++) {
    if (!(energiesKeV[b]! > energiesKeV[b - 1]!)) throw new ExorayError('E_USAGE', 'attenuationTable: bin energies must increase');
  }
  for (const id of materials) lib.get(id); // unknown id: E_MATERIAL naming it, before any work
  const table = new Float32Array(materials.length * n);
  const samples = Array.from({ length: n }, (_, b) => {
    const [lo, hi] = binBounds(energiesKeV, b, binWidthKeV);
    return hi > lo ? binSamples(lo, hi) : Float64Array.of(lo);
  });
  materials.forEach((id, m) => {
    for (let b = 0; b < n; b++) {
      const s = samples[b]!;
      let sum = 0;
      for (const e of s) sum += lib.linearAttenuation(id, e);
      table[m * n + b] = sum / s.length;
    }
  });
  return table;
}

/**
 * Σ_b w_b exp(-Σ_m mu_mb L_m). With weights summing to 1 this is the transmission
 * relative to the open beam. Negative lengths count as 0, as in transmission.ts
 * (the L-buffer leaves tiny negatives where a ray grazes a surface).
 */
export function polychromaticTransmission(
  pathLengthsCm: ArrayLike<number>,
  table: Float32Array,
  materialCount: number,
  weights: Float64Array,
): number {
  const bins = weights.length;
  if (pathLengthsCm.length !== materialCount || table.length !== materialCount * bins) {
    throw new ExorayError(
      'E_USAGE',
      `polychromaticTransmission: ${pathLengthsCm.length} path lengths, ${materialCount} materials, ${bins} weights and a table of ` +
        `${table.length} (needs materials x bins = ${materialCount * bins})`,
    );
  }
  let t = 0;
  for (let b = 0; b < bins; b++) {
    let a = 0;
    for (let m = 0; m < materialCount; m++) {
      const l = pathLengthsCm[m]!;
      if (l > 0) a += table[m * bins + b]! * l;
    }
    t += weights[b]! * Math.exp(-a);
  }
  return t;
}

/**
 * -ln(T)/t for a slab of one material (its row of the table, 1/cm) and thickness t:
 * the mu a monochromatic beam would need to give the same transmission. It falls
 * with thickness as the beam hardens.
 */
export function effectiveAttenuation(thicknessCm: number, muPerBin: ArrayLike<number>, weights: Float64Array): number {
  if (!(thicknessCm > 0)) throw new ExorayError('E_USAGE', `effectiveAttenuation: thickness must be > 0 cm, got ${thicknessCm}`);
  if (muPerBin.length !== weights.length) {
    throw new ExorayError('E_USAGE', `effectiveAttenuation: ${muPerBin.length} mu values for ${weights.length} weights`);
  }
  let t = 0;
  let w = 0;
  for (let b = 0; b < weights.length; b++) {
    t += weights[b]! * Math.exp(-muPerBin[b]! * thicknessCm);
    w += weights[b]!;
  }
  return -Math.log(t / w) / thicknessCm;
}

export interface ScannerResponse {
  spectrum: Spectrum;
  weights: DualEnergyWeights;
}

/** Tube spectrum and the detector's low/high weights in one call. Reads emission_lines.csv unless `lines` is given. */
export function scannerResponse(
  settings: TubeSettings,
  detector: SandwichDetector,
  lib: MaterialLibrary,
  lines: readonly EmissionLine[] = loadEmissionLines(lib.nist.dir),
): ScannerResponse {
  const spectrum = tubeSpectrum(settings, lib, lines);
  return { spectrum, weights: dualEnergyWeights(spectrum, detector, lib) };
}
