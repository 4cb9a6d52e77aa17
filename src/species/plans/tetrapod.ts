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
import type { MeshData, ModelPart, SpeciesModel } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { FIXED, RigBuilder } from '../rig/rig-builder.js';
import { chainSkin, rigidSkin, type SkinnedMesh } from '../rig/weights.js';
import { scaleAndCentre, toParts, VERTEBRATE_MATERIALS } from './finish.js';
import { buildLimb, mirrorLimb, type LimbSpec } from './limb.js';
import { profileTube, sectionAt, type ProfileSpec } from './profile-tube.js';
import { buildColumn, buildSkull, type BodyFrame, type ColumnSpec, type SkullSpec } from './skeleton.js';
import { addLimb, addSpine, finishVertebrate, skinColumn, skinLimb, spineChain, spineOwner, type SpineJoint } from './vertebrate-rig.js';

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
  /**
   * Largest bend of each spine joint, degrees [ventral/dorsal X, lateral Y, twist Z] (default
   * SPINE_BEND, a lizard's): a bird's fused trunk or a frog's short column bends far less.
   */
  spineBend?: Partial<SpineBend>;
}

export interface SpineBend {
  neck: [number, number, number];
  head: [number, number, number];
  trunk: [number, number, number];
  tail: [number, number, number];
}

export const SPINE_BEND: Readonly<SpineBend> = { neck: [20, 30, 10], head: [20, 25, 10], trunk: [10, 20, 5], tail: [10, 25, 5] };

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

/**
 * The spine of a tetrapod plan (building frame): the root `chest` at the fore girdle, `neck`
 * at the base of the neck and `head` at the back of the skull in front of it; `trunk` half-way
 * and `hips` at the hind girdle behind it, then up to 8 `tail<k>` joints along the caudal
 * vertebrae. Limits in degrees, bends from a straight body.
 */
export function tetrapodSpine(plan: TetrapodPlan): SpineJoint[] {
  const sec = (u: number) => sectionAt(plan.body, u);
  const region = (name: string) => plan.column.regions.find((r) => r.name === name);
  const yAt = (u: number) => sec(u).y + plan.column.centreHeight * sec(u).h;
  const station = (name: string, parent: string | null, u: number, limits: SpineJoint['limits'], role: SpineJoint['role']): SpineJoint => ({
    name,
    parent,
    z: -u,
    y: yAt(u),
    limits,
    role,
    radius: sec(u).w,
    window: sec(u).h,
  });
  const bend = { ...SPINE_BEND, ...plan.spineBend };
  const lim = (b: [number, number, number]) => ({ x: [-b[0], b[0]] as [number, number], y: [-b[1], b[1]] as [number, number], z: [-b[2], b[2]] as [number, number] });
  const uChest = -plan.limbs[0]!.joints[0][2];
  const uHips = -plan.limbs[plan.limbs.length - 1]!.joints[0][2];
  const uHead = plan.skull.head;
  const uNeck = Math.min(region('cervical')?.to ?? uHead + 0.02, uChest - 0.01);
  const joints: SpineJoint[] = [
    station('chest', null, uChest, FIXED, 'root'),
    station('neck', 'chest', Math.max(uNeck, uHead + 0.01), lim(bend.neck), 'axial'),
    station('head', 'neck', uHead, lim(bend.head), 'head'),
    station('trunk', 'chest', (uChest + uHips) / 2, lim(bend.trunk), 'axial'),
    station('hips', 'trunk', uHips, lim(bend.trunk), 'axial'),
  ];
  const caudal = region('caudal');
  if (caudal) {
    const n = Math.max(1, Math.min(8, Math.floor(caudal.count / 3)));
    const from = Math.max(caudal.from, uHips + 0.01);
    for (let k = 0; k < n; k++) {
      const u = from + ((caudal.to - from) * k) / n;
      joints.push(station(`tail${k + 1}`, k === 0 ? 'hips' : `tail${k}`, u, lim(bend.tail), 'axial'));
    }
  }
  return joints;
}

/**
 * The tetrapod with its skeleton (tetrapodSpine, and three joints per limb hanging from
 * `chest` or `hips`): the same parts as buildTetrapod, skinned (see plans/vertebrate-rig.ts).
 */
export function buildTetrapodModel(plan: TetrapodPlan): SpeciesModel {
  const l = tetrapodLayout(plan);
  const rig = new RigBuilder(plan.what);
  const spine = tetrapodSpine(plan);
  addSpine(rig, spine);
  const girdles = plan.limbs.map((_, i) => (i === 0 ? 'chest' : 'hips'));
  plan.limbs.forEach((spec, i) => addLimb(rig, spec, girdles[i]!));
  const chain = spineChain(rig, spine, spineOwner(spine));
  const skinned: Record<'body' | 'skull' | 'vertebrae' | 'ribs' | 'limbBones', SkinnedMesh[]> = {
    body: l.body.map((m) => chainSkin(m, chain)),
    skull: l.skull.map((m) => rigidSkin(m, rig.index('head'))),
    vertebrae: [],
    ribs: [],
    limbBones: [],
  };
  const column = skinColumn(chain, l.vertebrae, l.ribs, l.ribVertebra);
  skinned.vertebrae = column.vertebrae;
  skinned.ribs = column.ribs;
  plan.limbs.forEach((spec, i) => {
    const right = buildLimb(spec, plan.detail);
    for (const [side, meshes] of [['R', right], ['L', mirrorLimb(right)]] as const) {
      const s = skinLimb(rig, spec, meshes, side, girdles[i]!);
      skinned.body.push(...s.tissue);
      skinned.limbBones.push(...s.bones);
    }
  });
  return finishVertebrate(rig, skinned, plan.length, plan.what, [
    ['body', VERTEBRATE_MATERIALS.soft, 'body'],
    ['skull', VERTEBRATE_MATERIALS.bone, 'skull'],
    ['vertebrae', VERTEBRATE_MATERIALS.bone, 'vertebrae'],
    ['ribs', VERTEBRATE_MATERIALS.bone, 'ribs'],
    ['limb-bones', VERTEBRATE_MATERIALS.bone, 'limbBones'],
  ]);
}
