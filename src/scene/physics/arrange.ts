/**
 * Physics placement for the scene sampler: the animals (each alone, or inside its
 * concealment as one body) are dropped into the open container first, as smugglers pack
 * them, then the clutter in batches until the preset's counts are placed or, with `fill`,
 * the boxes of everything packed (animals included) fill the drawn share of the interior.
 * Every rigid body settles under gravity in the physics engine; folded clothes and paper are
 * laid instead, draped over what is under them (clutter/drape.ts); what does not fit (sticks
 * out of the top, or sinks into another deeper than the tolerance) is left out.
 * Pure and deterministic: (preset, rng streams, species) -> objects.
 */
import { ExorayError } from '../../core/errors.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import type { AnimalPose, Part, Quat, SceneObject, Vec3 } from '../../core/types.js';
import { buildClutter, type ClutterKind, type ItemModel } from '../clutter/index.js';
import { drapeable, drapeOnField } from '../clutter/drape.js';
import { squashItem, squashLimit } from '../clutter/squash.js';
import { buildConcealment, type Concealment } from '../concealment.js';
import { flatQuat, multiply, squareQuat } from '../orientation.js';
import { rotateVec, rotatedHalfExtents, yawQuat, type Aabb } from '../placement.js';
import type { Preset } from '../preset.js';
import type { SpeciesForScene } from '../sampler.js';
import { DEFAULT_POSE_SETTINGS, poseAnimal } from '../pose.js';
import { Pile, PILE_DEFAULTS, type DropBody } from './pile.js';
import { posedColliders } from './posed-colliders.js';
import { collidersBox, itemColliders, partColliders, type ColliderSpec } from './shapes.js';

/** Bodies dropped together: fewer settles than one at a time, few enough to land without a heap of collisions mid-air. */
const BATCH = PILE_DEFAULTS.batch;
/** A clutter kind that found no room this many times is drawn no more. */
const KIND_MISSES = 2;
/** Orientations tried for an animal that did not fit. */
const ANIMAL_TRIES = 4;

export interface ArrangeInput {
  preset: Preset;
  seed: number;
  /** The scene's main stream (species, sizes, clutter draws). */
  rng: Rng;
  interior: Aabb;
  roomHeight: number;
  byId: ReadonlyMap<string, SpeciesForScene>;
  animalCount: number;
  /** Materials already taken by the container (grows with what is placed). */
  materials: Set<string>;
  /** The render channel budget left once the placed species' materials are known. */
  channelBudget: (placed: ReadonlySet<SpeciesForScene>) => number;
  /** Builds an animal's scene object (the sampler's, so both placements label alike). */
  animalObject: (index: number, sp: SpeciesForScene, position: Vec3, q: Quat, scale: number, lengthMm: number, pose?: AnimalPose) => SceneObject;
}

export interface Arranged {
  objects: SceneObject[];
  placedSpecies: Set<SpeciesForScene>;
  lengths: number[];
  concealedAs: string[];
  clutterVolume: number;
  /** Volume of the placed animals' boxes (each with its concealment), cubic metres. */
  animalVolume: number;
  clutterCount: number;
  fillTarget: number | null;
  /** Deepest contact the engine reports after settling, metres. */
  penetration: number;
  /** Simulation steps taken. */
  steps: number;
}

interface AnimalDraw {
  sp: SpeciesForScene;
  lengthMm: number;
  scale: number;
  half: Vec3;
  centre: Vec3;
  /** Joint rotations (absent: the model as stored) and the collision shapes of that pose. */
  pose?: AnimalPose;
  colliders: ColliderSpec[];
}

/** A dropped animal: its body, and how to turn the body's pose into the scene objects. */
interface AnimalBody {
  draw: AnimalDraw;
  body: DropBody;
  /** The animal's rotation and origin in the body's frame. */
  q: Quat;
  offset: Vec3;
  concealment: Concealment | null;
}

/** Collision hulls of a species at `scale` (its bounds box when the library gave none). */
export function speciesColliders(sp: SpeciesForScene, scale: number): ColliderSpec[] {
  if (sp.hulls && sp.hulls.length > 0) {
    return sp.hulls.map((h) => ({ shape: { type: 'hull', points: h.map((v) => v * scale) }, offset: [0, 0, 0], rotation: [0, 0, 0, 1] }));
  }
  const b = sp.bounds;
  return [
    {
      shape: { type: 'cuboid', half: [0, 1, 2].map((k) => ((b.max[k]! - b.min[k]!) / 2) * scale) as Vec3 },
      offset: [0, 1, 2].map((k) => ((b.max[k]! + b.min[k]!) / 2) * scale) as Vec3,
      rotation: [0, 0, 0, 1],
    },
  ];
}

function offsetColliders(colliders: ColliderSpec[], q: Quat, offset: Vec3): ColliderSpec[] {
  return colliders.map((c) => {
    const p = rotateVec(q, c.offset);
    return { shape: c.shape, offset: [p[0] + offset[0], p[1] + offset[1], p[2] + offset[2]] as Vec3, rotation: multiply(q, c.rotation) };
  });
}

/** Two orientations a quarter turn apart about the vertical (from a random one), each jittered and tilted a little; then the same two exactly square. */
function squareTurns(rng: Rng): Quat[] {
  const start = rng.int(0, 3);
  const jittered = [0, 1].map((k) => multiply(flatQuat(rng, 6), yawQuat(((start + k) % 4) * (Math.PI / 2) + rng.uniform(-0.25, 0.25))));
  // Then exactly square, for an item that only just fits the bag's width.
  return [...jittered, yawQuat(start * (Math.PI / 2)), yawQuat((start + 1) * (Math.PI / 2))];
}

/** Volume of the box round a body's colliders, in its own frame. */
function bodyVolume(colliders: readonly ColliderSpec[]): number {
  const b = collidersBox(colliders);
  return (b.max[0] - b.min[0]) * (b.max[1] - b.min[1]) * (b.max[2] - b.min[2]);
}

/** Whether a scene's contents reached the fill target: at least 0.9 of it, or within 0.03 of it. */
export function fillReached(reached: number, target: number): boolean {
  return reached >= 0.9 * target || Math.abs(reached - target) <= 0.03;
}

/** The larger face of an item's box: what it covers lying flat. */
function footprint(item: ItemModel): number {
  const [x, y, z] = item.halfExtents;
  return Math.max(x * z, x * y, y * z);
}

export function arrangeWithPhysics(input: ArrangeInput): Arranged {
  const { preset, seed, rng, interior, roomHeight, byId, materials } = input;
  const pile = new Pile(interior, new Rng(deriveSeed(seed, 'physics-drop')), PILE_DEFAULTS);
  try {
    const conceal = preset.animals.concealment.length > 0 ? new Rng(deriveSeed(seed, 'concealment')) : null;
    const concealWeights = preset.animals.concealment.map((c) => c.weight);
    const turn = new Rng(deriveSeed(seed, 'physics-turn'));

    // Each animal's pose comes from a stream of its own, so posing changes no other draw.
    const drawAnimal = (from: Rng, id: string, poseStream: Rng): AnimalDraw => {
      const sp = byId.get(id);
      if (!sp) {
        throw new ExorayError(
          'E_PRESET',
          `preset ${preset.name}: animals.species names "${id}", which is not in the species catalog (${[...byId.keys()].join(', ')}).`,
        );
      }
      const lengthMm = from.uniform(sp.sizeMm.min, sp.sizeMm.max);
      const scale = lengthMm / sp.modelLengthMm;
      const posed = poseAnimal(sp.rig, sp.bounds, preset.pose ?? DEFAULT_POSE_SETTINGS, poseStream);
      const half: Vec3 = [0, 1, 2].map((k) => ((posed.bounds.max[k]! - posed.bounds.min[k]!) / 2) * scale) as Vec3;
      const centre: Vec3 = [0, 1, 2].map((k) => ((posed.bounds.max[k]! + posed.bounds.min[k]!) / 2) * scale) as Vec3;
      const colliders = (posed.pose && sp.rig && posedColliders(sp.rig, posed.pose, scale)) || speciesColliders(sp, scale);
      return { sp, lengthMm, scale, half, centre, colliders, ...(posed.pose ? { pose: posed.pose } : {}) };
    };

    /** A loose animal: its hulls, dropped in an orientation of its kind ('any': uniform; 'flat': on its belly). */
    const loose = (d: AnimalDraw, from: Rng): AnimalBody => {
      const q = d.sp.orientation === 'flat' ? flatQuat(from) : from.quaternion();
      return { draw: d, q: [0, 0, 0, 1], offset: [0, 0, 0], concealment: null, body: { colliders: d.colliders, rotation: q, upright: d.sp.orientation === 'flat', together: true } };
    };

    /** A hidden animal: square in its concealment, the two one body in the concealment's frame. */
    const hidden = (d: AnimalDraw, kind: Parameters<typeof buildConcealment>[0]): AnimalBody | null => {
      const q = squareQuat(conceal!, d.sp.orientation);
      const concealment = buildConcealment(kind, conceal!, rotatedHalfExtents(q, d.half));
      if (!concealment) return null;
      const off = rotateVec(q, d.centre);
      return {
        draw: d,
        q,
        offset: [-off[0], -off[1], -off[2]],
        concealment,
        body: { colliders: itemColliders(concealment.parts), rotation: flatQuat(turn, 5), upright: d.sp.orientation === 'flat', together: true },
      };
    };

    // Animals first: drawn as the box packer drew them, dropped in batches, retried turned another way when they do not fit.
    const planned: AnimalBody[] = [];
    for (let i = 0; i < input.animalCount; i++) {
      const d = drawAnimal(rng, rng.pick(preset.animals.species), new Rng(deriveSeed(seed, 'pose', i)));
      let body: AnimalBody | null = null;
      if (conceal) {
        const kind = preset.animals.concealment[conceal.weightedIndex(concealWeights)]!.kind;
        if (kind !== 'loose') body = hidden(d, kind);
      }
      planned.push(body ?? loose(d, rng));
    }
    const placedAnimals: Array<{ a: AnimalBody; handle: number }> = [];
    let pending = planned;
    for (let attempt = 0; attempt < ANIMAL_TRIES && pending.length > 0; attempt++) {
      const failed: AnimalBody[] = [];
      for (let start = 0; start < pending.length; start += BATCH) {
        const batch = pending.slice(start, start + BATCH);
        pile.drop(batch.map((a) => a.body)).forEach((h, k) => {
          if (h === null) failed.push(batch[k]!);
          else placedAnimals.push({ a: batch[k]!, handle: h });
        });
      }
      // Another orientation for those that did not fit (a loose one is redrawn; a hidden one keeps its wrap, turned).
      pending = failed.map((a) => (a.concealment ? { ...a, body: { ...a.body, rotation: flatQuat(turn, 5) } } : loose(a.draw, turn)));
    }
    if (input.animalCount > 0 && placedAnimals.length === 0) {
      // Nothing fitted as drawn (a thin envelope, a big snake in a small case): redraw from a
      // stream of its own, lying flat, so a scene that fits at all still gets its animal.
      const again = new Rng(deriveSeed(seed, 'animal-fallback'));
      for (let tries = 0; tries < 40 && placedAnimals.length === 0; tries++) {
        const id = again.pick(preset.animals.species);
        if (!byId.has(id)) break;
        const d = drawAnimal(again, id, new Rng(deriveSeed(seed, 'pose-fallback', tries)));
        const a: AnimalBody = { draw: d, q: [0, 0, 0, 1], offset: [0, 0, 0], concealment: null, body: { colliders: d.colliders, rotation: flatQuat(again), upright: true } };
        const [h] = pile.drop([a.body]);
        if (h !== null && h !== undefined) placedAnimals.push({ a, handle: h });
      }
    }
    if (input.animalCount > 0 && placedAnimals.length === 0) {
      throw new ExorayError(
        'E_PLACEMENT',
        `scene: no room for any animal in preset ${preset.name} (seed ${seed}); make container.size larger or clutter counts smaller.`,
      );
    }
    const placedSpecies = new Set(placedAnimals.map((p) => p.a.draw.sp));
    // The animals take room in the bag like anything else: the fill counts them.
    const animalVolume = placedAnimals.reduce((sum, p) => sum + bodyVolume(p.a.body.colliders), 0);
    for (const p of placedAnimals) p.a.concealment?.parts.forEach((part) => materials.add(part.material));
    const budget = input.channelBudget(placedSpecies);

    // Clutter: drawn from the main stream as before; dropped in batches.
    const clutter: Array<{ item: ItemModel; id: string; handle: number }> = [];
    let clutterVolume = 0;
    const fits = (item: ItemModel): boolean => {
      const added = new Set(item.parts.map((p) => p.material).filter((m) => !materials.has(m)));
      return materials.size + added.size <= budget;
    };
    const dropItems = (items: Array<{ item: ItemModel; id: string }>): boolean[] => {
      const ok = items.map(() => false);
      const live: Array<{ item: ItemModel; id: string; k: number }> = [];
      for (const [k, x] of items.entries()) {
        if (!fits(x.item)) continue;
        if (!drapeable(x.item)) {
          live.push({ ...x, k });
          continue;
        }
        // Folded clothes are laid, not dropped: cloth follows what is under it.
        const aim = pile.aimFor();
        const start = rng.int(0, 3);
        const plan = drapeOnField(x.item, pile.surface, pile.lidHeight, aim.at, aim.pull, [start, (start + 1) % 4]);
        const h = plan ? pile.lay(plan.parts.flatMap(partColliders), plan.position, plan.quaternion) : null;
        if (h === null) continue;
        const item = { ...x.item, parts: plan!.parts };
        item.parts.forEach((p) => materials.add(p.material));
        clutter.push({ item, id: x.id, handle: h });
        clutterVolume += 8 * x.item.halfExtents[0] * x.item.halfExtents[1] * x.item.halfExtents[2];
        ok[k] = true;
      }
      if (live.length === 0) return ok;
      // A soft item that fits nowhere as it is may go in pressed flatter: half way to its limit, then at it.
      const pressed = live.map(({ item }) => {
        const limit = squashLimit(item);
        return limit < 1 ? [squashItem(item, (1 + limit) / 2), squashItem(item, limit)] : [];
      });
      const handles = pile.drop(
        live.map(({ item }, j) => {
          // Loose things land any way up; flat ones (clothes, books, laptops) as people pack them:
          // roughly square to the walls, a quarter turn at a time if one way does not fit.
          const turns = item.freeRotation ? [rng.quaternion(), rng.quaternion(), rng.quaternion(), ...squareTurns(rng).slice(2)] : squareTurns(rng);
          return { colliders: itemColliders(item.parts), rotation: turns[0]!, turns: turns.slice(1), variants: pressed[j]!.map((p) => itemColliders(p.parts)) };
        }),
      );
      handles.forEach((h, j) => {
        if (h === null) return;
        const { id, k } = live[j]!;
        const variant = pile.variant(h);
        const item = variant === 0 ? live[j]!.item : pressed[j]![variant - 1]!;
        item.parts.forEach((p) => materials.add(p.material));
        clutter.push({ item, id, handle: h });
        clutterVolume += 8 * item.halfExtents[0] * item.halfExtents[1] * item.halfExtents[2];
        ok[k] = true;
      });
      return ok;
    };

    const interiorVolume = (interior.max[0] - interior.min[0]) * roomHeight * (interior.max[2] - interior.min[2]);
    let fillTarget: number | null = null;
    if (preset.fill === null) {
      const queue: Array<{ item: ItemModel; id: string }> = [];
      for (const entry of preset.clutter) {
        const count = rng.int(...entry.count);
        for (let i = 0; i < count; i++) {
          const item = buildClutter(entry.kind as ClutterKind, rng, roomHeight);
          queue.push({ item, id: `${item.kind}-${i}` });
        }
      }
      for (let start = 0; start < queue.length; start += BATCH) dropItems(queue.slice(start, start + BATCH));
    } else {
      fillTarget = rng.uniform(...preset.fill);
      const placed = preset.clutter.map(() => 0);
      const make = (e: number) => {
        const item = buildClutter(preset.clutter[e]!.kind as ClutterKind, rng, roomHeight);
        return { item, id: `${item.kind}-${placed[e]}`, e };
      };
      // Kinds that found no room twice are drawn no more (the bag only gets fuller), so the
      // draws go on to smaller kinds that still fit: gaps are filled with small things at the end.
      const missedKind = preset.clutter.map(() => 0);
      const run = (batch: Array<{ item: ItemModel; id: string; e: number }>): number => {
        const ok = dropItems(batch);
        let misses = 0;
        batch.forEach((b, k) => {
          if (ok[k]) placed[b.e]!++;
          else {
            misses++;
            missedKind[b.e]!++;
          }
        });
        return misses;
      };
      // The minimum of each kind first, then kinds by weight until the fill is reached or nothing more fits.
      const minimum: Array<{ item: ItemModel; id: string; e: number }> = [];
      preset.clutter.forEach((entry, e) => {
        for (let i = 0; i < entry.count[0]; i++) minimum.push(make(e));
      });
      // Large flat things first, as people pack: they lie on the floor, the small ones fill round them.
      minimum.sort((a, b) => footprint(b.item) - footprint(a.item));
      for (let start = 0; start < minimum.length; start += BATCH) run(minimum.slice(start, start + BATCH));
      let tries = 0;
      const target = fillTarget * interiorVolume - animalVolume;
      while (tries < 400 && clutterVolume < target) {
        const batch: Array<{ item: ItemModel; id: string; e: number }> = [];
        const drawn = preset.clutter.map(() => 0);
        let volume = clutterVolume;
        // Draws cover the fill still missing (so the last round does not overshoot much); they all
        // go in largest footprint first, as people pack, and the small ones fill round them.
        while (volume < target && tries < 400) {
          const weights = preset.clutter.map((entry, e) => (placed[e]! + drawn[e]! < entry.count[1] && missedKind[e]! < KIND_MISSES ? entry.weight : 0));
          if (!weights.some((w) => w > 0)) break;
          const e = rng.weightedIndex(weights);
          const next = make(e);
          next.id = `${next.item.kind}-${placed[e]! + drawn[e]!}`;
          drawn[e]!++;
          tries++;
          batch.push(next);
          volume += 8 * next.item.halfExtents[0] * next.item.halfExtents[1] * next.item.halfExtents[2];
        }
        if (batch.length === 0) break;
        batch.sort((a, b) => footprint(b.item) - footprint(a.item));
        for (let start = 0; start < batch.length; start += BATCH) run(batch.slice(start, start + BATCH));
      }
    }

    // Poses after everything has landed (later drops push earlier ones).
    const objects: SceneObject[] = [];
    const lengths: number[] = [];
    const concealedAs: string[] = [];
    placedAnimals.forEach(({ a, handle }, index) => {
      const pose = pile.pose(handle);
      const d = a.draw;
      if (a.concealment) {
        objects.push({ id: `concealment-${index}`, role: 'clutter', kind: a.concealment.kind, parts: a.concealment.parts, position: pose.position, quaternion: pose.quaternion, scale: 1 });
      }
      const o = rotateVec(pose.quaternion, a.offset);
      const position: Vec3 = [pose.position[0] + o[0], pose.position[1] + o[1], pose.position[2] + o[2]];
      objects.push(input.animalObject(index, d.sp, position, multiply(pose.quaternion, a.q), d.scale, d.lengthMm, d.pose));
      lengths.push(Math.round(d.lengthMm * 1000) / 1000);
      concealedAs.push(a.concealment ? a.concealment.kind : 'loose');
    });
    const ids = new Set(objects.map((o) => o.id));
    for (const c of clutter) {
      const pose = pile.pose(c.handle);
      let unique = c.id;
      for (let k = 2; ids.has(unique); k++) unique = `${c.id}-${k}`;
      ids.add(unique);
      objects.push({ id: unique, role: 'clutter', kind: c.item.kind, parts: c.item.parts as Part[], position: pose.position, quaternion: pose.quaternion, scale: 1 });
    }
    return {
      objects,
      placedSpecies,
      lengths,
      concealedAs,
      clutterVolume,
      animalVolume,
      clutterCount: clutter.length,
      fillTarget,
      penetration: pile.maxPenetration(),
      steps: pile.stats.steps,
    };
  } finally {
    pile.free();
  }
}
