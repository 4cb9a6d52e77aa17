/**
 * Species models as binary glTF: one node and mesh per ModelPart, the glTF material
 * NAME carrying the exoray material id (e.g. "chitin"), so any glTF tool can inspect or
 * edit a model and the X-ray renderer still knows what each part is made of.
 * Node-only (uses @gltf-transform/core's NodeIO); geometry stays in src/geometry.
 */
import { Document, NodeIO, Primitive, type Node } from '@gltf-transform/core';
import type { MeshData, ModelPart, Skeleton, SpeciesModel } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { transformMesh, weldWithSource } from '../geometry/mesh.js';
import { computeVertexNormals } from '../geometry/normals.js';
import { readSkeleton, skinAttributes, writeClips, writeSkeleton } from './rig/glb-skin.js';
import type { AnimationClip } from './rig/clips.js';
import { clipsOf } from './rig/clips-io.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Metadata stored in asset.extras and the scene's extras. */
export interface ModelMeta {
  id: string;
  scientificName: string;
  commonName: string;
  [key: string]: JsonValue;
}

/** Colours for optical views only; the X-ray ignores them. */
const BASE_COLORS: Record<string, [number, number, number, number]> = {
  chitin: [0.12, 0.07, 0.04, 1],
  arthropod_cuticle: [0.2, 0.1, 0.05, 1],
  soft_tissue: [0.8, 0.55, 0.5, 1],
  pyrex: [0.85, 0.92, 0.95, 1],
  water: [0.35, 0.55, 0.85, 1],
  cotton_wool: [0.97, 0.97, 0.95, 1],
};

/**
 * Writes parts as GLB bytes; with a skeleton, as a skinned model (joint nodes, one glTF skin,
 * JOINTS_0 / WEIGHTS_0 from each part's skin), without one the geometry only. Morph targets
 * are written when parts have them. Output is deterministic (same input, same bytes): the
 * generator string is fixed and nothing time- or environment-dependent is written.
 */
export async function writeModelGlb(parts: readonly ModelPart[], meta: ModelMeta, skeleton: Skeleton | null = null, clips: readonly AnimationClip[] = []): Promise<Uint8Array> {
  const doc = new Document();
  const root = doc.getRoot();
  const asset = root.getAsset();
  asset.generator = 'exoray';
  asset.extras = { ...meta };
  const buffer = doc.createBuffer();
  const scene = doc.createScene(meta.id).setExtras({ ...meta });
  root.setDefaultScene(scene);
  const materials = new Map<string, ReturnType<Document['createMaterial']>>();
  const rig = skeleton ? writeSkeleton(doc, buffer, scene, skeleton, meta.id) : null;
  const skin = rig?.skin ?? null;
  if (rig) writeClips(doc, buffer, rig.nodes, clips);
  for (const part of parts) {
    if (typeof part.material !== 'string' || part.material === '') {
      throw new ExorayError('E_ASSET', `writeModelGlb(${meta.id}): part "${part.name}" has no material id; every part needs one (e.g. "chitin")`);
    }
    const { positions, indices } = part.mesh;
    if (positions.length % 3 !== 0 || indices.length % 3 !== 0) {
      throw new ExorayError('E_ASSET', `writeModelGlb(${meta.id}): part "${part.name}" has ${positions.length} position values and ${indices.length} indices; both must be multiples of 3`);
    }
    let material = materials.get(part.material);
    if (!material) {
      material = doc.createMaterial(part.material).setMetallicFactor(0).setRoughnessFactor(0.5);
      const color = BASE_COLORS[part.material];
      if (color) material.setBaseColorFactor(color);
      materials.set(part.material, material);
    }
    const vertexCount = positions.length / 3;
    const position = doc.createAccessor(`${part.name}:position`, buffer).setType('VEC3').setArray(new Float32Array(positions));
    const normal = doc.createAccessor(`${part.name}:normal`, buffer).setType('VEC3').setArray(computeVertexNormals(part.mesh));
    const index = doc
      .createAccessor(`${part.name}:indices`, buffer)
      .setType('SCALAR')
      .setArray(vertexCount <= 65535 ? Uint16Array.from(indices) : new Uint32Array(indices));
    const prim = doc
      .createPrimitive()
      .setAttribute('POSITION', position)
      .setAttribute('NORMAL', normal)
      .setIndices(index)
      .setMaterial(material);
    if (part.morphs) {
      part.morphs.deltas.forEach((d, t) => {
        const target = doc.createPrimitiveTarget(part.morphs!.names[t] ?? `target${t}`);
        target.setAttribute('POSITION', doc.createAccessor(`${part.name}:morph${t}`, buffer).setType('VEC3').setArray(new Float32Array(d)));
        prim.addTarget(target);
      });
    }
    const mesh = doc.createMesh(part.name).addPrimitive(prim);
    if (part.morphs) mesh.setWeights(part.morphs.deltas.map(() => 0)).setExtras({ targetNames: [...part.morphs.names] });
    const node = doc.createNode(part.name).setMesh(mesh);
    if (skin) {
      if (!part.skin) throw new ExorayError('E_ASSET', `writeModelGlb(${meta.id}): the model has a skeleton but part "${part.name}" has no skin; skin every part`);
      const { joints, weights } = skinAttributes(doc, buffer, part.name, part.skin, skeleton!.joints.length);
      prim.setAttribute('JOINTS_0', joints).setAttribute('WEIGHTS_0', weights);
      node.setSkin(skin);
    }
    scene.addChild(node);
  }
  return new NodeIO().writeBinary(doc);
}

/** writeModelGlb for a whole species model (with its animation clips, when it has any). */
export function writeSpeciesGlb(model: SpeciesModel, meta: ModelMeta, clips: readonly AnimationClip[] = []): Promise<Uint8Array> {
  return writeModelGlb(model.parts, meta, model.skeleton, clips);
}

async function readDocument(bytes: Uint8Array, name: string): Promise<Document> {
  try {
    return await new NodeIO().readBinary(bytes);
  } catch (e) {
    throw new ExorayError(
      'E_ASSET',
      `Model "${name}" is not a readable GLB (${e instanceof Error ? e.message : String(e)}); re-export it as binary glTF 2.0 (.glb) with embedded buffers`,
      { cause: e },
    );
  }
}

function isIdentity(m: ArrayLike<number>): boolean {
  for (let i = 0; i < 16; i++) if (m[i] !== (i % 5 === 0 ? 1 : 0)) return false;
  return true;
}

function primitiveMesh(prim: Primitive, where: string): MeshData {
  const mode = prim.getMode();
  if (mode !== Primitive.Mode.TRIANGLES) {
    throw new ExorayError('E_ASSET', `${where}: primitive mode ${mode} is not TRIANGLES (4); triangulate the mesh on export`);
  }
  const pos = prim.getAttribute('POSITION');
  if (!pos || pos.getType() !== 'VEC3') throw new ExorayError('E_ASSET', `${where}: primitive has no VEC3 POSITION attribute`);
  const count = pos.getCount();
  const positions = new Float32Array(3 * count);
  const el: number[] = [0, 0, 0];
  // getElement dequantises normalised integer positions too.
  for (let i = 0; i < count; i++) positions.set(pos.getElement(i, el), 3 * i);
  const idx = prim.getIndices();
  let indices: Uint32Array;
  if (idx) {
    const arr = idx.getArray();
    if (!arr) throw new ExorayError('E_ASSET', `${where}: index accessor has no data`);
    indices = Uint32Array.from(arr as ArrayLike<number>);
  } else {
    indices = new Uint32Array(count);
    for (let i = 0; i < count; i++) indices[i] = i;
  }
  if (indices.length % 3 !== 0) throw new ExorayError('E_ASSET', `${where}: ${indices.length} indices is not a whole number of triangles`);
  for (const v of indices) {
    if (v >= count) throw new ExorayError('E_ASSET', `${where}: index ${v} is past the ${count} vertices`);
  }
  return { positions, indices };
}

/**
 * Reads the parts of a GLB: every mesh primitive of the default scene becomes a part in
 * world space (node transforms applied), named after its node ("<node>#<k>" when a mesh
 * has several primitives), its material from the glTF material name. Vertices with
 * identical positions are welded, since exporters split them along UV and normal seams
 * and non-indexed meshes repeat them per triangle. `name` (usually the file) is used in errors.
 */
export async function readModelGlb(bytes: Uint8Array, name: string): Promise<ModelPart[]> {
  return (await readSpeciesGlb(bytes, name)).parts;
}

/**
 * readModelGlb plus the skeleton: a model whose meshes share one glTF skin (the bind pose
 * its rest pose, joint limits in the joints' extras: docs/SPECIES.md) comes back with each
 * part's per-vertex skin; a model without a skin has skeleton null.
 */
export async function readSpeciesGlb(bytes: Uint8Array, name: string): Promise<SpeciesModel> {
  const doc = await readDocument(bytes, name);
  const root = doc.getRoot();
  const scene = root.getDefaultScene() ?? root.listScenes()[0];
  const nodes: Node[] = [];
  if (scene) scene.traverse((n) => nodes.push(n));
  else nodes.push(...root.listNodes());
  const skins = [...new Set(nodes.map((n) => (n.getMesh() ? n.getSkin() : null)).filter((k) => k !== null))];
  if (skins.length > 1) throw new ExorayError('E_ASSET', `Model "${name}" has ${skins.length} skins; a species model needs its meshes on one skeleton`);
  const rig = skins.length === 1 ? readSkeleton(skins[0]!, name) : null;
  const parts: ModelPart[] = [];
  nodes.forEach((node, nodeIndex) => {
    const mesh = node.getMesh();
    if (!mesh) return;
    const nodeName = node.getName() || mesh.getName() || `node${nodeIndex}`;
    const prims = mesh.listPrimitives();
    const world = node.getWorldMatrix();
    prims.forEach((prim, k) => {
      const partName = prims.length > 1 ? `${nodeName}#${k}` : nodeName;
      const where = `Model "${name}", node "${nodeName}", primitive ${k}`;
      const material = prim.getMaterial()?.getName() ?? '';
      if (material === '') {
        throw new ExorayError(
          'E_ASSET',
          `${where}: has no material name; name the glTF material after an exoray material id (e.g. "chitin", "soft_tissue")`,
        );
      }
      let meshData = primitiveMesh(prim, where);
      const skinned = rig !== null && node.getSkin() !== null;
      // glTF ignores the node transform of a skinned mesh: its joints place it.
      if (!skinned && !isIdentity(world)) meshData = transformMesh(meshData, world);
      const { mesh: welded, source } = weldWithSource(meshData);
      const part: ModelPart = { name: partName, material, mesh: welded };
      if (skinned) part.skin = rig!.readPartSkin(prim, source, where);
      else if (rig) throw new ExorayError('E_ASSET', `${where}: the model has a skeleton but this mesh is not skinned; bind every mesh to the skin`);
      const targets = prim.listTargets();
      if (targets.length > 0) part.morphs = readMorphs(prim, source, mesh.getExtras(), where);
      parts.push(part);
    });
  });
  if (parts.length === 0) {
    throw new ExorayError('E_ASSET', `Model "${name}" contains no triangle meshes; export the model's meshes into the GLB's default scene`);
  }
  const clips = rig ? clipsOf(doc, rig.skeleton) : [];
  return { parts, skeleton: rig ? rig.skeleton : null, ...(clips.length > 0 ? { clips } : {}) };
}

/** Morph target position deltas of the welded vertices (`source`: the input vertex each one came from). */
function readMorphs(prim: Primitive, source: Uint32Array, extras: Record<string, unknown> | null, where: string): ModelPart['morphs'] {
  const names = extras && Array.isArray(extras.targetNames) ? (extras.targetNames as unknown[]).map(String) : [];
  const count = prim.getAttribute('POSITION')!.getCount();
  const deltas = prim.listTargets().map((t, k) => {
    const acc = t.getAttribute('POSITION');
    const d = new Float32Array(3 * source.length);
    if (!acc) return d;
    if (acc.getCount() !== count) throw new ExorayError('E_ASSET', `${where}: morph target ${k} has ${acc.getCount()} positions for ${count} vertices`);
    const el = [0, 0, 0];
    source.forEach((src, dst) => d.set(acc.getElement(src, el), 3 * dst));
    return d;
  });
  return { names: deltas.map((_, k) => names[k] ?? `target${k}`), deltas };
}

/** The metadata writeModelGlb stored in asset.extras ({} when there is none). */
export async function readModelMeta(bytes: Uint8Array, name: string): Promise<Record<string, unknown>> {
  const doc = await readDocument(bytes, name);
  const extras = doc.getRoot().getAsset().extras;
  return extras && typeof extras === 'object' ? { ...(extras as Record<string, unknown>) } : {};
}
