/** Small dense metal things: keys, coins, jewellery. Bright, high-Z spots under X-ray. */
import type { Rng } from '../../core/rng.js';
import type { Part } from '../../core/types.js';
import { axisAngle, box, cyl, finish, part, type ItemModel } from './item.js';

/** A bunch of keys on a steel split ring, fanned out flat around it. */
export function keys(rng: Rng): ItemModel {
  const ringR = rng.uniform(0.012, 0.017);
  const parts: Part[] = [part({ type: 'torus', radius: ringR, tube: 0.0009 }, 'stainless_steel')];
  const n = rng.int(1, 5);
  const start = rng.uniform(0, 2 * Math.PI);
  for (let i = 0; i < n; i++) {
    const a = start + (i * 2 * Math.PI) / Math.max(n, 3) * 0.8;
    const len = rng.uniform(0.045, 0.065);
    const w = rng.uniform(0.017, 0.024);
    // Head and blade in one plate, pointing away from the ring, each key its own sector.
    const dist = ringR + 0.003 + len / 2;
    parts.push(box([w * 0.55, 0.002, len], rng.next() < 0.7 ? 'brass' : 'stainless_steel', [Math.sin(a) * dist, 0, Math.cos(a) * dist], axisAngle([0, 1, 0], a)));
  }
  // A plastic fob sometimes, lying on the keys.
  if (rng.next() < 0.4) parts.push(box([0.03, 0.006, 0.04], 'abs', [0, 0.0045, -(ringR + 0.025)]));
  return finish('keys', parts);
}

/** Loose coins in a small pile or a purse: cupronickel and brass discs lying flat, some stacked. */
export function coins(rng: Rng): ItemModel {
  const n = rng.int(3, 14);
  const parts: Part[] = [];
  const cols = Math.ceil(Math.sqrt(n));
  for (let i = 0; i < n; i++) {
    const r = rng.uniform(0.008, 0.0135);
    const t = rng.uniform(0.0015, 0.0023);
    const cx = (i % cols) * 0.03 + rng.uniform(-0.001, 0.001);
    const cz = Math.floor(i / cols) * 0.03 + rng.uniform(-0.001, 0.001);
    parts.push(cyl(r, t, rng.next() < 0.6 ? 'cupronickel' : 'brass', [cx, 0, cz]));
  }
  const purse = rng.next() < 0.4;
  const coinsOnly = finish('coins', parts);
  if (!purse) return coinsOnly;
  const h = coinsOnly.halfExtents;
  return finish('coins', [...coinsOnly.parts, part({ type: 'hollowBox', size: [2 * h[0] + 0.006, 2 * h[1] + 0.004, 2 * h[2] + 0.006], wall: 0.0012 }, 'leather')]);
}

/** Jewellery: rings, a chain laid in a loop, a pendant or bangle, in silver or brass. */
export function jewellery(rng: Rng): ItemModel {
  const metal = rng.next() < 0.6 ? 'silver' : 'brass';
  const parts: Part[] = [];
  let x = 0;
  const rings = rng.int(0, 3);
  for (let i = 0; i < rings; i++) {
    const r = rng.uniform(0.008, 0.011);
    const tube = rng.uniform(0.0008, 0.0015);
    parts.push(part({ type: 'torus', radius: r, tube }, metal, [x + r + tube, 0, 0]));
    x += 2 * (r + tube) + 0.004;
  }
  if (rng.next() < 0.7 || parts.length === 0) {
    // A chain: thin torus loop, slightly oval.
    const r = rng.uniform(0.02, 0.04);
    parts.push(part({ type: 'torus', radius: r, tube: 0.0007 }, metal, [x + r + 0.001, 0, 0]));
    if (rng.next() < 0.6) parts.push(cyl(rng.uniform(0.006, 0.012), 0.0025, metal, [x + r + 0.001, 0, 0]));
    x += 2 * r + 0.006;
  }
  if (rng.next() < 0.3) {
    const r = rng.uniform(0.03, 0.035);
    parts.push(part({ type: 'torus', radius: r, tube: 0.003 }, metal, [x + r + 0.003, 0, 0]));
  }
  return finish('jewellery', parts);
}
