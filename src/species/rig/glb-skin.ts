/**
 * A species skeleton as a real glTF skin: one node per joint (named after it, its rest
 * transform as the node's TRS, parent-child as in the skeleton), inverse bind matrices of
 * the rest pose, JOINTS_0 / WEIGHTS_0 per primitive, and each joint's limits, role and
 * radius in the node's `extras` (schema in docs/SPECIES.md). Node-only (glTF-Transform).
 */
import type { Accessor, Buffer as GltfBuffer, Document, Node, Primitive, Scene, Skin } from '@gltf-transform/core';
import type { JointLimits, JointRole, Quat, Skeleton, SkeletonJoint, Vec3, VertexSkin } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { inverseRestMatrices } from './skinning.js';
import type { AnimationClip } from './clips.js';

export const JOINT_ROLES: readonly JointRole[] = ['root', 'axial', 'head', 'limb', 'appendage'];

/** Adds the joint nodes under `scene` and returns the skin every mesh node shares. */
export function writeSkeleton(doc: Document, buffer: GltfBuffer, scene: Scene, skeleton: Skeleton, name: string): { skin: Skin; nodes: Node[] } {
  checkSkeleton(skeleton, name);
  const nodes: Node[] = skeleton.joints.map((j) => {
    const extras: Record<string, unknown> = { limits: { x: [...j.limits.x], y: [...j.limits.y], z: [...j.limits.z] }, role: j.role };
    if (j.radius !== undefined) extras.radius = j.radius;
    const node = doc.createNode(j.name).setTranslation([...j.translation]).setRotation([...j.rotation]).setExtras(extras);
    if (j.scale) node.setScale([...j.scale]);
    return node;
  });
  skeleton.joints.forEach((j, k) => (j.parent < 0 ? scene.addChild(nodes[k]!) : nodes[j.parent]!.addChild(nodes[k]!)));
  const ibm = new Float32Array(16 * nodes.length);
  inverseRestMatrices(skeleton).forEach((m, k) => ibm.set(m, 16 * k));
  const skin = doc.createSkin(`${name}:skin`).setInverseBindMatrices(doc.createAccessor(`${name}:inverseBind`, buffer).setType('MAT4').setArray(ibm));
  const root = skeleton.joints.findIndex((j) => j.parent < 0);
  skin.setSkeleton(nodes[root]!);
  nodes.forEach((n) => skin.addJoint(n));
  return { skin, nodes };
}

/** Animation clips as glTF animations: one rotation channel per animated joint. */
export function writeClips(doc: Document, buffer: GltfBuffer, nodes: readonly Node[], clips: readonly AnimationClip[]): void {
  for (const clip of clips) {
    const anim = doc.createAnimation(clip.name);
    clip.channels.forEach((c, k) => {
      const sampler = doc
        .createAnimationSampler()
        .setInput(doc.createAccessor(`${clip.name}:${k}:time`, buffer).setType('SCALAR').setArray(Float32Array.from(c.times)))
        .setOutput(doc.createAccessor(`${clip.name}:${k}:rotation`, buffer).setType('VEC4').setArray(Float32Array.from(c.values)))
        .setInterpolation(c.interpolation);
      anim.addSampler(sampler).addChannel(doc.createAnimationChannel().setTargetNode(nodes[c.joint]!).setTargetPath('rotation').setSampler(sampler));
    });
  }
}

/** JOINTS_0 (unsigned byte, or short beyond 256 joints) and WEIGHTS_0 (normalised unsigned byte) of a part. */
export function skinAttributes(doc: Document, buffer: GltfBuffer, part: string, skin: VertexSkin, jointCount: number): { joints: Accessor; weights: Accessor } {
  const n = skin.weights.length;
  const joints = jointCount <= 256 ? new Uint8Array(n) : new Uint16Array(n);
  const weights = new Uint8Array(n);
  for (let v = 0; v < n; v += 4) {
    let sum = 0;
    for (let k = 0; k < 4; k++) {
      const w = Math.round(skin.weights[v + k]! * 255);
      weights[v + k] = w;
      // Unused slots repeat no joint: the validator reads an index with zero weight as unused only when it is 0.
      joints[v + k] = w > 0 ? skin.joints[v + k]! : 0;
      sum += w;
    }
    if (sum !== 255) throw new ExorayError('E_ASSET', `GLB skin of part "${part}": vertex ${v / 4} has weights summing to ${sum}/255; quantise skins with rig/weights.ts`);
  }
  return {
    joints: doc.createAccessor(`${part}:joints`, buffer).setType('VEC4').setArray(joints),
    weights: doc.createAccessor(`${part}:weights`, buffer).setType('VEC4').setArray(weights).setNormalized(true),
  };
}

const isRange = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) && (v[0] as number) <= 0 && (v[1] as number) >= 0;

/** Checks limits and structure; the error names the joint and says what a valid value is. */
export function checkSkeleton(skeleton: Skeleton, name: string): void {
  const roots = skeleton.joints.filter((j) => j.parent < 0).length;
  if (skeleton.joints.length === 0 || roots === 0) throw new ExorayError('E_ASSET', `Model "${name}": its skeleton has no root joint`);
  const seen = new Set<string>();
  skeleton.joints.forEach((j, k) => {
    const bad = (msg: string): never => {
      throw new ExorayError('E_ASSET', `Model "${name}", joint "${j.name}": ${msg}`);
    };
    if (seen.has(j.name)) bad('the name is used twice; joint names must be unique');
    seen.add(j.name);
    if (!(j.parent < k)) bad(`its parent (${j.parent}) must come before it`);
    for (const axis of ['x', 'y', 'z'] as const) {
      if (!isRange(j.limits[axis])) bad(`limits.${axis} must be [min, max] degrees with min <= 0 <= max, got ${JSON.stringify(j.limits[axis])}`);
    }
    // Within +-90 the X-Y-Z angles of a pose are unique, so limits can be checked on them.
    if (Math.max(-j.limits.y[0], j.limits.y[1]) >= 90) bad(`limits.y must stay within (-90, 90) degrees, got ${JSON.stringify(j.limits.y)}`);
    if (!JOINT_ROLES.includes(j.role)) bad(`role must be one of ${JOINT_ROLES.join(', ')}, got ${JSON.stringify(j.role)}`);
  });
}

export interface ReadSkeleton {
  skeleton: Skeleton;
  /** The skin of a primitive's vertices, for the welded vertices (`source`: the input vertex of each). */
  readPartSkin(prim: Primitive, source: Uint32Array, where: string): VertexSkin;
}

/** The skeleton of a glTF skin whose inverse bind matrices are those of its rest pose. */
export function readSkeleton(skin: Skin, name: string): ReadSkeleton {
  const nodes = skin.listJoints();
  const index = new Map(nodes.map((n, k) => [n, k]));
  // Parents first: kept as stored when it already is, otherwise depth-first from the roots.
  const parentOf = (n: Node): number => {
    for (let p = n.getParentNode(); p; p = p.getParentNode()) if (index.has(p)) return index.get(p)!;
    return -1;
  };
  const parents = nodes.map(parentOf);
  let order = nodes.map((_, k) => k);
  if (parents.some((p, k) => p >= k)) {
    order = [];
    const visit = (k: number) => {
      order.push(k);
      parents.forEach((p, c) => p === k && visit(c));
    };
    parents.forEach((p, k) => p < 0 && visit(k));
  }
  const newIndex = new Map(order.map((old, k) => [old, k]));
  const jointOf = (n: Node | null): number => {
    for (let p = n; p; p = p.getParentNode()) if (index.has(p)) return newIndex.get(index.get(p)!)!;
    return -1;
  };
  const joints: SkeletonJoint[] = order.map((old) => {
    const n = nodes[old]!;
    const parent = jointOf(n.getParentNode());
    const extras = (n.getExtras() ?? {}) as Record<string, unknown>;
    const where = `Model "${name}", joint "${n.getName()}"`;
    const l = extras.limits as Record<string, unknown> | undefined;
    if (!l || typeof l !== 'object') {
      throw new ExorayError('E_ASSET', `${where}: no joint limits in its extras; give every joint node extras.limits = {x: [min, max], y: [...], z: [...]} in degrees (docs/SPECIES.md)`);
    }
    const limits = { x: l.x, y: l.y, z: l.z } as JointLimits;
    // A root's transform is its world transform (non-joint ancestors included); others are parent-relative.
    const direct = parent < 0 || n.getParentNode() === nodes[order[parent]!];
    if (!direct) throw new ExorayError('E_ASSET', `${where}: a non-joint node sits between it and its parent joint; make joints direct children of joints`);
    const scale = (parent < 0 ? n.getWorldScale() : n.getScale()) as Vec3;
    const joint: SkeletonJoint = {
      name: n.getName() || `joint${old}`,
      parent,
      translation: (parent < 0 ? n.getWorldTranslation() : n.getTranslation()) as Vec3,
      rotation: (parent < 0 ? n.getWorldRotation() : n.getRotation()) as Quat,
      limits,
      role: (typeof extras.role === 'string' ? extras.role : parent < 0 ? 'root' : 'appendage') as JointRole,
    };
    if (scale.some((v) => Math.abs(v - 1) > 1e-7)) joint.scale = [...scale] as Vec3;
    if (typeof extras.radius === 'number') joint.radius = extras.radius;
    return joint;
  });
  const skeleton: Skeleton = { joints };
  checkSkeleton(skeleton, name);
  const ibm = skin.getInverseBindMatrices();
  if (ibm) {
    const rest = inverseRestMatrices(skeleton);
    const el = new Array<number>(16).fill(0);
    let worst = 0;
    order.forEach((old, k) => {
      ibm.getElement(old, el);
      const r = rest[k]!;
      for (let i = 0; i < 16; i++) worst = Math.max(worst, Math.abs(el[i]! - r[i]!) / Math.max(1, Math.abs(r[i]!)));
    });
    if (worst > 1e-3) {
      throw new ExorayError('E_ASSET', `Model "${name}": its inverse bind matrices are not those of the joints' rest transforms (differ by ${worst.toPrecision(3)}); store the model in its bind pose (exoray species add does this)`);
    }
  }
  const readPartSkin = (prim: Primitive, source: Uint32Array, where: string): VertexSkin => {
    const j = prim.getAttribute('JOINTS_0');
    const w = prim.getAttribute('WEIGHTS_0');
    if (!j || !w) throw new ExorayError('E_ASSET', `${where}: a skinned mesh needs JOINTS_0 and WEIGHTS_0`);
    if (prim.getAttribute('JOINTS_1')) throw new ExorayError('E_ASSET', `${where}: more than 4 joints per vertex (JOINTS_1); limit influences to 4 on export`);
    const out: VertexSkin = { joints: new Uint16Array(4 * source.length), weights: new Float32Array(4 * source.length) };
    const je = [0, 0, 0, 0];
    const we = [0, 0, 0, 0];
    source.forEach((src, v) => {
      j.getElement(src, je);
      w.getElement(src, we);
      const sum = we[0]! + we[1]! + we[2]! + we[3]!;
      if (!(sum > 0)) throw new ExorayError('E_ASSET', `${where}: vertex ${src} has no joint weight`);
      for (let k = 0; k < 4; k++) {
        const weight = we[k]! / sum;
        if (weight > 0 && !(je[k]! < nodes.length)) throw new ExorayError('E_ASSET', `${where}: vertex ${src} names joint ${je[k]}, past the skin's ${nodes.length} joints`);
        out.joints[4 * v + k] = weight > 0 ? newIndex.get(je[k]!)! : 0;
        // Stored as bytes: keep exactly what was written (k / 255), not a re-normalised float.
        out.weights[4 * v + k] = Math.abs(sum - 1) < 1e-6 ? we[k]! : weight;
      }
    });
    return out;
  };
  return { skeleton, readPartSkin };
}
