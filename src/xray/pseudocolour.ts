/**
 * What the screener sees: the dual-energy pseudo-colour image, and the plain
 * greyscale of the high-energy channel.
 *
 * Colour convention. Dual-energy baggage scanners (Smiths Detection, Rapiscan,
 * Nuctech and others; also screener training material) colour by material
 * class: orange for organic (low Z: paper, clothing, food, plastics, explosives,
 * animals), green for mixed / light inorganic (aluminium, glass, salts, organics
 * over metal), blue for metal, black where nothing gets through. Brightness, not
 * hue, shows thickness. The Z_eff breakpoints are vendor-specific and not
 * published exactly; the figures generally quoted, and used here, are organic
 * below Z_eff 10 and metal above 18 (see DESIGN.md section 3).
 */
import { ExorayError } from '../core/errors.js';
import { absorbanceImage, absorbanceLut16, estimateZeff, zeffOfPixel, type TransmissionImage, type ZeffCalibration } from './zeff.js';

export type ZeffClass = 'organic' | 'mixed' | 'metal';
export type PixelClass = ZeffClass | 'opaque';

/** Z_eff below this is organic (orange). */
export const ORGANIC_MAX_ZEFF = 10;
/** Z_eff above this is metal (blue); between the two, mixed (green). */
export const METAL_MIN_ZEFF = 18;
/** Default T_high below which a pixel is impenetrable (black). */
export const OPAQUE_T_HIGH = 0.01;

export function classifyZeff(z: number): ZeffClass {
  return z < ORGANIC_MAX_ZEFF ? 'organic' : z < METAL_MIN_ZEFF ? 'mixed' : 'metal';
}

/** Class of one pixel from its transmissions (1 = open beam); 'opaque' when T_high < opaqueThreshold. */
export function classifyPixel(tLow: number, tHigh: number, cal: ZeffCalibration, opaqueThreshold = OPAQUE_T_HIGH): PixelClass {
  if (tHigh < opaqueThreshold) return 'opaque';
  return classifyZeff(zeffOfPixel(cal, tLow, tHigh));
}

export interface PseudoColourOptions {
  /** T_high below which a pixel is black. Default 0.01. */
  opaqueThreshold?: number;
  /** Width in Z_eff of the blend between two class colours, centred on the breakpoint. Default 2. */
  transitionWidth?: number;
  /**
   * A_high over which colour saturates: s = 1 - exp(-A_high / this). Default
   * 0.15, so the open beam stays white and 1 cm of water (A ~ 0.2) is already
   * clearly orange.
   */
  colourAbsorbance?: number;
  /** Brightness just above the opaque threshold, so the densest visible objects keep a hue. Default 0.25. */
  minBrightness?: number;
}

/** Class colours, linear 0..1 RGB. */
const ORANGE = [1.0, 0.55, 0.0] as const;
const GREEN = [0.1, 0.75, 0.15] as const;
const BLUE = [0.15, 0.35, 1.0] as const;

/** Palette step in Z_eff; finer than any Z_eff the calibration can resolve. */
const PALETTE_STEP = 0.05;
const PALETTE_MAX_Z = 100;

const palettes = new Map<number, Float32Array>();

/** Hue of a Z_eff: class colours blended with a smoothstep across each breakpoint. */
export function zeffColour(z: number, transitionWidth = 2): [number, number, number] {
  const blend = (edge: number) => {
    const x = Math.min(1, Math.max(0, (z - edge) / transitionWidth + 0.5));
    return x * x * (3 - 2 * x);
  };
  const toGreen = blend(ORGANIC_MAX_ZEFF);
  const toBlue = blend(METAL_MIN_ZEFF);
  const c = [0, 0, 0] as [number, number, number];
  for (let k = 0; k < 3; k++) c[k] = (ORANGE[k]! * (1 - toGreen) + GREEN[k]! * toGreen) * (1 - toBlue) + BLUE[k]! * toBlue;
  return c;
}

function palette(transitionWidth: number): Float32Array {
  let p = palettes.get(transitionWidth);
  if (!p) {
    const n = Math.round(PALETTE_MAX_Z / PALETTE_STEP) + 1;
    p = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) p.set(zeffColour(i * PALETTE_STEP, transitionWidth), 3 * i);
    palettes.set(transitionWidth, p);
  }
  return p;
}

/**
 * Interleaved RGB, 3 bytes a pixel. Colour c from Z_eff, mixed with white by the
 * saturation s and scaled by the brightness v:
 *   rgb = 255 * v * ((1 - s) + s * c)
 * v falls linearly in A_high = -ln T_high (a log stretch of T) from 1 (open beam)
 * to minBrightness at the opaque threshold; below it the pixel is black.
 */
export function pseudoColour(tLow: TransmissionImage, tHigh: TransmissionImage, cal: ZeffCalibration, options: PseudoColourOptions = {}): Uint8Array {
  const { opaqueThreshold = OPAQUE_T_HIGH, transitionWidth = 2, colourAbsorbance = 0.15, minBrightness = 0.25 } = options;
  if (tLow.length !== tHigh.length) throw new ExorayError('E_USAGE', `pseudo-colour: low image has ${tLow.length} pixels, high image ${tHigh.length}`);
  if (!(opaqueThreshold > 0 && opaqueThreshold < 1)) throw new ExorayError('E_USAGE', `pseudo-colour: opaqueThreshold must be in (0, 1), got ${opaqueThreshold}`);
  if (!(transitionWidth > 0) || !(colourAbsorbance > 0) || !(minBrightness >= 0 && minBrightness <= 1)) {
    throw new ExorayError('E_USAGE', 'pseudo-colour: transitionWidth and colourAbsorbance must be > 0, minBrightness in [0, 1]');
  }
  const pal = palette(transitionWidth);
  // White and tint weights by A_high, tabulated: 2048 steps per unit of A keep
  // the error below one 8-bit level and save an exp per pixel.
  const aOpaque = -Math.log(opaqueThreshold);
  const dim = (1 - minBrightness) / aOpaque;
  const steps = 2048;
  const nTab = Math.ceil(aOpaque * steps) + 1;
  const white = new Float32Array(nTab);
  const tint = new Float32Array(nTab);
  for (let k = 0; k < nTab; k++) {
    const a = k / steps;
    const s = 1 - Math.exp(-a / colourAbsorbance);
    const v = 255 * (1 - dim * Math.min(a, aOpaque));
    white[k] = v * (1 - s);
    tint[k] = v * s;
  }
  const out = new Uint8Array(3 * tLow.length);
  if (tLow instanceof Uint16Array && tHigh instanceof Uint16Array) {
    colour16(tLow, tHigh, cal, aOpaque, steps, white, tint, pal, out);
    return out;
  }
  const lastEntry = pal.length / 3 - 1;
  const zeff = estimateZeff(cal, tLow, tHigh);
  const aHigh = absorbanceImage(tHigh, cal.tFloor);
  for (let p = 0; p < tLow.length; p++) {
    const ah = aHigh[p]!;
    if (ah > aOpaque) continue; // black
    const k = (ah * steps + 0.5) | 0;
    const e = 3 * Math.min(lastEntry, (zeff[p]! / PALETTE_STEP + 0.5) | 0);
    const w = white[k]!;
    const c = tint[k]!;
    // +0.5 rounds: Uint8Array assignment truncates.
    out[3 * p] = w + c * pal[e]! + 0.5;
    out[3 * p + 1] = w + c * pal[e + 1]! + 0.5;
    out[3 * p + 2] = w + c * pal[e + 2]! + 0.5;
  }
  return out;
}

/** Per calibration: the palette offset (3 * entry) of every cell of its Z_eff table. */
const paletteOffsets = new WeakMap<ZeffCalibration, Uint16Array>();

function paletteOffsetTable(cal: ZeffCalibration, entries: number): Uint16Array {
  let t = paletteOffsets.get(cal);
  if (!t) {
    t = new Uint16Array(cal.table.length);
    for (let c = 0; c < t.length; c++) t[c] = 3 * Math.min(entries - 1, (cal.table[c]! / PALETTE_STEP + 0.5) | 0);
    paletteOffsets.set(cal, t);
  }
  return t;
}

/**
 * The same colours from 16-bit images, with everything that depends on one
 * pixel value alone looked up per value: A_high, the Z_eff table's column and
 * the brightness step by the high level, the palette entry by table cell. What
 * is left per pixel is one division (the ratio R) and the blend. Each table
 * entry is computed with the float path's arithmetic on the same float32
 * inputs, so the bytes are the float path's (test/xray/pseudocolour-fast.test.ts).
 */
function colour16(
  low: Uint16Array,
  high: Uint16Array,
  cal: ZeffCalibration,
  aOpaque: number,
  steps: number,
  white: Float32Array,
  tint: Float32Array,
  pal: Float32Array,
  out: Uint8Array,
): void {
  const a = absorbanceLut16(cal.tFloor);
  const { nR, rMin } = cal;
  const rScale = nR / (cal.rMax - rMin);
  const offsets = paletteOffsetTable(cal, pal.length / 3);
  const { column, brightness } = highLevelTables(cal, aOpaque, steps);
  for (let p = 0; p < high.length; p++) {
    const h = high[p]!;
    const k = brightness[h]!;
    if (k < 0) continue; // black
    const col = column[h]!;
    let e = 0; // Z_eff 0 ("cannot tell"): the palette's first entry
    if (col >= 0) {
      let j = Math.floor((a[low[p]!]! / a[h]! - rMin) * rScale);
      j = j < 0 ? 0 : j >= nR ? nR - 1 : j;
      e = offsets[col * nR + j]!;
    }
    const w = white[k]!;
    const c = tint[k]!;
    out[3 * p] = w + c * pal[e]! + 0.5;
    out[3 * p + 1] = w + c * pal[e + 1]! + 0.5;
    out[3 * p + 2] = w + c * pal[e + 2]! + 0.5;
  }
}

interface HighLevelTables {
  /** Column of the Z_eff table per 16-bit high level; -1 below aHighMin (Z_eff 0). */
  column: Int16Array;
  /** Index into the white/tint tables per high level; -1 where the pixel is black. */
  brightness: Int32Array;
}

const highTables = new WeakMap<ZeffCalibration, Map<string, HighLevelTables>>();

function highLevelTables(cal: ZeffCalibration, aOpaque: number, steps: number): HighLevelTables {
  let byOptions = highTables.get(cal);
  if (!byOptions) highTables.set(cal, (byOptions = new Map()));
  const key = `${aOpaque} ${steps}`;
  let t = byOptions.get(key);
  if (!t) {
    const a = absorbanceLut16(cal.tFloor);
    const aScale = 1 / cal.aMax;
    const column = new Int16Array(65536);
    const brightness = new Int32Array(65536);
    for (let h = 0; h < 65536; h++) {
      const ah = a[h]!;
      column[h] = ah >= cal.aHighMin ? Math.min(cal.nA - 1, (Math.sqrt(ah * aScale) * cal.nA) | 0) : -1;
      brightness[h] = ah > aOpaque ? -1 : (ah * steps + 0.5) | 0;
    }
    t = { column, brightness };
    byOptions.set(key, t);
  }
  return t;
}

export interface GreyscaleOptions {
  /** Stretch k of g = 255 ln(1 + k T) / ln(1 + k). Default 50. */
  stretch?: number;
}

const greyLuts = new Map<number, Uint8Array>();

/**
 * 8-bit greyscale of the high-energy image, g = 255 ln(1 + k T) / ln(1 + k),
 * k = 50: a log stretch that keeps the open beam white but gives the dense range
 * T < 0.1 (steel, thick luggage, where things hide) 45 % of the grey levels
 * instead of 10 %. Monotonic, so nothing is hidden by the stretch.
 */
export function greyscaleHigh(tHigh: TransmissionImage, options: GreyscaleOptions = {}): Uint8Array {
  const k = options.stretch ?? 50;
  if (!(k > 0 && Number.isFinite(k))) throw new ExorayError('E_USAGE', `greyscale stretch must be a positive number, got ${k}`);
  let lut = greyLuts.get(k);
  if (!lut) {
    lut = new Uint8Array(65536);
    const norm = 255 / Math.log1p(k);
    for (let v = 0; v < 65536; v++) lut[v] = Math.round(norm * Math.log1p((k * v) / 65535));
    greyLuts.set(k, lut);
  }
  const out = new Uint8Array(tHigh.length);
  if (tHigh instanceof Uint16Array) {
    for (let i = 0; i < tHigh.length; i++) out[i] = lut[tHigh[i]!]!;
  } else {
    for (let i = 0; i < tHigh.length; i++) {
      const t = tHigh[i]!;
      out[i] = lut[t >= 1 ? 65535 : t > 0 ? Math.round(t * 65535) : 0]!;
    }
  }
  return out;
}
