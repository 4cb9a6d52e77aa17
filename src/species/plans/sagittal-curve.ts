/**
 * A body axis curved in the sagittal (median) plane, as a seahorse's trunk and curled tail
 * are: the curve runs downwards from the neck and bends towards the belly. A straight
 * model (x lateral, y dorsal, z = -s with s the distance along the axis) is carried onto
 * the curve, so rings built straight stay rings around the bent axis.
 *
 * Plane coordinates: f forward (towards the belly and the snout), v up. The heading phi(s)
 * is measured from straight down, positive towards the front: the tangent is
 * T = (sin phi, -cos phi), the dorsal normal D = (-cos phi, -sin phi), and a positive
 * curvature phi' turns the axis towards the belly (ventrally). A straight point
 * (x, y, -s) goes to C(s) + y D(s) in the plane and x across it. The map is one-to-one,
 * and keeps every closed surface closed and outward, as long as no point lies further
 * towards the belly than the local radius of curvature: the builder checks that.
 * Pure code.
 */
import type { MeshData, Vec3 } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';

/** Curvature keys [s, kappa]: linear between keys, constant beyond the ends. */
export type CurvatureKeys = ReadonlyArray<readonly [number, number]>;

export interface SagittalCurve {
  /** Start and end of the axis (s may start below 0: the part of the axis above the neck). */
  s0: number;
  s1: number;
  step: number;
  phi: Float64Array;
  f: Float64Array;
  v: Float64Array;
}

const STEPS = 8192;

export function curvatureAt(keys: CurvatureKeys, s: number): number {
  if (keys.length === 0) return 0;
  if (s <= keys[0]![0]) return keys[0]![1];
  for (let i = 1; i < keys.length; i++) {
    const [sa, ka] = keys[i - 1]!;
    const [sb, kb] = keys[i]!;
    if (s <= sb) return ka + ((kb - ka) * (s - sa)) / (sb - sa);
  }
  return keys[keys.length - 1]![1];
}

/**
 * Integrates the heading and position from s0 to s1 with C(0) = (0, 0) and phi(0) = phi0
 * (so the neck is the origin whatever s0 is).
 */
export function sagittalCurve(s0: number, s1: number, phi0: number, keys: CurvatureKeys, what: string): SagittalCurve {
  if (!(s1 > s0) || !(s0 <= 0 && s1 > 0) || !Number.isFinite(phi0)) {
    throw new ExorayError('E_ASSET', `${what}: the axis must run from s0 <= 0 to s1 > 0 (got ${s0} to ${s1}, heading ${phi0})`);
  }
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i]![0] > keys[i - 1]![0])) throw new ExorayError('E_ASSET', `${what}: curvature keys must have increasing s (got ${JSON.stringify(keys)})`);
  }
  const n = STEPS;
  const h = (s1 - s0) / n;
  const phi = new Float64Array(n + 1);
  const f = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  // Integrate outwards from s = 0 in both directions, so the neck sits exactly at the origin.
  const k0 = Math.round(-s0 / h);
  phi[k0] = phi0;
  for (let k = k0 + 1; k <= n; k++) {
    const sa = s0 + (k - 1) * h, sb = s0 + k * h;
    phi[k] = phi[k - 1]! + 0.5 * (curvatureAt(keys, sa) + curvatureAt(keys, sb)) * h;
    const mid = 0.5 * (phi[k - 1]! + phi[k]!);
    f[k] = f[k - 1]! + Math.sin(mid) * h;
    v[k] = v[k - 1]! - Math.cos(mid) * h;
  }
  for (let k = k0 - 1; k >= 0; k--) {
    const sa = s0 + (k + 1) * h, sb = s0 + k * h;
    phi[k] = phi[k + 1]! - 0.5 * (curvatureAt(keys, sa) + curvatureAt(keys, sb)) * h;
    const mid = 0.5 * (phi[k + 1]! + phi[k]!);
    f[k] = f[k + 1]! - Math.sin(mid) * h;
    v[k] = v[k + 1]! + Math.cos(mid) * h;
  }
  return { s0, s1, step: h, phi, f, v };
}

/** Position (f, v) and heading of the curve at s (linear between the fine steps). */
export function curveAt(c: SagittalCurve, s: number): [number, number, number] {
  const x = Math.min(Math.max((s - c.s0) / c.step, 0), STEPS);
  const k = Math.min(Math.floor(x), STEPS - 1);
  const t = x - k;
  const lerp = (a: Float64Array) => a[k]! + (a[k + 1]! - a[k]!) * t;
  return [lerp(c.f), lerp(c.v), lerp(c.phi)];
}

/**
 * Carries a straight point (x lateral, y dorsal, z = -s) onto the curve, in model axes:
 * X forward (f), Y lateral (-x), Z down (-v): a half turn about X from (f, x, v), so the
 * animal stands head up in a top view, which draws -Z at the top of the picture. It lies
 * on its side when +Y is up.
 */
export function bendPoint(c: SagittalCurve, x: number, y: number, z: number): Vec3 {
  const [f, v, phi] = curveAt(c, -z);
  return [f - y * Math.cos(phi), -x, -(v - y * Math.sin(phi))];
}

export function bendMesh(c: SagittalCurve, mesh: MeshData): MeshData {
  const p = mesh.positions;
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) out.set(bendPoint(c, p[i]!, p[i + 1]!, p[i + 2]!), i);
  return { positions: out, indices: mesh.indices };
}

/**
 * Largest ventral reach times curvature over the straight mesh's vertices: the map folds
 * the surface where this reaches 1 (a point past the centre of curvature).
 */
export function foldRatio(c: SagittalCurve, keys: CurvatureKeys, mesh: MeshData): number {
  const p = mesh.positions;
  let worst = 0;
  for (let i = 0; i < p.length; i += 3) {
    const ventral = -p[i + 1]!;
    if (ventral <= 0) continue;
    const kappa = curvatureAt(keys, -p[i + 2]!);
    worst = Math.max(worst, ventral * kappa);
  }
  return worst;
}

/** A point of a straight rigid piece (the head) placed in model axes (as bendPoint's): its own axis along `heading`. */
export function placeRigid(origin: readonly [number, number], heading: number, x: number, y: number, z: number): Vec3 {
  // The piece is built with its front tip at z = 0 running to -z, +y dorsal; `heading` is
  // the angle of its forward direction below the horizontal (towards +f).
  const ca = Math.cos(heading), sa = Math.sin(heading);
  // Forward unit A = (ca, -sa) in (f, v); dorsal unit (sa, ca); a point at depth -z behind the tip.
  const f = origin[0] + z * ca + y * sa;
  const v = origin[1] - z * sa + y * ca;
  return [f, -x, -v];
}

export function placeRigidMesh(origin: readonly [number, number], heading: number, mesh: MeshData): MeshData {
  const p = mesh.positions;
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) out.set(placeRigid(origin, heading, p[i]!, p[i + 1]!, p[i + 2]!), i);
  return { positions: out, indices: mesh.indices };
}
