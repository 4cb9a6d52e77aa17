/**
 * The syngnathid body plan (seahorses; pipefishes with a straight axis): fishes armoured in
 * rings of bony dermal plates, which is what shows them under X-ray.
 *
 * - body: one soft tube along the trunk and tail axis, curved in the sagittal plane
 *   (sagittal-curve.ts: the tail of a seahorse curls towards the belly), superelliptic in
 *   section (the trunk deep and narrow, the tail square), from just above the neck (the top
 *   lies inside the head) to the tail tip;
 * - trunk and tail rings: one armour band per bony ring (ring-sections.ts), as thick as the
 *   plates, raised in the middle, with a joint gap between neighbours; the soft tube runs
 *   inside them with a clearance, so no path counts the same stuff twice;
 * - head: a straight tube from the snout tip to the back of the operculum (a tubular snout,
 *   a deep head) at an angle to the trunk, in a bony shell of even thickness (the skull and
 *   head plates, homogenised), with the coronet (a bony crown) on top;
 * - vertebrae: one per ring, in the dorsal part of the trunk and the middle of the tail
 *   (syngnathids have no ribs);
 * - dorsal fin: a thin fan standing on the back over the trunk-tail junction.
 *
 * Built in units of the standard height (head + trunk + tail length, how seahorses are
 * measured), then scaled to `height` and centred. Axes of the finished model: +X forward
 * (the snout and the belly), Y lateral, -Z up (the coronet at -Z, so that top views, which
 * draw -Z at the top of the picture, show the animal upright): the fish lies on its side
 * when +Y points up, as a dried seahorse does on a table. Its Z extent is the height of the
 * curled animal, less than the standard height.
 *
 * Where the top of the body tube runs up into the head it crosses the head's bony shell
 * and overlaps the head's tissue: both are counted there (a short neck, a few per cent of
 * the head volume; measured by the tests). Pure code.
 */
import type { MeshData, ModelPart } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { transformMeshTRS } from '../../geometry/mesh.js';
import { ellipsoid, shell } from '../../geometry/primitives.js';
import { polygonAreaCorrection, ringSurface } from '../../geometry/rings.js';
import { scaleByAndCentre, toParts, VERTEBRATE_MATERIALS } from './finish.js';
import { sectionAt as profileSectionAt, type ProfileSpec } from './profile-tube.js';
import { armourBand, ringTube, type RingSection } from './ring-sections.js';
import { bendMesh, foldRatio, placeRigidMesh, sagittalCurve, type CurvatureKeys, type SagittalCurve } from './sagittal-curve.js';

/** A key of the body's section along the axis (s in standard heights from the neck). */
export interface BodySectionKey extends RingSection {
  s: number;
}

export interface SyngnathidPlan {
  /** Names the species in errors. */
  what: string;
  /** Standard height (head + trunk + tail length), metres. */
  height: number;
  /** Material of the soft parts (soft_tissue; dried_tissue for a dried specimen). */
  tissue: string;
  /** Multiplier on tessellation density. */
  detail: number;
  body: {
    /** s of the body tube's top pole (negative: above the neck, inside the head). */
    top: number;
    trunk: { length: number; rings: number };
    tail: { length: number; rings: number };
    /** s of the tail tip (past the last ring). */
    tip: number;
    /** Outer sections (with the armour) along the axis; smoothstep between keys. */
    sections: readonly BodySectionKey[];
    /** Heading at the neck (radians from straight down, positive towards the belly). */
    heading: number;
    /** Curvature keys [s, 1/standard heights]; positive curls towards the belly. */
    curvature: CurvatureKeys;
  };
  armour: {
    /** Plate thickness of the rings. */
    thickness: number;
    /** Head shell thickness. */
    headThickness: number;
    /** Between the armour's inner surface and the soft tissue. */
    clearance: number;
    /** Joint gap between rings, as a share of the ring spacing. */
    gap: number;
    /** Outer surface raised by this share of the section in the middle of each ring. */
    ridge: number;
  };
  head: {
    /** Snout tip to the back of the head. */
    length: number;
    /** Sections from the snout tip (u = 0) to the back of the head (u = 1). */
    profile: ProfileSpec;
    /** Angle of the snout below the horizontal, radians. */
    angle: number;
    /** The head's axis point at u = pivot.u lies at (f, v) in the sagittal plane (neck at the origin). */
    pivot: { u: number; f: number; v: number };
  };
  coronet: { at: number; height: number; radius: number };
  column: {
    /** Vertebra half-width over the smaller half-size of the tissue section, capped by maxWidth. */
    width: number;
    maxWidth: number;
    /** Vertebra centre height over the section's half-depth, in the trunk and in the tail. */
    trunkHeight: number;
    tailHeight: number;
    /** Vertebra length over the ring spacing. */
    length: number;
  };
  dorsalFin: { from: number; to: number; height: number; thickness: number };
}

export interface SyngnathidComponents {
  head: MeshData[];
  body: MeshData[];
  dorsalFin: MeshData[];
  headArmour: MeshData[];
  trunkRings: MeshData[];
  tailRings: MeshData[];
  vertebrae: MeshData[];
}

export interface SyngnathidLayout extends SyngnathidComponents {
  /** Ring boundaries along the axis (trunk rings then tail rings), standard heights. */
  rings: Array<{ kind: 'trunk' | 'tail'; from: number; to: number }>;
  /** Largest ventral reach times curvature of the armour (the bend folds at 1). */
  foldRatio: number;
  /** Turns of the axis' heading from the neck to the tail tip. */
  turns: number;
  /** The sagittal axis the straight components are bent onto. */
  curve: SagittalCurve;
  /** The bent components before bending (x lateral, y dorsal, z = -s), same vertex order: skins are made here. */
  straight: Pick<SyngnathidComponents, 'body' | 'dorsalFin' | 'trunkRings' | 'tailRings' | 'vertebrae'>;
}

const smooth = (t: number) => t * t * (3 - 2 * t);

/** Outer section at s (clamped to the first and last keys). */
export function bodySectionAt(plan: SyngnathidPlan, s: number): RingSection {
  const k = plan.body.sections;
  if (s <= k[0]!.s) return { ...k[0]! };
  if (s >= k[k.length - 1]!.s) return { ...k[k.length - 1]! };
  let i = 0;
  while (i < k.length - 2 && s > k[i + 1]!.s) i++;
  const a = k[i]!, b = k[i + 1]!;
  const t = smooth((s - a.s) / (b.s - a.s));
  return { w: a.w + (b.w - a.w) * t, h: a.h + (b.h - a.h) * t, y: a.y + (b.y - a.y) * t, n: a.n + (b.n - a.n) * t };
}

function checkPlan(plan: SyngnathidPlan): void {
  const fail = (msg: string): never => {
    throw new ExorayError('E_ASSET', `${plan.what} builder: ${msg}`);
  };
  const b = plan.body;
  if (!(plan.detail >= 0.5 && plan.detail <= 3)) fail(`detail must be a number in [0.5, 3], got ${JSON.stringify(plan.detail)}`);
  if (!(plan.height > 0)) fail(`height must be positive, got ${plan.height}`);
  const end = b.trunk.length + b.tail.length;
  if (!(b.top < 0 && b.tip > end)) fail(`the body tube must start above the neck (top < 0) and end past the last ring (tip > ${end})`);
  if (!(Number.isInteger(b.trunk.rings) && b.trunk.rings >= 1 && Number.isInteger(b.tail.rings) && b.tail.rings >= 1)) fail('ring counts must be positive integers');
  const keys = b.sections;
  if (keys.length < 2 || keys.some((k, i) => !(k.w > 0 && k.h > 0 && k.n >= 2) || (i > 0 && !(k.s > keys[i - 1]!.s)))) {
    fail('body sections need at least 2 keys with increasing s, positive w and h and squareness n >= 2');
  }
  const a = plan.armour;
  if (!(a.thickness > 0 && a.headThickness > 0 && a.clearance > 0 && a.gap > 0 && a.gap < 0.5 && a.ridge >= 0)) {
    fail('armour needs positive thicknesses and clearance, a gap in (0, 0.5) and a ridge >= 0');
  }
}

/**
 * Stations of the body tube: a round cap at the top, then per ring its start and the
 * band's own stations (so tube and band share every station and the clearance between
 * them holds between stations too), a cone to the tip.
 */
function bodyStations(plan: SyngnathidPlan, rings: SyngnathidLayout['rings'], bands: number[][], capRings: number): number[] {
  const b = plan.body;
  const out: number[] = [b.top];
  for (let j = 1; j < capRings; j++) out.push(b.top + -b.top * (1 - Math.cos((j * Math.PI) / (2 * capRings))));
  rings.forEach((r, i) => out.push(r.from, ...bands[i]!));
  const end = rings[rings.length - 1]!.to;
  for (let j = 0; j < capRings; j++) out.push(end + ((b.tip - end) * j) / capRings);
  out.push(b.tip);
  return out;
}

/** The tissue section at s: the outer section less armour and clearance, closing at both ends. */
function tissueSection(plan: SyngnathidPlan, end: number, s: number): RingSection {
  const b = plan.body;
  const inset = plan.armour.thickness + plan.armour.clearance;
  const sec = bodySectionAt(plan, s);
  let f = 1;
  if (s < 0) {
    const t = s / b.top;
    f = Math.sqrt(Math.max(0, 1 - t * t));
  } else if (s > end) {
    f = 1 - (s - end) / (b.tip - end);
  }
  return { w: (sec.w - inset) * f, h: (sec.h - inset) * f, y: sec.y, n: sec.n };
}

/**
 * Head stations (fractions of the head length): cosine-spaced on the snout cap, even
 * between the keys, sine-spaced on the rounded back. The shell's outer and inner surfaces
 * and the tissue share them, so each lies inside the other at every station and, both
 * being linear between stations, everywhere.
 */
function headStations(spec: ProfileSpec, rings: number, capRings: number): number[] {
  const u0 = spec.keys[0]!.u, u1 = spec.keys[spec.keys.length - 1]!.u;
  const out: number[] = [0];
  for (let j = 1; j <= capRings; j++) out.push(u0 * (1 - Math.cos((j * Math.PI) / (2 * capRings))));
  for (let j = 1; j < rings; j++) out.push(u0 + ((u1 - u0) * j) / rings);
  for (let j = 0; j < capRings; j++) out.push(u1 + (1 - u1) * Math.sin(((j / capRings) * Math.PI) / 2));
  out.push(1);
  return out;
}

/**
 * A head surface `inset` inside the profile: a tube through those of `stations` where the
 * profile is at least 1.5 insets thick, its poles at the first and last of them. Returns
 * the mesh and the stations used (a surface inside it must keep its poles strictly
 * between those, so that no pole sits on the other surface's pole).
 */
function headSurface(spec: ProfileSpec, length: number, stations: readonly number[], inset: number, around: number, what: string): { mesh: MeshData; stations: number[] } {
  const ok = stations.filter((u) => {
    const sec = profileSectionAt(spec, u);
    return inset === 0 || Math.min(sec.w, sec.h) > 1.5 * inset;
  });
  const section = (s: number): RingSection => ({ ...profileSectionAt(spec, s / length), n: 2 });
  if (ok.length < 3) throw new ExorayError('E_ASSET', `${what}: an inset of ${inset} leaves no room inside the head profile; make the shell thinner`);
  return { mesh: ringTube(ok.map((u) => u * length), section, () => inset, around, what), stations: ok };
}

/** Dorsal fin: a thin fan standing on the back, its base just clear of the rings. */
function dorsalFin(plan: SyngnathidPlan, rings: number, around: number, ringAround: number): MeshData {
  const fin = plan.dorsalFin;
  const a = plan.armour;
  // Clear of the rings' raised middles, whose vertices sit outside the true section by the
  // tessellation's area correction.
  const k = polygonAreaCorrection(ringAround);
  const base = (s: number) => {
    const sec = bodySectionAt(plan, s);
    return sec.y + k * sec.h * (1 + a.ridge) + 0.5 * a.thickness;
  };
  const pts = new Float64Array(3 * around * (rings - 1));
  let o = 0;
  for (let i = 1; i < rings; i++) {
    const u = i / rings;
    const s = fin.from + (fin.to - fin.from) * u;
    const h = fin.height * (1 - Math.abs(2 * u - 1) ** 4) ** 0.25;
    const y0 = base(s);
    for (let j = 0; j < around; j++) {
      const t = (2 * Math.PI * j) / around;
      pts[o++] = 0.5 * fin.thickness * Math.sin(t);
      pts[o++] = y0 + 0.5 * h * (1 + Math.cos(t));
      pts[o++] = -s;
    }
  }
  return ringSurface([0, base(fin.from), -fin.from], pts, around, [0, base(fin.to), -fin.to]);
}

/** Every component in the sagittal plane (standard heights, neck at the origin), unscaled. */
export function syngnathidLayout(plan: SyngnathidPlan): SyngnathidLayout {
  checkPlan(plan);
  const b = plan.body;
  const a = plan.armour;
  const d = plan.detail;
  const what = `${plan.what} builder`;
  const rings: SyngnathidLayout['rings'] = [];
  for (let i = 0; i < b.trunk.rings; i++) {
    rings.push({ kind: 'trunk', from: (b.trunk.length * i) / b.trunk.rings, to: (b.trunk.length * (i + 1)) / b.trunk.rings });
  }
  for (let i = 0; i < b.tail.rings; i++) {
    const s0 = b.trunk.length;
    rings.push({ kind: 'tail', from: s0 + (b.tail.length * i) / b.tail.rings, to: s0 + (b.tail.length * (i + 1)) / b.tail.rings });
  }
  const end = b.trunk.length + b.tail.length;
  const around = Math.max(8, 2 * Math.round(8 * d));
  const outer = (s: number) => bodySectionAt(plan, s);

  // Straight components (x lateral, y dorsal, z = -s), bent afterwards.
  const along = Math.max(2, Math.round(3 * d));
  const bandStations = rings.map((r) => {
    const g = 0.5 * a.gap * (r.to - r.from);
    return Array.from({ length: along }, (_, i) => r.from + g + ((r.to - r.from - 2 * g) * i) / (along - 1));
  });
  const bands = bandStations.map((st) => armourBand({ stations: st, thickness: a.thickness, ridge: a.ridge, around }, outer, what));
  const stations = bodyStations(plan, rings, bandStations, Math.max(3, Math.round(4 * d)));
  const body = ringTube(stations, (s) => tissueSection(plan, end, s), () => 0, around, `${what}: body`);
  const vertebrae = rings.map((r) => {
    const s = 0.5 * (r.from + r.to);
    const t = tissueSection(plan, end, s);
    const g = Math.min(plan.column.width * Math.min(t.w, t.h), plan.column.maxWidth);
    const y = t.y + (r.kind === 'trunk' ? plan.column.trunkHeight : plan.column.tailHeight) * t.h;
    const seg = { around: Math.max(6, Math.round(8 * d)), poleToPole: Math.max(4, Math.round(4 * d)) };
    return transformMeshTRS(ellipsoid([g, 1.15 * g, 0.5 * plan.column.length * (r.to - r.from)], seg), [0, y, -s]);
  });
  const fin = dorsalFin(plan, Math.max(8, Math.round(16 * d)), Math.max(6, Math.round(6 * d)), around);

  const curve = sagittalCurve(b.top, b.tip, b.heading, b.curvature, what);
  const fold = Math.max(...bands.map((m) => foldRatio(curve, b.curvature, m)), foldRatio(curve, b.curvature, body));
  if (fold > 0.8) {
    throw new ExorayError('E_ASSET', `${what}: the tail curls tighter than its thickness allows (ventral reach x curvature ${fold.toFixed(2)} > 0.8); lower the curl`);
  }
  const bend = (m: MeshData) => bendMesh(curve, m);

  // Head: built straight (snout tip at z = 0, towards -z), then placed at its angle.
  const h = plan.head;
  const headAround = Math.max(8, 2 * Math.round(8 * d));
  const hst = headStations(h.profile, Math.round(60 * d), Math.max(3, Math.round(4 * d)));
  const headOuter = headSurface(h.profile, h.length, hst, 0, headAround, `${what}: head`);
  const headInner = headSurface(h.profile, h.length, headOuter.stations.slice(1, -1), a.headThickness, headAround, `${what}: head shell`);
  const headTissue = headSurface(h.profile, h.length, headInner.stations.slice(1, -1), a.headThickness + a.clearance, headAround, `${what}: head tissue`);
  const c = plan.coronet;
  let top = -Infinity;
  for (let u = c.at - c.radius / h.length; u <= c.at + c.radius / h.length + 1e-9; u += 0.002) {
    const sec = profileSectionAt(h.profile, u);
    top = Math.max(top, sec.y + sec.h);
  }
  const coronet = transformMeshTRS(
    ellipsoid([c.radius, 0.5 * c.height, c.radius], { around: Math.max(8, Math.round(10 * d)), poleToPole: Math.max(4, Math.round(6 * d)) }),
    [0, top + 0.5 * a.headThickness + 0.5 * c.height, -c.at * h.length],
  );
  const ca = Math.cos(h.angle), sa = Math.sin(h.angle);
  const origin: [number, number] = [h.pivot.f + h.pivot.u * h.length * ca, h.pivot.v - h.pivot.u * h.length * sa];
  const place = (m: MeshData) => placeRigidMesh(origin, h.angle, m);

  const curl = Math.abs(curve.phi[curve.phi.length - 1]! - b.heading) / (2 * Math.PI);
  return {
    head: [place(headTissue.mesh)],
    body: [bend(body)],
    dorsalFin: [bend(fin)],
    headArmour: [place(shell(headOuter.mesh, headInner.mesh)), place(coronet)],
    trunkRings: bands.slice(0, b.trunk.rings).map(bend),
    tailRings: bands.slice(b.trunk.rings).map(bend),
    vertebrae: vertebrae.map(bend),
    rings,
    foldRatio: fold,
    turns: curl,
    curve,
    straight: { body: [body], dorsalFin: [fin], trunkRings: bands.slice(0, b.trunk.rings), tailRings: bands.slice(b.trunk.rings), vertebrae },
  };
}

/** The components scaled to the plan's height and centred on their bounding box (metres). */
export function syngnathidComponents(plan: SyngnathidPlan): SyngnathidComponents {
  const l = syngnathidLayout(plan);
  const groups: SyngnathidComponents = {
    head: l.head, body: l.body, dorsalFin: l.dorsalFin, headArmour: l.headArmour, trunkRings: l.trunkRings, tailRings: l.tailRings, vertebrae: l.vertebrae,
  };
  return scaleByAndCentre(groups, plan.height, `${plan.what} builder`);
}

/**
 * Material parts: soft `head`, `body` (trunk and tail), `dorsal-fin` of the plan's tissue;
 * bony `head-armour` (shell and coronet), `trunk-rings`, `tail-rings` (one component per
 * ring, neck to tail tip) and `vertebrae` (one per ring, same order).
 */
export function buildSyngnathid(plan: SyngnathidPlan): ModelPart[] {
  const c = syngnathidComponents(plan);
  const bone = VERTEBRATE_MATERIALS.bone;
  return toParts([
    ['head', plan.tissue, c.head],
    ['body', plan.tissue, c.body],
    ['dorsal-fin', plan.tissue, c.dorsalFin],
    ['head-armour', bone, c.headArmour],
    ['trunk-rings', bone, c.trunkRings],
    ['tail-rings', bone, c.tailRings],
    ['vertebrae', bone, c.vertebrae],
  ]);
}
