/**
 * Label overlays for people: the greyscale preview with each instance's mask
 * tinted, its contour drawn and its box outlined, so a reviewer sees at a glance
 * whether the labels sit on the animals. Pure pixel work; encoding is elsewhere.
 */
import type { BBox } from './mask.js';

export interface OverlayInstance {
  mask: Uint8Array;
  bbox: BBox | null;
}

/** Distinct, saturated colours that read well over grey. */
export const OVERLAY_COLOURS: ReadonlyArray<[number, number, number]> = [
  [255, 64, 64],
  [64, 200, 255],
  [255, 200, 0],
  [120, 255, 80],
  [255, 80, 220],
  [255, 140, 40],
  [160, 120, 255],
  [0, 230, 180],
];

/** RGB (3 bytes a pixel) image of `base` (greyscale or RGB) with every instance drawn over it. */
export function drawOverlay(base: Uint8Array, width: number, height: number, instances: readonly OverlayInstance[], channels: 1 | 3 = 1): Uint8Array {
  const rgb = channels === 3 ? new Uint8Array(base) : new Uint8Array(width * height * 3);
  if (channels === 1) for (let i = 0; i < base.length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = base[i]!;
  const blend = (p: number, c: readonly number[], a: number) => {
    for (let k = 0; k < 3; k++) rgb[3 * p + k] = Math.round(rgb[3 * p + k]! * (1 - a) + c[k]! * a);
  };
  instances.forEach((inst, n) => {
    const colour = OVERLAY_COLOURS[n % OVERLAY_COLOURS.length]!;
    const m = inst.mask;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        if (!m[p]) continue;
        const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1 || !m[p - 1] || !m[p + 1] || !m[p - width] || !m[p + width];
        blend(p, colour, edge ? 1 : 0.3);
      }
    }
    if (inst.bbox) {
      const [bx, by, bw, bh] = inst.bbox;
      // The box is drawn one pixel outside the mask so it does not hide the contour.
      const x0 = Math.max(0, bx - 1), y0 = Math.max(0, by - 1);
      const x1 = Math.min(width - 1, bx + bw), y1 = Math.min(height - 1, by + bh);
      for (let x = x0; x <= x1; x++) {
        blend(y0 * width + x, colour, 1);
        blend(y1 * width + x, colour, 1);
      }
      for (let y = y0; y <= y1; y++) {
        blend(y * width + x0, colour, 1);
        blend(y * width + x1, colour, 1);
      }
    }
  });
  return rgb;
}
