/**
 * Keeps an imported model's skeleton, skins, morph targets and animation clips: the joint
 * nodes of its skins become an exoray Skeleton in the normalised model frame (roots carry
 * the normalising transform, children their own local transforms), rebound at the rest
 * pose the import baked; each final vertex takes the skin and morph offsets of the source
 * vertex at its position (repair and simplification keep source positions, so nearly all
 * are exact; a new vertex takes its nearest); rotation channels of clips are kept.
 *
 * Joint limits: imported files carry none, so every joint gets `defaultDeg` on each axis
 * (roots 0), or what a limits file gives (JSON or YAML):
 *   default: 25                       # degrees, every axis, every joint not listed
 *   joints:
 *     tail_joint: { x: [-30, 30], y: [-45, 45], z: [0, 0], role: axial }
 * Roles default to 'appendage' (postures rest, relaxed, clip); 'axial' and 'limb' enable
 * the body-chain and leg postures. No file I/O.
 */
import type { Document, Node } from '@gltf-transform/core';
import type { JointLimits, JointRole, MeshData, Quat, Skeleton, SkeletonJoint, Vec3, VertexSkin } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { qfromBasis } from '../../geometry/quat.js';
import { JOINT_ROLES } from '../rig/glb-skin.js';
import type { AnimationClip } from '../rig/clips.js';
import { rotationClips } from '../rig/clips-io.js';
import { quantise } from '../rig/weights.js';
import type { ExtractedModel } from './extract.js';

export interface JointLimitSettings {
  /** Degrees on each axis of every joint not listed. */
  defaultDeg: number;
  joints: Record<string, { limits?: JointLimits; role?: JointRole }>;
}

export const DEFAULT_IMPORT_JOINT_LIMIT_DEG = 20;

/** Parses a limits file's content; errors name the file and the field. */
export function parseJointLimits(raw: unknown, file: string): JointLimitSettings {
  const bad = (field: string, msg: string): never => {
    throw new ExorayError('E_USAGE', `Joint limits ${file}: field "${field}" ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) bad('(root)', 'must be a mapping with "default" and/or "joints"');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'default' && k !== 'joints') bad(k, 'is not a known field; known: default, joints');
  const d = o.default ?? DEFAULT_IMPORT_JOINT_LIMIT_DEG;
  if (typeof d !== 'number' || !(d >= 0 && d < 90)) bad('default', `must be degrees in [0, 90), got ${JSON.stringify(d)}`);
  const joints: JointLimitSettings['joints'] = {};
  const list = (o.joints ?? {}) as Record<string, unknown>;
  if (typeof list !== 'object' || Array.isArray(list)) bad('joints', 'must be a mapping of joint names');
  for (const [name, v] of Object.entries(list)) {
    const j = v as Record<string, unknown>;
    if (typeof j !== 'object' || j === null) bad(`joints.${name}`, 'must be a mapping {x, y, z, role}');
    const range = (axis: 'x' | 'y' | 'z'): [number, number] => {
      const r = (j[axis] ?? [-(d as number), d as number]) as unknown;
      const ok = Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number') && (r[0] as number) <= 0 && (r[1] as number) >= 0;
      if (!ok) bad(`joints.${name}.${axis}`, `must be [min, max] degrees with min <= 0 <= max, got ${JSON.stringify(r)}`);
      const [lo, hi] = r as [number, number];
      if (axis === 'y' && Math.max(-lo, hi) >= 90) bad(`joints.${name}.y`, 'must stay within (-90, 90) degrees');
      return [lo, hi];
    };
    const role = j.role;
    if (role !== undefined && !JOINT_ROLES.includes(role as JointRole)) bad(`joints.${name}.role`, `must be one of ${JOINT_ROLES.join(', ')}`);
    joints[name] = { limits: { x: range('x'), y: range('y'), z: range('z') }, ...(role !== undefined ? { role: role as JointRole } : {}) };
  }
  return { defaultDeg: d as number, joints };
}

/** Column-major product a * b. */
function mul(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out = new Array<number>(16).fill(0);
  for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) out[c * 4 + r]! += a[k * 4 + r]! * b[c * 4 + k]!;
  return out;
}

/** Translation, rotation and scale of an affine matrix without shear or mirroring. */
function decompose(m: ArrayLike<number>, where: string): { t: Vec3; r: Quat; s: Vec3 } {
  const col = (c: number): Vec3 => [m[4 * c]!, m[4 * c + 1]!, m[4 * c + 2]!];
  const s = [0, 1, 2].map((c) => Math.hypot(...col(c))) as Vec3;
  const [x, y, z] = [0, 1, 2].map((c) => col(c).map((v) => v / s[c]!) as Vec3) as [Vec3, Vec3, Vec3];
  const det = x[0] * (y[1] * z[2] - y[2] * z[1]) - x[1] * (y[0] * z[2] - y[2] * z[0]) + x[2] * (y[0] * z[1] - y[1] * z[0]);
  if (!(det > 0)) throw new ExorayError('E_ASSET', `${where}: its world transform mirrors (negative scale); mirrored skeletons are not supported, apply the mirror in the modelling tool`);
  return { t: [m[12]!, m[13]!, m[14]!], r: qfromBasis(x, y, z), s };
}

export interface ImportedSkeleton {
  skeleton: Skeleton;
  /** Skeleton index of each entry of extracted.jointNodes. */
  indexOf: number[];
  /** Per root joint: the rotation its clip values are turned by (normalising frame and non-joint ancestors). */
  rootTurn: Map<number, Quat>;
}

/** The skins' joints as a Skeleton in the model frame (`matrix`: source world to model), parents first. */
export function importSkeleton(extracted: ExtractedModel, matrix: readonly number[], limits: JointLimitSettings, file: string): ImportedSkeleton | null {
  const nodes = extracted.jointNodes;
  if (nodes.length === 0) return null;
  const parentOf = (n: Node): number => {
    for (let p = n.getParentNode(); p; p = p.getParentNode()) {
      const k = nodes.indexOf(p);
      if (k >= 0) return k;
    }
    return -1;
  };
  const parents = nodes.map(parentOf);
  const order: number[] = [];
  const visit = (k: number) => {
    order.push(k);
    parents.forEach((p, c) => p === k && visit(c));
  };
  parents.forEach((p, k) => p < 0 && visit(k));
  const indexOf = new Array<number>(nodes.length).fill(-1);
  order.forEach((old, k) => (indexOf[old] = k));
  const rootTurn = new Map<number, Quat>();
  const names = new Set<string>();
  const joints: SkeletonJoint[] = order.map((old, k) => {
    const n = nodes[old]!;
    let name = n.getName() || `joint${old}`;
    for (let i = 2; names.has(name); i++) name = `${n.getName() || `joint${old}`}_${i}`;
    names.add(name);
    const where = `Model ${file}, joint "${name}"`;
    const parent = parents[old]! < 0 ? -1 : indexOf[parents[old]!]!;
    if (parent >= 0 && n.getParentNode() !== nodes[parents[old]!]) throw new ExorayError('E_ASSET', `${where}: a non-joint node sits between it and its parent joint; make joints direct children of joints`);
    const own = limits.joints[name];
    const d = limits.defaultDeg;
    const jl: JointLimits = parent < 0 ? { x: [0, 0], y: [0, 0], z: [0, 0] } : own?.limits ?? { x: [-d, d], y: [-d, d], z: [-d, d] };
    const role: JointRole = own?.role ?? (parent < 0 ? 'root' : 'appendage');
    if (parent < 0) {
      // A root's rest transform is its world one in the model frame.
      const world = decompose(mul(matrix, n.getWorldMatrix()), where);
      const parentWorld = n.getParentNode() ? decompose(mul(matrix, n.getParentNode()!.getWorldMatrix()), where) : decompose(matrix, where);
      rootTurn.set(k, parentWorld.r);
      const j: SkeletonJoint = { name, parent, translation: world.t, rotation: world.r, limits: jl, role };
      if (world.s.some((v) => Math.abs(v - 1) > 1e-7)) j.scale = world.s;
      return j;
    }
    const j: SkeletonJoint = { name, parent, translation: [...n.getTranslation()] as Vec3, rotation: [...n.getRotation()] as Quat, limits: jl, role };
    const s = n.getScale();
    if (s.some((v) => Math.abs(v - 1) > 1e-7)) j.scale = [...s] as Vec3;
    return j;
  });
  return { skeleton: { joints }, indexOf, rootTurn };
}

/** For each vertex of `mesh`, the index of the source vertex at its position (exact, else the nearest). */
export function sourceVertices(mesh: MeshData, source: Float32Array): Uint32Array {
  const key = (p: ArrayLike<number>, i: number) => `${p[3 * i]},${p[3 * i + 1]},${p[3 * i + 2]}`;
  const exact = new Map<string, number>();
  for (let i = source.length / 3 - 1; i >= 0; i--) exact.set(key(source, i), i);
  const out = new Uint32Array(mesh.positions.length / 3);
  for (let v = 0; v < out.length; v++) {
    const hit = exact.get(key(mesh.positions, v));
    if (hit !== undefined) {
      out[v] = hit;
      continue;
    }
    // A vertex repair added (a filled hole): its nearest source vertex.
    let best = Infinity;
    const p = mesh.positions;
    for (let i = 0; i < source.length / 3; i++) {
      const d = (p[3 * v]! - source[3 * i]!) ** 2 + (p[3 * v + 1]! - source[3 * i + 1]!) ** 2 + (p[3 * v + 2]! - source[3 * i + 2]!) ** 2;
      if (d < best) {
        best = d;
        out[v] = i;
      }
    }
  }
  return out;
}

/** The skin of the final vertices: their source vertices' joints (skeleton indices), quantised. */
export function transferSkin(map: Uint32Array, skin: NonNullable<ExtractedModel['parts'][number]['skin']>, indexOf: readonly number[]): VertexSkin {
  const out: VertexSkin = { joints: new Uint16Array(4 * map.length), weights: new Float32Array(4 * map.length) };
  map.forEach((src, v) => {
    const pairs: Array<[number, number]> = [];
    for (let k = 0; k < 4; k++) if (skin.weights[4 * src + k]! > 0) pairs.push([indexOf[skin.joints[4 * src + k]!]!, skin.weights[4 * src + k]!]);
    quantise(pairs).forEach(([j, w], k) => {
      out.joints[4 * v + k] = j;
      out.weights[4 * v + k] = w;
    });
  });
  return out;
}

/** Morph offsets of the final vertices, turned into the model frame by the linear part of `matrix`. */
export function transferMorphs(map: Uint32Array, morphs: NonNullable<ExtractedModel['parts'][number]['morphs']>, matrix: readonly number[]): NonNullable<import('../../core/types.js').ModelPart['morphs']> {
  const m = matrix;
  return {
    names: [...morphs.names],
    deltas: morphs.deltas.map((d) => {
      const out = new Float32Array(3 * map.length);
      map.forEach((src, v) => {
        const x = d[3 * src]!, y = d[3 * src + 1]!, z = d[3 * src + 2]!;
        out[3 * v] = m[0]! * x + m[4]! * y + m[8]! * z;
        out[3 * v + 1] = m[1]! * x + m[5]! * y + m[9]! * z;
        out[3 * v + 2] = m[2]! * x + m[6]! * y + m[10]! * z;
      });
      return out;
    }),
  };
}

/** Rotation channels of the document's animations on the skeleton's joints; roots' values turned into the model frame. */
export function importClips(document: Document, extracted: ExtractedModel, imported: ImportedSkeleton): AnimationClip[] {
  return rotationClips(
    document,
    (node) => {
      const old = extracted.jointNodes.indexOf(node);
      return old < 0 ? undefined : imported.indexOf[old]!;
    },
    (joint) => imported.rootTurn.get(joint),
  );
}
