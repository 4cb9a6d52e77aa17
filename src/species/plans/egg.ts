/**
 * The bird egg plan: a calcite shell of even thickness around the albumen, the yolk
 * floating in the albumen and the air cell at the blunt end (both cavities of the
 * albumen, so every path is counted once: shell, albumen, yolk or air).
 *
 * Frame: metres, long axis along Z, blunt end towards +Z, centred on the bounding box.
 * Fresh (unincubated) egg: no embryo, chalazae or shell membranes (the membranes, ~0.07 mm
 * of protein fibres, are left to the albumen). Deterministic.
 */
import type { MeshData, ModelPart } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { flipWinding, mergeMeshes, transformMeshTRS } from '../../geometry/mesh.js';
import { offsetAlongNormals } from '../../geometry/normals.js';
import { ellipsoid, shell } from '../../geometry/primitives.js';
import { lathe } from '../../geometry/rings.js';
import { VERTEBRATE_MATERIALS } from './finish.js';

export interface EggPlan {
  what: string;
  /** Length (long axis) and breadth (largest diameter), metres. */
  length: number;
  breadth: number;
  /** How much wider the blunt half is than the pointed half (0 an ellipsoid, ~0.1 a hen's egg). */
  asymmetry: number;
  shellThickness: number;
  /** Yolk share of the egg's inner volume. */
  yolkFraction: number;
  /** Air cell radius and depth over the breadth and length (a fresh egg's cell is small). */
  airCell: { radius: number; depth: number };
  detail: number;
}

export interface EggComponents {
  outer: MeshData;
  inner: MeshData;
  yolk: MeshData;
  air: MeshData;
}

/** Rotation taking +Y (the lathe axis) to +Z (the catalog's long axis). */
const Y_TO_Z: [number, number, number, number] = [Math.SQRT1_2, 0, 0, Math.SQRT1_2];

export function eggComponents(plan: EggPlan): EggComponents {
  const { length: L, breadth: B, shellThickness: t } = plan;
  if (!(L > 0 && B > 0 && B <= L && t > 0 && t < 0.05 * B && plan.asymmetry >= 0 && plan.asymmetry < 0.3 && plan.yolkFraction > 0 && plan.yolkFraction < 0.6)) {
    throw new ExorayError('E_ASSET', `${plan.what} builder: need 0 < breadth <= length, 0 < shellThickness < 5% of breadth, asymmetry in [0, 0.3) and yolkFraction in (0, 0.6) (got ${JSON.stringify(plan)})`);
  }
  const d = plan.detail;
  const rings = Math.max(12, Math.round(36 * d));
  const a = L / 2;
  // r(t) = b sin t (1 - e cos t), y = -a cos t: the pointed end at -Y; b so the largest diameter is B.
  const e = plan.asymmetry;
  let widest = 0;
  for (let k = 0; k <= 200; k++) {
    const th = (k * Math.PI) / 200;
    widest = Math.max(widest, Math.sin(th) * (1 - e * Math.cos(th)));
  }
  const b = B / 2 / widest;
  const profile: Array<[number, number]> = [];
  for (let k = 0; k <= rings; k++) {
    const th = (k * Math.PI) / rings;
    profile.push([k === 0 || k === rings ? 0 : b * Math.sin(th) * (1 - e * Math.cos(th)), -a * Math.cos(th)]);
  }
  const around = Math.max(12, Math.round(40 * d));
  const outerY = lathe(profile, around);
  const innerY = offsetAlongNormals(outerY, -t);
  // Yolk: a sphere of the requested share of the inner volume, at the centre.
  const innerVolume = (4 / 3) * Math.PI * (a - t) * (B / 2 - t) * (B / 2 - t);
  const ry = Math.cbrt((3 * plan.yolkFraction * innerVolume) / (4 * Math.PI));
  const seg = { around: Math.max(12, Math.round(32 * d)), poleToPole: Math.max(8, Math.round(16 * d)) };
  const yolkY = ellipsoid([ry, ry, ry], seg);
  // Air cell: a flat lens under the blunt end, lowered until its outline keeps 10% (and two
  // shell thicknesses) clear of the shell's inner surface.
  const ah = plan.airCell.depth * L;
  const ar = plan.airCell.radius * B;
  const radiusAt = (y: number): number => {
    const th = Math.acos(Math.max(-1, Math.min(1, -y / a)));
    return b * Math.sin(th) * (1 - e * Math.cos(th));
  };
  const fits = (yc: number): boolean => {
    for (let k = 0; k <= 32; k++) {
      const phi = (k * Math.PI) / 32;
      const y = yc + ah * Math.cos(phi);
      if (ar * Math.sin(phi) > 0.9 * (radiusAt(y) - 2 * t) || y > a - 2 * t) return false;
    }
    return true;
  };
  let yc = a - 2 * t - ah;
  while (!fits(yc) && yc > 0) yc -= 0.01 * ah;
  if (!fits(yc)) throw new ExorayError('E_ASSET', `${plan.what} builder: the air cell (radius ${plan.airCell.radius}, depth ${plan.airCell.depth}) does not fit in the egg; make it smaller`);
  const airY = transformMeshTRS(ellipsoid([ar, ah, ar], seg), [0, yc, 0]);
  const rot = (m: MeshData) => transformMeshTRS(m, [0, 0, 0], Y_TO_Z);
  return { outer: rot(outerY), inner: rot(innerY), yolk: rot(yolkY), air: rot(airY) };
}

/** Material parts: shell (eggshell), albumen (with the yolk and air cell as cavities), yolk. */
export function buildEgg(plan: EggPlan): ModelPart[] {
  const c = eggComponents(plan);
  return [
    { name: 'shell', material: VERTEBRATE_MATERIALS.eggshell, mesh: shell(c.outer, c.inner) },
    { name: 'albumen', material: VERTEBRATE_MATERIALS.albumen, mesh: mergeMeshes([c.inner, flipWinding(c.yolk), flipWinding(c.air)]) },
    { name: 'yolk', material: VERTEBRATE_MATERIALS.yolk, mesh: c.yolk },
  ];
}
