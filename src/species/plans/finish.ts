/**
 * Last step of every vertebrate body plan: the straight layout, built in body lengths, is
 * scaled so the whole model spans the requested length along Z and centred on its bounding
 * box, and its components are gathered into material parts.
 */
import type { MeshData, ModelPart, Vec3 } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { boundsOf, mergeMeshes, transformMesh } from '../../geometry/mesh.js';

export const VERTEBRATE_MATERIALS = {
  soft: 'soft_tissue',
  bone: 'cortical_bone',
  shell: 'turtle_shell',
  eggshell: 'eggshell',
  albumen: 'egg_albumen',
  yolk: 'egg_yolk',
} as const;

/** Named groups of closed components, each group one material part. */
export type ComponentGroups = Record<string, MeshData[]>;

/**
 * Scales every component by one factor so the union spans `length` along Z, and moves the
 * centre of its bounding box to the origin. Returns the groups in the same order.
 */
export function scaleAndCentre<T extends { [K in keyof T]: MeshData[] }>(groups: T, length: number, what: string): T {
  const b = boundsOf((Object.values(groups) as MeshData[][]).flat());
  const extent = b.max[2] - b.min[2];
  if (!(extent > 0) || !(length > 0)) {
    throw new ExorayError('E_ASSET', `${what}: cannot scale a model of Z extent ${extent} to length ${length}; give a positive length`);
  }
  return scaleByAndCentre(groups, length / extent, what);
}

/** Scales every component by `scale` (building units to metres) and centres the bounding box on the origin. */
export function scaleByAndCentre<T extends { [K in keyof T]: MeshData[] }>(groups: T, scale: number, what: string): T {
  const b = boundsOf((Object.values(groups) as MeshData[][]).flat());
  if (!(scale > 0) || !b.min.every(Number.isFinite)) {
    throw new ExorayError('E_ASSET', `${what}: cannot scale an empty model or by ${scale}; give a positive scale`);
  }
  const s = scale;
  const c: Vec3 = [0, 1, 2].map((k) => (b.min[k]! + b.max[k]!) / 2) as Vec3;
  const m = [s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, -s * c[0], -s * c[1], -s * c[2], 1];
  const out: ComponentGroups = {};
  for (const [name, list] of Object.entries(groups) as Array<[string, MeshData[]]>) out[name] = list.map((mesh) => transformMesh(mesh, m));
  return out as T;
}

/** One part per non-empty group: [part name, material, components]. */
export function toParts(groups: ReadonlyArray<readonly [string, string, readonly MeshData[]]>): ModelPart[] {
  return groups.filter(([, , list]) => list.length > 0).map(([name, material, list]) => ({ name, material, mesh: mergeMeshes(list) }));
}
