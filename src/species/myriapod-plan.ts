/**
 * The myriapod body plan: a head, then a trunk of repeated segments along a posed
 * centreline, each with one leg pair (centipedes) or two (millipedes' diplosegments), then
 * tail parts (a centipede's ultimate legs, a millipede's anal valves). It expands into an
 * arthropod plan (`arthropod-plan.ts`), so the parts are built and shelled the same way.
 *
 * Everything but the centreline is given in a local frame: origin at the centre of a trunk
 * segment (for the head and the tail: at the front of the first / the back of the last
 * one), +Z forward along the body, +X to the right side, +Y up. The trunk runs from z = 0
 * backwards; `lateral(d)` bends it sideways (a walking wave, a curl) at distance d behind
 * the head, and every local part follows its segment's position and heading. Left parts are
 * mirrored in the local frame, so a curved body keeps its legs attached.
 */
import type { JointLimits, Vec3 } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { rotate, segmentRotation, type AppendageSpec, type ArthropodPlan, type LimbSpec, type SegmentSpec } from './arthropod-plan.js';
import { FIXED } from './rig/rig-builder.js';

export interface SegmentSection {
  /** Half-width, and half-heights above and below the centreline (mm). */
  rx: number;
  yUp: number;
  yDown: number;
}

/** Parts given in a local frame; a `{side}` name makes a pair, mirrored in that frame. */
export interface LocalParts {
  segments: SegmentSpec[];
  limbs: LimbSpec[];
  appendages: AppendageSpec[];
}

export interface MyriapodSpec {
  /** Leg-bearing trunk segments. */
  segmentCount: number;
  /** Spacing of trunk segments along the centreline (mm). */
  segmentLength: number;
  /** How far each segment reaches into its neighbours, as a share of segmentLength (rings telescope). */
  overlap: number;
  /** Section of trunk segment at u = i / (count - 1), head to tail. */
  section: (u: number) => SegmentSection;
  lengthExponent: number;
  crossExponent: number;
  /** Lateral offset of the centreline (mm, +X) at distance d (mm) behind the head joint. */
  lateral: (d: number) => number;
  /** Leg pairs on each trunk segment. */
  legPairs: number;
  /** Right leg `pair` (0-based) of the segment at u, in the segment's frame; its name is set here. */
  leg: (u: number, pair: number, section: SegmentSection) => Omit<LimbSpec, 'name'>;
  /** Head parts, in the frame at the front of the trunk (the head lies at z > 0). */
  head: LocalParts;
  /** Tail parts, in the frame at the back of the last segment (they lie at z < 0). */
  tail: LocalParts;
  /** Multiplier on the tessellation of trunk segments (relative to the plan's). */
  segmentDetail?: number;
  /** Multiplier on the tessellation of trunk legs. */
  legDetail?: number;
  /**
   * Skeleton: a root joint `head` where head and trunk meet, a joint `trunk<i>` at the front of
   * each trunk segment (a chain towards the tail), and per trunk leg `legJoints` ('one': a
   * joint `leg.<side><i>[.<pair>]` at its base; 'none': legs move with their segment).
   * `bend` bounds each trunk joint's total bend from a straight body, degrees: lateral
   * (about Y), vertical (about X, positive ventral) and twist (default 12, 8, 4).
   */
  legJoints?: 'one' | 'none';
  bend?: { lateral: number; vertical: number; twist: number };
}

interface Frame {
  centre: Vec3;
  yaw: number;
}

const SIDE = '{side}';
const mirrorPoint = (p: Vec3): Vec3 => [-p[0], p[1], p[2]];

function place(f: Frame, p: Vec3): Vec3 {
  const r = rotate(segmentRotation(f.yaw), p);
  return [f.centre[0] + r[0], f.centre[1] + r[1], f.centre[2] + r[2]];
}

/** Both sides of `{side}` parts (left mirrored in the local frame), then posed by the frame. */
function placeParts(parts: LocalParts, f: Frame, suffix: string, plan: ArthropodPlan): void {
  const sides = (name: string): Array<{ name: string; mirror: boolean }> =>
    name.includes(SIDE)
      ? [{ name: name.replaceAll(SIDE, 'R') + suffix, mirror: false }, { name: name.replaceAll(SIDE, 'L') + suffix, mirror: true }]
      : [{ name: name + suffix, mirror: false }];
  for (const s of parts.segments) {
    for (const side of sides(s.name)) {
      const c = side.mirror ? mirrorPoint(s.centre) : s.centre;
      const sign = side.mirror ? -1 : 1;
      plan.segments.push({ ...s, name: side.name, centre: place(f, c), yaw: f.yaw + sign * (s.yaw ?? 0), roll: sign * (s.roll ?? 0) });
    }
  }
  for (const l of parts.limbs) {
    for (const side of sides(l.name)) {
      plan.limbs.push({ ...l, name: side.name, joints: l.joints.map((j) => place(f, side.mirror ? mirrorPoint(j) : j)) });
    }
  }
  for (const a of parts.appendages) {
    for (const side of sides(a.name)) {
      plan.appendages.push({ ...a, name: side.name, path: a.path.map((p) => place(f, side.mirror ? mirrorPoint(p) : p)) });
    }
  }
}

/** Heading (yaw) of the centreline at distance d: the direction from d + h to d - h. */
function frameAt(spec: MyriapodSpec, d: number): Frame {
  const h = 0.25 * spec.segmentLength;
  const dx = spec.lateral(d - h) - spec.lateral(d + h);
  return { centre: [spec.lateral(d), 0, -d], yaw: Math.atan2(dx, 2 * h) };
}

/**
 * Expands the spec into an arthropod plan: parts are named `head...`, `trunk<i>` and
 * `leg.<side><i>[.<pair>]...` (1-based i from the head; pair letters a, b with two pairs), `tail...`.
 */
export function myriapodPlan(spec: MyriapodSpec): ArthropodPlan {
  const n = spec.segmentCount;
  if (!(Number.isInteger(n) && n >= 2 && spec.segmentLength > 0 && spec.legPairs >= 0 && spec.overlap >= 0 && spec.overlap < 1)) {
    throw new ExorayError('E_ASSET', `myriapod plan: need segmentCount >= 2, segmentLength > 0, legPairs >= 0 and overlap in [0, 1) (got ${n}, ${spec.segmentLength}, ${spec.legPairs}, ${spec.overlap})`);
  }
  const plan: ArthropodPlan = { segments: [], limbs: [], appendages: [], joints: [] };
  const L = spec.segmentLength;
  const axis = (d: number): Vec3 => [spec.lateral(d), 0, -d];
  const along = (d: number): Vec3 => {
    const a = axis(d), b = axis(d + L);
    return [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  };
  const b = spec.bend ?? { lateral: 12, vertical: 8, twist: 4 };
  const heading = (d: number) => {
    const v = along(d);
    return Math.atan2(v[0], -v[2]);
  };
  plan.joints!.push({ name: 'head', parent: null, at: axis(0), dir: along(0), limits: FIXED, role: 'root', radius: spec.section(0).rx });
  for (let i = 0; i < n; i++) {
    const sec = spec.section(i / (n - 1));
    // A body built with a strong wave may rest bent beyond `bend`: the joint may then bend that far.
    const rest = i === 0 ? 0 : (Math.abs(heading(i * L) - heading((i - 1) * L)) * 180) / Math.PI;
    const lateral = Math.max(b.lateral, Math.ceil(rest + 1));
    const bend: JointLimits = { x: [-b.vertical, b.vertical], y: [-lateral, lateral], z: [-b.twist, b.twist] };
    plan.joints!.push({ name: `trunk${i + 1}`, parent: i === 0 ? 'head' : `trunk${i}`, at: axis(i * L), dir: along(i * L), limits: bend, absolute: true, role: 'axial', radius: Math.max(sec.rx, sec.yUp) });
  }
  placeParts(spec.head, frameAt(spec, 0), '', plan);
  for (let i = 0; i < n; i++) {
    const u = i / (n - 1);
    const sec = spec.section(u);
    const f = frameAt(spec, (i + 0.5) * L);
    const trunk: LocalParts = {
      segments: [
        {
          name: `trunk${i + 1}`,
          centre: [0, 0, 0],
          shape: { ...sec, rz: 0.5 * L * (1 + spec.overlap), lengthExponent: spec.lengthExponent, crossExponent: spec.crossExponent },
          ...(spec.segmentDetail !== undefined ? { detail: spec.segmentDetail } : {}),
          joint: `trunk${i + 1}`,
        },
      ],
      limbs: [],
      appendages: [],
    };
    for (let k = 0; k < spec.legPairs; k++) {
      const pair = spec.legPairs > 1 ? `.${String.fromCharCode(97 + k)}` : '';
      trunk.limbs.push({
        ...spec.leg(u, k, sec),
        name: `leg.${SIDE}${i + 1}${pair}`,
        ...(spec.legDetail !== undefined ? { detail: spec.legDetail } : {}),
        parent: `trunk${i + 1}`,
        articulation: spec.legJoints ?? 'one',
      });
    }
    placeParts(trunk, f, '', plan);
  }
  // Tail parts move with the last segment, their limbs hang from it.
  const last = `trunk${n}`;
  placeParts(
    {
      segments: spec.tail.segments.map((s) => ({ ...s, joint: s.joint ?? last })),
      limbs: spec.tail.limbs.map((l) => ({ ...l, parent: l.parent ?? last })),
      appendages: spec.tail.appendages.map((a) => (a.articulated ? a : { ...a, joint: a.joint ?? last })),
    },
    frameAt(spec, n * L),
    '',
    plan,
  );
  return plan;
}
