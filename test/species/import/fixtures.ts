/**
 * Small glTF models built in the tests with @gltf-transform/core: closed meshes from
 * src/geometry as static, skinned and morph-target primitives, with named materials.
 */
import { Document, NodeIO, type Material, type Node } from '@gltf-transform/core';
import type { MeshData } from '../../../src/core/types.js';

export interface FixturePart {
  name: string;
  mesh: MeshData;
  material?: string;
  translation?: [number, number, number];
}

export function addMeshNode(doc: Document, part: FixturePart, materials: Map<string, Material>): Node {
  const buffer = doc.getRoot().listBuffers()[0] ?? doc.createBuffer();
  const prim = doc
    .createPrimitive()
    .setAttribute('POSITION', doc.createAccessor(`${part.name}:pos`, buffer).setType('VEC3').setArray(part.mesh.positions.slice()))
    .setIndices(doc.createAccessor(`${part.name}:idx`, buffer).setType('SCALAR').setArray(part.mesh.indices.slice()));
  if (part.material) {
    let m = materials.get(part.material);
    if (!m) materials.set(part.material, (m = doc.createMaterial(part.material)));
    prim.setMaterial(m);
  }
  const node = doc.createNode(part.name).setMesh(doc.createMesh(part.name).addPrimitive(prim));
  if (part.translation) node.setTranslation(part.translation);
  return node;
}

/** A document whose default scene holds one node per part. */
export function staticDocument(parts: readonly FixturePart[]): Document {
  const doc = new Document();
  doc.createBuffer();
  const scene = doc.createScene('scene');
  doc.getRoot().setDefaultScene(scene);
  const materials = new Map<string, Material>();
  for (const p of parts) scene.addChild(addMeshNode(doc, p, materials));
  return doc;
}

/**
 * A skinned mesh with two joints: vertices with z > 0 follow the tail joint, the others
 * the root joint. The tail joint's default pose is moved `stretch` metres along +Z from
 * its bind pose, so baking the default pose lengthens the model by exactly `stretch`.
 */
export function skinnedDocument(mesh: MeshData, stretch: number): Document {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const scene = doc.createScene('scene');
  doc.getRoot().setDefaultScene(scene);
  const n = mesh.positions.length / 3;
  const joints = new Uint16Array(4 * n);
  const weights = new Float32Array(4 * n);
  for (let v = 0; v < n; v++) {
    joints[4 * v] = mesh.positions[3 * v + 2]! > 0 ? 1 : 0;
    weights[4 * v] = 1;
  }
  const prim = doc
    .createPrimitive()
    .setAttribute('POSITION', doc.createAccessor('pos', buffer).setType('VEC3').setArray(mesh.positions.slice()))
    .setAttribute('JOINTS_0', doc.createAccessor('joints', buffer).setType('VEC4').setArray(joints))
    .setAttribute('WEIGHTS_0', doc.createAccessor('weights', buffer).setType('VEC4').setArray(weights))
    .setIndices(doc.createAccessor('idx', buffer).setType('SCALAR').setArray(mesh.indices.slice()))
    .setMaterial(doc.createMaterial('Skin'));
  const root = doc.createNode('root_joint');
  // Bind pose: the tail joint at the origin too, so its inverse bind matrix is the identity.
  const tail = doc.createNode('tail_joint').setTranslation([0, 0, stretch]);
  root.addChild(tail);
  const ibm = new Float32Array(32);
  for (const j of [0, 1]) for (const d of [0, 5, 10, 15]) ibm[16 * j + d] = 1;
  const skin = doc
    .createSkin('body_skin')
    .addJoint(root)
    .addJoint(tail)
    .setSkeleton(root)
    .setInverseBindMatrices(doc.createAccessor('ibm', buffer).setType('MAT4').setArray(ibm));
  // The mesh node's own transform must be ignored for skinned meshes (glTF 2.0, 3.7.3).
  const meshNode = doc.createNode('body').setMesh(doc.createMesh('body').addPrimitive(prim)).setSkin(skin).setTranslation([5, 5, 5]);
  scene.addChild(root);
  scene.addChild(meshNode);
  return doc;
}

/** A mesh with one morph target moving the z > 0 vertices by `dz`, at default weight `weight`. */
export function morphDocument(mesh: MeshData, dz: number, weight: number): Document {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const scene = doc.createScene('scene');
  doc.getRoot().setDefaultScene(scene);
  const n = mesh.positions.length / 3;
  const delta = new Float32Array(3 * n);
  for (let v = 0; v < n; v++) if (mesh.positions[3 * v + 2]! > 0) delta[3 * v + 2] = dz;
  const target = doc.createPrimitiveTarget('grow').setAttribute('POSITION', doc.createAccessor('delta', buffer).setType('VEC3').setArray(delta));
  const prim = doc
    .createPrimitive()
    .setAttribute('POSITION', doc.createAccessor('pos', buffer).setType('VEC3').setArray(mesh.positions.slice()))
    .setIndices(doc.createAccessor('idx', buffer).setType('SCALAR').setArray(mesh.indices.slice()))
    .addTarget(target);
  const m = doc.createMesh('blob').addPrimitive(prim).setWeights([weight]);
  scene.addChild(doc.createNode('blob').setMesh(m));
  return doc;
}

export async function glbOf(doc: Document): Promise<Uint8Array> {
  return new NodeIO().writeBinary(doc);
}

/**
 * A skinned tube along Z with two joints, bind pose = rest pose: the root at the origin
 * and a tail joint at z = 0 whose flesh (z > 0) blends in over +-`blend` metres; and a clip
 * "wag" turning the tail about Y through 0, +35 and -35 degrees at 0, 1 and 2 s (LINEAR).
 */
export function animatedDocument(mesh: MeshData, blend: number): Document {
  const doc = new Document();
  const buffer = doc.createBuffer();
  const scene = doc.createScene('scene');
  doc.getRoot().setDefaultScene(scene);
  const n = mesh.positions.length / 3;
  const joints = new Uint16Array(4 * n);
  const weights = new Float32Array(4 * n);
  for (let v = 0; v < n; v++) {
    const t = Math.min(1, Math.max(0, (mesh.positions[3 * v + 2]! + blend) / (2 * blend)));
    if (t === 0 || t === 1) {
      joints.set([t, 0, 0, 0], 4 * v);
      weights.set([1, 0, 0, 0], 4 * v);
    } else {
      joints.set([0, 1, 0, 0], 4 * v);
      weights.set([1 - t, t, 0, 0], 4 * v);
    }
  }
  const prim = doc
    .createPrimitive()
    .setAttribute('POSITION', doc.createAccessor('pos', buffer).setType('VEC3').setArray(mesh.positions.slice()))
    .setAttribute('JOINTS_0', doc.createAccessor('joints', buffer).setType('VEC4').setArray(joints))
    .setAttribute('WEIGHTS_0', doc.createAccessor('weights', buffer).setType('VEC4').setArray(weights))
    .setIndices(doc.createAccessor('idx', buffer).setType('SCALAR').setArray(mesh.indices.slice()))
    .setMaterial(doc.createMaterial('Skin'));
  const root = doc.createNode('root_joint');
  const tail = doc.createNode('tail_joint');
  root.addChild(tail);
  const ibm = new Float32Array(32);
  for (const j of [0, 1]) for (const d of [0, 5, 10, 15]) ibm[16 * j + d] = 1;
  const skin = doc.createSkin('body_skin').addJoint(root).addJoint(tail).setSkeleton(root).setInverseBindMatrices(doc.createAccessor('ibm', buffer).setType('MAT4').setArray(ibm));
  scene.addChild(root);
  scene.addChild(doc.createNode('body').setMesh(doc.createMesh('body').addPrimitive(prim)).setSkin(skin));
  const yaw = (deg: number) => [0, Math.sin((deg * Math.PI) / 360), 0, Math.cos((deg * Math.PI) / 360)];
  const sampler = doc
    .createAnimationSampler()
    .setInput(doc.createAccessor('t', buffer).setType('SCALAR').setArray(new Float32Array([0, 1, 2])))
    .setOutput(doc.createAccessor('q', buffer).setType('VEC4').setArray(new Float32Array([...yaw(0), ...yaw(35), ...yaw(-35)])))
    .setInterpolation('LINEAR');
  doc.createAnimation('wag').addSampler(sampler).addChannel(doc.createAnimationChannel().setTargetNode(tail).setTargetPath('rotation').setSampler(sampler));
  return doc;
}
