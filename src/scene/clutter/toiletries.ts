/** Toiletries: squeeze tubes, aerosol cans, razors, shampoo bottles. */
import type { Rng } from '../../core/rng.js';
import type { Part } from '../../core/types.js';
import { ALONG_X, ALONG_Z, box, cyl, finish, part, type ItemModel } from './item.js';

/** A toothpaste or cream tube lying flat: a flattened PE (or aluminium-laminate) shell around paste, with a cap. */
export function squeezeTube(rng: Rng): ItemModel {
  const len = rng.uniform(0.12, 0.19);
  const w = rng.uniform(0.035, 0.05);
  const t = rng.uniform(0.012, 0.025);
  const wall = 0.0004;
  const fill = rng.uniform(0.2, 1);
  const shell = rng.next() < 0.3 ? 'aluminium' : 'polyethylene';
  const parts: Part[] = [part({ type: 'hollowBox', size: [w, t, len], wall }, shell)];
  const paste = (len - 2 * wall - 0.001) * fill;
  parts.push(box([w - 2 * wall - 0.0005, t - 2 * wall - 0.0005, paste], 'toothpaste', [0, 0, -len / 2 + wall + 0.0005 + paste / 2]));
  const capR = rng.uniform(0.008, 0.013);
  parts.push(cyl(capR, 0.012, 'polypropylene', [0, 0, len / 2 + 0.0065], ALONG_Z));
  return finish('toiletry-tube', parts);
}

/** An aerosol can (deodorant, hairspray): aluminium can with alcohol-based liquid and a plastic cap. */
export function aerosolCan(rng: Rng): ItemModel {
  const r = rng.uniform(0.022, 0.027);
  const len = rng.uniform(0.12, 0.18);
  const wall = 0.0004;
  const fill = rng.uniform(0.15, 0.7);
  const inner = len - 2 * wall;
  const parts: Part[] = [part({ type: 'hollowCylinder', radius: r, height: len, wall }, 'aluminium', [0, 0, 0], ALONG_X)];
  // Lying down, the liquid settles along the bottom: a slab under the fill line.
  const depth = 2 * (r - wall) * fill;
  const halfW = Math.sqrt(Math.max(0, (r - wall) ** 2 - ((r - wall) - depth) ** 2)) * 0.95;
  if (halfW > 0.002 && depth > 0.002) {
    const c = Math.sqrt((r - wall - 0.0002) ** 2 - halfW * halfW);
    const top = Math.min(-(r - wall) + depth, c);
    parts.push(box([inner - 0.001, top + c, 2 * halfW], 'alcohol', [0, (top - c) / 2, 0]));
  }
  parts.push(part({ type: 'hollowCylinder', radius: r + 0.001, height: 0.035, wall: 0.0012 }, 'polypropylene', [len / 2 + 0.0176, 0, 0], ALONG_X));
  return finish('aerosol-can', parts);
}

/** A disposable or system razor: plastic handle, a head with two to five steel blades. */
export function razor(rng: Rng): ItemModel {
  const handle = rng.uniform(0.09, 0.13);
  const headW = rng.uniform(0.035, 0.045);
  const blades = rng.int(2, 5);
  const parts: Part[] = [box([0.012, 0.008, handle], rng.next() < 0.5 ? 'polypropylene' : 'abs')];
  parts.push(box([headW, 0.006, 0.012], 'polypropylene', [0, 0, handle / 2 + 0.006]));
  for (let i = 0; i < blades; i++) {
    parts.push(box([headW * 0.9, 0.0001, 0.0018], 'stainless_steel', [0, 0.0031 + 0.00005, handle / 2 + 0.0015 + i * 0.0022]));
  }
  return finish('razor', parts);
}

/** A shampoo or shower-gel bottle: HDPE, oval, standing or lying, with its liquid. */
export function shampooBottle(rng: Rng): ItemModel {
  const w = rng.uniform(0.05, 0.07);
  const t = rng.uniform(0.03, 0.045);
  const len = rng.uniform(0.14, 0.21);
  const wall = 0.0008;
  const fill = rng.uniform(0.2, 0.95);
  const parts: Part[] = [part({ type: 'hollowBox', size: [w, t, len], wall }, 'polyethylene')];
  const liquidLen = (len - 2 * wall - 0.001) * fill;
  parts.push(box([w - 2 * wall - 0.0005, t - 2 * wall - 0.0005, liquidLen], 'water', [0, 0, -len / 2 + wall + 0.0005 + liquidLen / 2]));
  parts.push(box([w * 0.5, t * 0.8, 0.02], 'polypropylene', [0, 0, len / 2 + 0.0101]));
  return finish('shampoo-bottle', parts);
}
