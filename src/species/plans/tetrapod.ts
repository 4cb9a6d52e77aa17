/**
 * The tetrapod body plan shared by lizards, frogs and bird chicks: one soft-tissue tube for
 * head, trunk and tail (profile-tube.ts), four limbs with their bones (limb.ts), a skull, a
 * vertebral column and ribs (skeleton.ts). A species is a TetrapodPlan: numbers only.
 *
 * Frame while building: body lengths, front tip at z = 0, the body along -Z, +Y dorsal,
 * right limbs at +X. The finished model is scaled to `length` along Z (head towards +Z)
 * and centred on its bounding box.
 *
 * Limbs are separate tubes whose roots sit inside the body tube, so the two soft-tissue
 * surfaces cross there and the overlap is counted twice by the path-length renderer (a
 * few per cent of a limb's volume); every bone lies inside soft tissue and apart from the
 * other bones, and the bone parts are not hollowed out of the tissue (as for the ball
 * python: bone paths also count as tissue, a small overestimate of tissue where bones are).
 */
import type { MeshData, ModelPart } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { scaleAndCentre, toParts, VERTEBRATE_MATERIALS } from './finish.js';
import { buildLimb, mirrorLimb, type LimbSpec } from './limb.js';
import { profileTube, type ProfileSpec } from './profile-tube.js';
import { buildColumn, buildSkull, type BodyFrame, type ColumnSpec, type SkullSpec } from './skeleton.js';

export interface TetrapodPlan {
  /** Names the species in errors. */
  what: string;
  /** Z extent of the finished model, metres. */
  length: number;
  /** Head, trunk and tail along u = 0 (snout) to 1 (tail tip or rump). */
  body: ProfileSpec;
  column: ColumnSpec;
  skull: SkullSpec;
  /** Right limbs (the left ones are mirrored), in body lengths. */
  limbs: readonly LimbSpec[];
  /** Ribs are left out within this distance along Z of a limb's proximal joint (the girdle is there). */
  ribClearance: number;
  /** Multiplier on tessellation density. */
  detail: number;
}

export interface TetrapodComponents {
  body: MeshData[];
  limbTissue: MeshData[];
  skull: MeshData[];
  vertebrae: MeshData[];
  ribs: MeshData[];
  limbBones: MeshData[];
}

export interface TetrapodLayout extends TetrapodComponents {
  /** Vertebra index of each pair of ribs, and the region of each vertebra. */
  ribVertebra: number[];
  kinds: string[];
}

/** The components in the building frame (body lengths, snout at the origin), unscaled. */
export function tetrapodLayout(plan: TetrapodPlan): TetrapodLayout {
  if (!(plan.detail >= 0.5 && plan.detail <= 3)) {
    throw new ExorayError('E_ASSET', `${plan.what} builder: detail must be a number in [0.5, 3], got ${JSON.stringify(plan.detail)}`);
  }
  const frame: BodyFrame = { profile: plan.body, z0: 0, length: 1 };
  const d = plan.detail;
  const body = profileTube(plan.body, 0, 1, 150 * d, 24 * d, `${plan.what} body`);
  const girdles = plan.limbs.map((l) => l.joints[0][2]);
  const column = buildColumn(frame, plan.column, d, (z) => girdles.some((g) => Math.abs(z - g) < plan.ribClearance));
  const limbTissue: MeshData[] = [];
  const limbBones: MeshData[] = [];
  for (const spec of plan.limbs) {
    const right = buildLimb(spec, d);
    const left = mirrorLimb(right);
    limbTissue.push(...right.tissue, ...left.tissue);
    limbBones.push(...right.bones, ...left.bones);
  }
  return {
    body: [body],
    limbTissue,
    skull: buildSkull(frame, plan.skull, d),
    vertebrae: column.vertebrae,
    ribs: column.ribs,
    limbBones,
    ribVertebra: column.ribVertebra,
    kinds: column.kinds,
  };
}

/** The components scaled to the plan's length and centred (model coordinates, metres). */
export function tetrapodComponents(plan: TetrapodPlan): TetrapodComponents {
  const l = tetrapodLayout(plan);
  return scaleAndCentre(
    { body: l.body, limbTissue: l.limbTissue, skull: l.skull, vertebrae: l.vertebrae, ribs: l.ribs, limbBones: l.limbBones },
    plan.length,
    `${plan.what} builder`,
  );
}

/** Material parts: body (soft tissue, limbs included), skull, vertebrae, ribs, limb bones. */
export function buildTetrapod(plan: TetrapodPlan): ModelPart[] {
  const c = tetrapodComponents(plan);
  const { soft, bone } = VERTEBRATE_MATERIALS;
  return toParts([
    ['body', soft, [...c.body, ...c.limbTissue]],
    ['skull', bone, c.skull],
    ['vertebrae', bone, c.vertebrae],
    ['ribs', bone, c.ribs],
    ['limb-bones', bone, c.limbBones],
  ]);
}
