/**
 * Turns a glTF Document into static triangle meshes in world space, one per mesh
 * primitive: morph targets are baked at their default weights, skinned meshes at the
 * default pose of their joints (linear blend skinning with the joint nodes' current
 * transforms), so what the user sees in a viewer's rest pose is what gets imported.
 * The skeletons are kept as metadata for posing later. No file I/O.
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

/** Linear blend skinning of positions (in place) with per-joint matrices. */
function skinPositions(prim: Primitive, positions: Float64Array, jointMatrices: Mat4[], fallback: ArrayLike<number>, where: string): void {
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
  for (let v = 0; v < n; v++) {
    m.fill(0);
    let total = 0;
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
      }
    }
    // Weights should sum to 1; renormalise drift, and leave weightless vertices on the mesh node.
    const mat: ArrayLike<number> = total > 0 ? m.map((x) => x / total) : fallback;
    const x = positions[3 * v]!, y = positions[3 * v + 1]!, z = positions[3 * v + 2]!;
    positions[3 * v] = mat[0]! * x + mat[4]! * y + mat[8]! * z + mat[12]!;
    positions[3 * v + 1] = mat[1]! * x + mat[5]! * y + mat[9]! * z + mat[13]!;
    positions[3 * v + 2] = mat[2]! * x + mat[6]! * y + mat[10]! * z + mat[14]!;
  }
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
      prim.listTargets().forEach((target, t) => {
        const w = weights[t] ?? 0;
        const delta = target.getAttribute('POSITION');
        if (w === 0 || !delta) return;
        if (delta.getCount() !== count) throw new ExorayError('E_ASSET', `${where}: morph target ${t} has ${delta.getCount()} positions for ${count} vertices`);
        const d = readVec3(delta);
        for (let i = 0; i < d.length; i++) positions[i] += w * d[i]!;
        morphed = true;
      });

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
      if (skin) {
        // The glTF spec ignores a skinned mesh node's own transform: joints place the vertices.
        skinPositions(prim, positions, jointMatrices, world, where);
        meshData = { positions: Float32Array.from(positions), indices };
      } else {
        meshData = transformMesh({ positions: Float32Array.from(positions), indices }, world);
      }
      parts.push({
        name: unique(prims.length > 1 ? `${nodeName}#${k}` : nodeName),
        nodeName,
        meshName: mesh.getName(),
        materialName: prim.getMaterial()?.getName() ?? '',
        mesh: meshData,
        skinned: skin !== null,
        morphed,
      });
    });
  });
  if (parts.every((p) => p.mesh.indices.length === 0)) {
    throw new ExorayError(
      'E_ASSET',
      `Model file ${file}: has no geometry (no triangle meshes in its ${scene ? 'default scene' : 'nodes'}${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}); export the model's meshes, not only its scene or skeleton`,
    );
  }
  return { parts: parts.filter((p) => p.mesh.indices.length > 0), skins: usedSkins.map(skinInfo), skipped };
}
