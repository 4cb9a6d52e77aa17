/**
 * The arthropod body plan: a species is a list of body segments (superellipsoids, each
 * placed and turned), limbs (chains of rounded segments from joint to joint) and
 * appendages (tubes swept along a smoothed path with a radius profile: horns, antennae,
 * chelicerae, fingers of a chela, a sting). The plan is plain data in builder units
 * (millimetres of a typical adult); `buildArthropod` turns it into material parts through
 * `finishParts`: cuticle shells with soft-tissue cores where a part is thick enough, solid
 * cuticle where it is not.
 *
 * Frame: +Z forward (head), +Y up, legs spread along X. A part whose name holds `{side}` is
 * built as given (at +X) with side `R` and mirrored across X = 0 with side `L`, as the stag
 * beetle names its legs.
 * Overlapping parts (joints, a horn rooted in the pronotum) are accepted: both volumes count
 * there, as in the stag beetle. Deterministic: no randomness.
 */
import type { JointLimits, JointRole, MeshData, ModelPart, Quat, SpeciesModel, Vec3 } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { mergeMeshes, transformMeshTRS } from '../geometry/mesh.js';
import { capsule } from '../geometry/primitives.js';
import { pathParameters, smoothPath, tube, type RingRadius } from '../geometry/rings.js';
import { superellipsoid, type SuperellipsoidOptions } from '../geometry/superellipsoid.js';
import { finishParts, finishTransform, mirrorX, type OuterPart } from './body-parts.js';
import { FIXED, RigBuilder, type JointSpec } from './rig/rig-builder.js';
import { mergeSkinned } from './rig/weights.js';

export type PartKind = OuterPart['kind'];

export interface SegmentSpec {
  /** Part name; `{side}` makes a mirrored pair (R as given, L mirrored). */
  name: string;
  centre: Vec3;
  shape: Omit<SuperellipsoidOptions, 'around' | 'along'>;
  /** Heading about +Y in radians (positive turns the front, +Z, towards +X). */
  yaw?: number;
  /** Radians; positive lifts the front (+Z towards +Y). Applied before yaw. */
  pitch?: number;
  /** Radians about the segment's own Z axis; applied first. */
  roll?: number;
  /** Default 'auto': a shell unless the wall would leave no core (a tiny animal, a thick wall). */
  kind?: PartKind;
  /** Multiplier on the plan's segment tessellation (small segments need fewer vertices). */
  detail?: number;
  /** Skeleton joint the segment moves with (default: the root). */
  joint?: string;
}

export interface LimbSpec {
  /** Name prefix: parts are `<name>.<segment name>`; `{side}` makes a mirrored pair. */
  name: string;
  /** Joint positions, one more than segments. */
  joints: Vec3[];
  /** Each segment's name and radius at its proximal and distal joint. */
  segments: Array<{ name: string; radius: [number, number] }>;
  /** The last segment tapers to a point (a claw or tarsus tip) instead of a rounded end. */
  pointed?: boolean;
  /** Multiplier on the plan's limb tessellation. */
  detail?: number;
  /** Default 'auto': each segment a shell where it is thick enough. */
  kind?: PartKind;
  /** Joint the limb hangs from (default: the root). */
  parent?: string;
  /**
   * Its joints: 'chain' (default) one per segment at its proximal end, named
   * `<name>.<segment>`; 'one' a single joint `<name>` at the first joint moving the whole
   * limb; 'none' the limb moves rigidly with its parent (a millipede's 224 legs).
   */
  articulation?: 'chain' | 'one' | 'none';
  /** Rest-relative limits per segment joint (default LIMB_LIMITS), or of the single joint. */
  limits?: JointLimits[];
}

/** Radius at normalised arc length s: a circle, or [vertical, horizontal] half-axes. */
export type RadiusKey = readonly [number, number] | readonly [number, number, number];

export interface AppendageSpec {
  /** Part name; `{side}` makes a mirrored pair. */
  name: string;
  /** Control points; smoothed (Chaikin) and resampled, the first and last become the tips. */
  path: Vec3[];
  /** Keys [s, r] or [s, rVertical, rHorizontal], s in [0, 1] ascending; linear between keys. */
  radius: RadiusKey[];
  /** Default 'auto': a cavity where the smallest radius allows one. */
  kind?: PartKind;
  /** Rings along the tube at detail 1 (default 12). */
  rings?: number;
  /** Vertices per ring at detail 1 (default 8). */
  around?: number;
  /** Joint the appendage moves with (default: the root), unless it is articulated. */
  joint?: string;
  /** Gives it a joint of its own, named after it, at its first path point, hanging from `parent`. */
  articulated?: { parent: string; limits: JointLimits; role?: JointRole };
}

export interface ArthropodPlan {
  segments: SegmentSpec[];
  limbs: LimbSpec[];
  appendages: AppendageSpec[];
  /**
   * Body joints, the root first (parent null); limbs and articulated appendages add their own.
   * Absent: a single root joint 'body' at the origin, every segment moving with it.
   */
  joints?: JointSpec[];
}

/** Default limits of limb joints: the first (coxa) swings, the others mostly flex (positive X: ventrally). */
export const LIMB_LIMITS = {
  first: { x: [-15, 15], y: [-20, 20], z: [0, 0] } as JointLimits,
  other: { x: [-15, 35], y: [-8, 8], z: [0, 0] } as JointLimits,
  whole: { x: [-15, 30], y: [-20, 20], z: [0, 0] } as JointLimits,
};

export const ROOT_JOINT = 'body';

export interface ArthropodBuildOptions {
  /** Extent along Z after scaling, metres. */
  length: number;
  /** Cuticle thickness after scaling, metres. */
  wall: number;
  /** Multiplier on every tessellation density. */
  detail: number;
  /** Segment tessellation at detail 1 (default 24 around, 14 along). */
  segmentAround?: number;
  segmentAlong?: number;
  /** Limb tessellation at detail 1 (default 8 around, 2 bands per end cap). */
  limbAround?: number;
  limbCap?: number;
  hardMaterial: string;
  softMaterial: string;
}

/** Hard and soft materials of every new arthropod: homogenised cuticle (chitin, protein, water) and tissue. */
export const ARTHROPOD_MATERIALS = { hard: 'arthropod_cuticle', soft: 'soft_tissue' } as const;

const SIDE = '{side}';

/** Quaternion [x, y, z, w] of roll about Z, then pitch (front up), then yaw about Y. */
export function segmentRotation(yaw = 0, pitch = 0, roll = 0): Quat {
  const mul = (a: Quat, b: Quat): Quat => [
    a[3] * b[0] + a[0] * b[3] + a[1] * b[2] - a[2] * b[1],
    a[3] * b[1] - a[0] * b[2] + a[1] * b[3] + a[2] * b[0],
    a[3] * b[2] + a[0] * b[1] - a[1] * b[0] + a[2] * b[3],
    a[3] * b[3] - a[0] * b[0] - a[1] * b[1] - a[2] * b[2],
  ];
  const qYaw: Quat = [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)];
  // A positive rotation about +X takes +Z towards -Y, so lifting the front is a negative one.
  const qPitch: Quat = [Math.sin(-pitch / 2), 0, 0, Math.cos(-pitch / 2)];
  const qRoll: Quat = [0, 0, Math.sin(roll / 2), Math.cos(roll / 2)];
  return mul(qYaw, mul(qPitch, qRoll));
}

/** Rotates v by the unit quaternion q. */
export function rotate(q: Quat, v: Vec3): Vec3 {
  const [x, y, z, w] = q;
  // t = 2 (q.xyz x v); v' = v + w t + q.xyz x t
  const tx = 2 * (y * v[2] - z * v[1]);
  const ty = 2 * (z * v[0] - x * v[2]);
  const tz = 2 * (x * v[1] - y * v[0]);
  return [v[0] + w * tx + (y * tz - z * ty), v[1] + w * ty + (z * tx - x * tz), v[2] + w * tz + (x * ty - y * tx)];
}

export const lerp3 = (a: Vec3, b: Vec3, t: number): Vec3 => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

/** Points evenly spaced by arc length along a polyline, ends included. */
export function resamplePath(points: readonly Vec3[], n: number): Vec3[] {
  const s = pathParameters(points);
  const out: Vec3[] = [];
  let j = 0;
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    while (j < s.length - 2 && s[j + 1]! < t) j++;
    const span = s[j + 1]! - s[j]!;
    out.push(lerp3(points[j]!, points[j + 1]!, span > 0 ? (t - s[j]!) / span : 0));
  }
  return out;
}

/** Radius profile value at s (linear between keys, clamped at the ends). */
export function radiusAt(keys: readonly RadiusKey[], s: number): [number, number] {
  const pair = (k: RadiusKey): [number, number] => (k.length === 3 ? [k[1], k[2]] : [k[1], k[1]]);
  if (s <= keys[0]![0]) return pair(keys[0]!);
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i - 1]!, b = keys[i]!;
    if (s <= b[0]) {
      const t = b[0] > a[0] ? (s - a[0]) / (b[0] - a[0]) : 1;
      const [a0, a1] = pair(a), [b0, b1] = pair(b);
      return [a0 + (b0 - a0) * t, a1 + (b1 - a1) * t];
    }
  }
  return pair(keys[keys.length - 1]!);
}

function appendageMesh(spec: AppendageSpec, detail: number): { mesh: MeshData; minRadius: number } {
  const keys = spec.radius;
  if (keys.length < 1 || keys.some((k, i) => i > 0 && k[0] < keys[i - 1]![0]) || keys.some((k) => k.slice(1).some((r) => !(r > 0)))) {
    throw new ExorayError('E_ASSET', `arthropod plan: appendage "${spec.name}" needs radius keys with ascending s and positive radii`);
  }
  const rings = Math.max(3, Math.round((spec.rings ?? 12) * detail));
  const path = resamplePath(smoothPath(spec.path, 2), rings + 2);
  const s = pathParameters(path);
  let minRadius = Infinity;
  const radii = s.map((v, i): RingRadius => {
    if (i === 0 || i === s.length - 1) return 0;
    const r = radiusAt(keys, v);
    minRadius = Math.min(minRadius, r[0], r[1]);
    return r;
  });
  return { mesh: tube(path, radii, Math.max(4, Math.round((spec.around ?? 8) * detail)), { up: [0, 1, 0] }), minRadius };
}

function limbMeshes(spec: LimbSpec, o: ArthropodBuildOptions): Array<{ seg: string; mesh: MeshData; minRadius: number }> {
  if (spec.joints.length !== spec.segments.length + 1) {
    throw new ExorayError('E_ASSET', `arthropod plan: limb "${spec.name}" has ${spec.joints.length} joints for ${spec.segments.length} segments; give one joint more than segments`);
  }
  const d = o.detail * (spec.detail ?? 1);
  const around = Math.max(4, Math.round((o.limbAround ?? 8) * d));
  const cap = Math.max(1, Math.round((o.limbCap ?? 2) * d));
  return spec.segments.map((seg, i) => {
    const a = spec.joints[i]!, b = spec.joints[i + 1]!;
    const last = i === spec.segments.length - 1;
    if (!(last && spec.pointed)) {
      return { seg: seg.name, mesh: capsule(a, b, seg.radius, { around, cap }), minRadius: Math.min(...seg.radius) };
    }
    // Tapered claw: the blunt start sits a little inside the previous segment's end.
    const n = Math.max(3, Math.round(5 * d));
    const path: Vec3[] = [lerp3(a, b, -0.08)];
    for (let k = 0; k < n; k++) path.push(lerp3(a, b, (k / (n - 1)) * 0.94));
    path.push(b);
    const radii: RingRadius[] = path.map((_, k) => (k === 0 || k === path.length - 1 ? 0 : seg.radius[0] + ((seg.radius[1] - seg.radius[0]) * (k - 1)) / (n - 1)));
    return { seg: seg.name, mesh: tube(path, radii, around, { up: [0, 1, 0] }), minRadius: Math.min(...seg.radius) };
  });
}

export interface WalkingLegSegment {
  name: string;
  /** Segment length (builder units). */
  length: number;
  /** Height gained over the segment (negative: downwards); |rise| < length. */
  rise: number;
  radius: [number, number];
}

/**
 * A leg spreading from `attach` in the horizontal direction `angle` (radians from +Z towards
 * +X: 0 points forward, pi/2 straight out, pi backwards), segment after segment, each
 * rising or falling by its `rise`: the usual way to lay out legs of spiders, scorpions
 * and insects from their segment lengths.
 */
export function walkingLeg(name: string, attach: Vec3, angle: number, segments: WalkingLegSegment[], pointed = true): LimbSpec {
  const joints: Vec3[] = [attach];
  for (const seg of segments) {
    if (!(Math.abs(seg.rise) < seg.length)) {
      throw new ExorayError('E_ASSET', `arthropod plan: leg "${name}" segment "${seg.name}" rises ${seg.rise} over a length of ${seg.length}; keep |rise| below the length`);
    }
    const h = Math.sqrt(seg.length ** 2 - seg.rise ** 2);
    const p = joints[joints.length - 1]!;
    joints.push([p[0] + h * Math.sin(angle), p[1] + seg.rise, p[2] + h * Math.cos(angle)]);
  }
  return { name, joints, segments: segments.map((s) => ({ name: s.name, radius: s.radius })), pointed };
}

/** Adds the part, or its right (as built) and left (mirrored) copies when the name holds `{side}`. */
function pushSided(out: OuterPart[], part: OuterPart): void {
  if (!part.name.includes(SIDE)) {
    out.push(part);
    return;
  }
  const right = { ...part, name: part.name.replaceAll(SIDE, 'R'), ...(part.joint !== undefined ? { joint: part.joint.replaceAll(SIDE, 'R') } : {}) };
  out.push(right, mirrorX(right, part.name.replaceAll(SIDE, 'L'), part.joint?.replaceAll(SIDE, 'L')));
}

/** The outer surfaces of a plan, in builder units, before sizing and shelling. */
export function planSurfaces(plan: ArthropodPlan, o: ArthropodBuildOptions): OuterPart[] {
  const out: OuterPart[] = [];
  const root = rootName(plan);
  for (const seg of plan.segments) {
    const d = o.detail * (seg.detail ?? 1);
    const mesh = superellipsoid({
      ...seg.shape,
      around: Math.max(6, Math.round((o.segmentAround ?? 24) * d)),
      along: Math.max(4, Math.round((o.segmentAlong ?? 14) * d)),
    });
    const placed = transformMeshTRS(mesh, seg.centre, segmentRotation(seg.yaw, seg.pitch, seg.roll));
    pushSided(out, { name: seg.name, kind: seg.kind ?? 'auto', minRadius: Math.min(seg.shape.rx, seg.shape.yUp, seg.shape.yDown, seg.shape.rz), mesh: placed, joint: seg.joint ?? root });
  }
  for (const limb of plan.limbs) {
    const mode = limb.articulation ?? 'chain';
    for (const m of limbMeshes(limb, o)) {
      const joint = mode === 'chain' ? `${limb.name}.${m.seg}` : mode === 'one' ? limb.name : limb.parent ?? root;
      pushSided(out, { name: `${limb.name}.${m.seg}`, kind: limb.kind ?? 'auto', minRadius: m.minRadius, mesh: m.mesh, joint });
    }
  }
  for (const app of plan.appendages) {
    const m = appendageMesh(app, o.detail);
    pushSided(out, { name: app.name, kind: app.kind ?? 'auto', minRadius: m.minRadius, mesh: m.mesh, joint: app.articulated ? app.name : app.joint ?? root });
  }
  return out;
}

function rootName(plan: ArthropodPlan): string {
  return plan.joints && plan.joints.length > 0 ? plan.joints[0]!.name : ROOT_JOINT;
}

const diff = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

/**
 * The plan's skeleton in builder units: its body joints (or a root 'body'), a joint per limb
 * segment (or per limb), one per articulated appendage.
 */
export function arthropodRig(plan: ArthropodPlan, what = 'arthropod plan'): RigBuilder {
  const rig = new RigBuilder(what);
  // Body joints first; one hanging from a limb joint (a scorpion's chela) once the limbs are in.
  const later: JointSpec[] = [];
  const parentIn = (j: JointSpec) => j.parent === null || rig.has(j.parent.replaceAll(SIDE, 'R'));
  if (plan.joints && plan.joints.length > 0) plan.joints.forEach((j) => (parentIn(j) ? rig.add(j) : later.push(j)));
  else rig.add({ name: ROOT_JOINT, parent: null, at: [0, 0, 0], dir: [0, 0, 1], limits: FIXED, role: 'root' });
  const root = rootName(plan);
  for (const limb of plan.limbs) {
    const mode = limb.articulation ?? 'chain';
    if (mode === 'none') continue;
    const parent = limb.parent ?? root;
    if (mode === 'one') {
      const radius = limb.segments[0]!.radius[0];
      rig.add({ name: limb.name, parent, at: limb.joints[0]!, dir: diff(limb.joints[1]!, limb.joints[0]!), limits: limb.limits?.[0] ?? LIMB_LIMITS.whole, role: 'limb', radius });
      continue;
    }
    limb.segments.forEach((seg, i) => {
      rig.add({
        name: `${limb.name}.${seg.name}`,
        parent: i === 0 ? parent : `${limb.name}.${limb.segments[i - 1]!.name}`,
        at: limb.joints[i]!,
        dir: diff(limb.joints[i + 1]!, limb.joints[i]!),
        limits: limb.limits?.[i] ?? (i === 0 ? LIMB_LIMITS.first : LIMB_LIMITS.other),
        role: 'limb',
        radius: seg.radius[0],
      });
    });
  }
  later.forEach((j) => rig.add(j));
  for (const app of plan.appendages) {
    if (!app.articulated) continue;
    const r = radiusAt(app.radius, 0);
    rig.add({
      name: app.name,
      parent: app.articulated.parent,
      at: app.path[0]!,
      dir: diff(app.path[1]!, app.path[0]!),
      limits: app.articulated.limits,
      role: app.articulated.role ?? 'appendage',
      radius: Math.max(r[0], r[1]),
    });
  }
  return rig;
}

/** Builds the plan into parts skinned to its skeleton (every part rigidly on one joint). */
export function buildArthropodModel(plan: ArthropodPlan, o: ArthropodBuildOptions, what?: string): SpeciesModel {
  const surfaces = planSurfaces(plan, o);
  const rig = arthropodRig(plan, what);
  const finish = { length: o.length, wall: o.wall, hardMaterial: o.hardMaterial, softMaterial: o.softMaterial };
  const parts = finishParts(surfaces, { ...finish, jointIndex: (name) => rig.index(name) });
  return { parts, skeleton: rig.build(finishTransform(surfaces, finish)) };
}

/** Builds the plan into material parts spanning `length` along Z, centred at the origin (skinned: see buildArthropodModel). */
export function buildArthropod(plan: ArthropodPlan, o: ArthropodBuildOptions): ModelPart[] {
  return buildArthropodModel(plan, o).parts;
}

/**
 * Merges finished parts into one part per group and material: a millipede's 224 legs as one
 * mesh rather than 224 draw calls. Each merged mesh is a union of disjoint closed surfaces,
 * so it stays closed and outward; overlapping members count twice, as separate parts would.
 * `groupOf` maps a part's base name (without `.cuticle` / `.tissue`) to its group, or
 * undefined to keep it; merged parts are named `<group>[.cuticle|.tissue]`, in first-member order.
 */
export function mergeGroups(parts: readonly ModelPart[], groupOf: (baseName: string) => string | undefined): ModelPart[] {
  const out: Array<ModelPart | { name: string; material: string; members: ModelPart[] }> = [];
  const groups = new Map<string, { name: string; material: string; members: ModelPart[] }>();
  for (const p of parts) {
    const suffix = /\.(cuticle|tissue)$/.exec(p.name)?.[0] ?? '';
    const group = groupOf(p.name.slice(0, p.name.length - suffix.length));
    if (group === undefined) {
      out.push(p);
      continue;
    }
    const key = `${group}${suffix}\u0000${p.material}`;
    let g = groups.get(key);
    if (!g) {
      g = { name: `${group}${suffix}`, material: p.material, members: [] };
      groups.set(key, g);
      out.push(g);
    }
    g.members.push(p);
  }
  return out.map((p) => {
    if (!('members' in p)) return p;
    if (p.members.every((m) => m.skin)) {
      const merged = mergeSkinned(p.members.map((m) => ({ mesh: m.mesh, skin: m.skin! })));
      return { name: p.name, material: p.material, mesh: merged.mesh, skin: merged.skin };
    }
    return { name: p.name, material: p.material, mesh: mergeMeshes(p.members.map((m) => m.mesh)) };
  });
}

/** Checks builder parameters against their [min, max] ranges; the error names the builder and parameter. */
export function checkRanges<P extends object>(builder: string, params: P, limits: Record<keyof P, [number, number]>): void {
  for (const key of Object.keys(limits) as Array<keyof P>) {
    const [lo, hi] = limits[key];
    const v = params[key];
    if (!(typeof v === 'number' && v >= lo && v <= hi)) {
      throw new ExorayError('E_ASSET', `${builder}: ${String(key)} must be a number in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
    }
  }
}
