import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { maskArea, maskBBox } from '../../src/labels/mask.js';
import {
  countsToString,
  decodeRle,
  encodeRle,
  maskToCounts,
  rleArea,
  rleCounts,
  rleToBBox,
  stringToCounts,
} from '../../src/labels/rle.js';
import { blobMask, maskFromRows, naiveColumnMajorCounts, noiseMask } from './helpers.js';

const E_LABEL = expect.objectContaining({ code: 'E_LABEL' });

describe('encodeRle: small cases worked out by hand', () => {
  it('2 rows x 3 columns with the first pixel set', () => {
    // Column-major: col 0 = 1,1; col 1 = 0,1; col 2 = 1,0 -> 1 1 0 1 1 0
    const { mask, width, height } = maskFromRows(['101', '110']);
    expect(maskToCounts(mask, width, height)).toEqual([0, 2, 1, 2, 1]);
    // counts[3] and [4] are written as differences to two before: 2-2=0, 1-1=0
    expect(encodeRle(mask, width, height)).toEqual({ size: [2, 3], counts: '02100' });
    expect(rleArea({ size: [2, 3], counts: '02100' })).toBe(4);
    expect(rleToBBox({ size: [2, 3], counts: '02100' })).toEqual([0, 0, 3, 2]);
  });

  it('3 rows x 2 columns: size is [height, width]', () => {
    // col 0 = 0,1,0; col 1 = 1,1,0 -> 0 1 0 1 1 0
    const { mask, width, height } = maskFromRows(['01', '11', '00']);
    expect(maskToCounts(mask, width, height)).toEqual([1, 1, 1, 2, 1]);
    expect(encodeRle(mask, width, height)).toEqual({ size: [3, 2], counts: '11110' });
    expect(rleToBBox({ size: [3, 2], counts: '11110' })).toEqual([0, 0, 2, 2]);
  });

  it('9 rows x 10 columns: multi-char, negative and sign-bit values', () => {
    const { mask, width, height } = maskFromRows([
      '0000000000',
      '0000000000',
      '0000011100',
      '0000011100',
      '0000011100',
      '0000011100',
      '1000000000',
      '0000000000',
      '0000000000',
    ]);
    const counts = maskToCounts(mask, width, height);
    expect(counts).toEqual([6, 1, 40, 4, 5, 4, 5, 4, 21]);
    // 6 1 | 40 raw (index 2 is not a difference) = 'X1' | 4-1=3 | 5-40=-35 = 'mN' | 0 0 0 | 21-5=16 = '`0' (sign bit set, needs a second char)
    const rle = encodeRle(mask, width, height);
    expect(rle).toEqual({ size: [9, 10], counts: '61X13mN000`0' });
    expect(rleArea(rle)).toBe(13);
    expect(rleToBBox(rle)).toEqual([0, 2, 8, 5]);
    expect(Array.from(decodeRle(rle))).toEqual(Array.from(mask));
  });

  it('values whose last group has the sign bit', () => {
    expect(countsToString([0, 0, 0, 1])).toBe('0001'); // delta 1
    expect(countsToString([0, 1, 0, 0])).toBe('010O'); // delta -1 = one char 31
    expect(countsToString([0, 16, 0, 0])).toBe('0`00@'); // 16 needs two chars; delta -16 is one
    expect(stringToCounts('0`00@')).toEqual([0, 16, 0, 0]);
  });

  it('empty, full and zero-size masks', () => {
    expect(encodeRle(new Uint8Array(12), 4, 3)).toEqual({ size: [3, 4], counts: '<' }); // [12]
    expect(encodeRle(new Uint8Array(12).fill(1), 4, 3)).toEqual({ size: [3, 4], counts: '0<' }); // [0, 12]
    expect(encodeRle(new Uint8Array(0), 0, 0)).toEqual({ size: [0, 0], counts: '0' });
    expect(rleArea({ size: [3, 4], counts: '<' })).toBe(0);
    expect(rleToBBox({ size: [3, 4], counts: '<' })).toBeNull();
    expect(rleArea({ size: [3, 4], counts: '0<' })).toBe(12);
    expect(rleToBBox({ size: [3, 4], counts: '0<' })).toEqual([0, 0, 4, 3]);
    expect(Array.from(decodeRle({ size: [3, 4], counts: '0<' }))).toEqual(new Array(12).fill(1));
  });

  it('a run longer than 2^20 pixels', () => {
    // 1024 rows x 1025 columns, only the last column set: counts [2^20, 1024]
    const width = 1025;
    const height = 1024;
    const mask = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) mask[y * width + width - 1] = 1;
    const rle = encodeRle(mask, width, height);
    // 2^20 = five 5-bit groups 0,0,0,0,1 -> 'PPPP1'; 1024 -> 0,0,1 -> 'PP1'
    expect(rle.counts).toBe('PPPP1PP1');
    expect(stringToCounts(rle.counts)).toEqual([2 ** 20, 1024]);
    expect(rleToBBox(rle)).toEqual([1024, 0, 1, 1024]);
    // Buffer.equals: a deep toEqual over a million elements takes seconds.
    expect(Buffer.from(decodeRle(rle)).equals(Buffer.from(mask))).toBe(true);
  });
});

describe('decodeRle of strings written by pycocotools', () => {
  // Output of pycocotools' mask.encode quoted in cocodataset/cocoapi issue #550.
  const reference = {
    size: [576, 752] as [number, number],
    counts:
      'ZbQ:1ma06J3N2N1O2M4K6K3N1N3M3J7K4M2N3M2M5K7J3N1O2N2L4N2M3N1O2L4M3M3N2M2M5K4M4L3N1N4K4K5N2O10O0100O1O10O0110O000O100101OO0O0100O11O00O010O1010OO100O1013L000O01004MOO10O010020O0OO010010O000O10O1100O1OO100O2N2N010O001O2O0O001O2O1N2N001O1O1O1O1O001N2O1N3N0O2O1N3K5J5L3N3L4H8E;L4M2O2L4K5K5N2M2O3L4K4M3N2N2M4K5K4M5Khl?',
  };

  it('decodes runs that exactly cover the image and re-encodes to the same string', () => {
    const counts = rleCounts(reference);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(576 * 752);
    expect(counts.slice(0, 5)).toEqual([329290, 1, 573, 7, 567]);
    const mask = decodeRle(reference);
    expect(encodeRle(mask, 752, 576)).toEqual(reference);
    expect(rleArea(reference)).toBe(maskArea(mask));
    expect(rleToBBox(reference)).toEqual(maskBBox(mask, 752, 576));
  });
});

describe('random round trips', () => {
  const seeds = Array.from({ length: 40 }, (_, i) => 1000 + i);
  it.each(seeds)('seed %i: encode, decode, area and box agree with the mask', (seed) => {
    const rng = new Rng(seed);
    const width = rng.int(1, 80);
    const height = rng.int(1, 80);
    const mask = seed % 2 === 0 ? noiseMask(rng, width, height, rng.uniform(0, 1)) : blobMask(rng, width, height, rng.int(0, 4));
    const rle = encodeRle(mask, width, height);
    expect(rle.size).toEqual([height, width]);
    expect(stringToCounts(rle.counts)).toEqual(naiveColumnMajorCounts(mask, width, height));
    expect(decodeRle(rle)).toEqual(mask);
    expect(decodeRle({ size: rle.size, counts: maskToCounts(mask, width, height) })).toEqual(mask);
    expect(rleArea(rle)).toBe(maskArea(mask));
    expect(rleToBBox(rle)).toEqual(maskBBox(mask, width, height));
  });
});

describe('invalid RLE', () => {
  it('rejects characters outside 48-111', () => {
    expect(() => stringToCounts('0 1')).toThrow(E_LABEL);
    expect(() => stringToCounts('0p')).toThrow(E_LABEL);
  });

  it('rejects a string cut in the middle of a number', () => {
    expect(() => stringToCounts('0`')).toThrow(/truncated/);
  });

  it('rejects runs that do not cover the image', () => {
    expect(() => decodeRle({ size: [3, 4], counts: '0;' })).toThrow(/cover 11 pixels/);
    expect(() => rleArea({ size: [3, 4], counts: [5, 5] })).toThrow(E_LABEL);
  });

  it('rejects negative runs and a malformed size', () => {
    expect(() => stringToCounts('0001O')).toThrow(/negative/); // 5th run = 0 + (-1)
    expect(() => rleArea({ size: [3, 4], counts: [12, -1, 1] })).toThrow(E_LABEL);
    expect(() => rleArea({ size: [3] as unknown as [number, number], counts: '<' })).toThrow(/\[height, width\]/);
  });

  it('rejects a mask of the wrong length', () => {
    expect(() => encodeRle(new Uint8Array(5), 2, 3)).toThrow(E_LABEL);
  });
});
