import { describe, expect, it } from 'vitest';
import { maskArea, maskBBox, maskIoU } from '../../src/labels/mask.js';
import { maskFromRows } from './helpers.js';

describe('maskBBox', () => {
  it('a single pixel at (3, 5) is [3, 5, 1, 1]', () => {
    const width = 8;
    const height = 7;
    const mask = new Uint8Array(width * height);
    mask[5 * width + 3] = 1;
    expect(maskBBox(mask, width, height)).toEqual([3, 5, 1, 1]);
  });

  it('reads the mask row-major with row 0 at the top', () => {
    const { mask, width, height } = maskFromRows([
      '000000',
      '001100',
      '000110',
      '000000',
    ]);
    expect(maskBBox(mask, width, height)).toEqual([2, 1, 3, 2]);
  });

  it('covers the whole image for a full mask', () => {
    expect(maskBBox(new Uint8Array(12).fill(1), 4, 3)).toEqual([0, 0, 4, 3]);
  });

  it('is null for an empty mask', () => {
    expect(maskBBox(new Uint8Array(12), 4, 3)).toBeNull();
  });

  it('treats any non-zero byte as set', () => {
    const mask = new Uint8Array(4);
    mask[3] = 255;
    expect(maskBBox(mask, 2, 2)).toEqual([1, 1, 1, 1]);
    expect(maskArea(mask)).toBe(1);
  });

  it('rejects a mask whose length does not match the size', () => {
    expect(() => maskBBox(new Uint8Array(10), 4, 3)).toThrow(expect.objectContaining({ code: 'E_LABEL' }));
  });
});

describe('maskArea', () => {
  it('counts set pixels', () => {
    const { mask } = maskFromRows(['101', '111']);
    expect(maskArea(mask)).toBe(5);
    expect(maskArea(new Uint8Array(9))).toBe(0);
  });
});

describe('maskIoU', () => {
  it('is intersection over union', () => {
    const a = maskFromRows(['1100', '1100']).mask;
    const b = maskFromRows(['0110', '0110']).mask;
    // intersection 2, union 6
    expect(maskIoU(a, b)).toBeCloseTo(2 / 6, 12);
    expect(maskIoU(a, a)).toBe(1);
  });

  it('is 0 for disjoint masks and for two empty masks', () => {
    expect(maskIoU(maskFromRows(['10']).mask, maskFromRows(['01']).mask)).toBe(0);
    expect(maskIoU(new Uint8Array(4), new Uint8Array(4))).toBe(0);
  });

  it('rejects masks of different sizes', () => {
    expect(() => maskIoU(new Uint8Array(4), new Uint8Array(5))).toThrow(expect.objectContaining({ code: 'E_LABEL' }));
  });
});
