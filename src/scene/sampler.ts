/**
 * The scene sampler: a pure function of (preset, species, seed) to a
 * SceneDescription. Same inputs, same scene, on any machine.
 */
import { ExorayError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Quat, SceneDescription, SceneObject, Vec3 } from '../core/types.js';
import { buildClutter, type ClutterKind } from './clutter.js';
import { Packer, rotateVec, rotatedHalfExtents, yawQuat, type Aabb } from './placement.js';
import type { Preset } from './preset.js';
import { frameScanner } from './framing.js';

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
}

const IDENTITY: [number, number, number, number] = [0, 0, 0, 1];

export function sampleScene(preset: Preset, species: readonly SpeciesForScene[], seed: number): SceneDescription {
  const rng = new Rng(seed);
  const c = preset.container;
  const outer: Vec3 = [rng.uniform(...c.size.x), rng.uniform(...c.size.y), rng.uniform(...c.size.z)];
  const wall = rng.uniform(...c.wall);
  const objects: SceneObject[] = [
    {
      id: 'container',
      role: 'container',
      kind: c.kind,
      parts: [{ shape: { type: 'hollowBox', size: outer, wall }, material: c.material }],
      position: [0, outer[1] / 2, 0],
      quaternion: IDENTITY,
      scale: 1,
    },
  ];
  const interior: Aabb = {
    min: [-outer[0] / 2 + wall, wall, -outer[2] / 2 + wall],
    max: [outer[0] / 2 - wall, outer[1] - wall, outer[2] / 2 - wall],
  };
  const roomHeight = interior.max[1] - interior.min[1];
  const packer = new Packer(interior);

  // Animals go in first, as smugglers pack them: under and between what follows.
  const byId = new Map(species.map((s) => [s.id, s]));
  const animalCount = rng.int(...preset.animals.count);
  let placedAnimals = 0;
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
    const half: Vec3 = [0, 1, 2].map((k) => ((sp.bounds.max[k]! - sp.bounds.min[k]!) / 2) * scale) as Vec3;
    const centre: Vec3 = [0, 1, 2].map((k) => ((sp.bounds.max[k]! + sp.bounds.min[k]!) / 2) * scale) as Vec3;
    // A few orientations are tried: the orientation is drawn among those that fit the room left.
    let q: Quat = [0, 0, 0, 1];
    let position: Vec3 | null = null;
    for (let turn = 0; turn < 8 && !position; turn++) {
      q = sp.orientation === 'flat' ? flatQuat(rng) : rng.quaternion();
      position = packer.place(rng, { half: rotatedHalfExtents(q, half), centreOffset: rotateVec(q, centre) }, 30);
    }
    if (!position) continue;
    objects.push({
      id: `animal-${placedAnimals++}`,
      role: 'animal',
      kind: sp.id,
      parts: [{ shape: { type: 'asset', asset: sp.id }, material: '' }],
      position,
      quaternion: q,
      scale,
      label: { species: sp.id, scientificName: sp.scientificName, commonName: sp.commonName, lengthMm: round(lengthMm, 3) },
    });
  }
  if (animalCount > 0 && placedAnimals === 0) {
    throw new ExorayError(
      'E_PLACEMENT',
      `scene: no room for any animal in preset ${preset.name} (seed ${seed}); make container.size larger or clutter counts smaller.`,
    );
  }

  for (const entry of preset.clutter) {
    const count = rng.int(...entry.count);
    for (let i = 0; i < count; i++) {
      const item = buildClutter(entry.kind as ClutterKind, rng, roomHeight);
      // Flat items are packed roughly square to the walls, as people pack; a few turns are tried before giving up.
      let q = yawQuat(0);
      let position: Vec3 | null = null;
      for (let turn = 0; turn < 8 && !position; turn++) {
        q = yawQuat(rng.int(0, 3) * (Math.PI / 2) + rng.uniform(-0.25, 0.25));
        position = packer.place(rng, { half: rotatedHalfExtents(q, item.halfExtents), centreOffset: [0, 0, 0] }, 30);
      }
      // A full parcel simply holds fewer items; the scene records what fitted.
      if (!position) continue;
      objects.push({
        id: `${item.kind}-${i}`,
        role: 'clutter',
        kind: item.kind,
        parts: item.parts,
        position,
        quaternion: q,
        scale: 1,
      });
    }
  }

  return {
    version: 1,
    seed,
    preset: preset.name,
    scanner: frameScanner(preset.scanner, outer),
    objects,
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Turned about the vertical at random, tilted up to 10 degrees about a random horizontal axis. */
function flatQuat(rng: Rng): Quat {
  const yaw = yawQuat(rng.uniform(0, 2 * Math.PI));
  const axis = rng.uniform(0, 2 * Math.PI);
  const tilt = (rng.uniform(0, 10) * Math.PI) / 180;
  const t: Quat = [Math.cos(axis) * Math.sin(tilt / 2), 0, Math.sin(axis) * Math.sin(tilt / 2), Math.cos(tilt / 2)];
  // t * yaw: turn first, then tilt.
  return [
    t[3] * yaw[0] + t[0] * yaw[3] + t[1] * yaw[2] - t[2] * yaw[1],
    t[3] * yaw[1] - t[0] * yaw[2] + t[1] * yaw[3] + t[2] * yaw[0],
    t[3] * yaw[2] + t[0] * yaw[1] - t[1] * yaw[0] + t[2] * yaw[3],
    t[3] * yaw[3] - t[0] * yaw[0] - t[1] * yaw[1] - t[2] * yaw[2],
  ];
}
