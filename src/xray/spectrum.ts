/**
 * Tungsten-anode tube spectrum: Kramers bremsstrahlung plus the W K lines,
 * self-filtered by the anode and filtered by the added filters (Beer-Lambert).
 * Pure: takes the material library and the emission lines already loaded.
 *
 * Model and its limits:
 * - Bremsstrahlung: Kramers' thick-target law, photons per keV ∝ (kVp - E)/E
 *   (energy fluence ∝ kVp - E). A constant-potential generator is assumed (no ripple).
 * - Electrons slow down by the Thomson-Whiddington law, (rho x) = (T0^2 - T^2)/C.
 *   With Kramers' thin-target cross-section ∝ 1/(E T) and dT/dx ∝ 1/T, photons of
 *   energy E are emitted uniformly in electron energy T over [E, T0]; that fixes the
 *   depth distribution, and each photon leaves through depth/sin(anode angle) of
 *   tungsten (heel effect: central ray only). Electron diffusion and backscatter are
 *   folded into the one fitted constant C (see ANODE_TW_CONSTANT).
 * - K lines: the total number follows Green & Cosslett's thick-target yield
 *   ∝ (U - 1)^1.63, U = kVp / E_K, shared among the lines by the NIST relative
 *   intensities; they are produced while T > E_K, at the depths that implies.
 *   L lines (8-12 keV) are ignored: no realistic filtration lets them through.
 * - Filters: Beer-Lambert, evaluated at SAMPLES_PER_BIN energies inside each bin
 *   (the library handles absorption edges), so a bin's transmission is the mean
 *   over the bin rather than the value at its centre.
 */
import { ExorayError } from '../core/errors.js';
import { tungstenKLines, TUNGSTEN_K_EDGE_KEV, type EmissionLine } from './emission.js';
import { interpolateTable } from './interpolate.js';
import type { MaterialLibrary } from './materials.js';

export interface TubeSettings {
  kVp: number;
  /** Anode (target) angle, degrees; default DEFAULT_ANODE_ANGLE_DEG. */
  anodeAngleDeg?: number;
  /** Added filtration (tube window, oil, filters), beam-side order irrelevant. */
  filtration: Array<{ material: string; thicknessMm: number }>;
  /** Default 2. */
  binWidthKeV?: number;
  /** Default 10. */
  minKeV?: number;
}

export interface Spectrum {
  /** Bin centres, keV; the bins are whole, equal and end at kVp. */
  energiesKeV: Float64Array;
  binWidthKeV: number;
  /** Relative photon fluence per bin, sums to 1. */
  photons: Float64Array;
}

export const DEFAULT_BIN_WIDTH_KEV = 2;
export const DEFAULT_MIN_KEV = 10;
/** A common target angle of tungsten tubes (10-20 degrees); the heel effect is not modelled. */
export const DEFAULT_ANODE_ANGLE_DEG = 12;
/** Energies sampled inside each bin for bin-averaged attenuation. */
export const SAMPLES_PER_BIN = 8;

/**
 * A 140 kV baggage-scanner beam. Checkpoint dual-energy scanners run at 140-160 kV;
 * tube glass, oil and window plus any added filter amount to a few mm of aluminium,
 * here 2.5 mm Al. An assumption within that range, not one scanner's datasheet.
 */
export const DEFAULT_TUBE: Readonly<TubeSettings> = Object.freeze({
  kVp: 140,
  anodeAngleDeg: DEFAULT_ANODE_ANGLE_DEG,
  filtration: [{ material: 'aluminium', thicknessMm: 2.5 }],
});

/**
 * Thomson-Whiddington constant C for tungsten, keV^2 cm^2/g: depth (g/cm^2) at which
 * an electron of initial energy T0 has slowed to T is (T0^2 - T^2)/C. Fitted so that
 * the step of the spectrum at the W K edge (69.5 keV), which only self-filtration
 * makes, matches the reference spectra cited at K_LINE_YIELD (bremsstrahlung just
 * above / just below the edge, after removing the Kramers slope: 0.93 at 100 kV,
 * 0.78 at 120 kV; the model gives 0.93 and 0.79). Full penetration at 100 keV is
 * then 1e4/C = 0.014 g/cm^2 (7 µm of W), well under the CSDA range, as it should be:
 * electrons diffuse and backscatter in high-Z targets. The same fit leaves the mean
 * energy of those spectra 0.5-1.6 keV above the references'.
 */
export const ANODE_TW_CONSTANT = 7.0e5;
const TUNGSTEN_SAMPLES = 16;

/**
 * K-line photons per electron = K_LINE_YIELD * (U - 1)^K_YIELD_EXPONENT, in the units
 * of Kramers' law written as (kVp - E)/E photons per keV (so it is a number of keV).
 * Exponent: Green & Cosslett, J. Phys. D 1 (1968) 425, thick-target K yield.
 * Scale: fitted to the K-line share of the photon fluence in spectra from the
 * "Calculation of X-ray spectra v3.5" program (public .spc files in
 * github.com/mumcusena/ODYSSEUS_simulations): 80 kV, 18°, 7 mm Be + 3 mm Al: 2.0 %;
 * 100 kV, 18°, 7 mm Be + 3 mm Al: 6.3 %; 120 kV, 11.5°, 2.5 mm Al + 0.12 mm Cu: 10.7 %.
 * The model gives 1.9 %, 6.0 % and 10.6 % for those three beams; 11.5 % at 140 kV
 * behind 2.5 mm Al (DEFAULT_TUBE). Filtration raises the share: it removes
 * bremsstrahlung below the lines more than the lines themselves.
 */
export const K_LINE_YIELD = 10;
export const K_YIELD_EXPONENT = 1.63;

export interface ResolvedTubeSettings {
  kVp: number;
  anodeAngleDeg: number;
  filtration: Array<{ material: string; thicknessCm: number }>;
  binWidthKeV: number;
  minKeV: number;
}

/** Check settings and fill defaults; E_USAGE for bad numbers, E_MATERIAL for an unknown filter. */
export function resolveTubeSettings(settings: TubeSettings, lib: Pick<MaterialLibrary, 'has' | 'ids'>): ResolvedTubeSettings {
  const { kVp } = settings;
  const bad = (message: string): never => {
    throw new ExorayError('E_USAGE', `tube settings: ${message}`);
  };
  if (!Number.isFinite(kVp) || kVp < 20 || kVp > 450) bad(`kVp must be a number from 20 to 450, got ${kVp}`);
  const anodeAngleDeg = settings.anodeAngleDeg ?? DEFAULT_ANODE_ANGLE_DEG;
  if (!(anodeAngleDeg > 0 && anodeAngleDeg < 90)) bad(`anodeAngleDeg must be between 0 and 90 degrees, got ${anodeAngleDeg}`);
  const binWidthKeV = settings.binWidthKeV ?? DEFAULT_BIN_WIDTH_KEV;
  if (!(binWidthKeV >= 0.1 && binWidthKeV <= 20)) bad(`binWidthKeV must be from 0.1 to 20 keV, got ${binWidthKeV}`);
  const minKeV = settings.minKeV ?? DEFAULT_MIN_KEV;
  // NIST tables start at 1 keV; the top bin must fit under kVp.
  if (!(minKeV >= 1 && minKeV <= kVp - binWidthKeV)) {
    bad(`minKeV must be at least 1 keV and leave one ${binWidthKeV} keV bin below kVp ${kVp}, got ${minKeV}`);
  }
  if (!Array.isArray(settings.filtration)) bad('filtration must be a list of { material, thicknessMm }');
  const filtration = settings.filtration.map((f, i) => {
    if (!lib.has(f.material)) {
      throw new ExorayError(
        'E_MATERIAL',
        `tube settings: filtration[${i}] material "${f.material}" is unknown; known materials: ${lib.ids().join(', ')}`,
      );
    }
    if (!(Number.isFinite(f.thicknessMm) && f.thicknessMm >= 0)) {
      bad(`filtration[${i}] (${f.material}) thicknessMm must be a number >= 0, got ${f.thicknessMm}`);
    }
    return { material: f.material, thicknessCm: f.thicknessMm / 10 };
  });
  return { kVp, anodeAngleDeg, filtration, binWidthKeV, minKeV };
}

/**
 * Bin centres: whole bins of `width` ending exactly at kVp, starting at or just above
 * minKeV (a strip narrower than one bin at the bottom is dropped; filtration empties it).
 */
export function binCentres(kVp: number, minKeV: number, width: number): Float64Array {
  const n = Math.floor((kVp - minKeV) / width + 1e-9);
  const start = kVp - n * width;
  return Float64Array.from({ length: n }, (_, i) => start + (i + 0.5) * width);
}

/** ∫ (kVp - E)/E dE over [lo, hi] clipped to (0, kVp]: Kramers photons in a band (0 above kVp). */
export function kramersPhotons(kVp: number, lo: number, hi: number): number {
  const b = Math.min(hi, kVp);
  if (!(b > lo) || lo <= 0) return 0;
  return kVp * Math.log(b / lo) - (b - lo);
}

/** Total W K-line photons per electron, same units as kramersPhotons; 0 at or below the K edge. */
export function characteristicPhotons(kVp: number): number {
  const u = kVp / TUNGSTEN_K_EDGE_KEV;
  return u > 1 ? K_LINE_YIELD * Math.pow(u - 1, K_YIELD_EXPONENT) : 0;
}

/**
 * Mean transmission through the anode for photons of mass attenuation `muRhoW`
 * (cm^2/g of W) emitted while the electron's energy T runs uniformly over [fromKeV, kVp].
 */
export function anodeTransmission(muRhoW: number, fromKeV: number, kVp: number, anodeAngleDeg: number): number {
  if (fromKeV >= kVp) return 1;
  const k = muRhoW / (ANODE_TW_CONSTANT * Math.sin((anodeAngleDeg * Math.PI) / 180));
  const dT = (kVp - fromKeV) / TUNGSTEN_SAMPLES;
  let sum = 0;
  for (let i = 0; i < TUNGSTEN_SAMPLES; i++) {
    const t = fromKeV + (i + 0.5) * dT;
    sum += Math.exp(-k * (kVp * kVp - t * t));
  }
  return sum / TUNGSTEN_SAMPLES;
}

/** Midpoints of `n` equal sub-intervals of [lo, hi]: where bin averages are sampled. */
export function binSamples(lo: number, hi: number, n = SAMPLES_PER_BIN): Float64Array {
  const d = (hi - lo) / n;
  return Float64Array.from({ length: n }, (_, i) => lo + (i + 0.5) * d);
}

export interface SpectrumComponents {
  spectrum: Spectrum;
  /** Share of the filtered photons that are K-line photons. */
  characteristicFraction: number;
}

/** The spectrum and, for checking against references, its K-line share. */
export function tubeSpectrumComponents(settings: TubeSettings, lib: MaterialLibrary, lines: readonly EmissionLine[]): SpectrumComponents {
  const s = resolveTubeSettings(settings, lib);
  const tungsten = lib.nist.elementsBySymbol.get('W');
  if (!tungsten) throw new ExorayError('E_NIST_DATA', `no NIST table for tungsten (W) in ${lib.nist.dir}`);
  const energies = binCentres(s.kVp, s.minKeV, s.binWidthKeV);
  const half = s.binWidthKeV / 2;
  const filterTransmission = (e: number, muW: number, fromKeV: number): number => {
    let a = 0;
    for (const f of s.filtration) if (f.thicknessCm > 0) a += lib.linearAttenuation(f.material, e) * f.thicknessCm;
    return Math.exp(-a) * anodeTransmission(muW, fromKeV, s.kVp, s.anodeAngleDeg);
  };
  const brems = new Float64Array(energies.length);
  const chars = new Float64Array(energies.length);
  energies.forEach((c, b) => {
    const sub = binSamples(c - half, c + half);
    const d = s.binWidthKeV / sub.length;
    for (const e of sub) {
      brems[b] += kramersPhotons(s.kVp, e - d / 2, e + d / 2) * filterTransmission(e, interpolateTable(tungsten, e), e);
    }
  });
  const kTotal = characteristicPhotons(s.kVp);
  if (kTotal > 0) {
    const k = tungstenKLines(lines).filter((l) => l.energyKeV < s.kVp);
    const sumRel = k.reduce((a, l) => a + l.relativeIntensity, 0);
    const start = energies[0]! - half;
    for (const l of k) {
      const b = Math.floor((l.energyKeV - start) / s.binWidthKeV);
      if (b < 0 || b >= energies.length) continue;
      const n = (kTotal * l.relativeIntensity) / sumRel;
      chars[b] += n * filterTransmission(l.energyKeV, interpolateTable(tungsten, l.energyKeV), TUNGSTEN_K_EDGE_KEV);
    }
  }
  const photons = new Float64Array(energies.length);
  let total = 0;
  let charTotal = 0;
  for (let b = 0; b < photons.length; b++) {
    photons[b] = brems[b]! + chars[b]!;
    total += photons[b]!;
    charTotal += chars[b]!;
  }
  if (!(total > 0)) {
    throw new ExorayError('E_USAGE', `tube settings: the filtration stops every photon from ${s.minKeV} to ${s.kVp} keV; use less filtration`);
  }
  for (let b = 0; b < photons.length; b++) photons[b] /= total;
  return {
    spectrum: { energiesKeV: energies, binWidthKeV: s.binWidthKeV, photons },
    characteristicFraction: charTotal / total,
  };
}

/** Normalised photon spectrum of a tungsten tube (see the module comment for the model). */
export function tubeSpectrum(settings: TubeSettings, lib: MaterialLibrary, lines: readonly EmissionLine[]): Spectrum {
  return tubeSpectrumComponents(settings, lib, lines).spectrum;
}

/** Σ w E / Σ w. */
export function weightedMeanEnergy(energiesKeV: ArrayLike<number>, w: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < energiesKeV.length; i++) {
    num += w[i]! * energiesKeV[i]!;
    den += w[i]!;
  }
  return den > 0 ? num / den : NaN;
}

/** Photon-weighted mean energy of a spectrum, keV. */
export function spectrumMeanEnergy(s: Spectrum): number {
  return weightedMeanEnergy(s.energiesKeV, s.photons);
}
