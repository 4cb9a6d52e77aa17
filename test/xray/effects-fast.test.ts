/**
 * The fused detector effects and the table-driven 16-bit pseudo-colour give the
 * same bits as the plain versions in test/helpers/reference-imaging.ts, over
 * images that reach every branch (exact and normal Poisson, zero signal,
 * clipping, edges of the blur, images narrower than the blur).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { applyDetectorEffects, applyDetectorEffects16, DEFAULT_EFFECTS, NO_EFFECTS, type DetectorEffects } from '../../src/xray/effects.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { pseudoColour } from '../../src/xray/pseudocolour.js';
import { calibrateZeff, referenceMassAttenuation, zeffReferences } from '../../src/xray/zeff.js';
import { referenceEffects, referenceEffects16, referencePseudoColour16 } from '../helpers/reference-imaging.js';

/** Smooth bands, a dark region (exact Poisson below T = 0.006 at 5000 photons), zeros and seeded speckle. */
function testImage(width: number, height: number, seed: number, max = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: width * height }, (_, i) => {
    const x = i % width;
    const y = Math.floor(i / width);
    if (x % 11 === 3) return 0;
    if (y % 5 === 1) return rng.uniform(0, 0.008);
    if ((x * 7 + y) % 13 === 0) return rng.uniform(0, max);
    return Math.fround(Math.exp(-((x + 2 * y) % 40) / 8));
  });
}

const SETTINGS: Array<[string, DetectorEffects]> = [
  ['default', DEFAULT_EFFECTS],
  ['strong blur, no noise', { ...NO_EFFECTS, blurSigmaPx: 2.2, flatGainSd: 0.1 }],
  ['noise only, few photons', { ...NO_EFFECTS, photonsPerPixel: 40 }],
  ['clipping and line gains', { ...DEFAULT_EFFECTS, saturation: 1.01, lineGainSd: 0.05, darkLevel: 0.2 }],
  ['all off', NO_EFFECTS],
];
const SIZES: Array<[number, number]> = [[64, 48], [5, 3], [1, 1], [300, 7], [7, 40]];

const same = (a: ArrayBufferView, b: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('fast detector effects', () => {
  for (const [name, effects] of SETTINGS) {
    it(`float path is bit-identical to the plain version: ${name}`, () => {
      for (const [w, h] of SIZES) {
        const t = testImage(w, h, w * 31 + h, 1.2);
        expect(same(applyDetectorEffects(t, w, h, effects, 17), referenceEffects(t, w, h, effects, 17))).toBe(true);
      }
    });

    it(`16-bit path is bit-identical to float32 and back: ${name}`, () => {
      for (const [w, h] of SIZES) {
        const levels = Uint16Array.from(testImage(w, h, w + h), (v) => Math.round(v * 65535));
        const fast = applyDetectorEffects16(levels, w, h, effects, 23);
        expect(same(fast, referenceEffects16(levels, w, h, effects, 23))).toBe(true);
      }
    });
  }

  it('every 16-bit level survives the float round trip unchanged when all effects are off', () => {
    const levels = Uint16Array.from({ length: 65536 }, (_, v) => v);
    expect(same(applyDetectorEffects16(levels, 256, 256, NO_EFFECTS, 1), referenceEffects16(levels, 256, 256, NO_EFFECTS, 1))).toBe(true);
    expect(same(applyDetectorEffects16(levels, 256, 256, NO_EFFECTS, 1), levels)).toBe(true);
  });

  it('reused work buffers do not leak one image into the next (sizes up and down, same seed)', () => {
    const big = Uint16Array.from(testImage(96, 80, 1), (v) => Math.round(v * 65535));
    const small = Uint16Array.from(testImage(40, 30, 2), (v) => Math.round(v * 65535));
    const first = applyDetectorEffects16(small, 40, 30, DEFAULT_EFFECTS, 5);
    applyDetectorEffects16(big, 96, 80, DEFAULT_EFFECTS, 5);
    expect(same(applyDetectorEffects16(small, 40, 30, DEFAULT_EFFECTS, 5), first)).toBe(true);
    const out = new Uint16Array(small.length);
    expect(applyDetectorEffects16(small, 40, 30, DEFAULT_EFFECTS, 5, out)).toBe(out);
    expect(same(out, first)).toBe(true);
  });
});

describe('fast 16-bit pseudo-colour', () => {
  const lib = loadMaterialLibrary();
  // A two-bin response is enough to exercise every table: what matters here is equality, not physics.
  const cal = calibrateZeff(
    { energiesKeV: Float64Array.of(40, 90), low: Float64Array.of(0.7, 0.3), high: Float64Array.of(0.25, 0.75) },
    referenceMassAttenuation(lib.nist),
    zeffReferences(lib.nist),
  );

  it('gives the bytes of the plain per-pixel version over the whole (low, high) range', () => {
    const rng = new Rng(99);
    const n = 200_000;
    const high = new Uint16Array(n);
    const low = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      // Half physical (low darker than high, as for real materials), half anything; plus the extremes.
      const h = i < 64 ? (i * 1031) % 65536 : rng.int(0, 65535);
      high[i] = h;
      low[i] = i % 2 === 0 ? Math.floor(h * Math.pow(h / 65535, rng.uniform(0, 2))) : rng.int(0, 65535);
    }
    low[0] = 0;
    high[1] = 65535;
    low[1] = 65535;
    expect(same(pseudoColour(low, high, cal), referencePseudoColour16(low, high, cal))).toBe(true);
  });
});
