/**
 * Closed surfaces built from rings of vertices between two pole vertices: UV spheres,
 * surfaces of revolution (lathe) and swept tubes. One topology serves them all, so
 * every such surface is watertight by construction: the seam is closed by index
 * wrap-around (no duplicated seam column) and each pole is a single shared vertex.
 *
 * Pure typed-array code (bundled into the browser page).
 */
import type { MeshData, Vec3 } from '../core/types.js';
import { ExorayError } from '../core/errors.js';

/**
 * Triangle indices for: vertex 0 = start pole, vertices 1 + r * perRing + i = ring r,
 * last vertex = end pole. Outward-facing when each ring runs counter-clockwise about
 * the direction from the start pole to the end pole (right-hand rule).
 */
export function ringSurfaceIndices(rings: number, perRing: number): Uint32Array {
  if (rings < 1 || perRing < 3) {
    throw new ExorayError('E_MESH_INVALID', `ringSurfaceIndices: need at least 1 ring of 3 vertices, got ${rings} rings of ${perRing}`);
  }
  const idx = new Uint32Array(3 * (2 * perRing + 2 * perRing * (rings - 1)));
  const end = 1 + rings * perRing;
  const at = (r: number, i: number): number => 1 + r * perRing + (i % perRing);
  let k = 0;
  for (let i = 0; i < perRing; i++) {
    idx[k++] = 0;
    idx[k++] = at(0, i + 1);
    idx[k++] = at(0, i);
  }
  for (let r = 0; r < rings - 1; r++) {
    for (let i = 0; i < perRing; i++) {
      const a = at(r, i), b = at(r, i + 1), c = at(r + 1, i + 1), d = at(r + 1, i);
      idx[k++] = a; idx[k++] = b; idx[k++] = c;
      idx[k++] = a; idx[k++] = c; idx[k++] = d;
    }
  }
  for (let i = 0; i < perRing; i++) {
    idx[k++] = end;
    idx[k++] = at(rings - 1, i);
    idx[k++] = at(rings - 1, i + 1);
  }
  return idx;
}

/** Assembles a ring surface from its poles and flattened ring points (xyz, ring after ring). */
export function ringSurface(start: Vec3, ringPoints: ArrayLike<number>, perRing: number, end: Vec3): MeshData {
  const rings = ringPoints.length / (3 * perRing);
  if (!Number.isInteger(rings)) {
    throw new ExorayError('E_MESH_INVALID', `ringSurface: ${ringPoints.length / 3} ring points is not a multiple of ${perRing}`);
  }
  const positions = new Float32Array(ringPoints.length + 6);
  positions.set(start, 0);
  positions.set(ringPoints, 3);
  positions.set(end, ringPoints.length + 3);
  return { positions, indices: ringSurfaceIndices(rings, perRing) };
}

/**
 * Radius factor that makes a regular n-gon's area equal to its circle's: a tessellated
 * surface of revolution otherwise loses volume ~(2 pi / n)^2 / 6, which matters for
 * path lengths. Vertices then sit slightly outside, edge midpoints slightly inside.
 */
export function polygonAreaCorrection(n: number): number {
  const a = (2 * Math.PI) / n;
  return Math.sqrt(a / Math.sin(a));
}

/**
 * Surface of revolution about +Y. `profile` lists [radius, y] from the bottom pole
 * (radius 0) to the top pole (radius 0), without self-intersection.
 * Ring vertex i sits at angle 2 pi i / n, at (r sin a, y, r cos a).
 */
export function lathe(
  profile: ReadonlyArray<readonly [number, number]>,
  radialSegments: number,
  options: { volumeCorrect?: boolean } = {},
): MeshData {
  const n = Math.round(radialSegments);
  const first = profile[0];
  const last = profile[profile.length - 1];
  if (profile.length < 3 || !first || !last || first[0] !== 0 || last[0] !== 0 || !(last[1] > first[1]) || n < 3) {
    throw new ExorayError(
      'E_MESH_INVALID',
      'lathe: profile must run from a bottom pole [0, y0] to a top pole [0, y1 > y0] with at least one ring between, and radialSegments >= 3',
    );
  }
  const k = options.volumeCorrect === false ? 1 : polygonAreaCorrection(n);
  const rings = profile.length - 2;
  const pts = new Float64Array(3 * n * rings);
  let o = 0;
  for (let r = 1; r <= rings; r++) {
    const [radius, y] = profile[r]!;
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      pts[o++] = k * radius * Math.sin(a);
      pts[o++] = y;
      pts[o++] = k * radius * Math.cos(a);
    }
  }
  return ringSurface([0, first[1], 0], pts, n, [0, last[1], 0]);
}

/** Radius of a tube ring: a circle, or an ellipse [along the frame normal, along the binormal]. */
export type RingRadius = number | readonly [number, number];

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
function normalize(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  return l > 0 ? [v[0] / l, v[1] / l, v[2] / l] : [0, 0, 0];
}

/**
 * Tube swept along a path: path[0] and the last point are the pole tips, every inner
 * point gets a ring of radius radii[i] (radii at the poles are ignored). Frames are
 * carried along the path by projection (no twist for smooth paths); the first ring's
 * normal is `up` projected onto its plane, so elliptical sections keep their
 * flattening towards `up`. Bends must stay gentle relative to the radius, or
 * neighbouring rings cross and the surface self-intersects.
 */
export function tube(
  path: readonly Vec3[],
  radii: readonly RingRadius[],
  radialSegments: number,
  options: { up?: Vec3; volumeCorrect?: boolean } = {},
): MeshData {
  const n = Math.round(radialSegments);
  if (path.length < 3 || radii.length !== path.length || n < 3) {
    throw new ExorayError('E_MESH_INVALID', `tube: need >= 3 path points, one radius per point and radialSegments >= 3 (got ${path.length} points, ${radii.length} radii)`);
  }
  const k = options.volumeCorrect === false ? 1 : polygonAreaCorrection(n);
  const rings = path.length - 2;
  const pts = new Float64Array(3 * n * rings);
  let normal: Vec3 | undefined;
  let o = 0;
  for (let r = 1; r <= rings; r++) {
    const p = path[r]!;
    const tIn = normalize(sub(p, path[r - 1]!));
    const tOut = normalize(sub(path[r + 1]!, p));
    const t = normalize([tIn[0] + tOut[0], tIn[1] + tOut[1], tIn[2] + tOut[2]]);
    if (t[0] === 0 && t[1] === 0 && t[2] === 0) {
      throw new ExorayError('E_MESH_INVALID', `tube: path turns back on itself at point ${r}`);
    }
    // Carry the previous normal over (or start from `up`), then fall back to any perpendicular.
    let nrm = normal ?? options.up ?? [0, 1, 0];
    const along = dot(nrm, t);
    nrm = normalize([nrm[0] - along * t[0], nrm[1] - along * t[1], nrm[2] - along * t[2]]);
    if (nrm[0] === 0 && nrm[1] === 0 && nrm[2] === 0) {
      nrm = normalize(Math.abs(t[0]) < 0.9 ? cross(t, [1, 0, 0]) : cross(t, [0, 1, 0]));
    }
    normal = nrm;
    const bin = cross(t, nrm);
    const rad = radii[r]!;
    const [ra, rb] = typeof rad === 'number' ? [rad, rad] : rad;
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      const cu = k * ra * Math.cos(a);
      const su = k * rb * Math.sin(a);
      pts[o++] = p[0] + cu * nrm[0] + su * bin[0];
      pts[o++] = p[1] + cu * nrm[1] + su * bin[1];
      pts[o++] = p[2] + cu * nrm[2] + su * bin[2];
    }
  }
  return ringSurface(path[0]!, pts, n, path[path.length - 1]!);
}

/**
 * Chaikin corner cutting, keeping both end points: rounds a polyline's joints so that a
 * tube swept along it (a geniculate antenna, a curved leg) has no crossing rings.
 */
export function smoothPath(points: readonly Vec3[], iterations = 2): Vec3[] {
  let pts = points.slice();
  for (let it = 0; it < iterations && pts.length > 2; it++) {
    const next: Vec3[] = [pts[0]!];
    for (let i = 0; i < pts.length - 1; i++) {
      const a = pts[i]!, b = pts[i + 1]!;
      const q: Vec3 = [0.75 * a[0] + 0.25 * b[0], 0.75 * a[1] + 0.25 * b[1], 0.75 * a[2] + 0.25 * b[2]];
      const r: Vec3 = [0.25 * a[0] + 0.75 * b[0], 0.25 * a[1] + 0.75 * b[1], 0.25 * a[2] + 0.75 * b[2]];
      if (i > 0) next.push(q);
      if (i < pts.length - 2) next.push(r);
    }
    next.push(pts[pts.length - 1]!);
    pts = next;
  }
  return pts;
}

/** Normalised arc length (0 at the first point, 1 at the last) of each point of a path. */
export function pathParameters(points: readonly Vec3[]): number[] {
  const s = [0];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!, b = points[i]!;
    s.push(s[i - 1]! + Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]));
  }
  const total = s[s.length - 1]!;
  return s.map((v) => (total > 0 ? v / total : 0));
}
