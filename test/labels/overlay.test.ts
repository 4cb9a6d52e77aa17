import { describe, expect, it } from 'vitest';
import { drawOverlay, OVERLAY_COLOURS } from '../../src/labels/overlay.js';
import { maskBBox } from '../../src/labels/mask.js';

describe('drawOverlay', () => {
  it('tints the mask, draws its contour in full colour and its box just outside', () => {
    const w = 10, h = 8;
    const grey = new Uint8Array(w * h).fill(100);
    const mask = new Uint8Array(w * h);
    for (let y = 2; y <= 5; y++) for (let x = 3; x <= 6; x++) mask[y * w + x] = 1;
    const rgb = drawOverlay(grey, w, h, [{ mask, bbox: maskBBox(mask, w, h) }]);
    const px = (x: number, y: number) => Array.from(rgb.subarray(3 * (y * w + x), 3 * (y * w + x) + 3));
    const c = OVERLAY_COLOURS[0]!;
    expect(px(3, 2)).toEqual([...c]); // contour
    expect(px(2, 1)).toEqual([...c]); // box corner, outside the mask
    const inside = px(4, 3); // interior: 30 % tint over grey
    expect(inside).toEqual(c.map((v) => Math.round(100 * 0.7 + v * 0.3)));
    expect(px(0, 7)).toEqual([100, 100, 100]); // untouched
  });
});
