/**
 * Watertight primitive builders. Every mesh is indexed with shared vertices (caps and
 * poles share vertices with the sides, seams are closed by index wrap-around), closed,
 * 2-manifold and outward-facing, so the L-buffer sums path lengths correctly.
 *
 * Tessellation is volume-corrected: a tessellated round surface lies inside the true one
 * and loses volume (a UV sphere of 48 x 24 segments loses 0.71%), which would bias every
 * path length low. Vertices are pushed out just enough that the mesh encloses the analytic
 * volume: exactly for ellipsoids and cylinders, for the azimuthal part only for capsules.
 *
 * Pure typed-array code (bundled into the browser page).
 */
import type { MeshData, Quat, Shape, Vec3 } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { flipWinding, mergeMeshes, signedVolume, transformMeshTRS } from './mesh.js';
import { lathe, tube } from './rings.js';
import { torus } from './torus.js';

/**
 * Default UV-sphere tessellation: 48 segments around Y, 24 from pole to pole, i.e.
 * 2,208 triangles. Raw volume error would be -0.71%; with the correction it is below 1e-6.
 */
export const DEFAULT_ELLIPSOID_SEGMENTS = { around: 48, poleToPole: 24 } as const;
/** Default cylinder tessellation: 48 sides (192 triangles), exact volume after correction. */
export const DEFAULT_CYLINDER_SEGMENTS = 48;
/** Sides of a swept tube shape (cables, straps, rubber snakes): thin, so few sides suffice. */
export const DEFAULT_TUBE_SEGMENTS = 12;
/** Default capsule tessellation: 16 sides, 4 latitude bands per hemispherical cap. */
export const DEFAULT_CAPSULE_SEGMENTS = { around: 16, cap: 4 } as const;

function requirePositive(what: string, values: Record<string, number>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!(Number.isFinite(v) && v > 0)) {
      throw new ExorayError('E_MESH_INVALID', `${what}: ${k} must be a positive finite number, got ${String(v)}`);
    }
  }
}

/** Solid cuboid centred at the origin: 8 shared corners, 12 triangles. */
export function box(size: Vec3): MeshData {
  requirePositive('box', { 'size[0]': size[0], 'size[1]': size[1], 'size[2]': size[2] });
  const positions = new Float32Array(24);
  // Corner v has bit 0 -> +x, bit 1 -> +y, bit 2 -> +z.
  for (let v = 0; v < 8; v++) {
    positions[3 * v] = (v & 1 ? 0.5 : -0.5) * size[0];
    positions[3 * v + 1] = (v & 2 ? 0.5 : -0.5) * size[1];
    positions[3 * v + 2] = (v & 4 ? 0.5 : -0.5) * size[2];
  }
  // Quads counter-clockwise seen from outside, one per face (-x, +x, -y, +y, -z, +z).
  const quads = [
    [0, 4, 6, 2], [1, 3, 7, 5],
    [0, 1, 5, 4], [2, 6, 7, 3],
    [0, 2, 3, 1], [4, 5, 7, 6],
  ];
  const indices = new Uint32Array(36);
  quads.forEach(([a, b, c, d], f) => indices.set([a!, b!, c!, a!, c!, d!], 6 * f));
  return { positions, indices };
}

const sphereCorrection = new Map<string, number>();

/** Unit UV sphere (poles on Y) scaled so its volume equals 4/3 pi. */
function unitSphere(around: number, poleToPole: number): MeshData {
  const profile: Array<[number, number]> = [];
  for (let j = 0; j <= poleToPole; j++) {
    const th = (Math.PI * j) / poleToPole;
    profile.push([j === 0 || j === poleToPole ? 0 : Math.sin(th), -Math.cos(th)]);
  }
  const raw = lathe(profile, around, { volumeCorrect: false });
  const key = `${around}x${poleToPole}`;
  let k = sphereCorrection.get(key);
  if (k === undefined) {
    k = Math.cbrt(((4 / 3) * Math.PI) / signedVolume(raw));
    sphereCorrection.set(key, k);
  }
  return transformMeshTRS(raw, [0, 0, 0], [0, 0, 0, 1], k);
}

/**
 * Solid ellipsoid centred at the origin: a UV sphere with welded poles (on Y) and seam,
 * scaled by `radii`. `segments` is the count around Y (pole-to-pole gets half of it) or both.
 */
export function ellipsoid(
  radii: Vec3,
  segments: number | { around: number; poleToPole: number } = DEFAULT_ELLIPSOID_SEGMENTS,
): MeshData {
  requirePositive('ellipsoid', { 'radii[0]': radii[0], 'radii[1]': radii[1], 'radii[2]': radii[2] });
  const around = Math.max(3, Math.round(typeof segments === 'number' ? segments : segments.around));
  const poleToPole = Math.max(2, Math.round(typeof segments === 'number' ? segments / 2 : segments.poleToPole));
  return transformMeshTRS(unitSphere(around, poleToPole), [0, 0, 0], [0, 0, 0, 1], radii);
}

/** Solid cylinder along Y, centred at the origin; cap centres are single vertices fanned to the rims. */
export function cylinder(radius: number, height: number, radialSegments: number = DEFAULT_CYLINDER_SEGMENTS): MeshData {
  requirePositive('cylinder', { radius, height });
  const h = height / 2;
  return lathe([[0, -h], [radius, -h], [radius, h], [0, h]], radialSegments);
}

/** Rotation taking +Y to the unit vector d. */
function rotationFromY(d: Vec3): Quat {
  // Half-way quaternion; for d = -Y any half-turn about a horizontal axis works.
  const w = 1 + d[1];
  if (w < 1e-12) return [1, 0, 0, 0];
  const q: Quat = [d[2], 0, -d[0], w];
  const l = Math.hypot(q[0], q[1], q[2], q[3]);
  return [q[0] / l, q[1] / l, q[2] / l, q[3] / l];
}

/**
 * Rounded limb segment from `a` to `b`: hemispherical ends of radius ra at `a` and rb at
 * `b` joined by a cylinder or frustum. The ends extend beyond a and b by their radii.
 */
export function capsule(
  a: Vec3,
  b: Vec3,
  radius: number | readonly [number, number],
  segments: { around: number; cap: number } = DEFAULT_CAPSULE_SEGMENTS,
): MeshData {
  const [ra, rb] = typeof radius === 'number' ? [radius, radius] : radius;
  const d: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const len = Math.hypot(d[0], d[1], d[2]);
  requirePositive('capsule', { 'radius at a': ra, 'radius at b': rb, 'distance between a and b': len });
  const cap = Math.max(1, Math.round(segments.cap));
  const profile: Array<[number, number]> = [[0, -ra]];
  for (let k = 1; k <= cap; k++) {
    const t = -Math.PI / 2 + (k * Math.PI) / 2 / cap;
    profile.push([ra * Math.cos(t), ra * Math.sin(t)]);
  }
  for (let k = 0; k < cap; k++) {
    const t = (k * Math.PI) / 2 / cap;
    profile.push([rb * Math.cos(t), len + rb * Math.sin(t)]);
  }
  profile.push([0, len + rb]);
  const local = lathe(profile, segments.around);
  return transformMeshTRS(local, a, rotationFromY([d[0] / len, d[1] / len, d[2] / len]), 1);
}

/**
 * Closed volume with a cavity: the outer surface plus the inner surface turned inward.
 * The caller guarantees `inner` lies strictly inside `outer`.
 */
export function shell(outer: MeshData, inner: MeshData): MeshData {
  return mergeMeshes([outer, flipWinding(inner)]);
}

/** Cuboid shell with walls `wall` thick on every side. */
export function hollowBox(size: Vec3, wall: number): MeshData {
  requirePositive('hollowBox', { wall });
  const inner: Vec3 = [size[0] - 2 * wall, size[1] - 2 * wall, size[2] - 2 * wall];
  if (Math.min(...inner) <= 0) {
    throw new ExorayError(
      'E_MESH_INVALID',
      `hollowBox: wall ${wall} leaves no cavity in size [${size.join(', ')}]; use a wall below half the smallest size or a solid box`,
    );
  }
  return shell(box(size), box(inner));
}

/** Cylindrical tube closed at both ends, walls (side and ends) `wall` thick. */
export function hollowCylinder(
  radius: number,
  height: number,
  wall: number,
  radialSegments: number = DEFAULT_CYLINDER_SEGMENTS,
): MeshData {
  requirePositive('hollowCylinder', { radius, height, wall });
  if (wall >= radius || 2 * wall >= height) {
    throw new ExorayError(
      'E_MESH_INVALID',
      `hollowCylinder: wall ${wall} leaves no cavity in radius ${radius}, height ${height}; use a wall below the radius and half the height, or a solid cylinder`,
    );
  }
  return shell(cylinder(radius, height, radialSegments), cylinder(radius - wall, height - 2 * wall, radialSegments));
}

/** Mesh of a scene Shape in its local frame. Asset shapes come from the species catalog instead. */
export function shapeToMesh(shape: Shape): MeshData {
  switch (shape.type) {
    case 'box':
      return box(shape.size);
    case 'hollowBox':
      return hollowBox(shape.size, shape.wall);
    case 'cylinder':
      return cylinder(shape.radius, shape.height);
    case 'hollowCylinder':
      return hollowCylinder(shape.radius, shape.height, shape.wall);
    case 'ellipsoid':
      return ellipsoid(shape.radii);
    case 'torus':
      return torus(shape.radius, shape.tube);
    case 'capsule':
      return capsule([0, -shape.length / 2, 0], [0, shape.length / 2, 0], shape.radius);
    case 'tube':
      return tube(shape.path, shape.path.map(() => shape.radius), DEFAULT_TUBE_SEGMENTS);
    case 'asset':
      throw new ExorayError(
        'E_ASSET',
        `shapeToMesh: shape of asset "${shape.asset}" has no procedural mesh; load it with loadSpeciesModel() from the species catalog`,
      );
    default: {
      const never: never = shape;
      throw new ExorayError('E_MESH_INVALID', `shapeToMesh: unknown shape type ${JSON.stringify((never as { type?: unknown }).type)}`);
    }
  }
}
