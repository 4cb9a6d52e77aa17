/**
 * Builds the three.js scene for one request, once per image: the same meshes
 * serve the L-buffer pass and the mask passes with their materials swapped.
 * Model geometry stays resident between images; primitives are rebuilt and
 * disposed per image (their sizes change with every scene).
 */
import * as THREE from 'three';
import { shapeToMesh } from '../../geometry/primitives.js';
import type { ModelPart, Quat, Shape, Skeleton } from '../../core/types.js';
import { posePart, skinMatrices, type Matrix } from '../../species/rig/skinning.js';
import type { RenderRequest } from '../request.js';

export interface AssetPart {
  material: string;
  /** The rest geometry, resident on the GPU. */
  geometry: THREE.BufferGeometry;
  /** The same as plain arrays (with skin and morph targets), to pose on the CPU. */
  part: ModelPart;
}

/** A model resident in the page: its parts, and its skeleton when it can be posed. */
export interface AssetModel {
  parts: AssetPart[];
  skeleton: Skeleton | null;
  inverseRest: Matrix[] | null;
}

export interface BuiltMesh {
  mesh: THREE.Mesh;
  /** L-buffer channel of the mesh's material. */
  channel: number;
  /** Instance mask index of its object, -1 for none. */
  maskIndex: number;
  /** Index of its object in the request. */
  object: number;
  /** Scale of its material's density: its path lengths count this many times. */
  density: number;
}

export interface BuiltScene {
  scene: THREE.Scene;
  meshes: BuiltMesh[];
  dispose(): void;
}

function primitiveGeometry(shape: Shape): THREE.BufferGeometry {
  const mesh = shapeToMesh(shape);
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(mesh.positions, 3));
  geometry.setIndex(new THREE.BufferAttribute(mesh.indices, 1));
  return geometry;
}

/**
 * Posed geometry of an asset for one object: linear-blend skinning on the CPU (the same code
 * Node uses), with the index buffer of the resident rest geometry.
 */
function posedGeometries(asset: AssetModel, id: string, pose: NonNullable<RenderRequest['objects'][number]['pose']>): THREE.BufferGeometry[] {
  let matrices: Float64Array | null = null;
  if (asset.skeleton && pose.joints.length > 0) {
    const n = asset.skeleton.joints.length;
    if (pose.joints.length !== 4 * n) throw new Error(`E_RENDER: asset ${id}: the pose has ${pose.joints.length / 4} joint rotations, the model ${n} joints`);
    const q: Quat[] = [];
    for (let k = 0; k < n; k++) q.push([pose.joints[4 * k]!, pose.joints[4 * k + 1]!, pose.joints[4 * k + 2]!, pose.joints[4 * k + 3]!]);
    matrices = skinMatrices(asset.skeleton, q, asset.inverseRest!);
  }
  return asset.parts.map((ap, k) => {
    const mesh = posePart(ap.part, matrices, pose.morphWeights?.[k]);
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute('position', new THREE.BufferAttribute(mesh.positions, 3));
    geometry.setIndex(new THREE.BufferAttribute(mesh.indices, 1));
    return geometry;
  });
}

export function buildScene(req: RenderRequest, assets: ReadonlyMap<string, AssetModel>): BuiltScene {
  const scene = new THREE.Scene();
  const meshes: BuiltMesh[] = [];
  const transient: THREE.BufferGeometry[] = [];
  const add = (parent: THREE.Object3D, geometry: THREE.BufferGeometry, channel: number, maskIndex: number, object: number, density = 1) => {
    const mesh = new THREE.Mesh(geometry);
    mesh.frustumCulled = false;
    mesh.matrixAutoUpdate = false;
    parent.add(mesh);
    meshes.push({ mesh, channel, maskIndex, object, density });
  };
  req.objects.forEach((obj, objectIndex) => {
    const group = new THREE.Group();
    group.matrixAutoUpdate = false;
    group.matrix.fromArray(obj.matrix);
    for (const part of obj.parts) {
      const holder = new THREE.Group();
      holder.matrixAutoUpdate = false;
      holder.matrix.fromArray(part.matrix);
      if (part.shape.type === 'asset') {
        const asset = assets.get(part.shape.asset);
        if (!asset) throw new Error(`E_RENDER: asset ${part.shape.asset} was not loaded into the page`);
        const posed = obj.pose ? posedGeometries(asset, part.shape.asset, obj.pose) : null;
        if (posed) transient.push(...posed);
        asset.parts.forEach((ap, k) => {
          const channel = req.materials.indexOf(ap.material);
          if (channel < 0) throw new Error(`E_RENDER: material ${ap.material} has no channel in the request`);
          add(holder, posed ? posed[k]! : ap.geometry, channel, obj.maskIndex, objectIndex);
        });
      } else {
        const geometry = primitiveGeometry(part.shape);
        transient.push(geometry);
        add(holder, geometry, part.channel, obj.maskIndex, objectIndex, part.density ?? 1);
      }
      group.add(holder);
    }
    scene.add(group);
  });
  scene.updateMatrixWorld(true);
  return { scene, meshes, dispose: () => transient.forEach((g) => g.dispose()) };
}
