/**
 * What a clutter builder returns, and the small part constructors every family
 * uses. Builders are pure: (rng, roomHeight) -> ItemModel, all variation drawn
 * from the rng. Parts of one item never overlap (nested parts sit in a cavity),
 * so no volume is counted twice by the renderer.
 */
import type { Rng } from '../../core/rng.js';
import type { Part, Quat, Shape, Vec3 } from '../../core/types.js';
import { partBounds } from './bounds.js';

export interface ItemModel {
  kind: string;
  parts: Part[];
  /** Half size of the item's local bounding box, centred on the origin. */
  halfExtents: Vec3;
  /** Whether the item may turn freely (false: it lies flat, turning only about the vertical). */
  freeRotation: boolean;
}

/** `roomHeight`: free height inside the container, so tall items can be made to fit. */
export type ClutterBuilder = (rng: Rng, roomHeight: number) => ItemModel;

export function part(shape: Shape, material: string, offset?: Vec3, rotation?: Quat): Part {
  const p: Part = { shape, material };
  if (offset) p.offset = offset;
  if (rotation) p.rotation = rotation;
  return p;
}

export const box = (size: Vec3, material: string, offset?: Vec3, rotation?: Quat): Part => part({ type: 'box', size }, material, offset, rotation);

/** Cylinder along Y (give a rotation to lay it down). */
export const cyl = (radius: number, height: number, material: string, offset?: Vec3, rotation?: Quat): Part =>
  part({ type: 'cylinder', radius, height }, material, offset, rotation);

export const ell = (radii: Vec3, material: string, offset?: Vec3, rotation?: Quat): Part => part({ type: 'ellipsoid', radii }, material, offset, rotation);

/** A rotation of `angle` radians about a unit axis. */
export function axisAngle(axis: Vec3, angle: number): Quat {
  const s = Math.sin(angle / 2);
  return [axis[0] * s, axis[1] * s, axis[2] * s, Math.cos(angle / 2)];
}

/** Lays a Y-axis shape along X. */
export const ALONG_X: Quat = axisAngle([0, 0, 1], Math.PI / 2);
/** Lays a Y-axis shape along Z. */
export const ALONG_Z: Quat = axisAngle([1, 0, 0], Math.PI / 2);

/**
 * The item with its parts re-centred on their joint bounding box (analytic, a hair
 * larger than the meshes, so the packer's boxes always contain them), lying flat.
 */
export function finish(kind: string, parts: Part[], freeRotation = false): ItemModel {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const p of parts) {
    const b = partBounds(p);
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, b.min[k]!);
      max[k] = Math.max(max[k]!, b.max[k]!);
    }
  }
  const c: Vec3 = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
  const centred = parts.map((p) => {
    const o = p.offset ?? [0, 0, 0];
    return { ...p, offset: [o[0] - c[0], o[1] - c[1], o[2] - c[2]] as Vec3 };
  });
  return { kind, parts: centred, halfExtents: [(max[0] - min[0]) / 2, (max[1] - min[1]) / 2, (max[2] - min[2]) / 2], freeRotation };
}

/** Points of a flat spiral or helix about Y, for cables and coiled snakes. */
export function coilPath(o: { turns: number; r0: number; r1: number; pitch: number; pointsPerTurn?: number }): Vec3[] {
  const per = o.pointsPerTurn ?? 24;
  const n = Math.max(3, Math.round(o.turns * per));
  const pts: Vec3[] = [];
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    const a = 2 * Math.PI * o.turns * t;
    const r = o.r0 + (o.r1 - o.r0) * t;
    pts.push([r * Math.cos(a), o.pitch * o.turns * t, r * Math.sin(a)]);
  }
  return pts;
}

export const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;
