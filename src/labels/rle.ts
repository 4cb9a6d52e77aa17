/**
 * COCO run-length encoding, bit-compatible with pycocotools (maskApi.c).
 *
 * Layout: the mask is read in COLUMN-major order (down the first column, then
 * the next), `size` is [height, width], and counts alternate runs of 0s and 1s
 * starting with 0s (so a mask whose first pixel is set starts with a 0 count).
 *
 * Compressed string: each count becomes a little-endian sequence of 5-bit
 * groups, one char per group = group | 0x20 (more follows) + 48; the last group's
 * bit 0x10 is the sign. From the 4th count on (index > 2, as pycocotools does,
 * not index >= 2) the value written is the difference to the count two before,
 * which is small for smooth shapes (a column's run of 1s is similar to the last).
 *
 * Our masks are row-major Uint8Arrays (see mask.ts); only this module transposes.
 */
import { ExorayError } from '../core/errors.js';
import { checkMaskSize, type BBox } from './mask.js';

/** Compressed RLE as written into COCO JSON. */
export interface Rle {
  /** [height, width]. */
  size: [number, number];
  counts: string;
}

/** RLE as COCO files may hold it: compressed string or plain run lengths. */
export interface RleInput {
  size: [number, number];
  counts: string | number[];
}

function fail(message: string): never {
  throw new ExorayError('E_LABEL', `labels/rle: ${message}`);
}

/** Run lengths of a row-major mask, read column-major, starting with a run of 0s. */
export function maskToCounts(mask: Uint8Array, width: number, height: number): number[] {
  checkMaskSize(mask, width, height);
  const counts: number[] = [];
  let prev = false;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x; i < mask.length; i += width) {
      const set = mask[i] !== 0;
      if (set !== prev) {
        counts.push(run);
        run = 0;
        prev = set;
      }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/** pycocotools' rleToString: counts to the compressed ASCII form. */
export function countsToString(counts: readonly number[]): string {
  const chars: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    // Plain arithmetic instead of >> and & keeps values past 2^31 exact.
    let x = counts[i] - (i > 2 ? counts[i - 2] : 0);
    let more = true;
    while (more) {
      let c = x - Math.floor(x / 32) * 32; // low 5 bits, two's complement style
      x = Math.floor(x / 32); // arithmetic shift: negatives head to -1
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      chars.push(c + 48);
    }
  }
  // Chunked so that masks with very many runs do not overflow the argument limit.
  let s = '';
  for (let i = 0; i < chars.length; i += 8192) s += String.fromCharCode(...chars.slice(i, i + 8192));
  return s;
}

/** pycocotools' rleFrString: the compressed ASCII form back to counts. */
export function stringToCounts(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let scale = 1;
    let more = true;
    while (more) {
      if (p >= s.length) fail(`compressed counts end in the middle of a number (length ${s.length}); the string is truncated.`);
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) fail(`invalid character ${JSON.stringify(s[p])} at ${p} in compressed counts; only ASCII 48-111 occur.`);
      x += (c & 0x1f) * scale;
      scale *= 32;
      more = (c & 0x20) !== 0;
      p++;
      if (!more && c & 0x10) x -= scale; // sign-extend the last group
    }
    if (counts.length > 2) x += counts[counts.length - 2];
    if (x < 0) fail(`compressed counts decode to a negative run (${x}) at run ${counts.length}; the string is corrupt.`);
    counts.push(x);
  }
  return counts;
}

function checkSize(size: unknown): [number, number] {
  if (
    !Array.isArray(size) ||
    size.length !== 2 ||
    !size.every((v) => Number.isInteger(v) && v >= 0)
  ) {
    fail(`size ${JSON.stringify(size)} must be [height, width] with non-negative integers.`);
  }
  return [size[0], size[1]];
}

/** Validated run lengths of an RLE; their sum must cover the image exactly. */
export function rleCounts(rle: RleInput): number[] {
  const [h, w] = checkSize(rle.size);
  let counts: number[];
  if (typeof rle.counts === 'string') {
    counts = stringToCounts(rle.counts);
  } else if (Array.isArray(rle.counts)) {
    counts = rle.counts;
    for (const c of counts) {
      if (!Number.isInteger(c) || c < 0) fail(`run length ${JSON.stringify(c)} is not a non-negative integer.`);
    }
  } else {
    fail(`counts must be a string or an array of run lengths, got ${typeof rle.counts}.`);
  }
  let total = 0;
  for (const c of counts) total += c;
  if (total !== h * w) {
    fail(`runs cover ${total} pixels but size [${h}, ${w}] has ${h * w}; the mask was encoded for another image size.`);
  }
  return counts;
}

/** Encodes a row-major mask (width x height) as compressed COCO RLE. */
export function encodeRle(mask: Uint8Array, width: number, height: number): Rle {
  return { size: [height, width], counts: countsToString(maskToCounts(mask, width, height)) };
}

/** Decodes COCO RLE (compressed or not) to a row-major 0/1 mask. */
export function decodeRle(rle: RleInput): Uint8Array {
  const counts = rleCounts(rle);
  const [h, w] = rle.size;
  const mask = new Uint8Array(h * w);
  let pos = 0;
  for (let j = 0; j < counts.length; j++) {
    const end = pos + counts[j];
    if (j % 2 === 1) {
      for (let p = pos; p < end; p++) {
        const col = Math.floor(p / h);
        mask[(p - col * h) * w + col] = 1;
      }
    }
    pos = end;
  }
  return mask;
}

/** Number of set pixels, without decoding. */
export function rleArea(rle: RleInput): number {
  const counts = rleCounts(rle);
  let area = 0;
  for (let j = 1; j < counts.length; j += 2) area += counts[j];
  return area;
}

/**
 * Tight box [x, y, w, h] of the set pixels, without decoding; null when empty
 * (pycocotools says [0, 0, 0, 0] there, which is a box of nothing at the corner).
 */
export function rleToBBox(rle: RleInput): BBox | null {
  const counts = rleCounts(rle);
  const h = rle.size[0];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -1;
  let maxY = -1;
  let pos = 0;
  for (let j = 0; j < counts.length; j++) {
    const start = pos;
    pos += counts[j];
    if (j % 2 === 0 || counts[j] === 0) continue;
    const last = pos - 1;
    const x0 = Math.floor(start / h);
    const x1 = Math.floor(last / h);
    minX = Math.min(minX, x0);
    maxX = Math.max(maxX, x1);
    if (x0 !== x1) {
      // A run that wraps into the next column covers the bottom row of one and the top row of the next.
      minY = 0;
      maxY = h - 1;
    } else {
      minY = Math.min(minY, start - x0 * h);
      maxY = Math.max(maxY, last - x1 * h);
    }
  }
  if (maxX < 0) return null;
  return [minX, minY, maxX - minX + 1, maxY - minY + 1];
}
