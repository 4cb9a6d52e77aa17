/**
 * The dual-energy sandwich detector of a baggage line scanner: a thin front
 * scintillator gives the low-energy image, a metal filter hardens the beam, a
 * thick back scintillator gives the high-energy image. Pure.
 *
 * Model (energy-integrating scintillators):
 *   signal(E) = photons(E) * E * (1 - exp(-mu t)) * mu_en/mu
 * per layer, the back layer seeing the beam after the front layer and the filter.
 * Simplifications: mu_en/mu counts the energy kept locally as if the layer were
 * thick for its secondaries (K-fluorescence escape from thin CsI/GOS near their
 * K edges is thereby only approximate); light yield, optical spread, electronic
 * noise and scatter from the object are left out; the beam is taken as normal to
 * the layers. Each bin's response is averaged over SAMPLES_PER_BIN energies in the
 * bin, so a scintillator's K edge (I 33.2, Cs 36.0, Gd 50.2 keV) inside a bin counts
 * for the part of the bin above it.
 */
import { ExorayError } from '../core/errors.js';
import type { MaterialLibrary } from './materials.js';
import { binSamples, weightedMeanEnergy, type Spectrum } from './spectrum.js';

export interface Layer {
  material: string;
  thicknessMm: number;
}

export interface SandwichDetector {
  front: Layer;
  filter: Layer;
  back: Layer;
}

export interface DualEnergyWeights {
  /** Bin centres, keV (the spectrum's). */
  energiesKeV: Float64Array;
  /** Low-energy (front layer) weight per bin, sums to 1. */
  low: Float64Array;
  /** High-energy (back layer) weight per bin, sums to 1. */
  high: Float64Array;
}

/**
 * Typical of checkpoint dual-energy line detectors (dual-energy detector cards of
 * baggage scanners): a front CsI(Tl) or GOS layer of a few tenths of a millimetre
 * that stops most photons below ~50 keV, a copper filter of 0.3-1 mm, a back CsI(Tl)
 * (or CdWO4) crystal of 2-6 mm that stops most of what remains. Values inside those
 * ranges, not one vendor's datasheet.
 */
export const DEFAULT_SANDWICH: Readonly<SandwichDetector> = Object.freeze({
  front: Object.freeze({ material: 'cesium_iodide', thicknessMm: 0.5 }),
  filter: Object.freeze({ material: 'copper', thicknessMm: 0.5 }),
  back: Object.freeze({ material: 'cesium_iodide', thicknessMm: 4 }),
});

/** E_MATERIAL for an unknown layer material, E_USAGE for a bad thickness. */
export function validateDetector(detector: SandwichDetector, lib: Pick<MaterialLibrary, 'has' | 'ids'>): void {
  for (const name of ['front', 'filter', 'back'] as const) {
    const layer = detector[name];
    if (!layer || typeof layer.material !== 'string') {
      throw new ExorayError('E_USAGE', `detector: ${name} layer must be { material, thicknessMm }`);
    }
    if (!lib.has(layer.material)) {
      throw new ExorayError('E_MATERIAL', `detector: ${name} layer material "${layer.material}" is unknown; known materials: ${lib.ids().join(', ')}`);
    }
    const t = layer.thicknessMm;
    // A zero filter is a legitimate "no filter"; a zero scintillator gives no signal to normalise.
    const ok = Number.isFinite(t) && (name === 'filter' ? t >= 0 : t > 0);
    if (!ok) throw new ExorayError('E_USAGE', `detector: ${name} layer thicknessMm must be ${name === 'filter' ? '>= 0' : '> 0'}, got ${t}`);
  }
}

/** Fraction of the incident energy at `keV` deposited in a layer: (1 - exp(-mu t)) * mu_en/mu. */
export function absorbedEnergyFraction(lib: MaterialLibrary, layer: Layer, keV: number): number {
  const muRho = lib.massAttenuation(layer.material, keV);
  const mu = muRho * lib.get(layer.material).density;
  return (1 - Math.exp((-mu * layer.thicknessMm) / 10)) * (lib.massEnergyAbsorption(layer.material, keV) / muRho);
}

/**
 * Energy deposited per bin in the front (low) and back (high) layers, keV per
 * incident photon of the spectrum: not normalised, so a thicker layer shows up as
 * more signal.
 */
export function dualEnergySignals(spectrum: Spectrum, detector: SandwichDetector, lib: MaterialLibrary): DualEnergyWeights {
  validateDetector(detector, lib);
  const { energiesKeV, photons, binWidthKeV } = spectrum;
  if (photons.length !== energiesKeV.length) {
    throw new ExorayError('E_USAGE', `spectrum has ${energiesKeV.length} energies but ${photons.length} photon bins`);
  }
  const n = energiesKeV.length;
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  const half = binWidthKeV / 2;
  const { front, filter, back } = detector;
  for (let b = 0; b < n; b++) {
    const sub = binSamples(energiesKeV[b]! - half, energiesKeV[b]! + half);
    let l = 0;
    let h = 0;
    for (const e of sub) {
      const reachesBack = Math.exp(
        (-lib.linearAttenuation(front.material, e) * front.thicknessMm - lib.linearAttenuation(filter.material, e) * filter.thicknessMm) / 10,
      );
      l += e * absorbedEnergyFraction(lib, front, e);
      h += e * reachesBack * absorbedEnergyFraction(lib, back, e);
    }
    low[b] = (photons[b]! * l) / sub.length;
    high[b] = (photons[b]! * h) / sub.length;
  }
  return { energiesKeV: Float64Array.from(energiesKeV), low, high };
}

/** dualEnergySignals with each channel normalised to sum 1 (an open beam then reads 1). */
export function dualEnergyWeights(spectrum: Spectrum, detector: SandwichDetector, lib: MaterialLibrary): DualEnergyWeights {
  const w = dualEnergySignals(spectrum, detector, lib);
  normalise(w.low, 'low');
  normalise(w.high, 'high');
  return w;
}

/** Mean energy of each channel's (energy-weighted) response, keV. */
export function meanEnergy(weights: DualEnergyWeights): { low: number; high: number } {
  return {
    low: weightedMeanEnergy(weights.energiesKeV, weights.low),
    high: weightedMeanEnergy(weights.energiesKeV, weights.high),
  };
}

function normalise(w: Float64Array, name: string): void {
  let sum = 0;
  for (const v of w) sum += v;
  if (!(sum > 0)) throw new ExorayError('E_USAGE', `detector: the ${name}-energy layer receives no energy from this spectrum`);
  for (let i = 0; i < w.length; i++) w[i] /= sum;
}
