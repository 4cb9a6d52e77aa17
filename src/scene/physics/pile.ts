/**
 * A pile of rigid bodies settled by the physics engine inside the container's open tray.
 * Bodies are dropped in batches, each just above what already lies under its footprint
 * (so they fall a few centimetres, not the height of the bag), simulated under gravity
 * until they come to rest or a step cap, then checked: a body that sticks out above the
 * interior (the lid would not close) or sinks into another deeper than the tolerance is
 * taken out again. Deterministic: the engine is Rapier's cross-platform deterministic
 * build, bodies are created in a fixed order, and every random choice comes from the Rng.
 */
import type RAPIER_NS from '@dimforge/rapier3d-deterministic-compat';
import type { Rng } from '../../core/rng.js';
import type { Quat, Vec3 } from '../../core/types.js';
import { rotateVec, type Aabb } from '../placement.js';
import { rapier } from './engine.js';
import { colliderPoints, collidersBox, openBoxWalls, type ColliderSpec } from './shapes.js';

type World = RAPIER_NS.World;
type RigidBody = RAPIER_NS.RigidBody;
type Collider = RAPIER_NS.Collider;

export interface DropBody {
  colliders: ColliderSpec[];
  /** Orientation it is dropped in. */
  rotation: Quat;
  /** Other orientations to try, in order, when it does not fit in this one (too wide, or resting too high). */
  turns?: Quat[];
  /** Turns only about the vertical while settling (animals that lie on their belly). */
  upright?: boolean;
}

export interface Pose {
  position: Vec3;
  quaternion: Quat;
}

export interface PileSettings {
  /** Deepest interpenetration kept, metres; deeper bodies are taken out. */
  tolerance: number;
  /** Simulation steps per batch at most. */
  maxSteps: number;
  /** Candidate drop spots per body; the lowest resting one is taken (a bag shaken down). */
  candidates: number;
  /** Time step, seconds. */
  dt: number;
  /** Solver iterations per step. */
  solverIterations: number;
  /** Continuous collision detection for falling bodies (no tunnelling through thin items). */
  ccd: boolean;
  /** Bodies dropped together. */
  batch: number;
}

/**
 * Chosen by measurement (docs/SCENES.md, Placement): 40 Hz steps and a 120-step cap per
 * batch settle nearly every batch (most in 15-40 steps); CCD and more drop candidates
 * cost more than they gained in fill; batches of 5 land as well as one at a time.
 */
export const PILE_DEFAULTS: PileSettings = {
  // Under the 2 mm the tests hold the rendered meshes to: the meshes differ from the colliders by a hair.
  tolerance: 0.0015,
  maxSteps: 120,
  candidates: 8,
  dt: 1 / 40,
  solverIterations: 4,
  ccd: false,
  batch: 5,
};

/** At rest: no body faster than this (m/s, rad/s) for REST_CHECKS checks in a row. */
const REST_SPEED = 0.005;
const REST_SPIN = REST_SPEED * 20;
const REST_CHECKS = 3;
const CHECK_EVERY = 5;
/** The tray stands this far inside the interior (more than the tolerance): what presses into a wall still ends inside. */
const WALL_INSET = 0.002;
/** A body whose resting spot puts its top above the interior by more than this share of its height is not dropped there. */
const TOO_HIGH = 0.1;
/** Gap left between a dropped body and what it is dropped onto. */
const DROP_GAP = 0.001;

interface Entry {
  body: RigidBody;
  colliders: Collider[];
  /** Box of its colliders about the body origin, body frame. */
  box: Aabb;
  /** Corners of its colliders' own boxes (hull vertices for hulls), body frame: their turned box is tight. */
  points: Vec3[];
  alive: boolean;
  /** Deepest contact it had when it was frozen, metres. */
  depth: number;
}

export interface PileStats {
  /** Steps simulated in all. */
  steps: number;
  /** Bodies taken out again (sticking out, or too deep in another). */
  removed: number;
}

export class Pile {
  private readonly world: World;
  private readonly entries: Entry[] = [];
  private readonly statics: Collider[] = [];
  readonly stats: PileStats = { steps: 0, removed: 0 };
  private freed = false;

  constructor(
    private readonly interior: Aabb,
    private readonly rng: Rng,
    private readonly settings: PileSettings = PILE_DEFAULTS,
  ) {
    const R = rapier();
    this.world = new R.World({ x: 0, y: -9.81, z: 0 });
    const p = this.world.integrationParameters;
    // Things in a bag are centimetres, not metres: scale the solver's length tolerances down.
    p.lengthUnit = 0.05;
    // Predictive contacts out to 1 cm: a body falling a few centimetres meets what is below it
    // at the step it arrives instead of sinking in and being pushed out slowly.
    p.normalizedPredictionDistance = 0.2;
    this.world.timestep = settings.dt;
    this.world.numSolverIterations = settings.solverIterations;
    const ground = this.world.createRigidBody(R.RigidBodyDesc.fixed());
    const height = interior.max[1] - interior.min[1];
    for (const c of openBoxWalls(interior, height * 3 + 0.5, 0.05, WALL_INSET)) {
      this.statics.push(this.world.createCollider(colliderDesc(c).setFriction(0.5), ground));
    }
  }

  /**
   * Drops a batch and lets it settle. Returns, per body, its handle (for pose()) or null
   * when it did not fit: wider than the interior, sticking out of the top, or sunk into
   * another deeper than the tolerance.
   */
  drop(batch: readonly DropBody[]): Array<number | null> {
    const R = rapier();
    const out: Array<number | null> = [];
    // Everything already in lies under this height: a body cast down from above it starts clear of the pile.
    const below = this.entries.map((e, i) => (e.alive ? this.worldBox(i) : null)).filter((b): b is Aabb => b !== null);
    let top = this.interior.min[1];
    for (const b of below) top = Math.max(top, b.max[1]);
    const spawned: Aabb[] = [];
    for (const b of batch) {
      const local = collidersBox(b.colliders);
      const shape = compoundShape(b.colliders);
      let spot: Vec3 | null = null;
      let world: Aabb = local;
      let rotation = b.rotation;
      for (const q of [b.rotation, ...(b.turns ?? [])]) {
        world = rotatedBox(local, q);
        spot = this.spot(shape, q, world, top, spawned);
        rotation = q;
        if (spot) break;
      }
      if (!spot) {
        out.push(null);
        continue;
      }
      const desc = R.RigidBodyDesc.dynamic()
        .setTranslation(spot[0], spot[1], spot[2])
        .setRotation({ x: rotation[0], y: rotation[1], z: rotation[2], w: rotation[3] })
        .setLinearDamping(0.5)
        .setAngularDamping(1.5);
      if (b.upright) desc.enabledRotations(false, true, false);
      if (this.settings.ccd) desc.setCcdEnabled(true);
      const body = this.world.createRigidBody(desc);
      const colliders = b.colliders.map((c) => this.world.createCollider(colliderDesc(c).setFriction(0.6).setRestitution(0), body));
      spawned.push({ min: add(world.min, spot), max: add(world.max, spot) });
      this.entries.push({ body, colliders, box: local, points: b.colliders.flatMap(colliderPoints), alive: true, depth: 0 });
      out.push(this.entries.length - 1);
    }
    const fresh = out.filter((h): h is number => h !== null);
    if (fresh.length === 0) return out;
    // Settle, take out what does not fit, and settle again what that disturbed.
    for (let round = 0; round < 3; round++) {
      this.settle();
      const gone = this.rejects(fresh);
      if (gone.length === 0) break;
      for (const h of gone) this.remove(h);
      for (const h of fresh) if (this.entries[h]!.alive) this.entries[h]!.body.wakeUp();
    }
    // What has settled stays put: later drops rest on it but no longer move it, so each
    // batch simulates only its own few bodies against a fixed pile (the cost stays flat as
    // the bag fills). Contacts between two fixed bodies are no longer computed, so each
    // body's deepest contact is recorded now.
    for (const h of fresh) {
      const e = this.entries[h]!;
      if (!e.alive) continue;
      e.depth = this.deepestContact(e);
      e.body.setBodyType(R.RigidBodyType.Fixed, false);
    }
    return out.map((h) => (h !== null && this.entries[h]!.alive ? h : null));
  }

  /** Where a handle's body lies now. */
  pose(handle: number): Pose {
    const e = this.entries[handle]!;
    const t = e.body.translation();
    const r = e.body.rotation();
    return { position: [t.x, t.y, t.z], quaternion: [r.x, r.y, r.z, r.w] };
  }

  alive(handle: number): boolean {
    return this.entries[handle]?.alive ?? false;
  }

  /** World box of a body now (of its colliders' points, so a turned round item is not boxed by its turned box). */
  worldBox(handle: number): Aabb {
    const e = this.entries[handle]!;
    const p = this.pose(handle);
    const min: Vec3 = [Infinity, Infinity, Infinity];
    const max: Vec3 = [-Infinity, -Infinity, -Infinity];
    for (const local of e.points) {
      const w = rotateVec(p.quaternion, local);
      for (let a = 0; a < 3; a++) {
        min[a] = Math.min(min[a]!, w[a]! + p.position[a]!);
        max[a] = Math.max(max[a]!, w[a]! + p.position[a]!);
      }
    }
    return { min, max };
  }

  /**
   * The engine's own measure of interpenetration: the deepest contact (negative contact
   * distance) between two bodies, or a body and the tray, in metres (0: none).
   */
  maxPenetration(handles?: readonly number[]): number {
    let deepest = 0;
    const ids = handles ?? this.entries.map((_, i) => i);
    for (const h of ids) {
      const e = this.entries[h]!;
      if (!e.alive) continue;
      deepest = Math.max(deepest, e.depth, this.deepestContact(e));
    }
    return deepest;
  }

  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.world.free();
  }

  private deepestContact(e: Entry): number {
    let deepest = 0;
    const own = new Set(e.colliders.map((c) => c.handle));
    for (const c of e.colliders) {
      this.world.contactPairsWith(c, (other) => {
        if (own.has(other.handle)) return;
        this.world.contactPair(c, other, (manifold) => {
          for (let i = 0; i < manifold.numContacts(); i++) deepest = Math.max(deepest, -manifold.contactDist(i));
        });
        // The solver's manifold can miss a deep overlap of a turned cylinder and a hull (seen
        // with Rapier 0.21), and a single shape query can too, depending on which shape comes
        // first: both orders are asked, and the deeper answer kept.
        for (const [a, b] of [[c, other], [other, c]] as const) {
          const contact = a.contactCollider(b, 0);
          if (contact) deepest = Math.max(deepest, -contact.distance);
        }
      });
    }
    return deepest;
  }

  /**
   * A drop spot for a body turned by q (its turned box about its origin is `box`): of a few
   * random places over the interior, the one where it comes to rest lowest when moved
   * straight down onto the pile (a shape cast against the real colliders, so it can reach
   * into gaps between what lies there). Null when it is wider than the interior or would
   * rest sticking out of the top everywhere.
   */
  private spot(shape: RAPIER_NS.Shape, q: Quat, box: Aabb, top: number, spawned: readonly Aabb[]): Vec3 | null {
    const { interior } = this;
    const lo = [interior.min[0] + WALL_INSET - box.min[0], interior.min[2] + WALL_INSET - box.min[2]];
    const hi = [interior.max[0] - WALL_INSET - box.max[0], interior.max[2] - WALL_INSET - box.max[2]];
    if (lo[0]! > hi[0]! || lo[1]! > hi[1]!) return null;
    const rot = { x: q[0], y: q[1], z: q[2], w: q[3] };
    const startY = top + DROP_GAP - box.min[1];
    const floorY = interior.min[1] + WALL_INSET - box.min[1];
    const height = box.max[1] - box.min[1];
    let best: Vec3 | null = null;
    for (let c = 0; c < this.settings.candidates; c++) {
      const x = this.rng.uniform(lo[0]!, hi[0]!);
      const z = this.rng.uniform(lo[1]!, hi[1]!);
      const hit = this.world.castShape({ x, y: startY, z }, rot, { x: 0, y: -1, z: 0 }, shape, DROP_GAP, startY - floorY + 1, false);
      let y = hit ? startY - hit.time_of_impact : floorY;
      // Bodies of this batch are not in the engine's query structures until the next step: their boxes stand in.
      for (const b of spawned) {
        const over = x + box.max[0] > b.min[0] && b.max[0] > x + box.min[0] && z + box.max[2] > b.min[2] && b.max[2] > z + box.min[2];
        if (over) y = Math.max(y, b.max[1] + DROP_GAP - box.min[1]);
      }
      // Resting there it would stick out of the top by more than settling could take back.
      if (y + box.max[1] > interior.max[1] + TOO_HIGH * height) continue;
      if (!best || y < best[1]) best = [x, y, z];
    }
    return best;
  }

  /** Steps until every body rests, or the step cap. */
  private settle(): void {
    let calm = 0;
    const w = this.world;
    for (let s = 0; s < this.settings.maxSteps; s++) {
      // The pipeline's own step: World.step() also walks every body and collider handle after
      // each step to map those soft bodies made or cut (none here), which cost more than the step.
      w.physicsPipeline.step(w.gravity, w.integrationParameters, w.islands, w.broadPhase, w.narrowPhase, w.bodies, w.colliders, w.softBodies, w.impulseJoints, w.multibodyJoints, w.ccdSolver);
      this.stats.steps++;
      if ((s + 1) % CHECK_EVERY !== 0) continue;
      calm = this.resting() ? calm + 1 : 0;
      if (calm >= REST_CHECKS) return;
    }
  }

  private resting(): boolean {
    for (const e of this.entries) {
      if (!e.alive || e.body.isSleeping()) continue;
      const v = e.body.linvel();
      const w = e.body.angvel();
      if (Math.hypot(v.x, v.y, v.z) > REST_SPEED || Math.hypot(w.x, w.y, w.z) > REST_SPIN) return false;
    }
    return true;
  }

  /** Bodies of this batch that stick out of the top or sink too deep into something. */
  private rejects(handles: readonly number[]): number[] {
    const top = this.interior.max[1];
    const out: number[] = [];
    for (const h of handles) {
      const e = this.entries[h]!;
      if (!e.alive) continue;
      if (this.worldBox(h).max[1] > top || this.deepestContact(e) > this.settings.tolerance) out.push(h);
    }
    return out;
  }

  private remove(h: number): void {
    const e = this.entries[h]!;
    e.alive = false;
    this.world.removeRigidBody(e.body);
    this.stats.removed++;
  }
}

/** The body's colliders as one compound shape, for shape casts. */
function compoundShape(colliders: readonly ColliderSpec[]): RAPIER_NS.Shape {
  const R = rapier();
  const shapes: RAPIER_NS.Shape[] = [];
  const positions: RAPIER_NS.Vector[] = [];
  const rotations: RAPIER_NS.Rotation[] = [];
  for (const c of colliders) {
    const s = c.shape;
    let shape: RAPIER_NS.Shape;
    let at = c.offset;
    switch (s.type) {
      case 'cuboid':
        shape = new R.Cuboid(s.half[0], s.half[1], s.half[2]);
        break;
      case 'cylinder':
        shape = new R.Cylinder(s.halfHeight, s.radius);
        break;
      case 'capsule':
        shape = new R.Capsule(s.halfHeight, s.radius);
        break;
      case 'ball':
        shape = new R.Ball(s.radius);
        break;
      case 'hull': {
        const b = collidersBox([{ ...c, offset: [0, 0, 0], rotation: [0, 0, 0, 1] }]);
        // A hull's box is close enough for choosing where to drop it, and cheaper to cast.
        shape = new R.Cuboid(Math.max(1e-4, (b.max[0] - b.min[0]) / 2), Math.max(1e-4, (b.max[1] - b.min[1]) / 2), Math.max(1e-4, (b.max[2] - b.min[2]) / 2));
        const mid = rotateVec(c.rotation, [(b.max[0] + b.min[0]) / 2, (b.max[1] + b.min[1]) / 2, (b.max[2] + b.min[2]) / 2]);
        at = [c.offset[0] + mid[0], c.offset[1] + mid[1], c.offset[2] + mid[2]];
        break;
      }
    }
    shapes.push(shape);
    positions.push({ x: at[0], y: at[1], z: at[2] });
    rotations.push({ x: c.rotation[0], y: c.rotation[1], z: c.rotation[2], w: c.rotation[3] });
  }
  return new R.Compound(shapes, positions, rotations);
}

function colliderDesc(c: ColliderSpec): RAPIER_NS.ColliderDesc {
  const R = rapier();
  const s = c.shape;
  let desc: RAPIER_NS.ColliderDesc | null;
  switch (s.type) {
    case 'cuboid':
      desc = R.ColliderDesc.cuboid(s.half[0], s.half[1], s.half[2]);
      break;
    case 'cylinder':
      desc = R.ColliderDesc.cylinder(s.halfHeight, s.radius);
      break;
    case 'capsule':
      desc = R.ColliderDesc.capsule(s.halfHeight, s.radius);
      break;
    case 'ball':
      desc = R.ColliderDesc.ball(s.radius);
      break;
    case 'hull':
      desc = R.ColliderDesc.convexHull(new Float32Array(s.points));
      // Degenerate point sets (all in a plane) have no hull: their box stands in.
      if (!desc) {
        const b = collidersBox([c]);
        desc = R.ColliderDesc.cuboid(
          Math.max(1e-4, (b.max[0] - b.min[0]) / 2),
          Math.max(1e-4, (b.max[1] - b.min[1]) / 2),
          Math.max(1e-4, (b.max[2] - b.min[2]) / 2),
        );
        return desc.setTranslation((b.max[0] + b.min[0]) / 2, (b.max[1] + b.min[1]) / 2, (b.max[2] + b.min[2]) / 2);
      }
      break;
  }
  return desc!
    .setTranslation(c.offset[0], c.offset[1], c.offset[2])
    .setRotation({ x: c.rotation[0], y: c.rotation[1], z: c.rotation[2], w: c.rotation[3] });
}

function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

/** The world-aligned box round a local box turned by q (about the body origin). */
export function rotatedBox(b: Aabb, q: Quat): Aabb {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let k = 0; k < 8; k++) {
    const p = rotateVec(q, [k & 1 ? b.max[0] : b.min[0], k & 2 ? b.max[1] : b.min[1], k & 4 ? b.max[2] : b.min[2]]);
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a]!, p[a]!);
      max[a] = Math.max(max[a]!, p[a]!);
    }
  }
  return { min, max };
}
