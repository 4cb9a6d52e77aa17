/**
 * Turns the outer surfaces of a procedural animal into material parts: sizes and centres
 * the model, then makes each body part either a hard shell with a soft core (exoskeleton,
 * carapace) or a solid hard part where it is too thin to have a cavity.
 */
import type { MeshData, ModelPart, Vec3 } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { boundsOf, transformMesh, transformMeshTRS } from '../geometry/mesh.js';
import { offsetAlongNormals } from '../geometry/normals.js';
import { shell } from '../geometry/primitives.js';
import type { LayoutTransform } from './rig/rig-builder.js';
import { rigidSkin } from './rig/weights.js';

export interface OuterPart {
  name: string;
  /** Outer surface, closed and outward, in builder units. */
  mesh: MeshData;
  /** 'shell': hard wall + soft core; 'solid': hard throughout; 'auto': shell if thick enough. */
  kind: 'shell' | 'solid' | 'auto';
  /** Smallest local radius (builder units): decides 'auto'. */
  minRadius: number;
  /** Skeleton joint the part is bound to, rigidly (with FinishOptions.jointIndex). */
  joint?: string;
}

export interface FinishOptions {
  /** Model extent along Z after scaling (metres). */
  length: number;
  /** Hard wall thickness after scaling (metres). */
  wall: number;
  hardMaterial: string;
  softMaterial: string;
  /**
   * 'auto' parts get a cavity when minRadius >= cavityFactor * wall, i.e. with the
   * default 2 the core is at least as thick as the wall. Thinner cores would be a few
   * pixels wide, and offsetting by more than the radius turns the cavity inside out.
   */
  cavityFactor?: number;
  /** Name suffixes of the two parts of a shell (default 'cuticle' and 'tissue'). */
  hardSuffix?: string;
  softSuffix?: string;
  /** When given, every part is skinned rigidly to the joint its `joint` names (RigBuilder.index). */
  jointIndex?: (name: string) => number;
}

/** Mirror image across the X = 0 plane (right legs from left legs); the winding stays outward. */
export function mirrorX(part: OuterPart, name: string, joint = part.joint): OuterPart {
  return { ...part, name, ...(joint !== undefined ? { joint } : {}), mesh: transformMeshTRS(part.mesh, [0, 0, 0], [0, 0, 0, 1], [-1, 1, 1]) };
}

/**
 * Scales the parts so the whole model spans `length` along Z, moves the origin to the
 * centre of its bounding box, then splits shells into `<name>.cuticle` (outer surface
 * plus the inward offset surface reversed) and `<name>.tissue` (the offset surface,
 * sharing its vertex positions exactly, so core and cavity neither gap nor overlap).
 */
export function finishParts(parts: readonly OuterPart[], o: FinishOptions): ModelPart[] {
  const { scale: s, centre } = finishTransform(parts, o);
  // p' = s (p - centre), column-major.
  const m = [s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, -s * centre[0], -s * centre[1], -s * centre[2], 1];
  const factor = o.cavityFactor ?? 2;
  const out: ModelPart[] = [];
  for (const p of parts) {
    const outer = transformMesh(p.mesh, m);
    const hollow = p.kind === 'shell' || (p.kind === 'auto' && p.minRadius * s >= factor * o.wall);
    const skinned = (part: ModelPart): ModelPart => {
      if (!o.jointIndex) return part;
      if (p.joint === undefined) throw new ExorayError('E_ASSET', `finishParts: part "${p.name}" is bound to no joint; give every part of a rigged model a joint`);
      return { ...part, skin: rigidSkin(part.mesh, o.jointIndex(p.joint)).skin };
    };
    if (!hollow) {
      out.push(skinned({ name: p.name, material: o.hardMaterial, mesh: outer }));
      continue;
    }
    const inner = offsetAlongNormals(outer, -o.wall);
    out.push(skinned({ name: `${p.name}.${o.hardSuffix ?? 'cuticle'}`, material: o.hardMaterial, mesh: shell(outer, inner) }));
    out.push(skinned({ name: `${p.name}.${o.softSuffix ?? 'tissue'}`, material: o.softMaterial, mesh: inner }));
  }
  return out;
}

/** The scale and centre finishParts applies (p' = scale * (p - centre)): the skeleton is placed with them. */
export function finishTransform(parts: readonly OuterPart[], o: Pick<FinishOptions, 'length' | 'wall'>): LayoutTransform {
  const b = boundsOf(parts.map((p) => p.mesh));
  const extent = b.max[2] - b.min[2];
  if (!(extent > 0) || !(o.length > 0) || !(o.wall > 0)) {
    throw new ExorayError('E_ASSET', `finishParts: need a model with positive Z extent, length and wall (got extent ${extent}, length ${o.length}, wall ${o.wall})`);
  }
  return { scale: o.length / extent, centre: [0, 1, 2].map((k) => (b.min[k]! + b.max[k]!) / 2) as Vec3 };
}
