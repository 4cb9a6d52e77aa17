/**
 * Bones shared by the vertebrate body plans, laid out in a straight model (head towards
 * +Z, u = distance from the front tip over the tube's length): a vertebral column of
 * flattened ellipsoids with gaps between them (the joints), ribs that follow the body wall,
 * a skull of braincase, snout and mandibles, and limbs (see limb.ts). Every bone is its own
 * closed outward component, kept apart from its neighbours so no path is counted twice.
 */
import type { MeshData, Vec3 } from '../../core/types.js';
import { transformMeshTRS } from '../../geometry/mesh.js';
import { ellipsoid, shell } from '../../geometry/primitives.js';
import { tube, type RingRadius } from '../../geometry/rings.js';
import { sectionAt, type ProfileSpec, type Section } from './profile-tube.js';

/** A run of vertebrae of one kind, evenly spaced between two stations. */
export interface ColumnRegion {
  name: 'cervical' | 'dorsal' | 'sacral' | 'caudal' | 'urostyle';
  from: number;
  to: number;
  count: number;
  /** Whether each vertebra of the run carries a pair of ribs. */
  ribs: boolean;
  /** Multiplier on the vertebra's width and height (a frog's urostyle is a thin rod). */
  size?: number;
}

export interface ColumnSpec {
  regions: readonly ColumnRegion[];
  /** Vertebra half-width and half-height over the smaller half-axis of the local section. */
  width: number;
  height: number;
  /** Cap on the vertebra half-width, in body units (vertebrae follow girth less than fat and muscle do). */
  maxWidth: number;
  /** Height of the vertebra centre over the local half-height (dorsal side). */
  centreHeight: number;
  /** Ribs: angle reached around the wall from the dorsal midline, as a fraction of 180 degrees. */
  ribLength: number;
  /** Ribs run at this fraction of the section. */
  ribWall: number;
  /** Rib radius over the vertebra half-width (capped by the spacing). */
  ribRadius: number;
}

export interface BodyFrame {
  profile: ProfileSpec;
  /** z of the front tip and the tube's length. */
  z0: number;
  length: number;
}

const sectionOf = (f: BodyFrame, u: number): Section => sectionAt(f.profile, u);

export interface Column {
  vertebrae: MeshData[];
  /** Right then left rib of each ribbed vertebra. */
  ribs: MeshData[];
  /** Region name of each vertebra. */
  kinds: ColumnRegion['name'][];
  /** Index of the vertebra each pair of ribs belongs to. */
  ribVertebra: number[];
}

/**
 * Vertebrae (and ribs) along the body. `skipRibs(z)` leaves out the ribs of vertebrae where
 * limb girdles sit (their bones would cross the rib cage).
 */
export function buildColumn(frame: BodyFrame, spec: ColumnSpec, detail: number, skipRibs: (z: number) => boolean = () => false): Column {
  const vertebrae: MeshData[] = [];
  const ribs: MeshData[] = [];
  const kinds: ColumnRegion['name'][] = [];
  const ribVertebra: number[] = [];
  const seg = { around: Math.max(6, Math.round(8 * detail)), poleToPole: Math.max(4, Math.round(4 * detail)) };
  const ribSides = Math.max(4, Math.round(5 * detail));
  const ribRings = Math.max(3, Math.round(3 * detail));
  for (const r of spec.regions) {
    const spacing = ((r.to - r.from) * frame.length) / r.count;
    for (let i = 0; i < r.count; i++) {
      const u = r.from + ((r.to - r.from) * (i + 0.5)) / r.count;
      const z = frame.z0 - u * frame.length;
      const s = sectionOf(frame, u);
      const g = Math.min(Math.min(s.w, s.h) * spec.width, spec.maxWidth) * (r.size ?? 1);
      const hy = (g * spec.height) / spec.width;
      const yc = s.y + spec.centreHeight * s.h;
      // A urostyle is one long rod, not a vertebra with joints.
      const halfLength = r.name === 'urostyle' ? 0.5 * spacing * 0.9 : 0.42 * spacing;
      const half: Vec3 = [g, hy, halfLength];
      vertebrae.push(transformMeshTRS(ellipsoid(half, seg), [0, yc, z]));
      kinds.push(r.name);
      if (!r.ribs || skipRibs(z)) continue;
      const end = spec.ribLength * Math.PI;
      const radius = Math.min(spec.ribRadius * g, 0.16 * spacing);
      // Clear of the vertebra: a coarse ellipsoid is inflated up to ~20% to keep its volume.
      const x0 = g * 1.3;
      const startAngle = (50 * Math.PI) / 180;
      const right: Vec3[] = [[x0, yc, z], [x0 + 2 * radius, yc, z]];
      const radii: RingRadius[] = [0, radius];
      for (let k = 0; k <= ribRings; k++) {
        const phi = startAngle + ((end - startAngle) * k) / ribRings;
        const zk = z - (0.8 * spacing * (k + 1)) / (ribRings + 1);
        const sk = sectionOf(frame, (frame.z0 - zk) / frame.length);
        right.push([spec.ribWall * sk.w * Math.sin(phi), sk.y + spec.ribWall * sk.h * Math.cos(phi), zk]);
        radii.push(k === ribRings ? 0 : radius);
      }
      const left = right.map((q): Vec3 => [-q[0], q[1], q[2]]);
      ribs.push(tube(right, radii, ribSides, { up: [0, 0, 1] }), tube(left, radii, ribSides, { up: [0, 0, 1] }));
      ribVertebra.push(vertebrae.length - 1);
    }
  }
  return { vertebrae, ribs, kinds, ribVertebra };
}

export interface SkullSpec {
  /** The head runs from the front tip (u = 0) to u = head. */
  head: number;
  /** Braincase: centre and half-length as fractions of the head, half-axes over the local section. */
  braincase: { at: number; halfLength: number; w: number; h: number; y: number };
  /**
   * Bone wall of a hollow braincase over its smallest half-axis (the brain inside is left to
   * the surrounding soft tissue); absent: a solid braincase, fine where it is small.
   */
  braincaseWall?: number;
  /** Snout bone (premaxilla and nasals), same conventions. */
  snout: { at: number; halfLength: number; w: number; h: number; y: number };
  /** Mandibles: from `from` to `to` (fractions of the head), at lateral fraction w and height y of the section. */
  mandible: { from: number; to: number; w: number; y: number; radius: number };
}

/**
 * Skull pieces: braincase, snout bone and the two mandibles, placed as fractions of the
 * head's local section so they stay inside it whatever its shape.
 */
export function buildSkull(frame: BodyFrame, spec: SkullSpec, detail: number): MeshData[] {
  const seg = { around: Math.max(8, Math.round(12 * detail)), poleToPole: Math.max(6, Math.round(8 * detail)) };
  const Lh = spec.head * frame.length;
  const at = (f: number): Section => sectionOf(frame, f * spec.head);
  const piece = (q: SkullSpec['braincase'], wall?: number): MeshData => {
    const s = at(q.at);
    const half: Vec3 = [q.w * s.w, q.h * s.h, q.halfLength * Lh];
    const centre: Vec3 = [0, s.y + q.y * s.h, frame.z0 - q.at * Lh];
    if (wall === undefined) return transformMeshTRS(ellipsoid(half, seg), centre);
    const t = wall * Math.min(...half);
    const cavity: Vec3 = [half[0] - t, half[1] - t, half[2] - t];
    return transformMeshTRS(shell(ellipsoid(half, seg), ellipsoid(cavity, seg)), centre);
  };
  const m = spec.mandible;
  const rod = (side: 1 | -1): MeshData => {
    const n = Math.max(6, Math.round(8 * detail));
    const path: Vec3[] = [];
    const radii: RingRadius[] = [];
    for (let i = 0; i < n; i++) {
      const f = m.from + ((m.to - m.from) * i) / (n - 1);
      const s = at(f);
      path.push([side * m.w * s.w, s.y + m.y * s.h, frame.z0 - f * Lh]);
      // Thinner towards the chin, as jaws are.
      radii.push(i === 0 || i === n - 1 ? 0 : m.radius * Math.min(s.w, s.h) * (0.6 + (0.4 * i) / (n - 1)));
    }
    return tube(path, radii, Math.max(5, Math.round(6 * detail)), { up: [0, 1, 0] });
  };
  return [piece(spec.braincase, spec.braincaseWall), piece(spec.snout), rod(1), rod(-1)];
}
