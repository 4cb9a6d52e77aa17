/**
 * A harvester-ant colony as the hobby trade posts it: a founding queen and a few workers
 * in a glass test tube lying on its side, with a water reservoir at the closed end held
 * back by a cotton plug, and a cotton stopper in the mouth. One model, so the label box
 * covers the whole tube (what a screener should flag); the catalog's size is the tube's.
 *
 * Frame: the tube's axis is Z, closed end at -Z, mouth at +Z, +Y up; ants walk on the
 * tube's floor facing along the axis. Layout in millimetres of a 16 x 150 mm tube; scaled
 * to `tubeLength` along Z (the ants scale with it: keep tubeLength near 150 mm for real
 * ant sizes). Each ant rests as low as the curved floor lets it: its lowest position with
 * every vertex inside the glass. Deterministic: the colony layout is fixed.
 *
 * Simplifications: the plugs are dry cotton wool (the reservoir plug is damp in reality),
 * no seeds, brood or meniscus; ants are solid where thinner than two cuticle walls.
 */
import type { MeshData, ModelPart } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { boundsOf, transformMeshTRS } from '../geometry/mesh.js';
import { lathe } from '../geometry/rings.js';
import { antPlan, ANT_FOOT_Y, type AntCaste } from './ant.js';
import { ARTHROPOD_MATERIALS, checkRanges, mergeGroups, planSurfaces, segmentRotation } from './arthropod-plan.js';
import { finishParts, type OuterPart } from './body-parts.js';

export interface AntColonyParams {
  /** Tube length along Z, metres. */
  tubeLength: number;
  /** Number of workers with the queen (0-5). */
  workers: number;
  /** Ant cuticle thickness, metres at the 150 mm layout (0.04 mm). */
  cuticle: number;
  /** Multiplier on tessellation density. */
  detail: number;
}

export const ANT_COLONY_DEFAULTS: Readonly<AntColonyParams> = Object.freeze({
  tubeLength: 0.15,
  workers: 5,
  cuticle: 0.00004,
  detail: 1,
});

const LIMITS: Record<keyof AntColonyParams, [number, number]> = {
  tubeLength: [0.05, 0.3],
  workers: [0, 5],
  cuticle: [0.00001, 0.0002],
  detail: [0.5, 2],
};

export const ANT_COLONY_MATERIALS = { glass: 'pyrex', water: 'water', cotton: 'cotton_wool' } as const;

/** The tube (mm): outer radius, glass wall, length, and where water and plugs end along the axis. */
export const TUBE = { radius: 8, wall: 1, length: 150, waterEnd: 30, plugEnd: 45, stopperStart: 128 } as const;
/** Ants in a 14 mm bore stand with their legs drawn in. */
const LEG_SPREAD = 0.6;
/** Gap between touching volumes (mm), so that no two surfaces coincide. */
const GAP = 0.03;

interface AntPlacement {
  name: string;
  caste: AntCaste;
  /** Size relative to the queen's layout; a worker's head scale (majors have big heads). */
  scale: number;
  headScale: number;
  /** Centre along the tube (mm from the closed end) and heading (radians, 0 = towards the mouth). */
  z: number;
  yaw: number;
}

/** The queen, then workers in the order `workers` adds them. */
const COLONY: readonly AntPlacement[] = [
  { name: 'queen', caste: 'queen', scale: 1, headScale: 1, z: 73.5, yaw: -0.12 },
  { name: 'worker1', caste: 'worker', scale: 0.62, headScale: 1.0, z: 56, yaw: 0.3 },
  { name: 'worker2', caste: 'worker', scale: 0.78, headScale: 1.25, z: 97, yaw: Math.PI - 0.25 },
  { name: 'worker3', caste: 'worker', scale: 0.55, headScale: 1.0, z: 105.5, yaw: 0.35 },
  { name: 'worker4', caste: 'worker', scale: 0.68, headScale: 1.1, z: 121, yaw: Math.PI + 0.2 },
  { name: 'worker5', caste: 'worker', scale: 0.5, headScale: 1.0, z: 48.5, yaw: 1.4 },
];

/** Surface of revolution about the tube axis (Z) from a [radius, z] profile, pole to pole. */
function alongZ(profile: Array<[number, number]>, around: number): MeshData {
  // lathe revolves about +Y; a quarter turn about +X takes +Y to +Z.
  return transformMeshTRS(lathe(profile, around), [0, 0, 0], [Math.SQRT1_2, 0, 0, Math.SQRT1_2]);
}

/** Quarter-circle points of radius r about (0, zc), from the axis (angle 0) out to the wall (pi/2). */
function roundEnd(r: number, zc: number, steps: number): Array<[number, number]> {
  const pts: Array<[number, number]> = [];
  for (let i = 1; i < steps; i++) {
    const t = ((Math.PI / 2) * i) / steps;
    pts.push([r * Math.sin(t), zc - r * Math.cos(t)]);
  }
  return pts;
}

/** Glass, water and cotton (mm), closed end at z = 0. */
function tubeParts(d: number): OuterPart[] {
  const { radius: R, wall, length: L } = TUBE;
  const r = R - wall;
  const around = Math.max(12, Math.round(36 * d));
  const steps = Math.max(3, Math.round(8 * d));
  // The glass is one closed surface: out along the round bottom, up the outside, over the
  // rim, back down the inside to the inner bottom pole.
  const inner = roundEnd(r, R, steps).reverse();
  const glass = alongZ([[0, 0], ...roundEnd(R, R, steps), [R, R], [R, L], [r, L], [r, R], ...inner, [0, wall]], around);
  const rw = r - GAP;
  const water = alongZ([[0, wall + GAP], ...roundEnd(rw, R, steps), [rw, R], [rw, TUBE.waterEnd], [0, TUBE.waterEnd]], around);
  const cyl = (z0: number, z1: number): MeshData => alongZ([[0, z0], [rw, z0], [rw, z1], [0, z1]], around);
  return [
    { name: 'tube', kind: 'solid', minRadius: 0, mesh: glass },
    { name: 'water', kind: 'solid', minRadius: 0, mesh: water },
    { name: 'plug', kind: 'solid', minRadius: 0, mesh: cyl(TUBE.waterEnd + GAP, TUBE.plugEnd) },
    { name: 'stopper', kind: 'solid', minRadius: 0, mesh: cyl(TUBE.stopperStart, L - GAP) },
  ];
}

/** Largest distance of any vertex from the Z axis. */
function maxRadial(meshes: readonly MeshData[], dy: number): number {
  let m = 0;
  for (const mesh of meshes) {
    const p = mesh.positions;
    for (let i = 0; i < p.length; i += 3) m = Math.max(m, Math.hypot(p[i]!, p[i + 1]! + dy));
  }
  return m;
}

/** One ant's outer parts placed in the tube, as low as the floor allows. */
function placeAnt(a: AntPlacement, d: number): OuterPart[] {
  const plan = antPlan(a.caste, a.headScale, LEG_SPREAD);
  const surfaces = planSurfaces(plan, {
    length: 1, wall: 1, detail: d * (a.caste === 'queen' ? 1 : 0.75),
    segmentAround: 14, segmentAlong: 10, limbAround: 5, limbCap: 1,
    hardMaterial: ARTHROPOD_MATERIALS.hard, softMaterial: ARTHROPOD_MATERIALS.soft,
  });
  const q = segmentRotation(a.yaw);
  // Feet on the tube's lowest line first; then raised until every vertex clears the glass.
  const y0 = -(TUBE.radius - TUBE.wall) - ANT_FOOT_Y * a.scale;
  const placed = surfaces.map((s) => ({ ...s, name: `${a.name}.${s.name}`, minRadius: s.minRadius * a.scale, mesh: transformMeshTRS(s.mesh, [0, y0, a.z], q, a.scale) }));
  const meshes = placed.map((p) => p.mesh);
  const limit = TUBE.radius - TUBE.wall - 2 * GAP;
  if (maxRadial(meshes, 0) <= limit) return placed;
  // Raising the ant helps until it is centred on the axis; search that range for the lowest fit.
  const b = boundsOf(meshes);
  let lo = 0;
  let hi = Math.max(0, -(b.min[1] + b.max[1]) / 2);
  if (maxRadial(meshes, hi) > limit) {
    throw new ExorayError('E_ASSET', `ant colony: ${a.name} does not fit in the tube (inner radius ${TUBE.radius - TUBE.wall} mm); make it smaller or turn it along the axis`);
  }
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (maxRadial(meshes, mid) > limit) lo = mid;
    else hi = mid;
  }
  return placed.map((p) => ({ ...p, mesh: transformMeshTRS(p.mesh, [0, hi, 0]) }));
}

/** Builds the colony as material parts: tube, water, plugs, then each ant's cuticle and tissue. */
export function buildAntColony(params: Partial<AntColonyParams> = {}): ModelPart[] {
  const p: AntColonyParams = { ...ANT_COLONY_DEFAULTS, ...params };
  checkRanges('ant colony builder', p, LIMITS);
  if (!Number.isInteger(p.workers)) throw new ExorayError('E_ASSET', `ant colony builder: workers must be a whole number, got ${p.workers}`);
  const tube = tubeParts(p.detail);
  const ants = COLONY.slice(0, 1 + p.workers).flatMap((a) => placeAnt(a, p.detail));
  const scale = p.tubeLength / (TUBE.length / 1000);
  const parts = finishParts([...tube, ...ants], {
    length: p.tubeLength,
    wall: p.cuticle * scale,
    hardMaterial: ARTHROPOD_MATERIALS.hard,
    softMaterial: ARTHROPOD_MATERIALS.soft,
  });
  // finishParts sized and centred the whole set-up; the tube's parts come out solid and take their own materials.
  const own: Record<string, string> = { tube: ANT_COLONY_MATERIALS.glass, water: ANT_COLONY_MATERIALS.water, plug: ANT_COLONY_MATERIALS.cotton, stopper: ANT_COLONY_MATERIALS.cotton };
  const materials = parts.map((part) => (own[part.name] ? { ...part, material: own[part.name]! } : part));
  // One shell, one core and one solid part per ant (legs, mandibles, antennae), not 30 draw calls each.
  return mergeGroups(materials, (name) => (own[name] ? undefined : name.slice(0, name.indexOf('.'))));
}

/** Centre of the chamber between the reservoir plug and the stopper, in the built model (metres). */
export function chamberSpan(tubeLength: number): { zMin: number; zMax: number } {
  const s = tubeLength / TUBE.length;
  return { zMin: (TUBE.plugEnd - TUBE.length / 2) * s, zMax: (TUBE.stopperStart - TUBE.length / 2) * s };
}

