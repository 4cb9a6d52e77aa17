/**
 * What a container builder returns. A container is several parts (shell, lining,
 * frame, wheels, zips...) in its own frame, centred on its outer bounding box; the
 * sampler stands that box on the belt. The free space for packing is returned
 * separately, in the belt frame (origin at the centre of the box's bottom face), so
 * the packer never needs to know the structure.
 */
import type { Rng } from '../../core/rng.js';
import type { Part, Vec3 } from '../../core/types.js';
import type { Aabb } from '../placement.js';

export interface ContainerSpec {
  /** Outer size of the whole container (wheels, handles, straps included), metres. */
  outer: Vec3;
  /** Wall thickness of its main shell, metres. */
  wall: number;
  /** Material of the main shell (from the preset). */
  material: string;
}

export interface ContainerModel {
  parts: Part[];
  /** Free space inside, belt frame: y = 0 is the bottom of the outer box. */
  interior: Aabb;
}

/** `rng` is the container's own stream, so structure draws never shift the rest of the scene. */
export type ContainerBuilder = (rng: Rng, spec: ContainerSpec) => ContainerModel;

/** An interior given in the centred frame, moved to the belt frame. */
export function interiorFromCentred(min: Vec3, max: Vec3, outer: Vec3): Aabb {
  const lift = outer[1] / 2;
  return { min: [min[0], min[1] + lift, min[2]], max: [max[0], max[1] + lift, max[2]] };
}

/** Checks a builder's result is usable: a cavity of positive size inside the outer box. */
export function cavityIsUsable(model: ContainerModel, outer: Vec3): boolean {
  const { min, max } = model.interior;
  for (let k = 0; k < 3; k++) if (!(max[k]! - min[k]! > 0.01)) return false;
  return min[1]! >= 0 && max[1]! <= outer[1] && Math.abs(min[0]!) <= outer[0] / 2 && Math.abs(min[2]!) <= outer[2] / 2;
}
