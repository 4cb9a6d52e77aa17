/**
 * A pile of rigid bodies settled by the physics engine inside the container's open tray.
 * Bodies are dropped in batches, each a millimetre above the spot of a height field of the
 * pile (heightmap.ts) where it rests lowest, flush on what is below, near a corner it aims
 * at (a bag packed from a wall inwards), simulated under gravity until they come to rest
 * or a step cap, then checked: a body that sticks out above the
 * interior (the lid would not close) or sinks into another deeper than the tolerance is
 * taken out again. Deterministic: the engine is Rapier's cross-platform deterministic
 * build, bodies are created in a fixed order, and every random choice comes from the Rng.
 */
import type RAPIER_NS from '@dimforge/rapier3d-deterministic-compat';
import type { Rng } from '../../core/rng.js';
import type { Quat, Vec3 } from '../../core/types.js';
import { rotateVec, type Aabb } from '../placement.js';
import { rapier } from './engine.js';
import { bodyObbs, colliderBox, Heightmap, type ColliderBox, type Obb } from './heightmap.js';
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
  /**
   * Packed into the one corner every such body of the pile shares (the animals: a smuggler's
   * stash kept together, leaving the rest of the floor to the clothes that cover it).
   */
  together?: boolean;
  /** Other shapes of the same body, tried in order when it fits nowhere as it is (a soft item pressed flatter). */
  variants?: ColliderSpec[][];
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
  /** Cell of the height field drop spots are chosen on, metres at most (smaller in small containers). */
  cell: number;
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
 * Chosen by measurement (docs/SCENES.md, Placement): 40 Hz steps and a 40-step cap per
 * batch (bodies start a millimetre above their resting spot, so most settle in 10-20);
 * CCD cost more than it gained; batches of 5 land as well as one at a time.
 */
export const PILE_DEFAULTS: PileSettings = {
  // Under the 2 mm the tests hold the rendered meshes to: the meshes differ from the colliders by a hair.
  tolerance: 0.0015,
  maxSteps: 40,
  cell: 0.01,
  dt: 1 / 40,
  solverIterations: 4,
  ccd: false,
  batch: 5,
};

/** At rest: no body faster than this (m/s, rad/s) for REST_CHECKS checks in a row. */
const REST_SPEED = 0.01;
const REST_SPIN = REST_SPEED * 20;
const REST_CHECKS = 2;
const CHECK_EVERY = 5;
/** The tray stands this far inside the interior (more than the tolerance): what presses into a wall still ends inside. */
const WALL_INSET = 0.002;
/**
 * Damping of a falling body: things in a bag rub on cloth and on each other, and strong
 * damping lets a batch come to rest in a third fewer steps than 0.5 and 1.5 did.
 */
const LINEAR_DAMPING = 2;
const ANGULAR_DAMPING = 4;
/** Natural frequency of the contacts' springs, Hz (Rapier's default is 30). */
const CONTACT_FREQUENCY = 200;
/** Settles per batch at most: bodies sticking out are taken out after each, those pressed too deep only after the last. */
const SETTLE_ROUNDS = 3;
/** Ways up of a body that compete for the lowest spot; later ones are tried only when none of these fits. */
const EVALUATED_TURNS = 3;
/** Pull towards the aimed-at corner, metres of resting height per metre away: the lowest spot wins, the corner breaks ties. */
const CORNER_PULL = 0.03;
/** Cells across the smaller side of the floor at least. */
const MIN_CELLS = 24;
/** Gap left between a dropped body and what it is dropped onto. */
const DROP_GAP = 0.001;

interface Entry {
  body: RigidBody;
  colliders: Collider[];
  /** Box of its colliders about the body origin, body frame. */
  box: Aabb;
  /** Its colliders' boxes, body frame, for the height field. */
  boxes: ColliderBox[];
  /** Corners of its colliders' own boxes (hull vertices for hulls), body frame: their turned box is tight. */
  points: Vec3[];
  alive: boolean;
  /** Deepest contact it had when it was frozen, metres. */
  depth: number;
  /** Which of its shapes it was dropped as (0: as given, then its variants). */
  variant: number;
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
  /** Top of the frozen pile: where the next bodies can go. */
  private readonly field: Heightmap;
  /** The corner `together` bodies aim at, drawn when the first comes. */
  private stash: [number, number] | null = null;
  /** Highest a body's top may rest (the lid, less the tray's inset). */
  private readonly lid: number;

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
    // Predictive contacts out to 2.5 mm: bodies are spawned a millimetre above where they
    // rest, so they fall no further than that; farther contacts only cost time.
    p.normalizedPredictionDistance = 0.05;
    // Stiff contacts: at the default 30 Hz a stack of five folded shirts dropped together
    // pressed 3-4 mm into each other under its own weight and was thrown out as too deep.
    p.contact_natural_frequency = CONTACT_FREQUENCY;
    this.world.timestep = settings.dt;
    this.world.numSolverIterations = settings.solverIterations;
    const inset = WALL_INSET + DROP_GAP;
    const side = Math.min(interior.max[0] - interior.min[0], interior.max[2] - interior.min[2]) - 2 * inset;
    this.field = Heightmap.over(
      [interior.min[0] + inset, interior.min[2] + inset],
      [interior.max[0] - inset, interior.max[2] - inset],
      Math.min(settings.cell, side / MIN_CELLS),
      interior.min[1] + WALL_INSET,
    );
    this.lid = interior.max[1] - DROP_GAP;
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
    // This batch's bodies go on the field as they are spawned, so the next one lands on them.
    const field = this.field.clone();
    // No spot is lower than the lowest cell now (the field only rises): a body taller than the room above it fits nowhere.
    const lowest = field.lowest();
    for (const b of batch) {
      const best = this.place(b, field, lowest);
      if (!best) {
        out.push(null);
        continue;
      }
      const { at: spot, rotation, variant, boxes, local } = best;
      const shape = variant === 0 ? b.colliders : b.variants![variant - 1]!;
      field.stamp(best.obbs);
      const desc = R.RigidBodyDesc.dynamic()
        .setTranslation(spot[0], spot[1], spot[2])
        .setRotation({ x: rotation[0], y: rotation[1], z: rotation[2], w: rotation[3] })
        .setLinearDamping(LINEAR_DAMPING)
        .setAngularDamping(ANGULAR_DAMPING);
      if (b.upright) desc.enabledRotations(false, true, false);
      if (this.settings.ccd) desc.setCcdEnabled(true);
      const body = this.world.createRigidBody(desc);
      const colliders = shape.map((c) => this.world.createCollider(colliderDesc(c).setFriction(0.6).setRestitution(0), body));
      this.entries.push({ body, colliders, box: local, boxes, points: shape.flatMap(colliderPoints), alive: true, depth: 0, variant });
      out.push(this.entries.length - 1);
    }
    const fresh = out.filter((h): h is number => h !== null);
    if (fresh.length === 0) return out;
    // Settle, take out what does not fit, and settle again what that disturbed.
    // A body pressed too deep into another gets more steps first: a stack dropped together
    // can end a settle still pressed together, which a few more steps push apart.
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      this.settle();
      const last = round === SETTLE_ROUNDS - 1;
      const { out, deep } = this.rejects(fresh);
      const gone = last ? [...out, ...deep] : out;
      if (gone.length === 0 && deep.length === 0) break;
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
      const p = this.pose(h);
      this.field.stamp(bodyObbs(e.boxes, p.quaternion, p.position));
    }
    return out.map((h) => (h !== null && this.entries[h]!.alive ? h : null));
  }

  /** The top of the frozen pile (read it; only the pile changes it). */
  get surface(): Heightmap {
    return this.field;
  }

  /** Highest a body's top may rest. */
  get lidHeight(): number {
    return this.lid;
  }

  /** The corner a body that is not one of the `together` ones aims at, drawn from the pile's stream as for a drop. */
  aimFor(): { at: [number, number]; pull: number } {
    return this.aim(false);
  }

  /**
   * Lays a body that is shaped to the pile already (cloth draped over it) where it is to
   * stay: it is not simulated, later drops rest on it. Null, and nothing added, when it
   * sticks out above the interior or presses into a body of the pile deeper than the tolerance.
   */
  lay(colliders: readonly ColliderSpec[], position: Vec3, rotation: Quat): number | null {
    const R = rapier();
    const body = this.world.createRigidBody(
      R.RigidBodyDesc.fixed().setTranslation(position[0], position[1], position[2]).setRotation({ x: rotation[0], y: rotation[1], z: rotation[2], w: rotation[3] }),
    );
    const made = colliders.map((c) => this.world.createCollider(colliderDesc(c).setFriction(0.6).setRestitution(0), body));
    const entry: Entry = { body, colliders: made, box: collidersBox(colliders), boxes: colliders.map(colliderBox), points: colliders.flatMap(colliderPoints), alive: true, depth: 0, variant: 0 };
    this.entries.push(entry);
    const h = this.entries.length - 1;
    const box = this.worldBox(h);
    // Fixed bodies get no contacts from the engine's step, so the depth is asked shape to shape.
    const depth = box.max[1] > this.interior.max[1] ? Infinity : this.depthAmong(entry, box);
    if (depth > this.settings.tolerance) {
      this.remove(h);
      return null;
    }
    entry.depth = depth;
    this.field.stamp(bodyObbs(entry.boxes, rotation, position));
    return h;
  }

  /** Deepest overlap of a body's colliders with those of every other live body whose box meets its box. */
  private depthAmong(e: Entry, box: Aabb): number {
    let deepest = 0;
    for (let k = 0; k < this.entries.length; k++) {
      const other = this.entries[k]!;
      if (other === e || !other.alive) continue;
      const b = this.worldBox(k);
      if (b.max[0] < box.min[0] || b.min[0] > box.max[0] || b.max[1] < box.min[1] || b.min[1] > box.max[1] || b.max[2] < box.min[2] || b.min[2] > box.max[2]) continue;
      for (const c of e.colliders) {
        for (const o of other.colliders) {
          for (const [a, z] of [[c, o], [o, c]] as const) {
            const contact = a.contactCollider(z, 0);
            if (contact) deepest = Math.max(deepest, -contact.distance);
          }
        }
      }
    }
    return deepest;
  }

  /** Where a handle's body lies now. */
  pose(handle: number): Pose {
    const e = this.entries[handle]!;
    const t = e.body.translation();
    const r = e.body.rotation();
    return { position: [t.x, t.y, t.z], quaternion: [r.x, r.y, r.z, r.w] };
  }

  /** Which shape a handle's body was dropped as: 0 as given, k its k-th variant. */
  variant(handle: number): number {
    return this.entries[handle]!.variant;
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
   * Where a body goes on the field: of its first few ways up, the one resting lowest (and
   * nearest its aim); later ways up, then its flatter variants, only when none fits.
   */
  private place(b: DropBody, field: Heightmap, lowest: number): { at: Vec3; rotation: Quat; obbs: Obb[]; variant: number; boxes: ColliderBox[]; local: Aabb } | null {
    const aim = this.aim(b.together === true);
    const turns = [b.rotation, ...(b.turns ?? [])];
    const shapes = [b.colliders, ...(b.variants ?? [])];
    for (let variant = 0; variant < shapes.length; variant++) {
      const boxes = shapes[variant]!.map(colliderBox);
      const local = collidersBox(shapes[variant]!);
      let best: { at: Vec3; rotation: Quat; key: number; obbs: Obb[] } | null = null;
      for (let t = 0; t < turns.length; t++) {
        if (best && t >= EVALUATED_TURNS) break;
        const q = turns[t]!;
        const world = rotatedBox(local, q);
        // Taller than the room above the lowest cell: it fits nowhere this way up.
        if (lowest + world.max[1] - world.min[1] > this.lid) continue;
        const spot = field.rest(field.stencil(bodyObbs(boxes, q, [0, 0, 0])), (world.min[1] + world.max[1]) / 2, world.max[1], this.lid, aim.at, aim.pull);
        if (!spot || (best && spot.key >= best.key)) continue;
        const at: Vec3 = [field.cellX(spot.i), spot.y + DROP_GAP, field.cellZ(spot.k)];
        best = { at, rotation: q, key: spot.key, obbs: bodyObbs(boxes, q, at) };
      }
      if (best) return { ...best, variant, boxes, local };
    }
    return null;
  }

  /** Where a body aims: a corner of the floor (packing from a wall inwards), drawn per body, or the one corner all `together` bodies share. */
  private aim(together: boolean): { at: [number, number]; pull: number } {
    const { min, max } = this.interior;
    const corner = (): [number, number] => {
      const c = this.rng.int(0, 3);
      return [c & 1 ? max[0] : min[0], c & 2 ? max[2] : min[2]];
    };
    if (together) {
      this.stash ??= corner();
      return { at: this.stash, pull: CORNER_PULL };
    }
    return { at: corner(), pull: CORNER_PULL };
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
  private rejects(handles: readonly number[]): { out: number[]; deep: number[] } {
    const top = this.interior.max[1];
    const out: number[] = [];
    const deep: number[] = [];
    for (const h of handles) {
      const e = this.entries[h]!;
      if (!e.alive) continue;
      if (this.worldBox(h).max[1] > top) out.push(h);
      else if (this.deepestContact(e) > this.settings.tolerance) deep.push(h);
    }
    return { out, deep };
  }

  private remove(h: number): void {
    const e = this.entries[h]!;
    e.alive = false;
    this.world.removeRigidBody(e.body);
    this.stats.removed++;
  }
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
