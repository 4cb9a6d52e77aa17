/**
 * Ordinary parcel contents, each built from the materials it is really made of,
 * so they attenuate like the real thing. Builders are pure: (rng, room) -> parts.
 * Every item is centred on its local origin with its bounding box given, which
 * the placer uses to keep items apart.
 */
import type { Rng } from '../core/rng.js';
import type { Part, Vec3 } from '../core/types.js';

export const CLUTTER_KINDS = ['folded-shirt', 'plastic-bottle', 'phone'] as const;
export type ClutterKind = (typeof CLUTTER_KINDS)[number];

export interface ItemModel {
  kind: string;
  parts: Part[];
  /** Half size of the item's local bounding box, centred on the origin. */
  halfExtents: Vec3;
  /** Whether the item may turn freely (false: it lies flat, turning only about the vertical). */
  freeRotation: boolean;
}

/** A shirt folded into a flat stack of cotton layers, with a few plastic buttons on top. */
function foldedShirt(rng: Rng): ItemModel {
  const w = rng.uniform(0.18, 0.24);
  const d = rng.uniform(0.14, 0.2);
  const h = rng.uniform(0.015, 0.04);
  const r = 0.0055;
  const t = 0.002;
  // Centred on the whole item (cloth plus buttons on top), so its box is exact.
  const parts: Part[] = [{ shape: { type: 'box', size: [w, h, d] }, material: 'cotton', offset: [0, -t / 2, 0] }];
  const buttons = rng.int(3, 6);
  for (let i = 0; i < buttons; i++) {
    const z = -d / 2 + (d * (i + 0.5)) / buttons;
    parts.push({ shape: { type: 'cylinder', radius: r, height: t }, material: 'abs', offset: [0, h / 2, z] });
  }
  return { kind: 'folded-shirt', parts, halfExtents: [w / 2, h / 2 + t / 2, d / 2], freeRotation: false };
}

/** A PET bottle standing upright, partly filled with water (needs the room's height). */
function plasticBottle(rng: Rng, roomHeight: number): ItemModel {
  const radius = rng.uniform(0.025, 0.035);
  const height = Math.min(rng.uniform(0.1, 0.2), roomHeight - 0.004);
  const wall = 0.0004;
  const fill = rng.uniform(0.3, 0.95);
  const inner = height - 2 * wall;
  const liquid = inner * fill;
  const parts: Part[] = [
    { shape: { type: 'hollowCylinder', radius, height, wall }, material: 'pet' },
    {
      shape: { type: 'cylinder', radius: radius - wall, height: liquid },
      material: 'water',
      offset: [0, -inner / 2 + liquid / 2, 0],
    },
  ];
  return { kind: 'plastic-bottle', parts, halfExtents: [radius, height / 2, radius], freeRotation: false };
}

/** A smartphone: glass front, lithium-ion cell, circuit board and an aluminium back, stacked. */
function phone(rng: Rng): ItemModel {
  const w = rng.uniform(0.065, 0.078);
  const d = rng.uniform(0.14, 0.165);
  const glass = 0.0008;
  const pcb = 0.0012;
  const cell = rng.uniform(0.0035, 0.0045);
  const back = 0.001;
  const layers: Array<[string, number, number, number]> = [
    // material, thickness, width, depth
    ['aluminium', back, w, d],
    ['li_ion_cell', cell, w - 0.01, d * 0.55],
    ['pcb', pcb, w - 0.012, d * 0.3],
    ['glass', glass, w, d],
  ];
  const total = back + cell + glass;
  const parts: Part[] = [];
  let y = -total / 2;
  for (const [material, t, lw, ld] of layers) {
    if (material === 'pcb') {
      // The board sits beside the cell, not on it, at the cell's level.
      parts.push({ shape: { type: 'box', size: [lw, t, ld] }, material, offset: [0, -total / 2 + back + t / 2, d * 0.32] });
      continue;
    }
    const zOffset = material === 'li_ion_cell' ? -d * 0.15 : 0;
    parts.push({ shape: { type: 'box', size: [lw, t, ld] }, material, offset: [0, y + t / 2, zOffset] });
    y += t;
  }
  return { kind: 'phone', parts, halfExtents: [w / 2, total / 2, d / 2], freeRotation: false };
}

export function buildClutter(kind: ClutterKind, rng: Rng, roomHeight: number): ItemModel {
  switch (kind) {
    case 'folded-shirt':
      return foldedShirt(rng);
    case 'plastic-bottle':
      return plasticBottle(rng, roomHeight);
    case 'phone':
      return phone(rng);
  }
}
