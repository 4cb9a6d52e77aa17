/** Folded clothes and paper laid on the pile follow what is under them, keep their mass, and never sink into it. */
import { describe, expect, it } from 'vitest';
import type { Part, Vec3 } from '../../src/core/types.js';
import { Rng } from '../../src/core/rng.js';
import { partBounds } from '../../src/scene/clutter/bounds.js';
import { drapeable, drapeOnField, type DrapePlan } from '../../src/scene/clutter/drape.js';
import { buildClutter, type ClutterKind } from '../../src/scene/clutter/index.js';
import type { ItemModel } from '../../src/scene/clutter/item.js';
import { squashLimit } from '../../src/scene/clutter/squash.js';
import { Heightmap } from '../../src/scene/physics/heightmap.js';

const FLOOR = 0.01;
const CELL = 0.01;

/** A 0.5 x 0.5 m floor of 1 cm cells. */
const floor = (): Heightmap => new Heightmap(-0.25, -0.25, CELL, 50, 50, FLOOR);

function volume(p: Part): number {
  const s = p.shape;
  if (s.type === 'box') return s.size[0] * s.size[1] * s.size[2];
  if (s.type === 'cylinder') return Math.PI * s.radius * s.radius * s.height;
  throw new Error(`no volume for ${s.type}`);
}

/** Mass per material in units of its density. */
function mass(parts: readonly Part[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of parts) out.set(p.material, (out.get(p.material) ?? 0) + volume(p) * (p.density ?? 1));
  return out;
}

/** World box of a plan's part (plans are level: no rotation of the item). */
function worldBox(plan: DrapePlan, p: Part): { min: Vec3; max: Vec3 } {
  const b = partBounds(p);
  const o = plan.position;
  return { min: [b.min[0] + o[0], b.min[1] + o[1], b.min[2] + o[2]], max: [b.max[0] + o[0], b.max[1] + o[1], b.max[2] + o[2]] };
}

/** The highest field cell a world box's footprint touches. */
function fieldUnder(f: Heightmap, b: { min: Vec3; max: Vec3 }): number {
  let top = -Infinity;
  for (let i = 0; i < f.nx; i++) {
    for (let k = 0; k < f.nz; k++) {
      const x = f.cellX(i);
      const z = f.cellZ(k);
      // Cell centres strictly inside the box's footprint: the field's own padding covers the edges.
      if (x > b.min[0] + 1e-9 && x < b.max[0] - 1e-9 && z > b.min[2] + 1e-9 && z < b.max[2] - 1e-9) top = Math.max(top, f.heights[i * f.nz + k]!);
    }
  }
  return top;
}

const cloth = (p: Part) => p.material === 'cotton' || p.material === 'polyester' || p.material === 'paper';

function plan(item: ItemModel, f: Heightmap, lid = 0.3): DrapePlan {
  const out = drapeOnField(item, f, lid, [-0.25, -0.25], 0.03, [0, 1]);
  expect(out).not.toBeNull();
  return out!;
}

describe('draped clothes and paper', () => {
  const kinds: ClutterKind[] = ['folded-shirt', 'folded-trousers', 'folded-jumper', 'paper-stack', 'magazine'];

  it('drape the folded clothes and the paper, and nothing else', () => {
    for (const kind of kinds) expect(drapeable(buildClutter(kind, new Rng(1), 0.25)), kind).not.toBeNull();
    for (const kind of ['socks', 'crumpled-clothes', 'book', 'laptop', 'shoe'] as ClutterKind[]) expect(drapeable(buildClutter(kind, new Rng(1), 0.25)), kind).toBeNull();
  });

  it('lie flat on a flat floor as one sheet, in the aimed-at corner, with the mass of every material kept', () => {
    for (const kind of kinds) {
      const item = buildClutter(kind, new Rng(7), 0.25);
      const f = floor();
      const p = plan(item, f);
      const sheets = p.parts.filter(cloth);
      expect(sheets.length, kind).toBe(1);
      expect(p.relief).toBe(0);
      expect(p.position[1]).toBeCloseTo(FLOOR + 0.001, 12);
      // Nearest the corner it aims at, the floor's low corner.
      expect(worldBox(p, sheets[0]!).min[0]).toBeCloseTo(-0.25, 9);
      expect(worldBox(p, sheets[0]!).min[2]).toBeCloseTo(-0.25, 9);
      const before = mass(item.parts);
      const after = mass(p.parts);
      for (const [m, v] of before) expect(Math.abs(after.get(m)! - v) / v, `${kind} ${m}`).toBeLessThan(1e-9);
    }
  });

  it('follow a step: the tiles over it ride higher, none sinks into the field, and the cloth hangs no more than a tile between neighbours', () => {
    for (const kind of kinds) {
      for (let seed = 0; seed < 10; seed++) {
        const item = buildClutter(kind, new Rng(seed), 0.25);
        const f = floor();
        // A book-sized block 3 cm high in the corner the item aims at.
        f.stamp([{ centre: [-0.2, FLOOR + 0.015, -0.2], axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], half: [0.06, 0.015, 0.08] }]);
        // Walls of the same height round the rest of the floor leave the item no flat room.
        f.stamp([{ centre: [0.13, FLOOR + 0.015, 0], axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], half: [0.12, 0.015, 0.25] }]);
        f.stamp([{ centre: [0, FLOOR + 0.015, 0.13], axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], half: [0.25, 0.015, 0.12] }]);
        const p = plan(item, f);
        const g = drapeable(item)!;
        const sheets = p.parts.filter((q) => q.shape.type === 'box' && cloth(q));
        expect(sheets.length, `${kind} seed ${seed}`).toBeGreaterThan(1);
        expect(p.relief).toBeGreaterThan(0.01);
        for (const s of sheets) {
          const b = worldBox(p, s);
          expect(b.min[1], `${kind} seed ${seed}`).toBeGreaterThanOrEqual(fieldUnder(f, b) - 1e-9);
        }
        // Neighbouring strips of the sheet: no more than a tile's width (at most 6 cm here) apart, times the stiffness.
        const strips = sheets.map((q) => worldBox(p, q));
        for (const a of strips) {
          for (const b of strips) {
            const touchX = (Math.abs(a.max[0] - b.min[0]) < 1e-9 && Math.min(a.max[2], b.max[2]) - Math.max(a.min[2], b.min[2]) > 1e-9);
            const touchZ = (Math.abs(a.max[2] - b.min[2]) < 1e-9 && Math.min(a.max[0], b.max[0]) - Math.max(a.min[0], b.min[0]) > 1e-9);
            if (touchX || touchZ) expect(Math.abs(a.min[1] - b.min[1])).toBeLessThanOrEqual(0.06 * g.stiffness + 1e-9);
          }
        }
        // Every part rests on or above the field, and parts of the item never overlap each other.
        const boxes = p.parts.map((q) => worldBox(p, q));
        for (const [i, a] of boxes.entries()) {
          expect(a.min[1]).toBeGreaterThanOrEqual(fieldUnder(f, a) - 1e-9);
          for (const b of boxes.slice(i + 1)) {
            const overlap = [0, 1, 2].every((k) => Math.min(a.max[k]!, b.max[k]!) - Math.max(a.min[k]!, b.min[k]!) > 1e-7);
            expect(overlap, `${kind} seed ${seed}: two parts overlap`).toBe(false);
          }
        }
        const before = mass(item.parts);
        const after = mass(p.parts);
        for (const [m, v] of before) expect(Math.abs(after.get(m)! - v) / v, `${kind} ${m}`).toBeLessThan(1e-9);
        expect(g.cloth.material).toBe(sheets[0]!.material);
      }
    }
  });

  it('press under a low lid no further than the garment gives, denser by as much, and do not fit below that', () => {
    const item = buildClutter('folded-jumper', new Rng(3), 0.25);
    const thickness = 2 * item.halfExtents[1];
    const limit = squashLimit(item);
    const f = floor();
    const lid = FLOOR + 0.001 + thickness * (1 + limit) / 2;
    const p = plan(item, f, lid);
    const sheet = p.parts[0]!;
    expect(sheet.shape.type).toBe('box');
    const th = (sheet.shape as { size: Vec3 }).size[1];
    expect(th).toBeCloseTo(thickness * (1 + limit) / 2, 9);
    expect(sheet.density).toBeCloseTo(thickness / th, 9);
    expect(p.top).toBeLessThanOrEqual(lid + 1e-12);
    expect(drapeOnField(item, f, FLOOR + 0.001 + thickness * limit * 0.95, [0, 0], 0.03, [0, 1])).toBeNull();
    // Paper does not compress.
    const paper = buildClutter('paper-stack', new Rng(3), 0.25);
    expect(drapeOnField(paper, f, FLOOR + 0.001 + 2 * paper.halfExtents[1] * 0.9, [0, 0], 0.03, [0, 1])).toBeNull();
  });

  it('carry buttons, zips and a magazine cover on the sheet under them', () => {
    for (const kind of ['folded-shirt', 'folded-trousers', 'magazine'] as ClutterKind[]) {
      const item = buildClutter(kind, new Rng(5), 0.25);
      const f = floor();
      f.stamp([{ centre: [-0.22, FLOOR + 0.01, -0.22], axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], half: [0.04, 0.01, 0.04] }]);
      const p = plan(item, f);
      const sheets = p.parts.filter((q) => q.material === drapeable(item)!.cloth.material);
      const others = p.parts.filter((q) => !sheets.includes(q));
      expect(others.length).toBeGreaterThan(0);
      for (const o of others) {
        const b = worldBox(p, o);
        // The sheet tiles under the part: the part sits on the highest of them, touching it.
        const under = sheets.map((s) => worldBox(p, s)).filter((s) => s.min[0] < b.max[0] - 1e-9 && s.max[0] > b.min[0] + 1e-9 && s.min[2] < b.max[2] - 1e-9 && s.max[2] > b.min[2] + 1e-9);
        expect(under.length, kind).toBeGreaterThan(0);
        expect(b.min[1]).toBeCloseTo(Math.max(...under.map((s) => s.max[1])), 9);
      }
    }
  });

  it('is deterministic and pure: the same field and item give the same plan, and the field is left as it was', () => {
    const item = buildClutter('folded-trousers', new Rng(9), 0.25);
    const f = floor();
    f.stamp([{ centre: [-0.1, FLOOR + 0.02, -0.1], axes: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], half: [0.05, 0.02, 0.05] }]);
    const heights = Float64Array.from(f.heights);
    const a = drapeOnField(item, f, 0.3, [0.25, -0.25], 0.03, [1, 2]);
    const b = drapeOnField(item, f, 0.3, [0.25, -0.25], 0.03, [1, 2]);
    expect(a).toEqual(b);
    expect(f.heights).toEqual(heights);
  });
});
