/**
 * Skeleton and skins of the syngnathid body plan (plans/syngnathid.ts), in the style of the
 * other vertebrates (vertebrate-rig.ts):
 *
 * - the root `trunk1` at the neck ring, the `head` hanging from it at the same point (the
 *   head nods about the neck), `trunk2..` at ring boundaries down the trunk and `tail1..`
 *   at ring boundaries down the tail, each spine joint's bone along the chord to the next
 *   joint (tailwards), +X the lateral axis oriented so that a positive X angle bends the
 *   chain ventrally (towards the belly, the way the tail curls);
 * - tail joints where the axis turns: a new joint once the heading has turned by
 *   `tail.maxTurn` since the last one or `tail.maxRings` rings have passed, so the tight
 *   curl near the tip gets a joint every ring and the straight tail base one every few;
 * - tail limits are absolute (the bend from a straight tail, vertebrate-rig.ts): the tail
 *   can be laid out straight (and a little past it, dorsally) and curl tighter than at
 *   rest by `tail.curlFactor`, as far as the builder's own curl limit;
 * - skins: every ring and vertebra rigid on the joint owning its stretch (joints sit on
 *   ring boundaries, so a ring never straddles two), the head, its shell and coronet rigid
 *   on `head`; the body tube and the dorsal fin blended along the chain, computed on the
 *   straight components before bending (skins survive the bend: vertex order is kept).
 *
 * Pure code.
 */
import type { JointLimits, MeshData, SpeciesModel, Vec3 } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { RigBuilder } from '../rig/rig-builder.js';
import { chainSkin, chainUniformSkin, clampWindows, rigidSkin, withMesh, type Chain, type SkinnedMesh } from '../rig/weights.js';
import { VERTEBRATE_MATERIALS } from './finish.js';
import { finishVertebrate } from './vertebrate-rig.js';
import { curveAt } from './sagittal-curve.js';
import { bodySectionAt, syngnathidLayout, type SyngnathidPlan } from './syngnathid.js';

export interface SyngnathidRigSpec {
  /** Nodding of the head about the neck (relative to rest), degrees. */
  head: JointLimits;
  /** Trunk joints below the root, at evenly spaced ring boundaries; their limits relative to rest. */
  trunk: { joints: number; limits: JointLimits };
  tail: {
    /** Largest turn of the axis between neighbouring tail joints, degrees. */
    maxTurn: number;
    /** Most rings one tail joint moves. */
    maxRings: number;
    /** Ventral limit: the rest bend times this (plus `margin`), degrees from straight. */
    curlFactor: number;
    margin: number;
    /** Dorsal bend past straight, lateral bend and twist, degrees (absolute, symmetric where it applies). */
    dorsal: number;
    lateral: number;
    twist: number;
  };
  /** Blend half-width of the body tube around a joint, as a share of the ring spacing there. */
  window: number;
}

const DEG = 180 / Math.PI;

/** Ring boundaries (indices into the plan's rings, a joint at the start of that ring) of the trunk and tail joints. */
export function syngnathidJointRings(plan: SyngnathidPlan, spec: SyngnathidRigSpec, phiAt: (s: number) => number): { trunk: number[]; tail: number[] } {
  const nt = plan.body.trunk.rings;
  const trunk = Array.from({ length: spec.trunk.joints }, (_, k) => Math.round((nt * (k + 1)) / (spec.trunk.joints + 1)));
  if (new Set([0, ...trunk]).size !== trunk.length + 1 || trunk.some((r) => r >= nt)) {
    throw new ExorayError('E_ASSET', `${plan.what} skeleton: ${spec.trunk.joints} trunk joints do not fit between ${nt} trunk rings; use fewer`);
  }
  const tail = [nt];
  const total = nt + plan.body.tail.rings;
  const boundary = (i: number) => (i < nt ? (plan.body.trunk.length * i) / nt : plan.body.trunk.length + (plan.body.tail.length * (i - nt)) / plan.body.tail.rings);
  let last = nt;
  for (let i = nt + 1; i < total; i++) {
    const turn = Math.abs(phiAt(boundary(i + 1)) - phiAt(boundary(last))) * DEG;
    if (turn > spec.tail.maxTurn || i + 1 - last > spec.tail.maxRings) {
      tail.push(i);
      last = i;
    }
  }
  return { trunk, tail };
}

/** The syngnathid as parts with skins, and its skeleton (joint names above). */
export function buildSyngnathidModel(plan: SyngnathidPlan, spec: SyngnathidRigSpec): SpeciesModel {
  const l = syngnathidLayout(plan);
  const what = `${plan.what}`;
  const b = plan.body;
  const curve = l.curve;
  const phiAt = (s: number) => curveAt(curve, s)[2];
  const { trunk, tail } = syngnathidJointRings(plan, spec, phiAt);
  const ringStart = (i: number) => l.rings[i]!.from;
  const ringLength = (i: number) => l.rings[Math.min(i, l.rings.length - 1)]!.to - l.rings[Math.min(i, l.rings.length - 1)]!.from;

  // Joints on the bent axis (model axes before scaling: X forward, Y lateral, Z down).
  const at = (s: number): Vec3 => {
    const [f, v] = curveAt(curve, s);
    return [f, 0, -v];
  };
  const ventral = (s: number): Vec3 => {
    const phi = phiAt(s);
    return [Math.cos(phi), 0, -Math.sin(phi)];
  };
  const cross = (a: Vec3, c: Vec3): Vec3 => [a[1] * c[2] - a[2] * c[1], a[2] * c[0] - a[0] * c[2], a[0] * c[1] - a[1] * c[0]];
  const stations = [0, ...trunk.map(ringStart), ...tail.map(ringStart)];
  const names = ['trunk1', ...trunk.map((_, k) => `trunk${k + 2}`), ...tail.map((_, k) => `tail${k + 1}`)];
  const end = b.trunk.length + b.tail.length;
  const rig = new RigBuilder(what);
  stations.forEach((s, k) => {
    const next = stations[k + 1] ?? 0.5 * (end + b.tip);
    const a = at(s), c = at(next);
    const dir: Vec3 = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
    // +X = dir x ventral: a positive X angle turns the bone's far end towards the belly.
    const hinge = cross(dir, ventral(0.5 * (s + next)));
    const radius = bodySectionAt(plan, s).w;
    const name = names[k]!;
    if (k === 0) {
      rig.add({ name, parent: null, at: a, dir, hinge, limits: { x: [0, 0], y: [0, 0], z: [0, 0] }, role: 'root', radius });
      rig.add({ name: 'head', parent: name, at: a, dir, hinge, limits: spec.head, role: 'head', radius: plan.head.profile.keys.reduce((m, q) => Math.max(m, q.w), 0) });
      return;
    }
    const parent = names[k - 1]!;
    if (k <= trunk.length) {
      rig.add({ name, parent, at: a, dir, hinge, limits: spec.trunk.limits, role: 'axial', radius });
      return;
    }
    // The rest bend: the turn between the chord into this joint and the chord out of it.
    const prev = at(stations[k - 1]!);
    const turn = Math.atan2(dir[0], dir[2]) - Math.atan2(a[0] - prev[0], a[2] - prev[2]);
    const rest = Math.abs(Math.atan2(Math.sin(turn), Math.cos(turn))) * DEG;
    const t = spec.tail;
    rig.add({
      name,
      parent,
      at: a,
      dir,
      hinge,
      limits: { x: [-t.dorsal, t.curlFactor * rest + t.margin], y: [-t.lateral, t.lateral], z: [-t.twist, t.twist] },
      absolute: true,
      role: 'axial',
      radius,
    });
  });

  // Skins, in the straight layout (z = -s): chain points at the stations, each stretch owned by the joint at its start.
  const points = stations.map((s): Vec3 => [0, 0, -s]);
  const firstRing = (s: number) => Math.max(0, l.rings.findIndex((r) => r.from >= s - 1e-12));
  const chain: Chain = {
    points,
    owners: [rig.index('head'), ...names.map((n) => rig.index(n))],
    windows: clampWindows(points, stations.map((s) => spec.window * ringLength(firstRing(s))), 0.45),
  };
  // The dorsal fin stands tall on the back across the trunk-tail joint: blended per vertex,
  // a bend there folds its upper edge (-11 % of its volume at 7 degrees dorsally, -9 % with
  // a window of half its length). It moves as one piece instead, with the blend of the
  // joints at its centre over a window of half its length: half the tail base's bend.
  const finChain: Chain = { ...chain, windows: clampWindows(points, stations.map(() => 0.5 * (plan.dorsalFin.to - plan.dorsalFin.from)), 0.45) };
  const ownerOf = (s: number) => {
    let k = 0;
    while (k + 1 < stations.length && stations[k + 1]! <= s) k++;
    return rig.index(names[k]!);
  };
  const bent = (straight: SkinnedMesh, mesh: MeshData) => withMesh(straight, mesh);
  const headJoint = rig.index('head');
  const ringSkins = (list: readonly unknown[], first: number) => list.map((_, k) => ownerOf(0.5 * (l.rings[first + k]!.from + l.rings[first + k]!.to)));
  const trunkOwners = ringSkins(l.trunkRings, 0);
  const tailOwners = ringSkins(l.tailRings, b.trunk.rings);
  const groups = {
    head: l.head.map((m) => rigidSkin(m, headJoint)),
    body: l.body.map((m, k) => bent(chainSkin(l.straight.body[k]!, chain), m)),
    dorsalFin: l.dorsalFin.map((m, k) => bent(chainUniformSkin(l.straight.dorsalFin[k]!, finChain), m)),
    headArmour: l.headArmour.map((m) => rigidSkin(m, headJoint)),
    trunkRings: l.trunkRings.map((m, k) => rigidSkin(m, trunkOwners[k]!)),
    tailRings: l.tailRings.map((m, k) => rigidSkin(m, tailOwners[k]!)),
    vertebrae: l.vertebrae.map((m, k) => rigidSkin(m, k < b.trunk.rings ? trunkOwners[k]! : tailOwners[k - b.trunk.rings]!)),
  };
  const bone = VERTEBRATE_MATERIALS.bone;
  return finishVertebrate(rig, groups, { scale: plan.height }, what, [
    ['head', plan.tissue, 'head'],
    ['body', plan.tissue, 'body'],
    ['dorsal-fin', plan.tissue, 'dorsalFin'],
    ['head-armour', bone, 'headArmour'],
    ['trunk-rings', bone, 'trunkRings'],
    ['tail-rings', bone, 'tailRings'],
    ['vertebrae', bone, 'vertebrae'],
  ]);
}
