/**
 * Binary instance masks as the renderer hands them over: a Uint8Array of
 * height * width in row-major order (row 0 is the top of the image), one byte
 * per pixel. Any non-zero byte counts as set, so a mask thresholded to 0/255
 * works as well as 0/1.
 *
 * Masks are amodal (DESIGN.md section 4): every pixel the body crosses is set,
 * and masks of different instances may overlap.
 */
import { ExorayError } from '../core/errors.js';

/** [x, y, width, height] in pixels from the top-left corner, COCO style. */
export type BBox = [number, number, number, number];

/** Throws E_LABEL unless `mask` has exactly width * height pixels. */
export function checkMaskSize(mask: Uint8Array, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new ExorayError('E_LABEL', `labels/mask: image size ${width}x${height} is not a pair of non-negative integers.`);
  }
  if (mask.length !== width * height) {
    throw new ExorayError(
      'E_LABEL',
      `labels/mask: mask has ${mask.length} pixels but a ${width}x${height} image has ${width * height}; ` +
        'pass the width and height the mask was rendered at.',
    );
  }
}

/** Number of set pixels: COCO's `area` for a mask annotation. */
export function maskArea(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  return n;
}

/**
 * Tight box around the set pixels, counting whole pixels: a single pixel at
 * column 3, row 5 gives [3, 5, 1, 1]. Null for an empty mask, because a zero
 * box would be a valid-looking label for nothing.
 */
export function maskBBox(mask: Uint8Array, width: number, height: number): BBox | null {
  checkMaskSize(mask, width, height);
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[row + x] === 0) continue;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      maxY = y;
    }
  }
  if (maxX < 0) return null;
  return [minX, minY, maxX - minX + 1, maxY - minY + 1];
}

/**
 * Intersection over union of two masks of the same size. Two empty masks give
 * 0 (not NaN), as pycocotools does, so an empty prediction never matches.
 */
export function maskIoU(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) {
    throw new ExorayError('E_LABEL', `labels/mask: cannot compare masks of ${a.length} and ${b.length} pixels; they must come from the same image size.`);
  }
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const sa = a[i] !== 0;
    const sb = b[i] !== 0;
    if (sa && sb) inter++;
    if (sa || sb) union++;
  }
  return union === 0 ? 0 : inter / union;
}
