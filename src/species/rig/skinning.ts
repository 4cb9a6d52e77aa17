/**
 * Linear-blend skinning of species models: the joint matrices of a pose and the posed
 * vertex positions. Pure code, bundled into the render page as well, so Node (bounds,
 * tests, the CPU reference) and the page pose a model with the very same arithmetic.
 *
 * A pose gives each joint a rotation relative to its rest rotation; the joint's local
 * transform is then T(translation) R(rotation * delta) S(scale), as in glTF. The bind pose
 * of every stored model is its rest pose, so the skinning matrix of joint j is
 * posedWorld(j) * inverse(restWorld(j)), and a pose of identities leaves the mesh as stored.
 */
import type { MeshData, ModelPart, Quat, Skeleton, VertexSkin } from '../../core/types.js';
import { composeMatrix } from '../../geometry/mesh.js';
import { qmul, qnormalize } from '../../geometry/quat.js';

/** Column-major 4x4, float64. */
export type Matrix = Float64Array;

function multiply(a: Matrix, b: Matrix): Matrix {
  const out = new Float64Array(16);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      out[c * 4 + r] = a[r]! * b[c * 4]! + a[4 + r]! * b[c * 4 + 1]! + a[8 + r]! * b[c * 4 + 2]! + a[12 + r]! * b[c * 4 + 3]!;
    }
  }
  return out;
}

/** Inverse of an affine matrix (last row 0 0 0 1). */
export function invertAffine(m: Matrix): Matrix {
  const a = m[0]!, b = m[4]!, c = m[8]!, d = m[1]!, e = m[5]!, f = m[9]!, g = m[2]!, h = m[6]!, i = m[10]!;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  const k = 1 / det;
  const out = new Float64Array(16);
  out[0] = A * k;
  out[1] = B * k;
  out[2] = C * k;
  out[4] = -(b * i - c * h) * k;
  out[5] = (a * i - c * g) * k;
  out[6] = -(a * h - b * g) * k;
  out[8] = (b * f - c * e) * k;
  out[9] = -(a * f - c * d) * k;
  out[10] = (a * e - b * d) * k;
  const tx = m[12]!, ty = m[13]!, tz = m[14]!;
  out[12] = -(out[0]! * tx + out[4]! * ty + out[8]! * tz);
  out[13] = -(out[1]! * tx + out[5]! * ty + out[9]! * tz);
  out[14] = -(out[2]! * tx + out[6]! * ty + out[10]! * tz);
  out[15] = 1;
  return out;
}

/**
 * World (model-space) matrix of every joint; `deltas` (one per joint, or absent for the
 * rest pose) multiply each rest rotation on the right.
 */
export function jointWorldMatrices(skeleton: Skeleton, deltas?: readonly Quat[]): Matrix[] {
  const out: Matrix[] = [];
  skeleton.joints.forEach((j, k) => {
    const rotation = deltas ? qnormalize(qmul(j.rotation, deltas[k]!)) : j.rotation;
    const local = composeMatrix(j.translation, rotation, j.scale ?? 1);
    out.push(j.parent < 0 ? local : multiply(out[j.parent]!, local));
  });
  return out;
}

/** Inverse rest world matrices: what the page keeps resident per model. */
export function inverseRestMatrices(skeleton: Skeleton): Matrix[] {
  return jointWorldMatrices(skeleton).map(invertAffine);
}

/** Skinning matrix of every joint for a pose, packed 16 floats per joint. */
export function skinMatrices(skeleton: Skeleton, deltas: readonly Quat[], inverseRest: readonly Matrix[] = inverseRestMatrices(skeleton)): Float64Array {
  const world = jointWorldMatrices(skeleton, deltas);
  const out = new Float64Array(16 * world.length);
  world.forEach((w, k) => out.set(multiply(w, inverseRest[k]!), 16 * k));
  return out;
}

/** Posed positions: each vertex moved by the weighted sum of its joints' skinning matrices. */
export function skinPositions(positions: Float32Array, skin: VertexSkin, matrices: Float64Array, out = new Float32Array(positions.length)): Float32Array {
  const n = positions.length / 3;
  for (let v = 0; v < n; v++) {
    const x = positions[3 * v]!, y = positions[3 * v + 1]!, z = positions[3 * v + 2]!;
    let ox = 0, oy = 0, oz = 0;
    for (let k = 0; k < 4; k++) {
      const w = skin.weights[4 * v + k]!;
      if (w === 0) continue;
      const m = 16 * skin.joints[4 * v + k]!;
      ox += w * (matrices[m]! * x + matrices[m + 4]! * y + matrices[m + 8]! * z + matrices[m + 12]!);
      oy += w * (matrices[m + 1]! * x + matrices[m + 5]! * y + matrices[m + 9]! * z + matrices[m + 13]!);
      oz += w * (matrices[m + 2]! * x + matrices[m + 6]! * y + matrices[m + 10]! * z + matrices[m + 14]!);
    }
    out[3 * v] = ox;
    out[3 * v + 1] = oy;
    out[3 * v + 2] = oz;
  }
  return out;
}

/** Positions with morph targets added at `weights` (before skinning, as glTF does). */
export function morphPositions(positions: Float32Array, deltas: readonly Float32Array[], weights: readonly number[]): Float32Array {
  const out = positions.slice();
  deltas.forEach((d, t) => {
    const w = weights[t] ?? 0;
    if (w === 0) return;
    for (let i = 0; i < out.length; i++) out[i]! += w * d[i]!;
  });
  return out;
}

/** One part's mesh in a pose (skin and morph weights as given; parts without either come back as stored). */
export function posePart(part: ModelPart, matrices: Float64Array | null, morphWeights?: readonly number[]): MeshData {
  let positions = part.mesh.positions;
  if (part.morphs && morphWeights && morphWeights.some((w) => w !== 0)) positions = morphPositions(positions, part.morphs.deltas, morphWeights);
  if (part.skin && matrices) positions = skinPositions(positions, part.skin, matrices);
  return { positions, indices: part.mesh.indices };
}
