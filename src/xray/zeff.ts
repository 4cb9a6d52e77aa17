/**
 * Effective atomic number: the power-law definition from a composition, and its
 * estimate from a dual-energy pair (T_low, T_high) by calibration against
 * reference materials, as baggage scanners do it.
 *
 * Estimation. For a slab, R = A_low / A_high with A = -ln T depends on what the
 * slab is made of (photoelectric absorption, ~Z^3/E^3, hits the low channel
 * harder) and, through beam hardening, on how thick it is, but not on its
 * density: at a fixed A_high every material of one composition gives one R. So
 * each reference material is traced over a grid of thicknesses into a curve
 * R_ref(A_high); an observed pixel is placed between the two references whose R
 * brackets its own at its A_high, and Z_eff is interpolated linearly in R
 * between their Z_eff. All of that is baked into a 2D table over (A_high, R) so
 * that a pixel costs two logarithms and one lookup.
 *
 * Limits (of two-channel estimation itself, not of this code): R rises with Z
 * only while no absorption edge falls between the channels. Lead's K edge
 * (88 keV) lies inside a 140 kV copper-filtered high channel, so lead's R falls
 * below iron's, and for thick lead to that of plastics: lead that is not opaque
 * reads low. Tin's K edge (29 keV) makes very thin tin read as mixed. Where a
 * reference breaks the order it is left out of that part of the table.
 */
import { ExorayError } from '../core/errors.js';
import { formulaElementFractions, mixtureMassAttenuation } from './composition.js';
import type { ElementInfo, NistData } from './nist.js';

/**
 * Exponent of the power-law Z_eff = (sum_i a_i Z_i^p)^(1/p), a_i the fraction of
 * electrons contributed by element i. p = 2.94 is Spiers' (1946) value, fitted
 * to photoelectric absorption, which goes as ~Z^4 per atom so ~Z^3 per
 * electron; it gives water 7.42, the textbook figure.
 */
export const ZEFF_EXPONENT = 2.94;

/** Z_eff of a composition given as element symbol -> mass fraction (normalised here). */
export function zeffFromFractions(massFractions: ReadonlyMap<string, number>, elementInfo: ReadonlyMap<string, ElementInfo>): number {
  let electrons = 0;
  let weighted = 0;
  for (const [symbol, w] of massFractions) {
    const info = elementInfo.get(symbol);
    if (!info) throw new ExorayError('E_MATERIAL', `Z_eff: "${symbol}" is not an element with NIST data`);
    if (!(w >= 0)) throw new ExorayError('E_MATERIAL', `Z_eff: mass fraction of ${symbol} is ${w}; it must be >= 0`);
    const e = w * info.zOverA; // electrons per gram, up to Avogadro's number
    electrons += e;
    weighted += e * Math.pow(info.z, ZEFF_EXPONENT);
  }
  if (!(electrons > 0)) throw new ExorayError('E_MATERIAL', 'Z_eff: the composition is empty');
  return Math.pow(weighted / electrons, 1 / ZEFF_EXPONENT);
}

/** Per-channel energy weights of a dual-energy detector: each of `low` and `high` sums to 1 over the bins. */
export interface DualEnergyResponse {
  energiesKeV: Float64Array;
  low: Float64Array;
  high: Float64Array;
}

export interface ZeffReference {
  name: string;
  formula: string;
  massFractions: Map<string, number>;
  zeff: number;
}

/**
 * Calibration materials, as a scanner maker's step wedges would be: plastics
 * and water for organics, light metals for the mixed band, then metals up to
 * lead. Chosen to span Z_eff 5.4 to 82 with no gap wider than the colour bands.
 */
export const ZEFF_REFERENCE_FORMULAS: ReadonlyArray<{ name: string; formula: string }> = [
  { name: 'polyethylene', formula: 'C2H4' },
  { name: 'graphite', formula: 'C' },
  { name: 'POM (delrin)', formula: 'CH2O' },
  { name: 'water', formula: 'H2O' },
  { name: 'PTFE (teflon)', formula: 'CF2' },
  { name: 'magnesium', formula: 'Mg' },
  { name: 'aluminium', formula: 'Al' },
  { name: 'silicon', formula: 'Si' },
  { name: 'calcium', formula: 'Ca' },
  { name: 'titanium', formula: 'Ti' },
  { name: 'iron', formula: 'Fe' },
  { name: 'copper', formula: 'Cu' },
  { name: 'tin', formula: 'Sn' },
  { name: 'lead', formula: 'Pb' },
];

/** The reference materials resolved against the NIST element list, sorted by Z_eff. */
export function zeffReferences(nist: Pick<NistData, 'elementInfo'>, formulas = ZEFF_REFERENCE_FORMULAS): ZeffReference[] {
  return formulas
    .map(({ name, formula }) => {
      const massFractions = formulaElementFractions(formula, nist);
      return { name, formula, massFractions, zeff: zeffFromFractions(massFractions, nist.elementInfo) };
    })
    .sort((a, b) => a.zeff - b.zeff);
}

/** mu/rho (cm^2/g) of a reference by the mixture rule, for calibrateZeff. */
export function referenceMassAttenuation(nist: Pick<NistData, 'elementsBySymbol' | 'compounds'>): (ref: ZeffReference, keV: number) => number {
  return (ref, keV) =>
    mixtureMassAttenuation(
      [...ref.massFractions].map(([key, fraction]) => ({ kind: 'element' as const, key, fraction })),
      nist,
      keV,
    );
}

export interface ZeffCalibrationOptions {
  /** Table columns over A_high (spaced in sqrt(A_high): beam hardening bends R fastest when thin). Default 256. */
  nA?: number;
  /** Table rows over R. Default 1024. */
  nR?: number;
  /** Smallest transmission told apart from 0 (16-bit output: 1/65535). Default 1/65535. */
  tFloor?: number;
  /** Below this A_high (T_high > 0.999) R is noise; such pixels get Z_eff 0 ("cannot tell"). Default 1e-3. */
  aHighMin?: number;
}

export interface ZeffCalibration {
  references: { name: string; zeff: number }[];
  tFloor: number;
  aHighMin: number;
  /** -ln(tFloor): the largest measurable absorbance. */
  aMax: number;
  nA: number;
  nR: number;
  rMin: number;
  rMax: number;
  /** Z_eff by [column of A_high][row of R], nA * nR. */
  table: Float32Array;
}

/** Stepping the thickness by 4.7 % keeps linear interpolation of R in A_high far below the table's resolution. */
const THICKNESS_STEPS = 400;
const THICKNESS_MIN = 1e-4;
const THICKNESS_MAX = 1e4;

/**
 * Builds the (A_high, R) -> Z_eff table. `muOf` may return mu/rho or mu: the
 * curves are traced in A_high, which absorbs density and thickness units.
 */
export function calibrateZeff(
  response: DualEnergyResponse,
  muOf: (ref: ZeffReference, keV: number) => number,
  refs: readonly ZeffReference[],
  options: ZeffCalibrationOptions = {},
): ZeffCalibration {
  const { nA = 256, nR = 1024, tFloor = 1 / 65535, aHighMin = 1e-3 } = options;
  checkResponse(response);
  if (refs.length < 2) throw new ExorayError('E_MATERIAL', `Z_eff calibration needs at least 2 reference materials, got ${refs.length}`);
  if (!(tFloor > 0 && tFloor < 1)) throw new ExorayError('E_USAGE', `Z_eff calibration: tFloor must be in (0, 1), got ${tFloor}`);
  const aMax = -Math.log(tFloor);
  const sorted = [...refs].sort((a, b) => a.zeff - b.zeff);
  const curves = sorted.map((ref) => traceCurve(response, (keV) => muOf(ref, keV), aMax));

  // R of every reference at each column's A_high.
  const rAt = new Float64Array(nA * sorted.length);
  let rMin = Infinity;
  let rMax = -Infinity;
  for (let i = 0; i < nA; i++) {
    const aHigh = columnAHigh(i, nA, aMax);
    for (let k = 0; k < sorted.length; k++) {
      const r = curveR(curves[k]!, aHigh);
      rAt[i * sorted.length + k] = r;
      rMin = Math.min(rMin, r);
      rMax = Math.max(rMax, r);
    }
  }
  rMin *= 0.95;
  rMax *= 1.05;

  const table = new Float32Array(nA * nR);
  const keptR: number[] = [];
  const keptZ: number[] = [];
  for (let i = 0; i < nA; i++) {
    // R must rise with Z to bracket. Where it does not (lead's K edge at 88 keV
    // inside the high channel; every metal once the low channel bottoms out at
    // tFloor), the higher-Z reference is dropped for this column.
    keptR.length = 0;
    keptZ.length = 0;
    for (let k = 0; k < sorted.length; k++) {
      const r = rAt[i * sorted.length + k]!;
      if (keptR.length === 0 || r > keptR[keptR.length - 1]! * (1 + 1e-6)) {
        keptR.push(r);
        keptZ.push(sorted[k]!.zeff);
      }
    }
    let k = 0;
    for (let j = 0; j < nR; j++) {
      const r = rMin + ((j + 0.5) * (rMax - rMin)) / nR;
      while (k < keptR.length - 1 && keptR[k + 1]! < r) k++;
      let z: number;
      if (r <= keptR[0]!) z = keptZ[0]!;
      else if (k >= keptR.length - 1) z = keptZ[keptZ.length - 1]!;
      else z = keptZ[k]! + ((keptZ[k + 1]! - keptZ[k]!) * (r - keptR[k]!)) / (keptR[k + 1]! - keptR[k]!);
      table[i * nR + j] = z;
    }
  }
  return { references: sorted.map(({ name, zeff }) => ({ name, zeff })), tFloor, aHighMin, aMax, nA, nR, rMin, rMax, table };
}

/** A_high at the centre of column i: columns are uniform in sqrt(A_high / aMax). */
function columnAHigh(i: number, nA: number, aMax: number): number {
  const s = (i + 0.5) / nA;
  return aMax * s * s;
}

interface Curve {
  aHigh: Float64Array;
  r: Float64Array;
}

/** R(A_high) of one material from zero thickness until A_high passes aMax. */
function traceCurve(response: DualEnergyResponse, mu: (keV: number) => number, aMax: number): Curve {
  const { energiesKeV, low, high } = response;
  const muE = Float64Array.from(energiesKeV, (e) => mu(e));
  const lnLow = Float64Array.from(low, Math.log);
  const lnHigh = Float64Array.from(high, Math.log);
  let mLow = 0;
  let mHigh = 0;
  for (let b = 0; b < muE.length; b++) {
    mLow += low[b]! * muE[b]!;
    mHigh += high[b]! * muE[b]!;
  }
  const aHigh: number[] = [0];
  const r: number[] = [mLow / mHigh]; // the thin limit: A ~ t * (weighted mean mu)
  for (let s = 0; s < THICKNESS_STEPS; s++) {
    const t = THICKNESS_MIN * Math.pow(THICKNESS_MAX / THICKNESS_MIN, s / (THICKNESS_STEPS - 1));
    const ah = absorbance(lnHigh, muE, t);
    // The measured low image cannot go below tFloor either; model that, or thick metals read low.
    const al = Math.min(absorbance(lnLow, muE, t), aMax);
    aHigh.push(ah);
    r.push(al / ah);
    if (ah > aMax) break;
  }
  return { aHigh: Float64Array.from(aHigh), r: Float64Array.from(r) };
}

/** -ln sum_b w_b exp(-mu_b t), via log-sum-exp so thick metals do not underflow to infinity. */
function absorbance(lnW: Float64Array, mu: Float64Array, t: number): number {
  let best = -Infinity;
  for (let b = 0; b < mu.length; b++) best = Math.max(best, lnW[b]! - mu[b]! * t);
  let sum = 0;
  for (let b = 0; b < mu.length; b++) sum += Math.exp(lnW[b]! - mu[b]! * t - best);
  return -(best + Math.log(sum));
}

function curveR(c: Curve, aHigh: number): number {
  const n = c.aHigh.length;
  if (aHigh >= c.aHigh[n - 1]!) return c.r[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (c.aHigh[mid]! <= aHigh) lo = mid;
    else hi = mid;
  }
  const f = (aHigh - c.aHigh[lo]!) / (c.aHigh[hi]! - c.aHigh[lo]!);
  return c.r[lo]! + f * (c.r[hi]! - c.r[lo]!);
}

function checkResponse(r: DualEnergyResponse): void {
  const n = r.energiesKeV.length;
  if (n === 0 || r.low.length !== n || r.high.length !== n) {
    throw new ExorayError('E_USAGE', `dual-energy response: ${n} energies but ${r.low.length} low and ${r.high.length} high weights`);
  }
  for (const [name, w] of [['low', r.low], ['high', r.high]] as const) {
    let sum = 0;
    for (const v of w) {
      if (!(v >= 0)) throw new ExorayError('E_USAGE', `dual-energy response: a ${name} weight is ${v}; weights must be >= 0`);
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-6) throw new ExorayError('E_USAGE', `dual-energy response: ${name} weights sum to ${sum}, not 1`);
  }
}

/** A transmission image: floats with 1 = open beam, or 16-bit with 65535 = open beam. */
export type TransmissionImage = Float32Array | Uint16Array;

const uint16Absorbance = new Map<number, Float32Array>();

/**
 * ln(1 + i / 2^12), i = 0..2^12: the mantissa part of the logarithm. Linear
 * interpolation between entries is exact to ~1e-8, far below float32's own
 * resolution of T near 1, and it takes a third of the time of Math.log, which is
 * the bulk of the per-pixel cost.
 */
const MANTISSA_BITS = 12;
const lnMantissa = Float64Array.from({ length: (1 << MANTISSA_BITS) + 1 }, (_, i) => Math.log1p(i / (1 << MANTISSA_BITS)));

/** -ln T of every 16-bit level (T = level / 65535 floored at tFloor), float32, built once per tFloor. */
export function absorbanceLut16(tFloor: number): Float32Array {
  let lut = uint16Absorbance.get(tFloor);
  if (!lut) {
    lut = new Float32Array(65536);
    for (let v = 0; v < 65536; v++) lut[v] = -Math.log(Math.max(v / 65535, tFloor));
    uint16Absorbance.set(tFloor, lut);
  }
  return lut;
}

/** -ln T per pixel, T floored at tFloor and A floored at 0 (noise can push T above 1). */
export function absorbanceImage(img: TransmissionImage, tFloor: number, out = new Float32Array(img.length)): Float32Array {
  if (out.length < img.length) throw new ExorayError('E_USAGE', `absorbance: output has ${out.length} pixels, image ${img.length}`);
  const aMax = -Math.log(tFloor);
  if (img instanceof Uint16Array) {
    const lut = absorbanceLut16(tFloor);
    for (let i = 0; i < img.length; i++) out[i] = lut[img[i]!]!;
    return out;
  }
  // ln t = (exponent - 127) ln 2 + ln(1.mantissa), read straight from the float's bits.
  const bits = new Uint32Array(img.buffer, img.byteOffset, img.length);
  const shift = 23 - MANTISSA_BITS;
  const fracScale = 1 / (1 << shift);
  for (let i = 0; i < img.length; i++) {
    const t = img[i]!;
    if (t >= 1) out[i] = 0;
    else if (!(t > tFloor)) out[i] = aMax; // also NaN: no signal
    else {
      const b = bits[i]!;
      const m = b & 0x7fffff;
      const k = m >>> shift;
      const lo = lnMantissa[k]!;
      out[i] = -(((b >>> 23) - 127) * Math.LN2 + lo + (m & ((1 << shift) - 1)) * fracScale * (lnMantissa[k + 1]! - lo));
    }
  }
  return out;
}

/** Z_eff from absorbances; 0 where A_high is too small to tell (see aHighMin). O(1). */
export function zeffFromAbsorbance(cal: ZeffCalibration, aLow: number, aHigh: number): number {
  if (!(aHigh >= cal.aHighMin)) return 0;
  const s = Math.sqrt(aHigh / cal.aMax);
  const i = Math.min(cal.nA - 1, Math.floor(s * cal.nA));
  const r = (aLow > 0 ? aLow : 0) / aHigh;
  let j = Math.floor(((r - cal.rMin) / (cal.rMax - cal.rMin)) * cal.nR);
  j = j < 0 ? 0 : j >= cal.nR ? cal.nR - 1 : j;
  return cal.table[i * cal.nR + j]!;
}

/** Z_eff of one pixel from its two transmissions (floats, 1 = open beam). */
export function zeffOfPixel(cal: ZeffCalibration, tLow: number, tHigh: number): number {
  const a = (t: number) => (t >= 1 ? 0 : -Math.log(Math.max(t, cal.tFloor)));
  return zeffFromAbsorbance(cal, a(tLow), a(tHigh));
}

/** Pixels per block of eachAbsorbanceBlock: small enough to stay in L1/L2 cache. */
const BLOCK = 4096;
const blockLow = new Float32Array(BLOCK);
const blockHigh = new Float32Array(BLOCK);

/**
 * Calls visit(start, aLow, aHigh, count) for consecutive blocks of pixels, with
 * the blocks' absorbances in reused buffers (valid only during the call): no
 * image-sized temporaries for a per-pixel pass.
 */
export function eachAbsorbanceBlock(
  tLow: TransmissionImage,
  tHigh: TransmissionImage,
  tFloor: number,
  visit: (start: number, aLow: Float32Array, aHigh: Float32Array, count: number) => void,
): void {
  if (tLow.length !== tHigh.length) throw new ExorayError('E_USAGE', `dual-energy images differ in size: low ${tLow.length} pixels, high ${tHigh.length}`);
  for (let start = 0; start < tLow.length; start += BLOCK) {
    const end = Math.min(tLow.length, start + BLOCK);
    absorbanceImage(tLow.subarray(start, end), tFloor, blockLow);
    absorbanceImage(tHigh.subarray(start, end), tFloor, blockHigh);
    visit(start, blockLow, blockHigh, end - start);
  }
}

/** Z_eff per pixel (0 = too little attenuation to tell). Same lookup as zeffFromAbsorbance, hoisted for speed. */
export function estimateZeff(cal: ZeffCalibration, tLow: TransmissionImage, tHigh: TransmissionImage, out?: Float32Array): Float32Array {
  const result = out ?? new Float32Array(tLow.length);
  if (result.length !== tLow.length) throw new ExorayError('E_USAGE', `Z_eff: output has ${result.length} pixels, images ${tLow.length}`);
  const { table, nA, nR, aHighMin, rMin } = cal;
  const aScale = 1 / cal.aMax;
  const rScale = nR / (cal.rMax - rMin);
  eachAbsorbanceBlock(tLow, tHigh, cal.tFloor, (start, aLow, aHigh, count) => {
    for (let q = 0; q < count; q++) {
      const ah = aHigh[q]!;
      if (!(ah >= aHighMin)) {
        result[start + q] = 0;
        continue;
      }
      const i = Math.min(nA - 1, (Math.sqrt(ah * aScale) * nA) | 0);
      let j = Math.floor((aLow[q]! / ah - rMin) * rScale);
      j = j < 0 ? 0 : j >= nR ? nR - 1 : j;
      result[start + q] = table[i * nR + j]!;
    }
  });
  return result;
}
