/**
 * The scene sampler: a pure function of (preset, species, seed) to a
 * SceneDescription. Same inputs, same scene, on any machine.
 *
 * Draws that later features added (container structure, negatives, belt rotation)
 * come from their own derived streams, so presets that do not use them sample
 * exactly as they did before.
 */
import { ExorayError } from '../core/errors.js';
import { Rng, deriveSeed } from '../core/rng.js';
import type { AnimalPose, Quat, SceneDescription, SceneObject, SceneRandomisation, Vec3 } from '../core/types.js';
import { MAX_MATERIAL_CHANNELS } from '../render/request.js';
import { buildClutter, type ClutterKind, type ItemModel } from './clutter/index.js';
import { buildContainer } from './containers/index.js';
import { buildConcealment, type Concealment } from './concealment.js';
import { Packer, rotateVec, rotatedHalfExtents, yawQuat, type Aabb } from './placement.js';
import type { Preset } from './preset.js';
import { frameScanner } from './framing.js';
import { arrangeWithPhysics } from './physics/arrange.js';
import { flatQuat, multiply, squareQuat } from './orientation.js';
import type { PoseRig } from '../species/rig/pose-rig.js';
import { DEFAULT_POSE_SETTINGS, poseAnimal } from './pose.js';

/** What the sampler needs to know of a species: its labels, real size, and its model's size. */
export interface SpeciesForScene {
  id: string;
  scientificName: string;
  commonName: string;
  sizeMm: { min: number; max: number };
  /** Body length of the model as stored, in millimetres. */
  modelLengthMm: number;
  /** Bounding box of the model as stored, metres. */
  bounds: Aabb;
  /** 'any': uniformly random orientation; 'flat': resting on its belly, turned about the vertical. */
  orientation: 'any' | 'flat';
  /** Materials of the model's parts (they take render channels); unknown: a few are reserved. */
  materials?: readonly string[];
  /**
   * Collision hulls for physics placement: point sets in the model frame (xyz flattened) whose
   * convex hulls cover the model (speciesHulls()); absent: its bounds box stands in.
   */
  hulls?: readonly (readonly number[])[];
  /** Skeleton, joint boxes, morph targets and clips, for posing; absent: placed as stored. */
  rig?: PoseRig;
}

const IDENTITY: [number, number, number, number] = [0, 0, 0, 1];
/** Channels reserved per species whose materials the caller did not give. */
const UNKNOWN_SPECIES_MATERIALS = 6;

/** The scene object of a placed animal: the species' model as an asset, with its label. */
function animalObject(index: number, sp: SpeciesForScene, position: Vec3, q: Quat, scale: number, lengthMm: number, pose?: AnimalPose): SceneObject {
  return {
    id: `animal-${index}`,
    role: 'animal',
    kind: sp.id,
    parts: [{ shape: { type: 'asset', asset: sp.id }, material: '' }],
    position,
    quaternion: q,
    scale,
    label: { species: sp.id, scientificName: sp.scientificName, commonName: sp.commonName, lengthMm: round(lengthMm, 3) },
    ...(pose ? { pose } : {}),
  };
}

export function sampleScene(preset: Preset, species: readonly SpeciesForScene[], seed: number): SceneDescription {
  const rng = new Rng(seed);
  const c = preset.container;
  const outer: Vec3 = [rng.uniform(...c.size.x), rng.uniform(...c.size.y), rng.uniform(...c.size.z)];
  const wall = rng.uniform(...c.wall);
  const container = buildContainer(c.kind, new Rng(deriveSeed(seed, 'container')), { outer, wall, material: c.material });
  const objects: SceneObject[] = [
    { id: 'container', role: 'container', kind: c.kind, parts: container.parts, position: [0, outer[1] / 2, 0], quaternion: IDENTITY, scale: 1 },
  ];
  const interior = container.interior;
  const roomHeight = interior.max[1] - interior.min[1];
  const packer = new Packer(interior);
  const materials = new Set(container.parts.map((p) => p.material));

  // Animals go in first, as smugglers pack them: under and between what follows.
  const negative = preset.animals.negativeShare > 0 && new Rng(deriveSeed(seed, 'negative')).next() < preset.animals.negativeShare;
  const byId = new Map(species.map((s) => [s.id, s]));
  const animalCount = negative ? 0 : rng.int(...preset.animals.count);
  const placedSpecies = new Set<SpeciesForScene>();
  const lengths: number[] = [];
  const concealedAs: string[] = [];
  const conceal = preset.animals.concealment.length > 0 ? new Rng(deriveSeed(seed, 'concealment')) : null;
  const concealWeights = preset.animals.concealment.map((c) => c.weight);
  if (preset.placement === 'physics') {
    const arranged = arrangeWithPhysics({
      preset, seed, rng, interior, roomHeight, byId, animalCount, materials, animalObject,
      channelBudget: (placed) => channelBudget(placed, materials),
    });
    objects.push(...arranged.objects);
    const animals = arranged.objects.filter((o) => o.role === 'animal').length;
    const { lengths, concealedAs, clutterVolume, animalVolume, clutterCount, fillTarget } = arranged;
    return describeScene(preset, seed, {
      outer, wall, interior, objects, negative, animalCount: animals, lengths, concealedAs, clutterVolume, animalVolume, clutterCount, fillTarget,
      penetrationMm: arranged.penetration * 1000,
    });
  }
  let placedAnimals = 0;
  let animalVolume = 0;
  for (let i = 0; i < animalCount; i++) {
    const id = rng.pick(preset.animals.species);
    const sp = byId.get(id);
    if (!sp) {
      throw new ExorayError(
        'E_PRESET',
        `preset ${preset.name}: animals.species names "${id}", which is not in the species catalog (${[...byId.keys()].join(', ')}).`,
      );
    }
    const lengthMm = rng.uniform(sp.sizeMm.min, sp.sizeMm.max);
    const scale = lengthMm / sp.modelLengthMm;
    // The pose (its own stream) decides the bounds the animal must fit.
    const posed = poseAnimal(sp.rig, sp.bounds, preset.pose ?? DEFAULT_POSE_SETTINGS, new Rng(deriveSeed(seed, 'pose', i)));
    const half: Vec3 = [0, 1, 2].map((k) => ((posed.bounds.max[k]! - posed.bounds.min[k]!) / 2) * scale) as Vec3;
    const centre: Vec3 = [0, 1, 2].map((k) => ((posed.bounds.max[k]! + posed.bounds.min[k]!) / 2) * scale) as Vec3;
    let q: Quat = [0, 0, 0, 1];
    let position: Vec3 | null = null;
    let hidden: { concealment: Concealment; at: Vec3 } | null = null;
    if (conceal) {
      // Hidden animals lie square in their concealment, which is packed like any item.
      const kind = preset.animals.concealment[conceal.weightedIndex(concealWeights)]!.kind;
      for (let turn = 0; turn < 4 && !position && kind !== 'loose'; turn++) {
        q = squareQuat(conceal, sp.orientation);
        const concealment = buildConcealment(kind, conceal, rotatedHalfExtents(q, half));
        if (!concealment) break;
        const at = packer.place(rng, { half: concealment.half, centreOffset: [0, 0, 0] }, 30);
        if (!at) continue;
        const off = rotateVec(q, centre);
        position = [at[0] - off[0], at[1] - off[1], at[2] - off[2]];
        hidden = { concealment, at };
      }
    }
    // A few orientations are tried: the orientation is drawn among those that fit the room left.
    for (let turn = 0; turn < 8 && !position; turn++) {
      q = sp.orientation === 'flat' ? flatQuat(rng) : rng.quaternion();
      position = packer.place(rng, { half: rotatedHalfExtents(q, half), centreOffset: rotateVec(q, centre) }, 30);
    }
    if (!position) continue;
    placedSpecies.add(sp);
    lengths.push(round(lengthMm, 3));
    concealedAs.push(hidden ? hidden.concealment.kind : 'loose');
    const box = hidden ? hidden.concealment.half : rotatedHalfExtents(q, half);
    animalVolume += 8 * box[0] * box[1] * box[2];
    if (hidden) {
      hidden.concealment.parts.forEach((p) => materials.add(p.material));
      objects.push({ id: `concealment-${placedAnimals}`, role: 'clutter', kind: hidden.concealment.kind, parts: hidden.concealment.parts, position: hidden.at, quaternion: IDENTITY, scale: 1 });
    }
    objects.push(animalObject(placedAnimals++, sp, position, q, scale, lengthMm, posed.pose));
  }
  if (animalCount > 0 && placedAnimals === 0) {
    // Nothing fitted as drawn (a thin envelope, a big snake in a small case): redraw from a
    // stream of its own, lying flat, so a scene that fits at all still gets its animal.
    const again = new Rng(deriveSeed(seed, 'animal-fallback'));
    for (let tries = 0; tries < 40 && placedAnimals === 0; tries++) {
      const sp = byId.get(again.pick(preset.animals.species));
      if (!sp) break;
      const lengthMm = again.uniform(sp.sizeMm.min, sp.sizeMm.max);
      const scale = lengthMm / sp.modelLengthMm;
      const posed = poseAnimal(sp.rig, sp.bounds, preset.pose ?? DEFAULT_POSE_SETTINGS, new Rng(deriveSeed(seed, 'pose-fallback', tries)));
      const half: Vec3 = [0, 1, 2].map((k) => ((posed.bounds.max[k]! - posed.bounds.min[k]!) / 2) * scale) as Vec3;
      const centre: Vec3 = [0, 1, 2].map((k) => ((posed.bounds.max[k]! + posed.bounds.min[k]!) / 2) * scale) as Vec3;
      const q = flatQuat(again);
      const position = packer.place(again, { half: rotatedHalfExtents(q, half), centreOffset: rotateVec(q, centre) }, 30);
      if (!position) continue;
      placedSpecies.add(sp);
      lengths.push(round(lengthMm, 3));
      concealedAs.push('loose');
      animalVolume += 8 * half[0] * half[1] * half[2];
      objects.push(animalObject(placedAnimals++, sp, position, q, scale, lengthMm, posed.pose));
    }
  }
  if (animalCount > 0 && placedAnimals === 0) {
    throw new ExorayError(
      'E_PLACEMENT',
      `scene: no room for any animal in preset ${preset.name} (seed ${seed}); make container.size larger or clutter counts smaller.`,
    );
  }

  const budget = channelBudget(placedSpecies, materials);
  const ids = new Set(objects.map((o) => o.id));
  let clutterVolume = 0;
  let clutterCount = 0;

  /** Places one item square-ish to the walls (settled low when `settle`); false when it does not fit. */
  const placeItem = (item: ItemModel, id: string, settle = false): boolean => {
    const added = item.parts.map((p) => p.material).filter((m) => !materials.has(m));
    if (materials.size + new Set(added).size > budget) return false;
    // Flat items are packed roughly square to the walls, as people pack; a few turns are tried before giving up.
    let q = yawQuat(0);
    let position: Vec3 | null = null;
    for (let turn = 0; turn < 8 && !position; turn++) {
      q = yawQuat(rng.int(0, 3) * (Math.PI / 2) + rng.uniform(-0.25, 0.25));
      const request = { half: rotatedHalfExtents(q, item.halfExtents), centreOffset: [0, 0, 0] as Vec3 };
      position = settle ? packer.placeLowest(rng, request) : packer.place(rng, request, 30);
    }
    // A full parcel simply holds fewer items; the scene records what fitted.
    if (!position) return false;
    added.forEach((m) => materials.add(m));
    let unique = id;
    for (let k = 2; ids.has(unique); k++) unique = `${id}-${k}`;
    ids.add(unique);
    objects.push({ id: unique, role: 'clutter', kind: item.kind, parts: item.parts, position, quaternion: q, scale: 1 });
    clutterVolume += 8 * item.halfExtents[0] * item.halfExtents[1] * item.halfExtents[2];
    clutterCount++;
    return true;
  };

  const interiorVolume = (interior.max[0] - interior.min[0]) * roomHeight * (interior.max[2] - interior.min[2]);
  let fillTarget: number | null = null;
  if (preset.fill === null) {
    for (const entry of preset.clutter) {
      const count = rng.int(...entry.count);
      for (let i = 0; i < count; i++) {
        const item = buildClutter(entry.kind as ClutterKind, rng, roomHeight);
        placeItem(item, `${item.kind}-${i}`);
      }
    }
  } else {
    fillTarget = rng.uniform(...preset.fill);
    const placed = preset.clutter.map(() => 0);
    const add = (e: number): boolean => {
      const item = buildClutter(preset.clutter[e]!.kind as ClutterKind, rng, roomHeight);
      if (!placeItem(item, `${item.kind}-${placed[e]}`, true)) return false;
      placed[e]!++;
      return true;
    };
    // The minimum of each kind first, then kinds by weight until the fill is reached or nothing more fits.
    preset.clutter.forEach((entry, e) => {
      for (let i = 0; i < entry.count[0]; i++) add(e);
    });
    let misses = 0;
    // The animals count towards the fill: they take room in the bag like anything else.
    for (let tries = 0; tries < 400 && misses < 20 && clutterVolume + animalVolume < fillTarget * interiorVolume; tries++) {
      const weights = preset.clutter.map((entry, e) => (placed[e]! < entry.count[1] ? entry.weight : 0));
      if (!weights.some((w) => w > 0)) break;
      if (add(rng.weightedIndex(weights))) misses = 0;
      else misses++;
    }
  }

  return describeScene(preset, seed, { outer, wall, interior, objects, negative, animalCount: placedAnimals, lengths, concealedAs, clutterVolume, animalVolume, clutterCount, fillTarget });
}

/** The renderer has a fixed number of material channels: the placed species take theirs (adding them to `materials`), the rest is left for clutter. */
function channelBudget(placedSpecies: ReadonlySet<SpeciesForScene>, materials: Set<string>): number {
  let reserved = 0;
  for (const sp of placedSpecies) {
    if (sp.materials) sp.materials.forEach((m) => materials.add(m));
    else reserved += UNKNOWN_SPECIES_MATERIALS;
  }
  return MAX_MATERIAL_CHANNELS - reserved;
}

interface Contents {
  outer: Vec3;
  wall: number;
  interior: { min: Vec3; max: Vec3 };
  objects: SceneObject[];
  negative: boolean;
  animalCount: number;
  lengths: number[];
  concealedAs: string[];
  clutterVolume: number;
  /** Volume of the animals' boxes (each with its concealment), cubic metres. */
  animalVolume: number;
  clutterCount: number;
  fillTarget: number | null;
  /** Physics placement only: the deepest contact left after settling, millimetres. */
  penetrationMm?: number;
}

/** The scene on the belt: turned at the preset's yaw, framed, with its randomisation record. */
function describeScene(preset: Preset, seed: number, k: Contents): SceneDescription {
  const { outer, wall, interior, objects } = k;
  const c = preset.container;
  const roomHeight = interior.max[1] - interior.min[1];
  const interiorVolume = (interior.max[0] - interior.min[0]) * roomHeight * (interior.max[2] - interior.min[2]);
  // The bag lies on the belt at an angle: the whole scene turns about the vertical through its centre.
  let yawDeg = 0;
  let footprint: Vec3 = outer;
  if (preset.belt) {
    yawDeg = round(new Rng(deriveSeed(seed, 'belt')).uniform(...preset.belt.yawDeg), 3);
    const a = (yawDeg * Math.PI) / 180;
    const turn = yawQuat(a);
    for (const o of objects) {
      o.position = rotateVec(turn, o.position);
      o.quaternion = multiply(turn, o.quaternion);
    }
    const cos = Math.abs(Math.cos(a));
    const sin = Math.abs(Math.sin(a));
    footprint = [cos * outer[0] + sin * outer[2], outer[1], sin * outer[0] + cos * outer[2]];
  }

  const randomisation: SceneRandomisation = {
    containerKind: c.kind,
    containerSize: outer.map((v) => round(v, 6)) as Vec3,
    wall: round(wall, 7),
    interior: { min: interior.min.map((v) => round(v, 6)) as Vec3, max: interior.max.map((v) => round(v, 6)) as Vec3 },
    fillTarget: k.fillTarget === null ? null : round(k.fillTarget, 4),
    clutterFill: round(k.clutterVolume / interiorVolume, 4),
    contentsFill: round((k.clutterVolume + k.animalVolume) / interiorVolume, 4),
    clutterCount: k.clutterCount,
    negative: k.negative,
    animalCount: k.animalCount,
    animalLengthsMm: k.lengths,
    animalConcealment: k.concealedAs,
    beltYawDeg: yawDeg,
    footprint: footprint.map((v) => round(v, 6)) as Vec3,
  };
  // Recorded only for physics placement, so scenes of the box packer stay as they were.
  if (k.penetrationMm !== undefined) {
    randomisation.placement = 'physics';
    randomisation.penetrationMm = round(k.penetrationMm, 4);
  }
  return {
    version: 1,
    seed,
    preset: preset.name,
    scanner: frameScanner(preset.scanner, footprint),
    objects,
    randomisation,
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
