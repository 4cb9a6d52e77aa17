/** The height field drop spots are chosen on: conservative tops, lowest flush spots. */
import { describe, expect, it } from 'vitest';
import type { Quat, Vec3 } from '../../src/core/types.js';
import { Rng } from '../../src/core/rng.js';
import { bodyObbs, colliderBox, Heightmap, type Obb } from '../../src/scene/physics/heightmap.js';
import type { ColliderSpec } from '../../src/scene/physics/shapes.js';
import { rotateVec } from '../../src/scene/placement.js';

const cuboid = (half: Vec3): ColliderSpec => ({ shape: { type: 'cuboid', half }, offset: [0, 0, 0], rotation: [0, 0, 0, 1] });

/** Highest point of the boxes over the vertical line at (x, z), from their corners' hull (exact for a box). */
function topAt(boxes: readonly Obb[], x: number, z: number): number {
  let top = -Infinity;
  for (const b of boxes) {
    // Dense samples through the box: the highest inside point on the line.
    for (let s = -1; s <= 1; s += 0.02) {
      const y = b.centre[1] + s * (Math.abs(b.axes[0][1]) * b.half[0] + Math.abs(b.axes[1][1]) * b.half[1] + Math.abs(b.axes[2][1]) * b.half[2]);
      const d: Vec3 = [x - b.centre[0], y - b.centre[1], z - b.centre[2]];
      const inside = [0, 1, 2].every((a) => Math.abs(d[0] * b.axes[a]![0] + d[1] * b.axes[a]![1] + d[2] * b.axes[a]![2]) <= b.half[a]! + 1e-12);
      if (inside) top = Math.max(top, y);
    }
  }
  return top;
}

describe('height field', () => {
  it('lies on or above every stamped box at each cell centre, turned any way, and covers the cells a level box touches', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 20; trial++) {
      const field = Heightmap.over([-0.2, -0.2], [0.2, 0.2], 0.01, 0);
      // Half the trials turned any way, half lying level (turned about the vertical only).
      const level = trial % 2 === 1;
      const yaw = rng.uniform(0, Math.PI);
      const q: Quat = level ? [0, Math.sin(yaw / 2), 0, Math.cos(yaw / 2)] : rng.quaternion();
      const boxes = bodyObbs([colliderBox(cuboid([rng.uniform(0.01, 0.08), rng.uniform(0.005, 0.04), rng.uniform(0.01, 0.08)]))], q, [rng.uniform(-0.05, 0.05), 0.1, rng.uniform(-0.05, 0.05)]);
      field.stamp(boxes);
      let raised = 0;
      for (let i = 0; i < field.nx; i++) {
        for (let k = 0; k < field.nz; k++) {
          const h = field.heights[i * field.nz + k]!;
          const top = topAt(boxes, field.cellX(i), field.cellZ(k));
          // Sampled at 2 % steps of the box's height: within a millimetre or two.
          if (top > -Infinity) expect(h).toBeGreaterThanOrEqual(top - 0.002);
          if (h > 0) raised++;
          if (!level) continue;
          // A level box touching any corner of a cell raises that cell.
          for (const [fx, fz] of [[-0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [0.5, -0.5]] as const) {
            if (topAt(boxes, field.cellX(i) + fx * field.cell, field.cellZ(k) + fz * field.cell) > -Infinity) expect(h).toBeGreaterThan(0);
          }
        }
      }
      expect(raised).toBeGreaterThan(0);
    }
  });

  it('puts a flat body on the floor when there is room, and flush on a body of its own size when there is not', () => {
    const field = Heightmap.over([-0.1, -0.1], [0.1, 0.1], 0.01, 0);
    const slab = [colliderBox(cuboid([0.045, 0.01, 0.095]))];
    const flat: Quat = [0, 0, 0, 1];
    const stencil = field.stencil(bodyObbs(slab, flat, [0, 0, 0]));
    const aim: [number, number] = [-0.1, -0.1];
    const first = field.rest(stencil, 0, 0.01, 1, aim, 0.03)!;
    expect(first.y).toBeCloseTo(0.01, 6);
    field.stamp(bodyObbs(slab, flat, [field.cellX(first.i), first.y, field.cellZ(first.k)]));
    const second = field.rest(stencil, 0, 0.01, 1, aim, 0.03)!;
    // Room for a second slab beside the first: on the floor again, not on top.
    expect(second.y).toBeCloseTo(0.01, 6);
    field.stamp(bodyObbs(slab, flat, [field.cellX(second.i), second.y, field.cellZ(second.k)]));
    const third = field.rest(stencil, 0, 0.01, 1, aim, 0.03)!;
    // The floor is full: on one of the two, flush (20 mm up), not bridging both.
    expect(third.y).toBeGreaterThan(0.029);
    expect(third.y).toBeLessThan(0.033);
    expect([first.i, second.i]).toContain(third.i);
    // Under a lid 35 mm up a fourth, 20 mm thick, fits nowhere.
    field.stamp(bodyObbs(slab, flat, [field.cellX(third.i), third.y, field.cellZ(third.k)]));
    field.stamp(bodyObbs(slab, flat, [field.cellX(third.i === first.i ? second.i : first.i), third.y, field.cellZ(third.k)]));
    expect(field.rest(stencil, 0, 0.01, 0.035, aim, 0.03)).toBeNull();
  });

  it('reaches under a tilted body only as far as its underside', () => {
    const field = Heightmap.over([-0.1, -0.1], [0.1, 0.1], 0.005, 0);
    const tilt = 0.2;
    const q: Quat = [Math.sin(tilt / 2), 0, 0, Math.cos(tilt / 2)];
    const s = field.stencil(bodyObbs([colliderBox(cuboid([0.03, 0.005, 0.03]))], q, [0, 0, 0]));
    // The lowest point of the turned slab is its lowest corner.
    const corners = [-1, 1].flatMap((a) => [-1, 1].flatMap((b) => [-1, 1].map((c) => rotateVec(q, [a * 0.03, b * 0.005, c * 0.03])[1])));
    expect(Math.min(...s.bottom)).toBeGreaterThanOrEqual(Math.min(...corners) - 1e-9);
    expect(Math.min(...s.bottom)).toBeLessThan(Math.min(...corners) + 0.005 * Math.sin(tilt) + 0.002);
  });
});
