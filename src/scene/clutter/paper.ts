/** Books, paper and magazines: dense blocks of cellulose, the commonest organic mass in a bag. */
import type { Rng } from '../../core/rng.js';
import type { Part } from '../../core/types.js';
import { box, finish, type ItemModel } from './item.js';

/** A book: a paper block in a cardboard (hardback) or heavy paper (paperback) cover. */
export function book(rng: Rng): ItemModel {
  const w = rng.uniform(0.11, 0.17);
  const d = w * rng.uniform(1.35, 1.55);
  const pages = rng.uniform(0.01, 0.045);
  const hardback = rng.next() < 0.4;
  const cover = hardback ? 0.0025 : 0.0004;
  const coverMaterial = hardback ? 'cardboard' : 'paper';
  const parts: Part[] = [
    box([w, pages, d], 'paper'),
    box([w + (hardback ? 0.004 : 0), cover, d + (hardback ? 0.006 : 0)], coverMaterial, [0, (pages + cover) / 2, 0]),
    box([w + (hardback ? 0.004 : 0), cover, d + (hardback ? 0.006 : 0)], coverMaterial, [0, -(pages + cover) / 2, 0]),
  ];
  return finish('book', parts);
}

/** A stack of printed sheets or documents, A4 or letter size. */
export function paperStack(rng: Rng): ItemModel {
  const sheets = rng.int(20, 400);
  return finish('paper-stack', [box([0.21 + rng.uniform(0, 0.006), sheets * 0.0001, 0.297 - rng.uniform(0, 0.018)], 'paper')]);
}

/** A magazine or brochure: thin coated paper (clay-coated stock is about a fifth calcium carbonate). */
export function magazine(rng: Rng): ItemModel {
  const t = rng.uniform(0.002, 0.008);
  const w = rng.uniform(0.2, 0.23);
  const d = rng.uniform(0.27, 0.3);
  const parts: Part[] = [box([w, t, d], 'paper')];
  // The coating as its own thin layer on the cover, where it is most concentrated.
  parts.push(box([w, 0.0001, d], 'calcium_carbonate', [0, t / 2 + 0.00005, 0]));
  return finish('magazine', parts);
}
