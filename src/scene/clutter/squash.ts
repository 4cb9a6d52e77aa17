/**
 * Soft items pressed flatter: folded and crumpled clothes and socks give under what is
 * packed on them and under the lid. The cloth is squashed along the item's own up axis
 * (the thickness of a folded garment) and its density rises by the same factor, so its
 * mass, and so what it does to an X-ray, is conserved; hard parts on it (buttons, a zip,
 * rivets) keep their shape and move down with the cloth's top. Pure.
 */
import type { Part, Shape } from '../../core/types.js';
import { partBounds } from './bounds.js';
import { finish, type ItemModel } from './item.js';

/** How flat each soft kind can be pressed: the least share of its loose thickness it keeps. */
export const SQUASH_LIMIT: Readonly<Record<string, number>> = {
  'folded-shirt': 0.6,
  'folded-trousers': 0.7,
  'folded-jumper': 0.5,
  'crumpled-clothes': 0.5,
  socks: 0.6,
};

/** Materials that give; everything else on a soft item is carried along rigid. */
const SOFT_MATERIALS = new Set(['cotton', 'polyester']);

/** The least share of its thickness `item` can be pressed to; 1 when it does not give. */
export function squashLimit(item: ItemModel): number {
  return SQUASH_LIMIT[item.kind] ?? 1;
}

function squashShape(shape: Shape, s: number): Shape {
  switch (shape.type) {
    case 'box':
      return { type: 'box', size: [shape.size[0], shape.size[1] * s, shape.size[2]] };
    case 'ellipsoid':
      return { type: 'ellipsoid', radii: [shape.radii[0], shape.radii[1] * s, shape.radii[2]] };
    default:
      throw new Error(`squash: a ${shape.type} part cannot be squashed; only boxes and ellipsoids of cloth can`);
  }
}

/** True when a rotation leaves the Y axis where it is (a turn about Y only), so squashing along Y keeps the shape's kind. */
function keepsY(q: Part['rotation']): boolean {
  return !q || (Math.abs(q[0]) < 1e-9 && Math.abs(q[2]) < 1e-9);
}

/**
 * The item pressed to `factor` (0 < factor <= 1) of its thickness: cloth parts scaled along
 * Y about the item's bottom, their `density` raised by 1 / factor; the hard parts lowered
 * by as much as the cloth's top came down. Re-centred on its new box.
 */
export function squashItem(item: ItemModel, factor: number): ItemModel {
  if (factor >= 1) return item;
  const limit = squashLimit(item);
  if (factor < limit - 1e-9) throw new Error(`squash: ${item.kind} can be pressed to ${limit} of its thickness, not ${factor}`);
  const bottom = -item.halfExtents[1];
  let clothTop = -Infinity;
  for (const p of item.parts) if (SOFT_MATERIALS.has(p.material)) clothTop = Math.max(clothTop, partBounds(p).max[1]);
  const drop = (clothTop - bottom) * (1 - factor);
  const parts: Part[] = item.parts.map((p) => {
    const o = p.offset ?? [0, 0, 0];
    if (!SOFT_MATERIALS.has(p.material)) return { ...p, offset: [o[0], o[1] - drop, o[2]] };
    if (!keepsY(p.rotation)) throw new Error(`squash: a tilted cloth part of ${item.kind} cannot be squashed along Y`);
    const out: Part = { ...p, shape: squashShape(p.shape, factor), offset: [o[0], bottom + (o[1] - bottom) * factor, o[2]] };
    out.density = (p.density ?? 1) / factor;
    return out;
  });
  return finish(item.kind, parts, item.freeRotation);
}
