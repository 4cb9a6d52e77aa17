/** Clothes and shoes: low-density textiles, with the small dense parts (buttons, zips, eyelets) that show under X-ray. */
import type { Rng } from '../../core/rng.js';
import type { Part, Vec3 } from '../../core/types.js';
import { ALONG_X, ALONG_Z, axisAngle, box, cyl, ell, finish, part, type ItemModel } from './item.js';

/** A shirt folded into a flat stack of cotton layers, with a few plastic buttons on top. */
export function foldedShirt(rng: Rng): ItemModel {
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

/** Clothes stuffed in loosely: a lumpy cluster of overlapping-free fabric blobs of cotton or polyester. */
export function crumpledClothes(rng: Rng, roomHeight: number): ItemModel {
  const material = rng.next() < 0.5 ? 'cotton' : 'polyester';
  const blobs = rng.int(3, 6);
  const parts: Part[] = [];
  const maxR = Math.min(0.05, roomHeight / 2 - 0.002);
  // Blobs in a row along X, each in its own slot, so they touch but never overlap.
  let x = 0;
  for (let i = 0; i < blobs; i++) {
    const rx = rng.uniform(0.03, 0.06);
    const ry = rng.uniform(0.5, 1) * Math.max(0.012, maxR * 0.8);
    const rz = rng.uniform(0.04, 0.08);
    parts.push(ell([rx, ry, rz], material, [x + rx, 0, rng.uniform(-0.02, 0.02)], axisAngle([0, 1, 0], rng.uniform(-0.3, 0.3))));
    x += 2 * rx * 1.05 + 0.003;
  }
  return finish('crumpled-clothes', parts);
}

/** Jeans folded in four: thick cotton, a metal zip, a shank button and copper rivets. */
export function foldedTrousers(rng: Rng): ItemModel {
  const w = rng.uniform(0.22, 0.3);
  const d = rng.uniform(0.25, 0.35);
  const h = rng.uniform(0.03, 0.06);
  const parts: Part[] = [box([w, h, d], 'cotton')];
  const top = h / 2;
  const zipLen = rng.uniform(0.09, 0.12);
  parts.push(box([0.008, 0.0015, zipLen], 'brass', [w * 0.1, top + 0.00075, -d / 2 + zipLen / 2 + 0.01]));
  parts.push(cyl(0.0085, 0.003, 'brass', [w * 0.1 + 0.015, top + 0.0015, -d / 2 + 0.012]));
  const rivets = rng.int(2, 5);
  for (let i = 0; i < rivets; i++) {
    parts.push(cyl(0.003, 0.002, 'copper', [-w / 2 + 0.02 + i * 0.025, top + 0.001, -d / 2 + 0.02]));
  }
  return finish('folded-trousers', parts);
}

/** A pair of socks rolled into a ball. */
export function socks(rng: Rng): ItemModel {
  const material = rng.next() < 0.6 ? 'cotton' : 'polyester';
  const r = rng.uniform(0.025, 0.035);
  return finish('socks', [ell([r * rng.uniform(1.1, 1.6), r * rng.uniform(0.7, 1), r * rng.uniform(1.6, 2.4)], material)]);
}

/**
 * One shoe lying on its side or sole: rubber sole, textile or leather upper with a
 * cavity, cotton laces and a row of metal eyelets each side (small rings, strongly visible).
 */
export function shoe(rng: Rng): ItemModel {
  const len = rng.uniform(0.24, 0.31);
  const wid = len * rng.uniform(0.34, 0.4);
  const sole = rng.uniform(0.015, 0.03);
  const upperH = rng.uniform(0.06, 0.09);
  const upperWall = 0.003;
  const upper = rng.next() < 0.5 ? 'leather' : 'polyester';
  const parts: Part[] = [
    box([wid, sole, len], 'rubber', [0, sole / 2, 0]),
    part({ type: 'hollowBox', size: [wid * 0.94, upperH, len * 0.92], wall: upperWall }, upper, [0, sole + upperH / 2 + 0.0005, 0]),
  ];
  const eyelets = rng.int(4, 7);
  const top = sole + upperH + 0.0005;
  const eyeR = 0.0035;
  for (let i = 0; i < eyelets; i++) {
    const z = -len * 0.1 + i * 0.014;
    for (const side of [-1, 1]) {
      parts.push(part({ type: 'torus', radius: eyeR, tube: 0.0008 }, 'steel_or_brass', [side * wid * 0.18, top + 0.0009, z]));
    }
  }
  // Laces: one cotton cord across the eyelets, just above them.
  const laceLen = (eyelets - 1) * 0.014 + 0.01;
  parts.push(cyl(0.0015, laceLen, 'cotton', [0, top + 0.0032, -len * 0.1 + laceLen / 2 - 0.005], ALONG_Z));
  parts.push(cyl(0.0015, wid * 0.36 - 0.01, 'cotton', [0, top + 0.0032, -len * 0.1 - 0.008], ALONG_X));
  const eyeletMetal = rng.next() < 0.5 ? 'brass' : 'stainless_steel';
  for (const p of parts) if (p.material === 'steel_or_brass') p.material = eyeletMetal;
  return finish('shoe', parts);
}

/** A knitted jumper folded flat: thick and soft, no hard parts. */
export function foldedJumper(rng: Rng): ItemModel {
  const size: Vec3 = [rng.uniform(0.22, 0.3), rng.uniform(0.04, 0.08), rng.uniform(0.2, 0.28)];
  return finish('folded-jumper', [box(size, rng.next() < 0.5 ? 'polyester' : 'cotton')]);
}
