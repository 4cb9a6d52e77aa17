/**
 * Builds a Skeleton from joints given where the builders lay out their models: each joint
 * at a point of the unscaled layout, its frame from the direction of its bone (+Z) and a
 * hinge hint (+X, the axis it flexes about), and its limits. `build` then applies the
 * model's final scale and centring and turns world frames into parent-relative transforms.
 *
 * Frame convention (docs/SPECIES.md): +Z along the bone, away from the root; +X the flex
 * axis, by default horizontal (up x Z), so that a positive X angle bends the bone's far end
 * downwards (ventrally); +Y completes the frame. A mirrored joint (side L of a `{side}`
 * pair) gets the frame built the same way from mirrored vectors, so a positive X angle
 * flexes both sides alike, and its Y and Z limits are mirrored.
 */
import type { JointLimits, JointRole, Quat, Skeleton, SkeletonJoint, Vec3 } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { qconj, qfromBasis, qmul, qrotate, qtoEuler } from '../../geometry/quat.js';

export interface JointSpec {
  name: string;
  /** Parent joint name; null for the root (exactly one). */
  parent: string | null;
  /** Position in the layout (builder units). */
  at: Vec3;
  /** Direction of the joint's bone, its +Z (need not be unit length). */
  dir: Vec3;
  /** Hint for +X (the flex axis); default: horizontal, up x dir. */
  hinge?: Vec3;
  /** Degrees; relative to the rest pose unless `absolute`. */
  limits: JointLimits;
  /**
   * The limits bound the joint's total bend from a straight chain (its X-Y-Z angles relative to
   * its parent), not the change from rest: for chains built bent (a coiled snake, a curled tail),
   * so that a posture can straighten them. Converted to rest-relative limits by `build`.
   */
  absolute?: boolean;
  role: JointRole;
  /** Half-thickness of the body around the joint, builder units. */
  radius?: number;
}

/** Final placement of the layout: p' = scale * (p - centre). */
export interface LayoutTransform {
  scale: number;
  centre: Vec3;
}

export const FIXED: JointLimits = { x: [0, 0], y: [0, 0], z: [0, 0] };

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
const unit = (a: Vec3): Vec3 => {
  const l = norm(a);
  return [a[0] / l, a[1] / l, a[2] / l];
};
const mirror = (a: Vec3): Vec3 => [-a[0], a[1], a[2]];

/** World rotation of a joint frame: +Z along dir, +X as close to the hinge hint as orthogonality allows. */
export function jointFrame(dir: Vec3, hinge?: Vec3): Quat {
  if (!(norm(dir) > 0)) throw new ExorayError('E_ASSET', `skeleton: a joint needs a non-zero bone direction, got ${JSON.stringify(dir)}`);
  const z = unit(dir);
  let x = hinge ?? cross([0, 1, 0], z);
  // A vertical bone has no horizontal normal: fall back to the model's X axis.
  if (norm(cross(x, z)) < 1e-6 || norm(x) < 1e-9) x = Math.abs(z[0]) < 0.9 ? [1, 0, 0] : [0, 0, 1];
  const y = unit(cross(z, x));
  return qfromBasis(cross(y, z), y, z);
}

/** Limits of the mirror-image joint: X the same, Y and Z reversed. */
export function mirrorLimits(l: JointLimits): JointLimits {
  return { x: [l.x[0], l.x[1]], y: [-l.y[1], -l.y[0]], z: [-l.z[1], -l.z[0]] };
}

export function symmetric(x: number, y: number, z = 0): JointLimits {
  return { x: [-x, x], y: [-y, y], z: [-z, z] };
}

const SIDE = '{side}';

export class RigBuilder {
  private readonly specs: JointSpec[] = [];
  private readonly byName = new Map<string, number>();

  constructor(private readonly what: string) {}

  /** Adds a joint; a name holding `{side}` adds side R as given and side L mirrored across X = 0. */
  add(spec: JointSpec): void {
    if (!spec.name.includes(SIDE)) {
      this.push(spec);
      return;
    }
    const r = (s: string | null) => (s === null ? null : s.replaceAll(SIDE, 'R'));
    const l = (s: string | null) => (s === null ? null : s.replaceAll(SIDE, 'L'));
    this.push({ ...spec, name: r(spec.name)!, parent: r(spec.parent) });
    const hinge = spec.hinge ?? cross([0, 1, 0], spec.dir);
    this.push({
      ...spec,
      name: l(spec.name)!,
      parent: l(spec.parent),
      at: mirror(spec.at),
      dir: mirror(spec.dir),
      hinge: mirror(hinge).map((v) => -v) as Vec3,
      limits: mirrorLimits(spec.limits),
    });
  }

  private push(spec: JointSpec): void {
    if (this.byName.has(spec.name)) throw new ExorayError('E_ASSET', `${this.what} skeleton: joint "${spec.name}" is defined twice`);
    if (spec.parent === null ? this.specs.length > 0 : !this.byName.has(spec.parent)) {
      throw new ExorayError(
        'E_ASSET',
        spec.parent === null
          ? `${this.what} skeleton: joint "${spec.name}" has no parent but "${this.specs[0]!.name}" is already the root; give it a parent`
          : `${this.what} skeleton: joint "${spec.name}" names parent "${spec.parent}", which is not defined before it`,
      );
    }
    this.byName.set(spec.name, this.specs.length);
    this.specs.push(spec);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  index(name: string): number {
    const i = this.byName.get(name);
    if (i === undefined) throw new ExorayError('E_ASSET', `${this.what} skeleton: no joint "${name}" (joints: ${[...this.byName.keys()].join(', ')})`);
    return i;
  }

  spec(name: string): JointSpec {
    return this.specs[this.index(name)]!;
  }

  get size(): number {
    return this.specs.length;
  }

  /** The skeleton in model units, after the layout's scale and centring. */
  build(t: LayoutTransform): Skeleton {
    const place = (p: Vec3): Vec3 => [t.scale * (p[0] - t.centre[0]), t.scale * (p[1] - t.centre[1]), t.scale * (p[2] - t.centre[2])];
    const worldRot: Quat[] = [];
    const worldPos: Vec3[] = [];
    const joints: SkeletonJoint[] = this.specs.map((s) => {
      const parent = s.parent === null ? -1 : this.byName.get(s.parent)!;
      const rot = jointFrame(s.dir, s.hinge);
      const pos = place(s.at);
      worldRot.push(rot);
      worldPos.push(pos);
      const rotation = parent < 0 ? rot : qmul(qconj(worldRot[parent]!), rot);
      const translation = parent < 0 ? pos : qrotate(qconj(worldRot[parent]!), sub(pos, worldPos[parent]!));
      let limits = s.limits;
      if (s.absolute) {
        const rest = qtoEuler(rotation).map((a) => (a * 180) / Math.PI);
        const rel = (r: [number, number], a: number): [number, number] => [r[0] - a, r[1] - a];
        limits = { x: rel(s.limits.x, rest[0]!), y: rel(s.limits.y, rest[1]!), z: rel(s.limits.z, rest[2]!) };
        for (const axis of ['x', 'y', 'z'] as const) {
          if (!(limits[axis][0] <= 1e-9 && limits[axis][1] >= -1e-9)) {
            throw new ExorayError(
              'E_ASSET',
              `${this.what} skeleton: joint "${s.name}" rests at ${rest[['x', 'y', 'z'].indexOf(axis)]!.toFixed(2)} degrees about ${axis.toUpperCase()}, outside its absolute limits [${s.limits[axis].join(', ')}]; widen them or bend the model less`,
            );
          }
          limits[axis] = [Math.min(0, round(limits[axis][0])), Math.max(0, round(limits[axis][1]))];
        }
      }
      const joint: SkeletonJoint = { name: s.name, parent, translation, rotation, limits, role: s.role };
      if (s.radius !== undefined) joint.radius = s.radius * t.scale;
      return joint;
    });
    return { joints };
  }
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
