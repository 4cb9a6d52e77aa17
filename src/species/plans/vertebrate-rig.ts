/**
 * Skeleton and skins shared by the vertebrate body plans (tetrapod, chelonian), built in
 * the straight building frame (body along -Z, +Y dorsal) before the model is scaled:
 *
 * - a spine: joints at stations along the body axis. Every spine joint's frame points
 *   tailwards (+Z of the joint = -Z of the model), whichever way its chain runs from the
 *   root, so a straight body rests with identity rotations and a joint's X-Y-Z angles are
 *   its bend (X ventral, Y lateral, Z twist) on both sides of the root;
 * - limbs: proximal, middle and distal joints (shoulder or hip, elbow or knee, wrist or
 *   ankle) hanging from a spine joint, mirrored for the left side;
 * - skins: the body tube blended along the spine, limb flesh blended along its limb and
 *   into the girdle's spine joint, each bone rigid on its joint, each vertebra and rib with
 *   the spine's weights at its centre (one affine map per bone).
 */
import type { JointLimits, JointRole, MeshData, ModelPart, SpeciesModel, Vec3 } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { boundsOf, transformMesh } from '../../geometry/mesh.js';
import { RigBuilder } from '../rig/rig-builder.js';
import { chainSkin, chainUniformSkin, clampWindows, mergeSkinned, rigidSkin, uniformSkin, type Chain, type SkinnedMesh } from '../rig/weights.js';
import type { LimbMeshes, LimbSpec } from './limb.js';

/** A spine joint: a station along the body (z of the building frame), its parent and owner of a stretch. */
export interface SpineJoint {
  name: string;
  parent: string | null;
  z: number;
  /** Height of the joint (the column's height there). */
  y: number;
  limits: JointLimits;
  role: JointRole;
  /** Half-width of the body there. */
  radius: number;
  /** Blend half-width of the body tube around the station. */
  window: number;
}

const TAILWARDS: Vec3 = [0, 0, -1];

/** Adds the spine joints (in the order given: parents first). */
export function addSpine(rig: RigBuilder, joints: readonly SpineJoint[]): void {
  for (const j of joints) {
    rig.add({ name: j.name, parent: j.parent, at: [0, j.y, j.z], dir: TAILWARDS, limits: j.limits, role: j.role, radius: j.radius, ...(j.role === 'axial' ? { absolute: true } : {}) });
  }
}

/**
 * The chain along the body axis: stations sorted from the front (largest z) back, each
 * stretch owned by `owner(zMid)`; windows from the joints.
 */
export function spineChain(rig: RigBuilder, stations: ReadonlyArray<{ z: number; window: number }>, owner: (z: number) => string): Chain {
  const sorted = [...stations].sort((a, b) => b.z - a.z);
  const points = sorted.map((s): Vec3 => [0, 0, s.z]);
  const owners: number[] = [];
  for (let k = 0; k <= sorted.length; k++) {
    const front = k === 0 ? sorted[0]!.z + 1 : sorted[k - 1]!.z;
    const back = k === sorted.length ? sorted[sorted.length - 1]!.z - 1 : sorted[k]!.z;
    owners.push(rig.index(owner((front + back) / 2)));
  }
  return { points, owners, windows: clampWindows(points, sorted.map((s) => s.window), 0.45) };
}

export interface LimbLimits {
  proximal: JointLimits;
  middle: JointLimits;
  distal: JointLimits;
}

export const VERTEBRATE_LIMB_LIMITS: LimbLimits = {
  proximal: { x: [-30, 30], y: [-35, 35], z: [-15, 15] },
  middle: { x: [-30, 40], y: [-10, 10], z: [-5, 5] },
  distal: { x: [-25, 25], y: [-15, 15], z: [-5, 5] },
};

const JOINT_NAMES = ['proximal', 'middle', 'distal'] as const;

/** Joints `<limb>.<side>.proximal|middle|distal` of both sides, hanging from `parent`. */
export function addLimb(rig: RigBuilder, spec: LimbSpec, parent: string, limits: LimbLimits = VERTEBRATE_LIMB_LIMITS): void {
  const [p0, p1, p2] = spec.joints;
  const tip: Vec3 = spec.foot ? [p2[0] + Math.sin(spec.foot.heading), p2[1] - spec.foot.drop, p2[2] + Math.cos(spec.foot.heading)] : [2 * p2[0] - p1[0], 2 * p2[1] - p1[1], 2 * p2[2] - p1[2]];
  const next = [p1, p2, tip];
  [p0, p1, p2].forEach((at, i) => {
    const to = next[i]!;
    rig.add({
      name: `${spec.name}.{side}.${JOINT_NAMES[i]}`,
      parent: i === 0 ? parent : `${spec.name}.{side}.${JOINT_NAMES[i - 1]}`,
      at,
      dir: [to[0] - at[0], to[1] - at[1], to[2] - at[2]],
      limits: limits[JOINT_NAMES[i]],
      role: 'limb',
      radius: spec.radii[i],
    });
  });
}

const mirrorX = (p: Vec3): Vec3 => [-p[0], p[1], p[2]];

/**
 * Skins of one limb's meshes on side R (as built) or L (the mirror image, same vertex order):
 * flesh tube along girdle -> proximal -> middle -> distal, foot pad rigid on the distal joint,
 * the proximal bone on the proximal joint, the distal bones on the middle one, digits on the distal one.
 */
export function skinLimb(rig: RigBuilder, spec: LimbSpec, meshes: LimbMeshes, side: 'R' | 'L', girdle: string): { tissue: SkinnedMesh[]; bones: SkinnedMesh[] } {
  const j = (k: number) => rig.index(`${spec.name}.${side}.${JOINT_NAMES[k]}`);
  const points = spec.joints.map((p) => (side === 'L' ? mirrorX(p as Vec3) : (p as Vec3)));
  const chain: Chain = {
    points,
    owners: [rig.index(girdle), j(0), j(1), j(2)],
    windows: clampWindows(points, spec.radii.map((r) => 0.8 * r), 0.45),
  };
  const tissue = meshes.tissue.map((m, k) => (k === 0 ? chainSkin(m, chain) : rigidSkin(m, j(2))));
  const distalBones = spec.pairedDistal ? 2 : 1;
  const bones = meshes.bones.map((m, k) => rigidSkin(m, k === 0 ? j(0) : k <= distalBones ? j(1) : j(2)));
  return { tissue, bones };
}

/** Vertebrae with the body chain's weights at their centres; ribs with their vertebra's. */
export function skinColumn(chain: Chain, vertebrae: readonly MeshData[], ribs: readonly MeshData[], ribVertebra: readonly number[]): { vertebrae: SkinnedMesh[]; ribs: SkinnedMesh[] } {
  const v = vertebrae.map((m) => chainUniformSkin(m, chain));
  const r = ribs.map((m, k) => sameWeights(v[ribVertebra[Math.floor(k / 2)]!]!, m));
  return { vertebrae: v, ribs: r };
}

/** `mesh` with the (uniform) weights of another component. */
export function sameWeights(from: SkinnedMesh, mesh: MeshData): SkinnedMesh {
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < 4; k++) if (from.skin.weights[k]! > 0) pairs.push([from.skin.joints[k]!, from.skin.weights[k]!]);
  return uniformSkin(mesh, pairs);
}

/**
 * Who owns the body at z: in front of the root the nearest joint behind (towards the root),
 * behind the root the nearest joint in front; so each joint moves everything beyond it.
 */
export function spineOwner(spine: readonly SpineJoint[]): (z: number) => string {
  const zRoot = spine.find((j) => j.parent === null)!.z;
  return (z) => {
    if (z >= zRoot) return spine.filter((j) => j.z < z).reduce((a, b) => (b.z > a.z ? b : a)).name;
    return spine.filter((j) => j.z > z).reduce((a, b) => (b.z < a.z ? b : a)).name;
  };
}

/**
 * Scales skinned components so their union spans `length` along Z (or by `scale`), centres
 * them, merges each group into a part, and places the skeleton the same way.
 */
export function finishVertebrate<K extends string>(
  rig: RigBuilder,
  groups: Record<K, SkinnedMesh[]>,
  length: number | { scale: number },
  what: string,
  parts: ReadonlyArray<readonly [string, string, K]>,
): SpeciesModel {
  const all = (Object.values(groups) as SkinnedMesh[][]).flat().map((s) => s.mesh);
  const b = boundsOf(all);
  const extent = b.max[2] - b.min[2];
  const s = typeof length === 'number' ? length / extent : length.scale;
  if (!(s > 0) || !Number.isFinite(s)) throw new ExorayError('E_ASSET', `${what} builder: cannot scale a model of Z extent ${extent}; give a positive length`);
  const centre = [0, 1, 2].map((k) => (b.min[k]! + b.max[k]!) / 2) as [number, number, number];
  const m = [s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, -s * centre[0], -s * centre[1], -s * centre[2], 1];
  const out: ModelPart[] = [];
  for (const [name, material, key] of parts) {
    const list = groups[key];
    if (list.length === 0) continue;
    const merged = mergeSkinned(list.map((c) => ({ mesh: transformMesh(c.mesh, m), skin: c.skin })));
    out.push({ name, material, mesh: merged.mesh, skin: merged.skin });
  }
  return { parts: out, skeleton: rig.build({ scale: s, centre }) };
}
