/**
 * Straight tubes and armour rings with superelliptic sections, built along -Z (s = -z):
 * the soft body inside a seahorse's bony rings, and the rings themselves. A section is
 * a superellipse |x/w|^n + |(y - c)/h|^n = 1 (n = 2 an ellipse, larger n squarer, as the
 * tail of a seahorse is square in section), sampled at even angles.
 *
 * - ringTube: one closed tube (a pole at each end) through sections at given stations.
 * - armourBand: one ring of the armour between two stations: a closed band of torus
 *   topology (outer surface, both rims, inner surface), `thickness` thick, its outer
 *   surface raised by `ridge` in the middle of the ring, as segmented armour is.
 *
 * Rings run the same way as geometry/rings.ts tubes (from +Y towards +X), so surfaces
 * face outward. Pure typed-array code.
 */
import type { MeshData } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { polygonAreaCorrection, ringSurface } from '../../geometry/rings.js';

/** Half-width (X), half-depth (Y), centre height and squareness of a section. */
export interface RingSection {
  w: number;
  h: number;
  y: number;
  n: number;
}

/** Unit superellipse point at angle a: [x, y] with |x|^n + |y|^n = 1. */
function unitPoint(a: number, n: number): [number, number] {
  const c = Math.cos(a), s = Math.sin(a);
  const e = 2 / n;
  return [Math.sign(s) * Math.abs(s) ** e, Math.sign(c) * Math.abs(c) ** e];
}

/** Writes the ring of `around` points of a section shrunk by `inset` (grown by `scale`) at z. */
function writeRing(out: Float64Array, o: number, sec: RingSection, z: number, around: number, inset: number, scale: number): number {
  const k = polygonAreaCorrection(around);
  const w = sec.w * scale - inset, h = sec.h * scale - inset;
  for (let i = 0; i < around; i++) {
    const [ux, uy] = unitPoint((2 * Math.PI * i) / around, sec.n);
    out[o++] = k * w * ux;
    out[o++] = sec.y + k * h * uy;
    out[o++] = z;
  }
  return o;
}

function checkSection(sec: RingSection, inset: number, what: string): void {
  if (!(sec.w - inset > 0 && sec.h - inset > 0 && sec.n >= 2 && Number.isFinite(sec.y))) {
    throw new ExorayError('E_ASSET', `${what}: section ${JSON.stringify(sec)} leaves nothing inside an inset of ${inset}; make the body thicker or the armour thinner`);
  }
}

/**
 * Closed tube through `stations` (distances along the axis, increasing); the first and
 * last are the poles, every other one a ring of `sectionAt(s)` shrunk by `insetAt(s)`.
 */
export function ringTube(
  stations: readonly number[],
  sectionAt: (s: number) => RingSection,
  insetAt: (s: number) => number,
  around: number,
  what: string,
): MeshData {
  if (stations.length < 3 || stations.some((s, i) => i > 0 && !(s > stations[i - 1]!))) {
    throw new ExorayError('E_ASSET', `${what}: a tube needs at least 3 increasing stations`);
  }
  const n = Math.max(6, Math.round(around));
  const inner = stations.slice(1, -1);
  const pts = new Float64Array(3 * n * inner.length);
  let o = 0;
  for (const s of inner) {
    const sec = sectionAt(s);
    const inset = insetAt(s);
    checkSection(sec, inset, what);
    o = writeRing(pts, o, sec, -s, n, inset, 1);
  }
  const first = stations[0]!, last = stations[stations.length - 1]!;
  return ringSurface([0, sectionAt(first).y, -first], pts, n, [0, sectionAt(last).y, -last]);
}

export interface BandSpec {
  /** Stations along the ring, increasing: the first and last are its rims. */
  stations: readonly number[];
  thickness: number;
  /** Outer surface raised by this share of the section at the ring's middle. */
  ridge: number;
  /** Points around the section. */
  around: number;
}

/**
 * Triangles of a torus-topology grid: `around` loops of `perLoop` vertices (vertex
 * j * perLoop + k), each loop closed, neighbouring loops joined, the last to the first.
 * Outward when k runs along the outer surface towards -Z and back along the inner one,
 * and j turns from +Y towards +X.
 */
export function torusGridIndices(around: number, perLoop: number): Uint32Array {
  const idx = new Uint32Array(6 * around * perLoop);
  let o = 0;
  for (let j = 0; j < around; j++) {
    const j1 = (j + 1) % around;
    for (let k = 0; k < perLoop; k++) {
      const k1 = (k + 1) % perLoop;
      const a = j * perLoop + k, b = j1 * perLoop + k, c = j1 * perLoop + k1, d = j * perLoop + k1;
      idx[o++] = a; idx[o++] = b; idx[o++] = c;
      idx[o++] = a; idx[o++] = c; idx[o++] = d;
    }
  }
  return idx;
}

/** One armour ring over `stations` around the sections of `sectionAt`. */
export function armourBand(spec: BandSpec, sectionAt: (s: number) => RingSection, what: string): MeshData {
  const { stations, thickness, ridge } = spec;
  const around = Math.max(6, Math.round(spec.around));
  const along = stations.length;
  const sa = stations[0]!, sb = stations[along - 1]!;
  if (along < 2 || stations.some((s, i) => i > 0 && !(s > stations[i - 1]!)) || !(thickness > 0) || !(ridge >= 0)) {
    throw new ExorayError('E_ASSET', `${what}: a ring needs at least 2 increasing stations, a positive thickness and a ridge >= 0 (got ${JSON.stringify(spec)})`);
  }
  const perLoop = 2 * along;
  // Loop k: outer surface from sa to sb, then the inner surface back from sb to sa.
  const loops: Array<{ s: number; inset: number; scale: number }> = [];
  for (const s of stations) loops.push({ s, inset: 0, scale: 1 + ridge * Math.sin((Math.PI * (s - sa)) / (sb - sa)) });
  for (const s of [...stations].reverse()) loops.push({ s, inset: thickness, scale: 1 });
  const rings = new Float64Array(3 * around * perLoop);
  loops.forEach((l, k) => {
    const sec = sectionAt(l.s);
    checkSection(sec, l.inset, what);
    writeRing(rings, 3 * around * k, sec, -l.s, around, l.inset, l.scale);
  });
  // Reorder from loop-major (k, j) to azimuth-major (j, k).
  const positions = new Float32Array(3 * around * perLoop);
  for (let k = 0; k < perLoop; k++) {
    for (let j = 0; j < around; j++) {
      const from = 3 * (k * around + j), to = 3 * (j * perLoop + k);
      positions[to] = rings[from]!;
      positions[to + 1] = rings[from + 1]!;
      positions[to + 2] = rings[from + 2]!;
    }
  }
  return { positions, indices: torusGridIndices(around, perLoop) };
}
