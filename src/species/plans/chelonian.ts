/**
 * The chelonian body plan (tortoises and turtles): a carapace (a domed bowl of shell, its
 * rim at y = 0) and a plastron (a flat slab below, narrower and shorter), both of
 * turtle_shell (dermal bone under keratin scutes); a soft-tissue body filling the space
 * between them without touching either; head and neck, tail and four limbs of soft tissue
 * leaving the shell through the gap between the carapace rim and the plastron; and the
 * skeleton: skull, cervical vertebrae in the neck, dorsal vertebrae under the carapace
 * (fused to it in life; their ribs are part of the shell and not modelled apart), caudal
 * vertebrae, and the limb bones of limb.ts.
 *
 * Frame while building: carapace lengths, carapace centred on the Y axis, head towards +Z,
 * +Y dorsal. The finished model is scaled so the carapace is `carapaceLength` long
 * (straight carapace length, how chelonians are measured) and centred on its bounding box,
 * which also holds the head, tail and feet: the model's Z extent exceeds the carapace.
 * Head, neck, tail and limb roots sit inside the body, so their soft tissue overlaps the
 * body's there (counted twice by the path-length renderer); shells, body and bones are
 * kept apart.
 */
import type { MeshData, ModelPart, SpeciesModel } from '../../core/types.js';
import { FIXED, RigBuilder } from '../rig/rig-builder.js';
import { chainSkin, rigidSkin, type SkinnedMesh } from '../rig/weights.js';
import { addLimb, addSpine, finishVertebrate, skinColumn, skinLimb, spineChain, spineOwner, type LimbLimits, type SpineJoint } from './vertebrate-rig.js';
import { ExorayError } from '../../core/errors.js';
import { transformMeshTRS } from '../../geometry/mesh.js';
import { ellipsoid } from '../../geometry/primitives.js';
import { ellipticLathe, type EllipseRing } from './elliptic-lathe.js';
import { scaleByAndCentre, toParts, VERTEBRATE_MATERIALS } from './finish.js';
import { buildLimb, mirrorLimb, type LimbSpec } from './limb.js';
import { profileTube, sectionAt, type ProfileSpec } from './profile-tube.js';
import { buildColumn, buildSkull, type BodyFrame, type ColumnSpec, type SkullSpec } from './skeleton.js';

export interface ChelonianPlan {
  what: string;
  /** Straight carapace length, metres. */
  carapaceLength: number;
  /** Carapace half-width and dome height (carapace lengths); the half-length is 0.5. */
  halfWidth: number;
  domeHeight: number;
  /** Squareness of the dome's side profile: 2 elliptic, larger steeper sides and a flatter top. */
  domeExponent: number;
  /** Shell wall (carapace) and plastron thickness. */
  shellThickness: number;
  plastronThickness: number;
  /** Plastron half-length and half-width. */
  plastronHalfLength: number;
  plastronHalfWidth: number;
  /** Height of the gap between the carapace rim and the top of the plastron. */
  gap: number;
  /** Space kept between the body and the shells. */
  clearance: number;
  /** Head and neck: a tube from the snout (z = 0.5 + headOut) back into the body. */
  head: { out: number; profile: ProfileSpec; skull: SkullSpec; cervical: number };
  /** Tail: a tube from inside the body to its tip, `out` behind the carapace. */
  tail: { out: number; profile: ProfileSpec; caudal: number };
  /** Vertebra sizes (as in ColumnSpec) of neck and tail. */
  column: Pick<ColumnSpec, 'width' | 'height' | 'maxWidth'>;
  /** Dorsal vertebrae under the carapace and their half-width. */
  dorsal: { count: number; halfWidth: number };
  /** Right limbs (fore, hind) in carapace lengths; the left ones are mirrored. */
  limbs: readonly LimbSpec[];
  detail: number;
}

export interface ChelonianComponents {
  carapace: MeshData[];
  plastron: MeshData[];
  body: MeshData[];
  /** Head and neck, tail, limbs and feet. */
  appendages: MeshData[];
  skull: MeshData[];
  vertebrae: MeshData[];
  limbBones: MeshData[];
}

/** Dome profile: y^n + rho^n = 1 (rho the elliptic radius, 0 at the top, 1 at the rim). */
function dome(halfWidth: number, halfLength: number, height: number, n: number, rings: number): EllipseRing[] {
  const out: EllipseRing[] = [];
  for (let k = 0; k < rings; k++) {
    const th = (k * Math.PI) / 2 / rings;
    const rho = Math.pow(Math.cos(th), 2 / n);
    out.push([halfWidth * rho, halfLength * rho, height * Math.pow(Math.sin(th), 2 / n)]);
  }
  return out;
}

function check(plan: ChelonianPlan): void {
  const bad = (msg: string): never => {
    throw new ExorayError('E_ASSET', `${plan.what} builder: ${msg}`);
  };
  if (!(plan.carapaceLength > 0)) bad(`carapaceLength must be positive, got ${plan.carapaceLength}`);
  if (!(plan.detail >= 0.5 && plan.detail <= 3)) bad(`detail must be in [0.5, 3], got ${plan.detail}`);
  if (!(plan.shellThickness > 0 && plan.shellThickness < 0.25 * plan.domeHeight)) bad(`shellThickness must be positive and under a quarter of domeHeight, got ${plan.shellThickness}`);
  if (!(plan.plastronHalfLength < 0.5 && plan.plastronHalfWidth < plan.halfWidth)) bad('the plastron must be shorter and narrower than the carapace');
  if (!(plan.gap > 2 * plan.clearance && plan.plastronThickness > 0)) bad(`gap (${plan.gap}) must exceed twice the clearance (${plan.clearance}) and plastronThickness be positive`);
}

/** The components in carapace lengths, carapace rim centred at the origin, unscaled. */
export function chelonianLayout(plan: ChelonianPlan): ChelonianComponents {
  check(plan);
  const d = plan.detail;
  const around = Math.max(12, Math.round(40 * d));
  const rings = Math.max(6, Math.round(14 * d));
  const a = 0.5, b = plan.halfWidth, H = plan.domeHeight, t = plan.shellThickness, n = plan.domeExponent;
  // Carapace bowl: inner top pole, inner dome down to the rim, the rim, the outer dome up to its top.
  const outer = dome(b, a, H, n, rings);
  const innerDome = dome(b - t, a - t, H - t, n, rings);
  const carapace = ellipticLathe(
    [[0, 0, H - t], ...innerDome.slice().reverse(), ...outer, [0, 0, H]],
    around,
    `${plan.what} carapace`,
  );
  // Plastron: a slab with rounded edges, its top `gap` below the rim.
  const top = -plan.gap;
  const bottom = top - plan.plastronThickness;
  const pa = plan.plastronHalfLength, pb = plan.plastronHalfWidth;
  const mid = 0.5 * (top + bottom);
  const slab: EllipseRing[] = [[0, 0, bottom]];
  for (let k = -3; k <= 3; k++) {
    const th = (k * Math.PI) / 8;
    const r = 1 - 0.5 * plan.plastronThickness * (1 - Math.cos(th)) / Math.min(pa, pb);
    slab.push([pb * r, pa * r, mid + 0.5 * plan.plastronThickness * Math.sin(th)]);
  }
  slab.push([0, 0, top]);
  const plastron = ellipticLathe(slab, around, `${plan.what} plastron`);
  // Body: the carapace cavity shrunk about the rim centre (so it keeps clear of the dome),
  // closed below by a flattened bowl just above the plastron.
  const c = plan.clearance;
  const k = 1 - c / Math.min(b - t, H - t);
  const floor = top + c;
  const upper = dome(k * (b - t), k * (a - t), k * (H - t), n, rings);
  const lower: EllipseRing[] = [];
  const below = Math.max(2, Math.round(rings / 3));
  for (let j = 1; j < below; j++) {
    const th = (j * Math.PI) / 2 / below;
    lower.push([k * (b - t) * Math.sin(th), k * (a - t) * Math.sin(th), floor * Math.cos(th)]);
  }
  const body = ellipticLathe([[0, 0, floor], ...lower, ...upper, [0, 0, k * (H - t)]], around, `${plan.what} body`);
  const bodyTop = (z: number): number => {
    const rho = Math.min(1, Math.abs(z) / (k * (a - t)));
    return k * (H - t) * Math.pow(1 - Math.pow(rho, n), 1 / n);
  };

  const appendages: MeshData[] = [];
  const skull: MeshData[] = [];
  const vertebrae: MeshData[] = [];
  const limbBones: MeshData[] = [];
  const columnSpec = (regions: ColumnSpec['regions']): ColumnSpec => ({
    ...plan.column,
    regions,
    centreHeight: 0,
    ribLength: 0.5,
    ribWall: 0.8,
    ribRadius: 0.1,
  });
  // Head and neck.
  const hd = plan.head;
  const headLength = hd.out + 0.5 - 0.18;
  const headFrame: BodyFrame = { profile: hd.profile, z0: 0.5 + hd.out, length: headLength };
  appendages.push(profileTube(hd.profile, headFrame.z0, headLength, 60 * d, 16 * d, `${plan.what} head`));
  skull.push(...buildSkull(headFrame, hd.skull, d));
  const neckFrom = hd.skull.head + 0.02;
  vertebrae.push(...buildColumn(headFrame, columnSpec([{ name: 'cervical', from: neckFrom, to: 0.9, count: hd.cervical, ribs: false }]), d).vertebrae);
  // Tail.
  const tl = plan.tail;
  const tailStart = -0.5 + 0.22;
  const tailFrame: BodyFrame = { profile: tl.profile, z0: tailStart, length: tailStart + 0.5 + tl.out };
  appendages.push(profileTube(tl.profile, tailFrame.z0, tailFrame.length, 30 * d, 10 * d, `${plan.what} tail`));
  vertebrae.push(...buildColumn(tailFrame, columnSpec([{ name: 'caudal', from: 0.2, to: 0.93, count: tl.caudal, ribs: false }]), d).vertebrae);
  // Dorsal vertebrae along the midline under the carapace, from the neck to the tail.
  const seg = { around: Math.max(6, Math.round(8 * d)), poleToPole: Math.max(4, Math.round(4 * d)) };
  const z0 = 0.36, z1 = -0.36;
  const spacing = (z0 - z1) / plan.dorsal.count;
  for (let i = 0; i < plan.dorsal.count; i++) {
    const z = z0 - (i + 0.5) * spacing;
    const hw = plan.dorsal.halfWidth;
    const hh = 0.7 * hw;
    // Under the lower of the body's tops over the vertebra's length (the dome falls away
    // towards the ends), with the clearance as margin for the faceted dome.
    const hl = 0.42 * spacing;
    const yTop = Math.min(bodyTop(z - hl), bodyTop(z + hl));
    vertebrae.push(transformMeshTRS(ellipsoid([hw, hh, hl], seg), [0, yTop - c - hh * 1.2, z]));
  }
  for (const spec of plan.limbs) {
    const right = buildLimb(spec, d);
    const left = mirrorLimb(right);
    appendages.push(...right.tissue, ...left.tissue);
    limbBones.push(...right.bones, ...left.bones);
  }
  return { carapace: [carapace], plastron: [plastron], body: [body], appendages, skull, vertebrae, limbBones };
}

/** The components in metres, centred on the bounding box. */
export function chelonianComponents(plan: ChelonianPlan): ChelonianComponents {
  return scaleByAndCentre(chelonianLayout(plan), plan.carapaceLength, `${plan.what} builder`);
}

/** Material parts: carapace, plastron (turtle_shell), body (soft tissue), skull, vertebrae, limb bones. */
export function buildChelonian(plan: ChelonianPlan): ModelPart[] {
  const c = chelonianComponents(plan);
  const { soft, bone, shell } = VERTEBRATE_MATERIALS;
  return toParts([
    ['carapace', shell, c.carapace],
    ['plastron', shell, c.plastron],
    ['body', soft, [...c.body, ...c.appendages]],
    ['skull', bone, c.skull],
    ['vertebrae', bone, c.vertebrae],
    ['limb-bones', bone, c.limbBones],
  ]);
}

/**
 * The chelonian with its skeleton: the shell the root (carapace, plastron, body and dorsal
 * vertebrae rigid on it); `neck` where the neck leaves the shell and `head` at the back of
 * the skull; `tail` where the tail leaves it; three joints per limb hanging from the shell.
 * Limits are small where flesh passes between carapace and plastron, so posed limbs and neck
 * stay in the gap (docs/SPECIES.md has the measured figures).
 */
export function buildChelonianModel(plan: ChelonianPlan): SpeciesModel {
  const c = chelonianLayout(plan);
  const hd = plan.head;
  const headLength = hd.out + 0.5 - 0.18;
  const z0 = 0.5 + hd.out;
  const y = (u: number) => sectionAt(hd.profile, u).y;
  const h = (u: number) => sectionAt(hd.profile, u).h;
  const uNeck = (z0 - 0.45) / headLength;
  const uHead = hd.skull.head;
  const tl = plan.tail;
  const tailStart = -0.5 + 0.22;
  const uTail = (tailStart + 0.46) / (tailStart + 0.5 + tl.out);
  const spine: SpineJoint[] = [
    { name: 'shell', parent: null, z: 0, y: 0, limits: FIXED, role: 'root', radius: plan.halfWidth, window: 0 },
    { name: 'neck', parent: 'shell', z: 0.45, y: y(uNeck), limits: { x: [-15, 15], y: [-25, 25], z: [-10, 10] }, role: 'axial', radius: sectionAt(hd.profile, uNeck).w, window: h(uNeck) },
    { name: 'head', parent: 'neck', z: z0 - uHead * headLength, y: y(uHead), limits: { x: [-20, 20], y: [-25, 25], z: [-10, 10] }, role: 'head', radius: sectionAt(hd.profile, uHead).w, window: h(uHead) },
    { name: 'tail', parent: 'shell', z: -0.46, y: sectionAt(tl.profile, uTail).y, limits: { x: [-15, 15], y: [-25, 25], z: [-5, 5] }, role: 'axial', radius: sectionAt(tl.profile, uTail).w, window: sectionAt(tl.profile, uTail).h },
  ];
  const rig = new RigBuilder(plan.what);
  addSpine(rig, spine);
  const limits: LimbLimits = {
    proximal: { x: [-15, 15], y: [-20, 20], z: [-10, 10] },
    middle: { x: [-20, 30], y: [-10, 10], z: [-5, 5] },
    distal: { x: [-20, 20], y: [-15, 15], z: [-5, 5] },
  };
  plan.limbs.forEach((spec) => addLimb(rig, spec, 'shell', limits));
  const chain = spineChain(rig, spine.slice(1), spineOwner(spine));
  const root = rig.index('shell');
  const column = skinColumn(chain, c.vertebrae, [], []);
  const groups: Record<'carapace' | 'plastron' | 'body' | 'skull' | 'vertebrae' | 'limbBones', SkinnedMesh[]> = {
    carapace: c.carapace.map((m) => rigidSkin(m, root)),
    plastron: c.plastron.map((m) => rigidSkin(m, root)),
    body: [...c.body.map((m) => rigidSkin(m, root)), ...c.appendages.slice(0, 2).map((m) => chainSkin(m, chain))],
    skull: c.skull.map((m) => rigidSkin(m, rig.index('head'))),
    vertebrae: column.vertebrae,
    limbBones: [],
  };
  for (const spec of plan.limbs) {
    const right = buildLimb(spec, plan.detail);
    for (const [side, meshes] of [['R', right], ['L', mirrorLimb(right)]] as const) {
      const s = skinLimb(rig, spec, meshes, side, 'shell');
      groups.body.push(...s.tissue);
      groups.limbBones.push(...s.bones);
    }
  }
  const { soft, bone, shell } = VERTEBRATE_MATERIALS;
  return finishVertebrate(rig, groups, { scale: plan.carapaceLength }, `${plan.what}`, [
    ['carapace', shell, 'carapace'],
    ['plastron', shell, 'plastron'],
    ['body', soft, 'body'],
    ['skull', bone, 'skull'],
    ['vertebrae', bone, 'vertebrae'],
    ['limb-bones', bone, 'limbBones'],
  ]);
}
