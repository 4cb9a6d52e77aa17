/**
 * Mask to polygons, for the label formats that want outlines (YOLO-seg).
 *
 * Coordinates are pixel corners: pixel (x, y) is the square [x, x+1] x [y, y+1],
 * so the outline of a full W x H mask is (0,0) (W,0) (W,H) (0,H), and the
 * polygon's area equals the pixel count before simplification.
 *
 * Boundaries are traced along the pixel edges that separate set from unset
 * pixels, walking clockwise on screen (y down) with the set pixels on the right.
 * Outer boundaries then have positive shoelace area and holes negative. Pixels
 * that touch only at a corner belong to one component (8-connectivity), so a
 * thin diagonal leg stays with its body; the ring touches itself at that corner.
 *
 * Holes are dropped: YOLO-seg has one ring per object and no holes, and an
 * amodal animal mask rarely has any.
 */
import { ExorayError } from '../core/errors.js';
import { checkMaskSize } from './mask.js';

/** [x, y] in pixel-corner coordinates. */
export type Point = [number, number];
export type Ring = Point[];

export interface PolygonOptions {
  /** Douglas-Peucker tolerance in pixels; 0 keeps every corner of the staircase. Default 0.75. */
  tolerance?: number;
}

export const DEFAULT_POLYGON_TOLERANCE = 0.75;

// Directions: 0 right (+x), 1 down (+y), 2 left, 3 up.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/** Outer boundaries of the 8-connected components, simplified; in raster order of each component's first pixel. */
export function maskToPolygons(mask: Uint8Array, width: number, height: number, options: PolygonOptions = {}): Ring[] {
  checkMaskSize(mask, width, height);
  const tolerance = options.tolerance ?? DEFAULT_POLYGON_TOLERANCE;
  if (!(tolerance >= 0)) throw new ExorayError('E_LABEL', `labels/polygon: tolerance ${tolerance} must be a number >= 0 (pixels).`);
  const rings: Ring[] = [];
  for (const ring of traceBoundaries(mask, width, height)) {
    if (signedArea(ring) <= 0) continue; // a hole
    rings.push(simplifyRing(ring, tolerance));
  }
  return rings;
}

/**
 * Every boundary loop of the mask (outer and holes), as corner points with
 * straight runs merged. Each loop starts at its first vertex in raster order:
 * no edge can reach it from above or the left, so the walk arrives there going
 * up or left and leaves going right or down, and the start is always a corner.
 */
export function traceBoundaries(mask: Uint8Array, width: number, height: number): Ring[] {
  checkMaskSize(mask, width, height);
  const W1 = width + 1;
  const set = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && mask[y * width + x] !== 0;
  // Bit d of out[v]: a boundary edge leaves vertex v in direction d.
  const out = new Uint8Array(W1 * (height + 1));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!set(x, y)) continue;
      if (!set(x, y - 1)) out[y * W1 + x] |= 1 << 0;
      if (!set(x + 1, y)) out[y * W1 + x + 1] |= 1 << 1;
      if (!set(x, y + 1)) out[(y + 1) * W1 + x + 1] |= 1 << 2;
      if (!set(x - 1, y)) out[(y + 1) * W1 + x] |= 1 << 3;
    }
  }
  const rings: Ring[] = [];
  const unused = out.slice();
  for (let v0 = 0; v0 < out.length; v0++) {
    while (unused[v0] !== 0) {
      const ring: Ring = [];
      const dir0 = 31 - Math.clz32(unused[v0] & -unused[v0]);
      let v = v0;
      let dir = dir0;
      let prev = -1;
      do {
        if (dir !== prev) ring.push([v % W1, Math.floor(v / W1)]);
        unused[v] &= ~(1 << dir);
        v += DY[dir] * W1 + DX[dir];
        prev = dir;
        // Two ways out only at a saddle (pixels touching at a corner); the left turn joins them.
        const left = (dir + 3) % 4;
        dir = out[v] & (1 << left) ? left : 31 - Math.clz32(out[v]);
      } while (v !== v0 || dir !== dir0);
      rings.push(ring);
    }
  }
  return rings;
}

/** Shoelace area with y down: positive for rings that run clockwise on screen (outer boundaries here). */
export function signedArea(ring: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

export function polygonArea(ring: readonly (readonly number[])[]): number {
  return Math.abs(signedArea(ring));
}

/** The ring of largest area (YOLO-seg takes one polygon per object); null when there is none. */
export function largestRing(rings: readonly Ring[]): Ring | null {
  let best: Ring | null = null;
  let bestArea = -1;
  for (const r of rings) {
    const a = polygonArea(r);
    if (a > bestArea) {
      best = r;
      bestArea = a;
    }
  }
  return best;
}

/** Douglas-Peucker on a closed ring, anchored at point 0 and the point farthest from it. */
export function simplifyRing(ring: Ring, tolerance: number): Ring {
  if (ring.length <= 3 || tolerance === 0) return ring.map((p) => [p[0], p[1]]);
  let far = 0;
  let farD = -1;
  for (let i = 1; i < ring.length; i++) {
    const d = (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2;
    if (d > farD) {
      far = i;
      farD = d;
    }
  }
  const keep = new Uint8Array(ring.length + 1);
  keep[0] = keep[far] = keep[ring.length] = 1;
  const at = (i: number) => ring[i % ring.length];
  const stack: Array<[number, number]> = [[0, far], [far, ring.length]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    let worst = -1;
    let worstD = tolerance;
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistance(at(i), at(a), at(b));
      if (d > worstD) {
        worst = i;
        worstD = d;
      }
    }
    if (worst < 0) continue;
    keep[worst] = 1;
    stack.push([a, worst], [worst, b]);
  }
  const result: Ring = [];
  for (let i = 0; i < ring.length; i++) if (keep[i]) result.push([ring[i][0], ring[i][1]]);
  // A ring of a pixel or two can collapse below a polygon; its staircase is then the better outline.
  return result.length >= 3 ? result : ring.map((p) => [p[0], p[1]]);
}

function segmentDistance(p: Point, a: Point, b: Point): number {
  const vx = b[0] - a[0];
  const vy = b[1] - a[1];
  const len2 = vx * vx + vy * vy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - a[0] - t * vx, p[1] - a[1] - t * vy);
}
