/** Soft items pressed flatter keep their mass: thinner cloth, denser by as much. */
import { describe, expect, it } from 'vitest';
import type { Part } from '../../src/core/types.js';
import { Rng } from '../../src/core/rng.js';
import { buildClutter, type ClutterKind } from '../../src/scene/clutter/index.js';
import { partBounds } from '../../src/scene/clutter/bounds.js';
import { SQUASH_LIMIT, squashItem, squashLimit } from '../../src/scene/clutter/squash.js';

/** Volume of a part's shape (the shapes soft items and their hard parts are made of). */
function volume(p: Part): number {
  const s = p.shape;
  switch (s.type) {
    case 'box':
      return s.size[0] * s.size[1] * s.size[2];
    case 'ellipsoid':
      return (4 / 3) * Math.PI * s.radii[0] * s.radii[1] * s.radii[2];
    case 'cylinder':
      return Math.PI * s.radius * s.radius * s.height;
    default:
      throw new Error(`no volume for ${s.type}`);
  }
}

/** Mass in units of the material's own density: volume times the part's density scale, per material. */
function massByMaterial(parts: readonly Part[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of parts) out.set(p.material, (out.get(p.material) ?? 0) + volume(p) * (p.density ?? 1));
  return out;
}

describe('squashed soft items', () => {
  const kinds = Object.keys(SQUASH_LIMIT) as ClutterKind[];

  it('keep the mass of every material, get thinner by the factor, and their cloth denser by its inverse', () => {
    let checked = 0;
    for (const kind of kinds) {
      for (let seed = 0; seed < 25; seed++) {
        const item = buildClutter(kind, new Rng(seed), 0.25);
        const limit = squashLimit(item);
        for (const factor of [(1 + limit) / 2, limit]) {
          const pressed = squashItem(item, factor);
          const before = massByMaterial(item.parts);
          const after = massByMaterial(pressed.parts);
          expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
          for (const [m, v] of before) expect(Math.abs(after.get(m)! - v) / v).toBeLessThan(1e-9);
          // Thinner: the cloth by the factor, the whole item by no more than that.
          expect(pressed.halfExtents[1]).toBeLessThan(item.halfExtents[1]);
          expect(pressed.halfExtents[1]).toBeGreaterThanOrEqual(item.halfExtents[1] * factor - 1e-12);
          expect(pressed.halfExtents[0]).toBeCloseTo(item.halfExtents[0], 12);
          expect(pressed.halfExtents[2]).toBeCloseTo(item.halfExtents[2], 12);
          for (const [i, p] of pressed.parts.entries()) {
            const soft = p.material === 'cotton' || p.material === 'polyester';
            expect(p.density ?? 1).toBeCloseTo(soft ? 1 / factor : 1, 12);
            // Hard parts (buttons, zips, rivets) keep their shape.
            if (!soft) expect(p.shape).toEqual(item.parts[i]!.shape);
          }
          checked++;
        }
      }
    }
    expect(checked).toBe(kinds.length * 25 * 2);
  });

  it('keep hard parts on top of the cloth, not sunk into it', () => {
    for (const kind of ['folded-shirt', 'folded-trousers'] as const) {
      for (let seed = 0; seed < 25; seed++) {
        const pressed = squashItem(buildClutter(kind, new Rng(seed), 0.25), SQUASH_LIMIT[kind]!);
        const clothTop = Math.max(...pressed.parts.filter((p) => p.material === 'cotton').map((p) => partBounds(p).max[1]));
        for (const p of pressed.parts.filter((q) => q.material !== 'cotton')) expect(partBounds(p).min[1]).toBeGreaterThanOrEqual(clothTop - 1e-9);
      }
    }
  });

  it('refuse to press harder than the kind allows, and leave rigid kinds as they are', () => {
    const shirt = buildClutter('folded-shirt', new Rng(1), 0.25);
    expect(() => squashItem(shirt, SQUASH_LIMIT['folded-shirt']! - 0.1)).toThrow(/can be pressed to/);
    const book = buildClutter('book', new Rng(1), 0.25);
    expect(squashLimit(book)).toBe(1);
    expect(squashItem(book, 1)).toBe(book);
  });
});
