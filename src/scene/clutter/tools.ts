/** Hand tools, umbrellas and cases: long steel parts in plastic. */
import type { Rng } from '../../core/rng.js';
import type { Part } from '../../core/types.js';
import { ALONG_Z, axisAngle, box, cyl, finish, part, type ItemModel } from './item.js';

/** A screwdriver: steel shaft (flat or cross tip) in a plastic handle. */
export function screwdriver(rng: Rng): ItemModel {
  const shaft = rng.uniform(0.06, 0.15);
  const handle = rng.uniform(0.08, 0.11);
  const hr = rng.uniform(0.011, 0.016);
  const sr = rng.uniform(0.0025, 0.004);
  return finish('screwdriver', [
    cyl(hr, handle, rng.next() < 0.5 ? 'polypropylene' : 'abs', [0, 0, 0], ALONG_Z),
    cyl(sr, shaft, 'stainless_steel', [0, 0, handle / 2 + shaft / 2], ALONG_Z),
  ]);
}

/** A vector turned by `a` about the vertical. */
function yawed(a: number, v: [number, number, number]): [number, number, number] {
  return [v[0] * Math.cos(a) + v[2] * Math.sin(a), v[1], -v[0] * Math.sin(a) + v[2] * Math.cos(a)];
}

/** Pliers lying flat: two forged steel halves crossing at the pivot, PVC-dipped grips. */
export function pliers(rng: Rng): ItemModel {
  const len = rng.uniform(0.15, 0.22);
  const open = rng.uniform(0.05, 0.2);
  const jaw = len * 0.3;
  const steel = len * 0.15;
  const grip = len * 0.5;
  const parts: Part[] = [];
  for (const side of [-1, 1]) {
    // Each half is straight through the pivot, turned by half the opening; the two lie one on the other.
    const a = (side * open) / 2;
    const q = axisAngle([0, 1, 0], a);
    const y = side * 0.0031;
    parts.push(box([0.011, 0.006, jaw], 'iron', yawed(a, [0, y, jaw / 2]), q));
    parts.push(box([0.011, 0.006, steel], 'iron', yawed(a, [0, y, -steel / 2 - 0.0005]), q));
    parts.push(box([0.016, 0.006, grip], 'pvc', yawed(a, [0, y, -steel - grip / 2 - 0.001]), q));
  }
  return finish('pliers', parts);
}

/** A folding umbrella: aluminium shaft and steel ribs bundled in a polyester canopy, a plastic handle. */
export function umbrella(rng: Rng): ItemModel {
  const len = rng.uniform(0.22, 0.3);
  const r = rng.uniform(0.018, 0.025);
  const parts: Part[] = [part({ type: 'hollowCylinder', radius: r, height: len, wall: 0.003 }, 'polyester', [0, 0, 0], ALONG_Z)];
  parts.push(part({ type: 'hollowCylinder', radius: 0.005, height: len - 0.01, wall: 0.0006 }, 'aluminium', [0, 0, 0], ALONG_Z));
  const ribs = 8;
  for (let i = 0; i < ribs; i++) {
    const a = (2 * Math.PI * i) / ribs;
    const rr = (r - 0.003 + 0.005) / 2;
    parts.push(cyl(0.0009, len - 0.015, 'stainless_steel', [Math.cos(a) * rr, Math.sin(a) * rr, 0], ALONG_Z));
  }
  const handle = rng.uniform(0.06, 0.1);
  parts.push(cyl(r * 0.9, handle, 'abs', [0, 0, -len / 2 - handle / 2 - 0.001], ALONG_Z));
  return finish('umbrella', parts);
}

/** A glasses case (ABS shell, steel clasp spring) holding glasses: PC lenses, a metal or acetate frame. */
export function glassesCase(rng: Rng): ItemModel {
  const w = rng.uniform(0.14, 0.16);
  const h = rng.uniform(0.035, 0.045);
  const d = rng.uniform(0.055, 0.065);
  const wall = 0.0015;
  const parts: Part[] = [part({ type: 'hollowBox', size: [w, h, d], wall }, rng.next() < 0.5 ? 'abs' : 'aluminium')];
  parts.push(box([w * 0.6, 0.0005, 0.006], 'stainless_steel', [0, h / 2 + 0.0003, 0]));
  if (rng.next() < 0.8) {
    const lens = Math.min(0.025, (d - 2 * wall) / 2 - 0.002);
    for (const side of [-1, 1]) {
      parts.push(part({ type: 'ellipsoid', radii: [lens * 1.2, 0.0012, lens] }, 'polycarbonate', [side * (lens * 1.2 + 0.004), -h / 2 + wall + 0.002, 0]));
    }
    parts.push(box([w - 2 * wall - 0.004, 0.0015, 0.002], rng.next() < 0.5 ? 'stainless_steel' : 'pet', [0, -h / 2 + wall + 0.004, -(d / 2 - wall - 0.002)]));
  }
  return finish('glasses-case', parts);
}
