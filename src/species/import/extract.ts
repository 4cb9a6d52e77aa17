/**
 * Turns a glTF Document into triangle meshes in world space, one per mesh primitive:
 * morph targets are baked at their default weights, skinned meshes at the default pose of
 * their joints (linear blend skinning with the joint nodes' current transforms), so what
 * the user sees in a viewer's rest pose is what gets imported. Skins and morph targets are
 * kept alongside: every vertex's joints and weights (indices into one list of the joint
 * nodes of all skins used) and each target's offsets turned into that rest frame, so the
 * model can be posed again (import/rig-import.ts). No file I/O.
 */
import { Primitive, type Accessor, type Document, type Node, type Skin } from '@gltf-transform/core';
import type { MeshData } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import type { JsonValue } from '../glb.js';
import { transformMesh } from '../../geometry/mesh.js';

export interface SourcePart {
  /** Unique among the parts of the file (node name, "#k" per extra primitive). */
  name: string;
  nodeName: string;
  meshName: string;
  /** The glTF material's name ('' when the primitive has none). */
  materialName: string;
  mesh: MeshData;
  skinned: boolean;
  morphed: boolean;
  /** Per source vertex: up to 4 joints (indices into ExtractedModel.jointNodes) and weights; absent when not skinned. */
  skin?: { joints: Uint16Array; weights: Float32Array };
  /** The nearest joint among the node's ancestors, for an unskinned part of a skinned model (-1: none). */
  parentJoint: number;
  /** Morph targets: names and position offsets per source vertex, in the same world frame as `mesh`. */
  morphs?: { names: string[]; deltas: Float32Array[] };
}

export interface SkinJoint {
  name: string;
  /** Index of the parent joint in the same skin, or null for a root. */
  parent: number | null;
  translation: [number, number, number];
  rotation: [number, number, number, number];
  scale: [number, number, number];
}

export interface SkinInfo {
  name: string;
  joints: SkinJoint[];
}

export interface ExtractedModel {
  parts: SourcePart[];
  skins: SkinInfo[];
  /** The joint nodes of every skin used, in skin order (a joint shared by two skins once). */
  jointNodes: Node[];
  /** Primitives left out (points, lines) and why, for the import report. */
  skipped: string[];
}

type Mat4 = Float64Array;

function multiply(a: ArrayLike<number>, b: ArrayLike<number>): Mat4 {
  const out = new Float64Array(16);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 4 + r]! * b[c * 4 + k]!;
      out[c * 4 + r] = s;
    }
  }
  return out;
}

const IDENTITY = new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);

/** Triangle list indices for TRIANGLES, TRIANGLE_STRIP and TRIANGLE_FAN (winding as the spec defines). */
export function triangleIndices(mode: number, source: ArrayLike<number>): Uint32Array {
  if (mode === Primitive.Mode.TRIANGLES) return Uint32Array.from(source);
  const n = source.length;
  const out: number[] = [];
  if (mode === Primitive.Mode.TRIANGLE_STRIP) {
    for (let i = 0; i + 2 < n; i++) {
      if (i % 2 === 0) out.push(source[i]!, source[i + 1]!, source[i + 2]!);
      else out.push(source[i + 1]!, source[i]!, source[i + 2]!);
    }
  } else if (mode === Primitive.Mode.TRIANGLE_FAN) {
    for (let i = 1; i + 1 < n; i++) out.push(source[i]!, source[i + 1]!, source[0]!);
  }
  return Uint32Array.from(out);
}

function readVec3(accessor: Accessor): Float64Array {
  const n = accessor.getCount();
  const out = new Float64Array(3 * n);
  const el: number[] = [];
  for (let i = 0; i < n; i++) {
    accessor.getElement(i, el);
    out[3 * i] = el[0]!;
    out[3 * i + 1] = el[1]!;
    out[3 * i + 2] = el[2]!;
  }
  return out;
}

/**
 * Linear blend skinning of positions (in place) with per-joint matrices; returns each
 * vertex's blended matrix (to turn morph offsets into the same frame) and its four
 * strongest joints and weights, normalised.
 */
function skinPositions(prim: Primitive, positions: Float64Array, jointMatrices: Mat4[], fallback: ArrayLike<number>, where: string): { matrices: Float64Array; joints: Uint16Array; weights: Float32Array } {
  const sets: Array<[Accessor, Accessor]> = [];
  for (let s = 0; ; s++) {
    const j = prim.getAttribute(`JOINTS_${s}`);
    const w = prim.getAttribute(`WEIGHTS_${s}`);
    if (!j || !w) break;
    sets.push([j, w]);
  }
  if (sets.length === 0) throw new ExorayError('E_ASSET', `${where}: skinned, but the primitive has no JOINTS_0/WEIGHTS_0 attributes`);
  const n = positions.length / 3;
  const jv: number[] = [];
  const wv: number[] = [];
  const m = new Float64Array(16);
  const matrices = new Float64Array(16 * n);
  const joints = new Uint16Array(4 * n);
  const weights = new Float32Array(4 * n);
  for (let v = 0; v < n; v++) {
    m.fill(0);
    let total = 0;
    const influences: Array<[number, number]> = [];
    for (const [ja, wa] of sets) {
      ja.getElement(v, jv);
      wa.getElement(v, wv);
      for (let k = 0; k < 4; k++) {
        const weight = wv[k]!;
        if (!(weight > 0)) continue;
        const jm = jointMatrices[jv[k]!];
        if (!jm) throw new ExorayError('E_ASSET', `${where}: vertex ${v} uses joint ${jv[k]} but the skin has ${jointMatrices.length} joints`);
        for (let e = 0; e < 16; e++) m[e] += weight * jm[e]!;
        total += weight;
        influences.push([jv[k]!, weight]);
      }
    }
    // The four strongest influences, for posing later (more than four are rare and small).
    influences.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const kept = influences.slice(0, 4);
    const keptTotal = kept.reduce((t, [, w]) => t + w, 0);
    kept.forEach(([j, w], k) => {
      joints[4 * v + k] = j;
      weights[4 * v + k] = w / keptTotal;
    });
    // Weights should sum to 1; renormalise drift, and leave weightless vertices on the mesh node.
    const mat: ArrayLike<number> = total > 0 ? m.map((x) => x / total) : fallback;
    matrices.set(mat, 16 * v);
    const x = positions[3 * v]!, y = positions[3 * v + 1]!, z = positions[3 * v + 2]!;
    positions[3 * v] = mat[0]! * x + mat[4]! * y + mat[8]! * z + mat[12]!;
    positions[3 * v + 1] = mat[1]! * x + mat[5]! * y + mat[9]! * z + mat[13]!;
    positions[3 * v + 2] = mat[2]! * x + mat[6]! * y + mat[10]! * z + mat[14]!;
  }
  return { matrices, joints, weights };
}

/** Offsets turned by the linear part of each vertex's matrix (`perVertex`) or of one matrix. */
function turnOffsets(d: Float64Array, perVertex: Float64Array | null, one: ArrayLike<number>): Float32Array {
  const out = new Float32Array(d.length);
  for (let v = 0; v < d.length / 3; v++) {
    const m = perVertex ? perVertex.subarray(16 * v, 16 * v + 16) : one;
    const x = d[3 * v]!, y = d[3 * v + 1]!, z = d[3 * v + 2]!;
    out[3 * v] = m[0]! * x + m[4]! * y + m[8]! * z;
    out[3 * v + 1] = m[1]! * x + m[5]! * y + m[9]! * z;
    out[3 * v + 2] = m[2]! * x + m[6]! * y + m[10]! * z;
  }
  return out;
}

function jointMatricesOf(skin: Skin): Mat4[] {
  const ibm = skin.getInverseBindMatrices();
  const el: number[] = [];
  return skin.listJoints().map((joint, j) => {
    const inverseBind = ibm ? ibm.getElement(j, el).slice() : IDENTITY;
    return multiply(joint.getWorldMatrix(), inverseBind);
  });
}

function skinInfo(skin: Skin, index: number): SkinInfo {
  const joints = skin.listJoints();
  return {
    name: skin.getName() || `skin${index}`,
    joints: joints.map((j, k) => {
      const parent = j.getParentNode();
      const p = parent ? joints.indexOf(parent) : -1;
      return {
        name: j.getName() || `joint${k}`,
        parent: p >= 0 ? p : null,
        translation: [...j.getTranslation()] as SkinJoint['translation'],
        rotation: [...j.getRotation()] as SkinJoint['rotation'],
        scale: [...j.getScale()] as SkinJoint['scale'],
      };
    }),
  };
}

/** The skins as JSON metadata for the stored model. */
export function skinsToJson(skins: readonly SkinInfo[]): JsonValue {
  return skins.map((s) => ({
    name: s.name,
    joints: s.joints.map((j) => ({ name: j.name, parent: j.parent, translation: j.translation, rotation: j.rotation, scale: j.scale })),
  }));
}

/**
 * Every triangle primitive of the default scene (or of all scenes when none is set),
 * in world space. `file` names the model in errors.
 */
export function extractParts(document: Document, file: string): ExtractedModel {
  const root = document.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  const nodes: Node[] = [];
  if (scene) scene.traverse((n) => void nodes.push(n));
  else nodes.push(...root.listNodes());
  const parts: SourcePart[] = [];
  const skipped: string[] = [];
  const usedSkins: Skin[] = [];
  // Every skin's joints in one list: a part's joint indices are mapped into it.
  const jointNodes: Node[] = [];
  for (const node of nodes) {
    const skin = node.getMesh() ? node.getSkin() : null;
    if (!skin) continue;
    for (const j of skin.listJoints()) if (!jointNodes.includes(j)) jointNodes.push(j);
  }
  const ancestorJoint = (node: Node): number => {
    for (let p = node.getParentNode(); p; p = p.getParentNode()) {
      const k = jointNodes.indexOf(p);
      if (k >= 0) return k;
    }
    return -1;
  };
  const names = new Set<string>();
  const unique = (base: string): string => {
    let name = base;
    for (let k = 2; names.has(name); k++) name = `${base}_${k}`;
    names.add(name);
    return name;
  };

  nodes.forEach((node, nodeIndex) => {
    const mesh = node.getMesh();
    if (!mesh) return;
    const nodeName = node.getName() || mesh.getName() || `node${nodeIndex}`;
    const skin = node.getSkin();
    if (skin && !usedSkins.includes(skin)) usedSkins.push(skin);
    const jointMatrices = skin ? jointMatricesOf(skin) : [];
    const nodeWeights = node.getWeights();
    const weights = nodeWeights.length > 0 ? nodeWeights : mesh.getWeights();
    const world = node.getWorldMatrix();
    const prims = mesh.listPrimitives();
    prims.forEach((prim, k) => {
      const where = `Model ${file}, node "${nodeName}", primitive ${k}`;
      const mode = prim.getMode();
      if (mode !== Primitive.Mode.TRIANGLES && mode !== Primitive.Mode.TRIANGLE_STRIP && mode !== Primitive.Mode.TRIANGLE_FAN) {
        skipped.push(`${nodeName} primitive ${k}: mode ${mode} is points or lines, not a surface`);
        return;
      }
      const pos = prim.getAttribute('POSITION');
      if (!pos || pos.getType() !== 'VEC3') throw new ExorayError('E_ASSET', `${where}: has no VEC3 POSITION attribute; the file is corrupted`);
      const positions = readVec3(pos);
      const count = pos.getCount();

      let morphed = false;
      const targetOffsets: Float64Array[] = [];
      prim.listTargets().forEach((target, t) => {
        const w = weights[t] ?? 0;
        const delta = target.getAttribute('POSITION');
        if (delta && delta.getCount() !== count) throw new ExorayError('E_ASSET', `${where}: morph target ${t} has ${delta.getCount()} positions for ${count} vertices`);
        const d = delta ? readVec3(delta) : new Float64Array(3 * count);
        targetOffsets.push(d);
        if (w === 0 || !delta) return;
        for (let i = 0; i < d.length; i++) positions[i] += w * d[i]!;
        morphed = true;
      });
      const targetNames = (mesh.getExtras() as { targetNames?: unknown } | null)?.targetNames;

      const idx = prim.getIndices();
      const source = idx ? (idx.getArray() as ArrayLike<number> | null) : Uint32Array.from({ length: count }, (_, i) => i);
      if (!source) throw new ExorayError('E_ASSET', `${where}: its index accessor has no data; the file is corrupted`);
      const indices = triangleIndices(mode, source);
      if (mode === Primitive.Mode.TRIANGLES && source.length % 3 !== 0) {
        throw new ExorayError('E_ASSET', `${where}: ${source.length} indices is not a whole number of triangles; the file is corrupted`);
      }
      for (const v of indices) {
        if (v >= count) throw new ExorayError('E_ASSET', `${where}: index ${v} is past its ${count} vertices; the file is corrupted`);
      }

      let meshData: MeshData;
      let partSkin: SourcePart['skin'];
      let frames: Float64Array | null = null;
      if (skin) {
        // The glTF spec ignores a skinned mesh node's own transform: joints place the vertices.
        const skinned = skinPositions(prim, positions, jointMatrices, world, where);
        meshData = { positions: Float32Array.from(positions), indices };
        const toUnified = skin.listJoints().map((j) => jointNodes.indexOf(j));
        partSkin = { joints: skinned.joints.map((j) => toUnified[j]!), weights: skinned.weights };
        frames = skinned.matrices;
      } else {
        meshData = transformMesh({ positions: Float32Array.from(positions), indices }, world);
      }
      const morphs =
        targetOffsets.length > 0
          ? {
              names: targetOffsets.map((_, t) => (Array.isArray(targetNames) && typeof targetNames[t] === 'string' ? (targetNames[t] as string) : `target${t}`)),
              deltas: targetOffsets.map((d) => turnOffsets(d, frames, world)),
            }
          : undefined;
      parts.push({
        name: unique(prims.length > 1 ? `${nodeName}#${k}` : nodeName),
        nodeName,
        meshName: mesh.getName(),
        materialName: prim.getMaterial()?.getName() ?? '',
        mesh: meshData,
        skinned: skin !== null,
        morphed,
        ...(partSkin ? { skin: partSkin } : {}),
        parentJoint: ancestorJoint(node),
        ...(morphs ? { morphs } : {}),
      });
    });
  });
  if (parts.every((p) => p.mesh.indices.length === 0)) {
    throw new ExorayError(
      'E_ASSET',
      `Model file ${file}: has no geometry (no triangle meshes in its ${scene ? 'default scene' : 'nodes'}${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}); export the model's meshes, not only its scene or skeleton`,
    );
  }
  return { parts: parts.filter((p) => p.mesh.indices.length > 0), skins: usedSkins.map(skinInfo), jointNodes, skipped };
}
