import { describe, expect, it } from 'vitest';
import { applyDetectorEffects, DEFAULT_EFFECTS } from '../../src/xray/effects.js';
import { interpolateTable } from '../../src/xray/interpolate.js';
import { loadMaterialLibrary, type MaterialLibrary } from '../../src/xray/materials.js';
import {
  classifyPixel,
  classifyZeff,
  greyscaleHigh,
  pseudoColour,
  zeffColour,
  type PixelClass,
} from '../../src/xray/pseudocolour.js';
import { calibrateZeff, estimateZeff, referenceMassAttenuation, zeffReferences, type DualEnergyResponse } from '../../src/xray/zeff.js';

const lib = loadMaterialLibrary();

/**
 * A sandwich-detector response built here, independent of the spectrum module:
 * Kramers' bremsstrahlung N(E) ~ (kVp - E) / E behind 2 mm Al, energy-integrating
 * CsI layers (0.3 mm front = low; 0.5 mm Cu filter, then 4 mm CsI back = high).
 */
function kramersResponse(library: MaterialLibrary, kVp = 140): DualEnergyResponse {
  const csi = library.nist.compounds.get('cesium_iodide')!;
  const muCsI = (e: number) => interpolateTable(csi, e) * 4.51;
  const energies: number[] = [];
  const low: number[] = [];
  const high: number[] = [];
  for (let e = 10.5; e < kVp; e += 1) {
    const photons = ((kVp - e) / e) * Math.exp(-library.linearAttenuation('aluminium', e) * 0.2);
    const passFront = Math.exp(-muCsI(e) * 0.03);
    energies.push(e);
    low.push(photons * e * (1 - passFront));
    high.push(photons * e * passFront * Math.exp(-library.linearAttenuation('copper', e) * 0.05) * (1 - Math.exp(-muCsI(e) * 0.4)));
  }
  const norm = (w: number[]) => {
    const s = w.reduce((a, b) => a + b, 0);
    return Float64Array.from(w, (v) => v / s);
  };
  return { energiesKeV: Float64Array.from(energies), low: norm(low), high: norm(high) };
}

const response = kramersResponse(lib);
const cal = calibrateZeff(response, referenceMassAttenuation(lib.nist), zeffReferences(lib.nist));

/** Polychromatic slab transmission per channel. */
function slab(id: string, cm: number): { tLow: number; tHigh: number } {
  let tLow = 0;
  let tHigh = 0;
  response.energiesKeV.forEach((e, b) => {
    const pass = Math.exp(-lib.linearAttenuation(id, e) * cm);
    tLow += response.low[b]! * pass;
    tHigh += response.high[b]! * pass;
  });
  return { tLow, tHigh };
}

/** n thicknesses, geometric from a to b (cm). */
const thicknesses = (a: number, b: number, n = 24) => Array.from({ length: n }, (_, i) => a * (b / a) ** (i / (n - 1)));

const EXPECTED: Array<[string, PixelClass, number, number]> = [
  ['polyethylene', 'organic', 0.1, 50],
  ['water', 'organic', 0.1, 50],
  ['cotton', 'organic', 0.2, 100],
  ['chitin', 'organic', 0.1, 50],
  ['soft_tissue', 'organic', 0.1, 50],
  ['sugar', 'organic', 0.1, 50],
  ['aluminium', 'mixed', 0.02, 20],
  ['iron', 'metal', 0.005, 5],
  ['stainless_steel', 'metal', 0.005, 5],
  ['copper', 'metal', 0.005, 5],
];
const CLASSES: PixelClass[] = ['organic', 'mixed', 'metal', 'opaque'];

describe('pseudo-colour', () => {
  it('mean energies of the test response are those of a 140 kV scanner', () => {
    const mean = (w: Float64Array) => w.reduce((s, v, b) => s + v * response.energiesKeV[b]!, 0);
    expect(mean(response.low)).toBeGreaterThan(45);
    expect(mean(response.low)).toBeLessThan(75);
    expect(mean(response.high)).toBeGreaterThan(mean(response.low) + 15);
  });

  it('classifies slabs over their thickness range: organic orange, aluminium green, metals blue, thick steel black', () => {
    const confusion = new Map<string, number>();
    let right = 0;
    let total = 0;
    const misses: string[] = [];
    for (const [id, expected, from, to] of EXPECTED) {
      for (const cm of thicknesses(from, to)) {
        const { tLow, tHigh } = slab(id, cm);
        const truth = tHigh < 0.01 ? 'opaque' : expected;
        const got = classifyPixel(tLow, tHigh, cal);
        confusion.set(`${truth}>${got}`, (confusion.get(`${truth}>${got}`) ?? 0) + 1);
        if (truth !== 'opaque') {
          total++;
          if (got === truth) right++;
          else misses.push(`${id} ${cm.toPrecision(3)} cm (T_high ${tHigh.toFixed(3)}): ${got}`);
        } else expect(got, `${id} ${cm} cm`).toBe('opaque');
      }
    }
    const rows = CLASSES.map((t) => [`${t.padEnd(8)}`, ...CLASSES.map((g) => String(confusion.get(`${t}>${g}`) ?? 0).padStart(8))].join(''));
    console.log(`confusion (rows: truth, columns: predicted)\n${' '.repeat(8)}${CLASSES.map((c) => c.padStart(8)).join('')}\n${rows.join('\n')}`);
    console.log(`accuracy over non-opaque slabs: ${right}/${total}${misses.length ? `; misses:\n  ${misses.join('\n  ')}` : ''}`);
    expect(right / total).toBeGreaterThanOrEqual(0.9);
    expect(classifyPixel(slab('stainless_steel', 5).tLow, slab('stainless_steel', 5).tHigh, cal)).toBe('opaque');
  });

  it('estimated Z_eff of 2 cm slabs is near the power law', () => {
    for (const [id, lo, hi] of [['water', 6.8, 8.2], ['chitin', 6.2, 7.8], ['aluminium', 12, 14], ['iron', 23, 29]] as const) {
      const { tLow, tHigh } = slab(id, id === 'iron' ? 0.2 : 2);
      const z = estimateZeff(cal, Float32Array.of(tLow), Float32Array.of(tHigh))[0]!;
      expect(z, id).toBeGreaterThan(lo);
      expect(z, id).toBeLessThan(hi);
    }
  });

  it('noisy slab images still classify pixel by pixel (DEFAULT_EFFECTS, seeds 21/22)', () => {
    const w = 64;
    for (const [id, cm, expected] of [['water', 3, 'organic'], ['chitin', 1, 'organic'], ['aluminium', 1, 'mixed'], ['iron', 0.3, 'metal']] as const) {
      const { tLow, tHigh } = slab(id, cm);
      const low = applyDetectorEffects(new Float32Array(w * w).fill(tLow), w, w, DEFAULT_EFFECTS, 21);
      const high = applyDetectorEffects(new Float32Array(w * w).fill(tHigh), w, w, DEFAULT_EFFECTS, 22);
      let right = 0;
      for (let p = 0; p < w * w; p++) if (classifyPixel(low[p]!, high[p]!, cal) === expected) right++;
      console.log(`noisy ${id} ${cm} cm: ${((100 * right) / (w * w)).toFixed(1)} % ${expected}`);
      expect(right / (w * w), `${id} ${cm} cm`).toBeGreaterThan(0.85);
    }
  });

  it('colours: white background, orange / green / blue by class, black when opaque', () => {
    const [water, al, iron, steel] = [slab('water', 5), slab('aluminium', 2), slab('iron', 0.5), slab('stainless_steel', 6)];
    const rgb = pseudoColour(
      Float32Array.of(1, water.tLow, al.tLow, iron.tLow, steel.tLow),
      Float32Array.of(1, water.tHigh, al.tHigh, iron.tHigh, steel.tHigh),
      cal,
    );
    const px = (i: number) => Array.from(rgb.subarray(3 * i, 3 * i + 3));
    expect(px(0)).toEqual([255, 255, 255]);
    const [r1, g1, b1] = px(1);
    expect(r1! > g1! && g1! > b1!).toBe(true); // orange
    const [r2, g2, b2] = px(2);
    expect(g2! > r2! && g2! > b2!).toBe(true); // green
    const [r3, g3, b3] = px(3);
    expect(b3! > r3! && b3! > g3!).toBe(true); // blue
    expect(px(4)).toEqual([0, 0, 0]);
    // Thicker is darker, same hue.
    const thin = pseudoColour(Float32Array.of(slab('water', 1).tLow), Float32Array.of(slab('water', 1).tHigh), cal);
    expect(thin[0]! + thin[1]! + thin[2]!).toBeGreaterThan(r1! + g1! + b1!);
    // Hue moves smoothly across a breakpoint.
    const c = [9, 9.5, 10, 10.5, 11].map((z) => zeffColour(z));
    for (let i = 1; i < c.length; i++) expect(c[i]![1]).toBeGreaterThan(c[i - 1]![1]);
    expect(classifyZeff(7.4)).toBe('organic');
    expect(classifyZeff(13)).toBe('mixed');
    expect(classifyZeff(26)).toBe('metal');
  });

  it('16-bit input gives the same colours as float input', () => {
    const tl = Float32Array.from({ length: 1000 }, (_, i) => Math.exp(-i / 150));
    const th = Float32Array.from(tl, (v) => Math.sqrt(v));
    const u = (a: Float32Array) => Uint16Array.from(a, (v) => Math.round(v * 65535));
    const a = pseudoColour(tl, th, cal);
    const b = pseudoColour(u(tl), u(th), cal);
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    expect(maxDiff).toBeLessThanOrEqual(2);
  });

  it('greyscale of the high image: white open beam, black at 0, monotonic log stretch', () => {
    const g = greyscaleHigh(Float32Array.of(1, 0.5, 0.1, 0.01, 0));
    expect(g[0]).toBe(255);
    expect(g[4]).toBe(0);
    expect(g[2]).toBeGreaterThan(100); // T = 0.1 gets ~45 % of the grey levels below it
    expect(Array.from(g)).toEqual([...g].sort((a, b) => b - a));
    expect(greyscaleHigh(Uint16Array.of(65535, 32768, 0))).toEqual(Uint8Array.of(255, g[1]!, 0));
  });

  it('512 x 512: estimateZeff and pseudoColour are fast (O(1) per pixel)', () => {
    const n = 512 * 512;
    const tl = Float32Array.from({ length: n }, (_, i) => Math.exp(-((i * 7919) % 1000) / 120));
    const th = Float32Array.from(tl, (v) => Math.pow(v, 0.6));
    const u = (a: Float32Array) => Uint16Array.from(a, (v) => Math.round(v * 65535));
    const [ul, uh] = [u(tl), u(th)];
    // Best of 5 after a warm-up (JIT, lookup tables): the cost of the code, not of other processes.
    const time = (f: () => unknown) => {
      f();
      let best = Infinity;
      for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        f();
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    const zf = time(() => estimateZeff(cal, tl, th));
    const zu = time(() => estimateZeff(cal, ul, uh));
    const pf = time(() => pseudoColour(tl, th, cal));
    const pu = time(() => pseudoColour(ul, uh, cal));
    console.log(`512x512 ms: estimateZeff float ${zf.toFixed(1)}, uint16 ${zu.toFixed(1)}; pseudoColour float ${pf.toFixed(1)}, uint16 ${pu.toFixed(1)}`);
    // Generous bounds for a loaded CI machine; the target is ~20 ms.
    expect(zf).toBeLessThan(100);
    expect(pu).toBeLessThan(150);
  });
});
