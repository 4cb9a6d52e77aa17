/**
 * One tetrapod limb: a soft-tissue tube from inside the body through the proximal joint
 * (shoulder or hip), the middle joint (elbow or knee) to the distal joint (wrist or ankle),
 * a flattened foot pad, and its bones: the proximal long bone (humerus or femur), the
 * distal pair (radius and ulna, tibia and fibula) side by side, and one rod per digit
 * fanned out in the pad (metapodials and phalanges as one rod each).
 *
 * Joints are given for the right side (+X); the left limb is the mirror image. Bones end
 * a joint gap short of each joint, so neighbouring bones never touch; their radii are
 * fractions of the tissue radius, so they stay inside it.
 */
import type { MeshData, Vec3 } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { transformMeshTRS } from '../../geometry/mesh.js';
import { capsule, ellipsoid } from '../../geometry/primitives.js';
import { pathParameters, smoothPath, tube, type RingRadius } from '../../geometry/rings.js';

export interface LimbSpec {
  name: string;
  /** Proximal, middle and distal joint of the right limb. */
  joints: readonly [Vec3, Vec3, Vec3];
  /** Tissue radius at the three joints. */
  radii: readonly [number, number, number];
  /** How far the tissue tube starts medially of the proximal joint, in proximal radii. */
  rootDepth: number;
  /**
   * Where the limb's own tissue starts: at the proximal joint, or at the middle joint when the
   * proximal segment lies inside the body (a nestling's thigh under its belly), so the body's
   * tissue is not counted a second time there. The tube then starts rootDepth middle radii
   * before the middle joint.
   */
  tissueFrom?: 'proximal' | 'middle';
  /** Proximal bone radius and distal bone radius, over the tissue radius at the bone's middle. */
  proximalBone: number;
  distalBone: number;
  /** Whether the distal segment has two bones (radius and ulna) or one (a fused tibiotarsus). */
  pairedDistal: boolean;
  /** Gap left between bones at a joint, over the tissue radius there. */
  jointGap: number;
  foot: FootSpec | null;
}

export interface FootSpec {
  /** Pad length (along its heading), width and thickness. */
  length: number;
  width: number;
  thickness: number;
  /** Heading of the pad in the XZ plane, radians from +Z towards +X. */
  heading: number;
  /** Pad centre from the distal joint, in pad lengths along its heading. */
  offset: number;
  /** Pad centre below the distal joint. */
  drop: number;
  digits: number;
  /** Digit bone radius over the pad's half-thickness. */
  digitRadius: number;
}

export interface LimbMeshes {
  tissue: MeshData[];
  bones: MeshData[];
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const add = (a: Vec3, b: Vec3, s = 1): Vec3 => [a[0] + s * b[0], a[1] + s * b[1], a[2] + s * b[2]];
const len = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
const unit = (a: Vec3): Vec3 => {
  const l = len(a);
  return [a[0] / l, a[1] / l, a[2] / l];
};
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** The bone between joints a and b, inset by the joint gap plus its own end radius. */
function longBone(a: Vec3, b: Vec3, radius: number, gapA: number, gapB: number, around: number): MeshData {
  const d = unit(sub(b, a));
  const from = add(a, d, gapA + radius);
  const to = add(b, d, -(gapB + radius));
  if (!(len(sub(to, from)) > 0)) {
    throw new ExorayError('E_ASSET', `limb builder: a bone of radius ${radius} with joint gaps ${gapA}, ${gapB} does not fit between joints ${JSON.stringify([a, b])}; lengthen the segment or thin the bone`);
  }
  return capsule(from, to, radius, { around, cap: 2 });
}

/** A foot pad's rotation about +Y. */
function yaw(angle: number): [number, number, number, number] {
  return [0, Math.sin(angle / 2), 0, Math.cos(angle / 2)];
}

/** Tissue and bones of the right limb. */
export function buildLimb(spec: LimbSpec, detail: number): LimbMeshes {
  const [p0, p1, p2] = spec.joints;
  const [r0, r1, r2] = spec.radii;
  const around = Math.max(6, Math.round(10 * detail));
  const boneAround = Math.max(5, Math.round(6 * detail));
  // Tissue: a smoothed path from a root pole inside the body out through the three joints.
  const tip = add(p2, unit(sub(p2, p1)), 0.6 * r2);
  let control: Vec3[], controlRadii: number[];
  if (spec.tissueFrom === 'middle') {
    control = [add(p1, unit(sub(p2, p1)), -spec.rootDepth * r1), p1, p2, tip];
    controlRadii = [0.6 * r1, r1, r2, 0.5 * r2];
  } else {
    const out = unit(sub(p0, [0, p0[1], p0[2]]));
    control = [add(p0, out, -spec.rootDepth * r0), p0, p1, p2, tip];
    controlRadii = [0.6 * r0, r0, r1, r2, 0.5 * r2];
  }
  const path = smoothPath(control, 2);
  const tControl = pathParameters(control);
  const tPath = pathParameters(path);
  const radii: RingRadius[] = tPath.map((t, i) => {
    if (i === 0 || i === tPath.length - 1) return 0;
    let k = 0;
    while (k < tControl.length - 2 && t > tControl[k + 1]!) k++;
    const f = (t - tControl[k]!) / (tControl[k + 1]! - tControl[k]!);
    return controlRadii[k]! + (controlRadii[k + 1]! - controlRadii[k]!) * f;
  });
  const tissue: MeshData[] = [tube(path, radii, around, { up: [0, 1, 0] })];
  const bones: MeshData[] = [];
  const g0 = spec.jointGap * r0, g1 = spec.jointGap * r1, g2 = spec.jointGap * r2;
  bones.push(longBone(p0, p1, spec.proximalBone * 0.5 * (r0 + r1), g0, g1, boneAround));
  const rd = spec.distalBone * 0.5 * (r1 + r2);
  if (spec.pairedDistal) {
    // Radius and ulna side by side, 0.4 radii apart, across the limb's bending plane.
    const d = unit(sub(p2, p1));
    let side = cross(d, [0, 1, 0]);
    if (len(side) < 1e-6) side = [1, 0, 0];
    side = unit(side);
    const rb = 0.5 * rd;
    const off = 1.2 * rb;
    bones.push(longBone(add(p1, side, off), add(p2, side, off), rb, g1, g2, boneAround));
    bones.push(longBone(add(p1, side, -off), add(p2, side, -off), rb, g1, g2, boneAround));
  } else {
    bones.push(longBone(p1, p2, rd, g1, g2, boneAround));
  }
  const f = spec.foot;
  if (f) {
    const centre: Vec3 = [p2[0] + Math.sin(f.heading) * f.offset * f.length, p2[1] - f.drop, p2[2] + Math.cos(f.heading) * f.offset * f.length];
    const q = yaw(f.heading);
    const padSeg = { around: Math.max(8, Math.round(12 * detail)), poleToPole: Math.max(6, Math.round(6 * detail)) };
    tissue.push(transformMeshTRS(ellipsoid([f.width / 2, f.thickness / 2, f.length / 2], padSeg), centre, q));
    // Digits fan out from the back of the pad to near its rim, in the pad's mid-plane.
    // Thin enough that neighbouring digits stay apart where they start, closest together.
    const rDigit = Math.min(f.digitRadius * (f.thickness / 2), f.digits > 1 ? (0.35 * 0.5 * f.width) / (f.digits - 1) : Infinity);
    for (let i = 0; i < f.digits; i++) {
      const s = f.digits === 1 ? 0 : (2 * i) / (f.digits - 1) - 1;
      const a: Vec3 = [0.25 * s * f.width, 0, -0.12 * f.length];
      // On the ellipse at 78% of the pad's outline, spread over +-55 degrees.
      const ang = s * (55 * Math.PI) / 180;
      const b: Vec3 = [0.39 * f.width * Math.sin(ang), 0, 0.39 * f.length * Math.cos(ang)];
      const from = add(a, unit(sub(b, a)), rDigit);
      const to = add(b, unit(sub(b, a)), -rDigit);
      bones.push(transformMeshTRS(capsule(from, to, rDigit, { around: boneAround, cap: 2 }), centre, q));
    }
  }
  return { tissue, bones };
}

/** The left limb: the right one mirrored across X = 0 (transformMesh keeps the winding outward). */
export function mirrorLimb(m: LimbMeshes): LimbMeshes {
  const flip = (x: MeshData) => transformMeshTRS(x, [0, 0, 0], [0, 0, 0, 1], [-1, 1, 1]);
  return { tissue: m.tissue.map(flip), bones: m.bones.map(flip) };
}
