import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { maskArea, maskIoU } from '../../src/labels/mask.js';
import { largestRing, maskToPolygons, polygonArea, signedArea, simplifyRing, traceBoundaries, type Ring } from '../../src/labels/polygon.js';
import { blobMask, maskFromRows, noiseMask } from './helpers.js';

/** Even-odd fill at pixel centres: the mask a polygon label stands for. */
function fillPolygon(ring: readonly number[][], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      let inside = false;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
      }
      if (inside) mask[y * width + x] = 1;
    }
  }
  return mask;
}

function distanceToRing(p: number[], ring: readonly number[][]): number {
  let best = Infinity;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const vx = b[0] - a[0];
    const vy = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / (vx * vx + vy * vy || 1)));
    best = Math.min(best, Math.hypot(p[0] - a[0] - t * vx, p[1] - a[1] - t * vy));
  }
  return best;
}

/** One seeded ellipse big enough to be a real outline (a single 8-connected component). */
function ellipseMask(width: number, height: number, cx: number, cy: number, rx: number, ry: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 <= 1) mask[y * width + x] = 1;
    }
  }
  return mask;
}

describe('maskToPolygons', () => {
  it('outlines a rectangle by its 4 pixel corners, clockwise on screen from the top-left', () => {
    const { mask, width, height } = maskFromRows([
      '00000000',
      '00111100',
      '00111100',
      '00111100',
      '00000000',
    ]);
    expect(maskToPolygons(mask, width, height)).toEqual([[[2, 1], [6, 1], [6, 4], [2, 4]]]);
    expect(maskToPolygons(mask, width, height, { tolerance: 0 })).toEqual([[[2, 1], [6, 1], [6, 4], [2, 4]]]);
  });

  it('outlines a full mask by the image corners, and a single pixel by its square', () => {
    expect(maskToPolygons(new Uint8Array(12).fill(1), 4, 3)).toEqual([[[0, 0], [4, 0], [4, 3], [0, 3]]]);
    const { mask, width, height } = maskFromRows(['000', '010', '000']);
    expect(maskToPolygons(mask, width, height)).toEqual([[[1, 1], [2, 1], [2, 2], [1, 2]]]);
  });

  it('without simplification, encloses exactly the mask (area = pixel count, same pixels when filled)', () => {
    const W = 48;
    const H = 40;
    const mask = ellipseMask(W, H, 20.3, 18.7, 15.2, 11.9);
    const rings = maskToPolygons(mask, W, H, { tolerance: 0 });
    expect(rings).toHaveLength(1);
    expect(polygonArea(rings[0])).toBe(maskArea(mask));
    expect(maskIoU(fillPolygon(rings[0], W, H), mask)).toBe(1);
    for (let i = 0; i < rings[0].length; i++) {
      const [a, b] = [rings[0][i], rings[0][(i + 1) % rings[0].length]];
      expect(a[0] === b[0] || a[1] === b[1]).toBe(true); // staircase: axis-aligned edges only
    }
  });

  it('simplified, a blob keeps its area within 3% and its pixels (IoU > 0.95) with far fewer points', () => {
    const W = 64;
    const H = 48;
    const mask = ellipseMask(W, H, 30.4, 22.1, 24.6, 15.3);
    const exact = maskToPolygons(mask, W, H, { tolerance: 0 })[0];
    const rings = maskToPolygons(mask, W, H);
    expect(rings).toHaveLength(1);
    const area = maskArea(mask);
    expect(Math.abs(polygonArea(rings[0]) - area) / area).toBeLessThan(0.03);
    expect(maskIoU(fillPolygon(rings[0], W, H), mask)).toBeGreaterThan(0.95);
    expect(rings[0].length).toBeLessThan(exact.length / 2);
    // Douglas-Peucker's promise: no corner of the staircase is farther than the tolerance from the outline.
    for (const p of exact) expect(distanceToRing(p, rings[0])).toBeLessThanOrEqual(0.75 + 1e-9);
  });

  it('gives one ring per component, each around its own pixels', () => {
    const rng = new Rng(11);
    const W = 60;
    const H = 30;
    const a = ellipseMask(W, H, 12, 12, 8, 6);
    const b = ellipseMask(W, H, 45, 18, 9, 7);
    const mask = a.map((v, i) => v | b[i]);
    const rings = maskToPolygons(mask, W, H);
    expect(rings).toHaveLength(2);
    // Raster order of each component's first pixel: the higher one (a) first.
    expect(maskIoU(fillPolygon(rings[0], W, H), a)).toBeGreaterThan(0.9);
    expect(maskIoU(fillPolygon(rings[1], W, H), b)).toBeGreaterThan(0.9);
    expect(largestRing(rings)).toBe(rings[1]);
    // Seeded overlapping blobs may enclose holes, so check cover rather than area: every set pixel lies in an outer ring.
    const blobs = blobMask(rng, W, H, 4);
    const outer = maskToPolygons(blobs, W, H, { tolerance: 0 });
    const filled = new Uint8Array(W * H);
    for (const r of outer) fillPolygon(r, W, H).forEach((v, i) => (filled[i] |= v));
    for (let i = 0; i < blobs.length; i++) if (blobs[i]) expect(filled[i]).toBe(1);
  });

  it('joins pixels that touch only at a corner (8-connectivity) into one ring', () => {
    const { mask, width, height } = maskFromRows(['1100', '1100', '0011', '0011']);
    const rings = maskToPolygons(mask, width, height, { tolerance: 0 });
    expect(rings).toHaveLength(1);
    expect(polygonArea(rings[0])).toBe(8);
    const other = maskFromRows(['0011', '0011', '1100', '1100']);
    expect(maskToPolygons(other.mask, other.width, other.height, { tolerance: 0 })).toHaveLength(1);
  });

  it('traces every boundary of noisy masks: outer areas minus hole areas equal the pixel count', () => {
    const rng = new Rng(5);
    for (let k = 0; k < 20; k++) {
      const mask = noiseMask(rng, 23, 17, 0.2 + 0.03 * k);
      const loops = traceBoundaries(mask, 23, 17);
      expect(loops.reduce((s, r) => s + signedArea(r), 0)).toBe(maskArea(mask));
    }
  });

  it('drops holes: a ring mask is outlined by its outer square only', () => {
    const { mask, width, height } = maskFromRows(['11111', '11111', '11011', '11111', '11111']);
    expect(traceBoundaries(mask, width, height)).toHaveLength(2); // outer + hole
    expect(maskToPolygons(mask, width, height)).toEqual([[[0, 0], [5, 0], [5, 5], [0, 5]]]);
  });

  it('gives no rings for an empty mask and rejects a mask of the wrong size', () => {
    expect(maskToPolygons(new Uint8Array(20), 5, 4)).toEqual([]);
    expect(largestRing([])).toBeNull();
    expect(() => maskToPolygons(new Uint8Array(20), 4, 4)).toThrow(expect.objectContaining({ code: 'E_LABEL' }));
    expect(() => maskToPolygons(new Uint8Array(20), 5, 4, { tolerance: -1 })).toThrow(/tolerance -1/);
  });
});

describe('simplifyRing', () => {
  const stairs: Ring = [[0, 0], [1, 0], [1, 1], [2, 1], [2, 2], [3, 2], [3, 3], [0, 3]];

  it('straightens a 45-degree staircase (corners 0.71 px off the diagonal) but keeps the real corners', () => {
    expect(simplifyRing(stairs, 0.75)).toEqual([[0, 0], [3, 3], [0, 3]]);
  });

  it('keeps what a smaller tolerance cannot excuse, and everything at 0', () => {
    const fine = simplifyRing(stairs, 0.5);
    expect(fine).toEqual([[0, 0], [1, 0], [1, 1], [3, 2], [3, 3], [0, 3]]);
    for (const p of stairs) expect(distanceToRing(p, fine)).toBeLessThanOrEqual(0.5);
    expect(simplifyRing(stairs, 0)).toEqual(stairs);
  });
});
