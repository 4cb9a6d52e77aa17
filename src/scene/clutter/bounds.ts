/**
 * Analytic bounding boxes of parts, without building their meshes (building every
 * mesh to measure it made sampling slower than rendering). Round shapes are padded by
 * their tessellation's volume correction, which pushes vertices slightly outward, so
 * the box always contains the rendered mesh. Pure.
 */
import type { Part, Quat, Vec3 } from '../../core/types.js';
import { rotateVec } from '../placement.js';

/** Upper bounds of how far the volume-corrected tessellations reach beyond the true radius. */
const ROUND_PAD = 1.003;
const CAPSULE_PAD = 1.03;
const TUBE_PAD = 1.03;
const TORUS_TUBE_PAD = 1.02;

export interface Box3 {
  min: Vec3;
  max: Vec3;
}

/** Columns of the rotation matrix of q (where the local axes go). */
function axes(q: Quat): [Vec3, Vec3, Vec3] {
  return [rotateVec(q, [1, 0, 0]), rotateVec(q, [0, 1, 0]), rotateVec(q, [0, 0, 1])];
}

/** World half extents of a shape symmetric about its origin, in a frame turned by q. */
function halfExtents(part: Part, q: Quat): Vec3 {
  const [ex, ey, ez] = axes(q);
  const s = part.shape;
  const out: Vec3 = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    const a = ey[i]!; // where the shape's own Y axis (its axis of revolution) points
    const across = Math.sqrt(Math.max(0, 1 - a * a));
    switch (s.type) {
      case 'box':
      case 'hollowBox':
        out[i] = (Math.abs(ex[i]!) * s.size[0] + Math.abs(a) * s.size[1] + Math.abs(ez[i]!) * s.size[2]) / 2;
        break;
      case 'cylinder':
      case 'hollowCylinder':
        out[i] = (Math.abs(a) * s.height) / 2 + across * s.radius * ROUND_PAD;
        break;
      case 'ellipsoid': {
        const r = s.radii;
        out[i] = Math.hypot(ex[i]! * r[0], a * r[1], ez[i]! * r[2]) * ROUND_PAD;
        break;
      }
      case 'capsule':
        out[i] = (Math.abs(a) * s.length) / 2 + s.radius * CAPSULE_PAD;
        break;
      case 'torus':
        out[i] = across * s.radius * 1.001 + s.tube * TORUS_TUBE_PAD;
        break;
      default:
        out[i] = 0;
    }
  }
  return out;
}

/** Box of a part in its item's frame (offset and rotation applied). Asset parts have no box here. */
export function partBounds(part: Part): Box3 {
  const o = part.offset ?? [0, 0, 0];
  const q = part.rotation ?? [0, 0, 0, 1];
  if (part.shape.type === 'tube') {
    const r = part.shape.radius * TUBE_PAD;
    const min: Vec3 = [Infinity, Infinity, Infinity];
    const max: Vec3 = [-Infinity, -Infinity, -Infinity];
    for (const p of part.shape.path) {
      const w = rotateVec(q, p);
      for (let k = 0; k < 3; k++) {
        min[k] = Math.min(min[k]!, w[k]! + o[k]! - r);
        max[k] = Math.max(max[k]!, w[k]! + o[k]! + r);
      }
    }
    return { min, max };
  }
  if (part.shape.type === 'asset') return { min: [...o], max: [...o] };
  const h = halfExtents(part, q);
  return { min: [o[0] - h[0], o[1] - h[1], o[2] - h[2]], max: [o[0] + h[0], o[1] + h[1], o[2] + h[2]] };
}
