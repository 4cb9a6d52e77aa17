/**
 * Toys. The plastic insect and the rubber snake are hard negatives: animal-shaped,
 * organic, of an animal's size, but not animals.
 */
import type { Rng } from '../../core/rng.js';
import type { Part, Vec3 } from '../../core/types.js';
import { smoothPath } from '../../geometry/rings.js';
import { axisAngle, box, cyl, ell, finish, part, ALONG_X, type ItemModel } from './item.js';

/** A die-cast or plastic toy car: hollow body, steel axles, rubber wheels. */
export function toyCar(rng: Rng): ItemModel {
  const len = rng.uniform(0.06, 0.12);
  const w = len * 0.45;
  const h = len * 0.3;
  const diecast = rng.next() < 0.5;
  const wheelR = h * 0.35;
  // Die-cast bodies are a thin zinc-alloy shell (brass stands in for it), plastic ones a thicker ABS shell.
  const body = part({ type: 'hollowBox', size: [w, h * 0.7, len], wall: diecast ? 0.0012 : 0.0018 }, diecast ? 'brass' : 'abs', [0, wheelR + 0.0012 + h * 0.35, 0]);
  const parts: Part[] = [body];
  for (const z of [-len * 0.32, len * 0.32]) {
    parts.push(cyl(0.001, w + 0.004, 'stainless_steel', [0, wheelR, z], ALONG_X));
    for (const side of [-1, 1]) parts.push(cyl(wheelR, 0.006, 'rubber', [side * (w / 2 + 0.0055), wheelR, z], ALONG_X));
  }
  return finish('toy-car', parts);
}

/** A plush toy: polyester fibre fill in a fabric skin, head and body, sometimes a battery box with a speaker. */
export function plushToy(rng: Rng): ItemModel {
  const s = rng.uniform(0.06, 0.12);
  const parts: Part[] = [ell([s * 0.8, s * 0.6, s], 'polyester', [0, 0, 0])];
  parts.push(ell([s * 0.55, s * 0.5, s * 0.5], 'polyester', [0, 0, s + s * 0.5 + 0.002]));
  if (rng.next() < 0.3) {
    // A sound module inside the body: a cavity is not modelled, so it sits against the belly.
    parts.push(box([0.03, 0.012, 0.04], 'abs', [0, -s * 0.6 - 0.0065, 0]));
  }
  return finish('plush-toy', parts);
}

/**
 * Hard negative: a plastic toy beetle or spider. Its body is an ABS or PVC shell of an
 * insect's proportions, with legs as thin tubes out to the sides.
 */
export function toyInsect(rng: Rng): ItemModel {
  const len = rng.uniform(0.04, 0.1);
  const spider = rng.next() < 0.3;
  const material = rng.next() < 0.5 ? 'abs' : 'pvc';
  const parts: Part[] = [];
  const body = len * (spider ? 0.3 : 0.35);
  const h = len * 0.18;
  parts.push(ell([body * 0.75, h, body], material, [0, 0, -body * 0.3]));
  parts.push(ell([body * 0.45, h * 0.8, body * 0.45], material, [0, 0, body * 0.7 + body * 0.45 + 0.001]));
  const pairs = spider ? 4 : 3;
  for (let i = 0; i < pairs; i++) {
    const z = -body * 0.6 + (i * body * 1.2) / Math.max(1, pairs - 1);
    for (const side of [-1, 1]) {
      const x0 = side * (body * 0.75 + 0.002);
      const reach = len * rng.uniform(0.3, 0.45);
      const path: Vec3[] = smoothPath([
        [x0, 0, z],
        [x0 + side * reach * 0.5, h * 0.6, z + (i - 1) * reach * 0.2],
        [x0 + side * reach, -h * 0.6, z + (i - 1) * reach * 0.45],
      ], 2);
      parts.push(part({ type: 'tube', path, radius: Math.max(0.0008, len * 0.012) }, material));
    }
  }
  if (!spider) {
    // Mandibles: the stag-beetle look.
    for (const side of [-1, 1]) {
      const base: Vec3 = [side * body * 0.2, 0, body * 0.7 + body * 0.9 + 0.004];
      const path = smoothPath([base, [side * body * 0.35, 0, base[2] + len * 0.12], [side * body * 0.1, 0, base[2] + len * 0.22]], 2);
      parts.push(part({ type: 'tube', path, radius: Math.max(0.001, len * 0.015) }, material));
    }
  }
  return finish('toy-insect', parts);
}

/** Hard negative: a rubber or PVC toy snake lying in loose S-bends or a coil. */
export function rubberSnake(rng: Rng): ItemModel {
  const len = rng.uniform(0.4, 1.0);
  const r = len * rng.uniform(0.01, 0.018);
  const material = rng.next() < 0.6 ? 'rubber' : 'pvc';
  const n = 40;
  const pts: Vec3[] = [];
  const coiled = rng.next() < 0.4;
  if (coiled) {
    // A flat spiral whose turns stay 2.5 radii apart.
    const r0 = 4 * r;
    const pitchR = 2.6 * r;
    let a = 0;
    let s = 0;
    pts.push([r0, 0, 0]);
    while (s < len) {
      const rad = r0 + (pitchR * a) / (2 * Math.PI);
      const da = (len / n) / rad;
      a += da;
      s += len / n;
      const rr = r0 + (pitchR * a) / (2 * Math.PI);
      pts.push([rr * Math.cos(a), 0, rr * Math.sin(a)]);
    }
  } else {
    const waves = rng.uniform(1, 3);
    const step = len / n;
    // Bends no tighter than three body radii, or the swept rings would cross.
    const wavelength = (0.8 * len) / waves;
    const amp = Math.min(rng.uniform(0.04, 0.1), (wavelength * wavelength) / (4 * Math.PI * Math.PI * 3 * r));
    let x = 0;
    for (let i = 0; i <= n; i++) {
      const t = i / n;
      pts.push([x, 0, amp * Math.sin(2 * Math.PI * waves * t)]);
      x += step * 0.8;
    }
  }
  // The body tapers to the tail; the tube's rings are uniform, so the taper is in the tail tip only.
  return finish('rubber-snake', [part({ type: 'tube', path: pts, radius: r }, material, [0, 0, 0], axisAngle([0, 1, 0], rng.uniform(0, Math.PI)))]);
}
