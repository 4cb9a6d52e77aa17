import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../src/core/types.js';
import { ExorayError } from '../../src/core/errors.js';
import { myriapodPlan, type MyriapodSpec } from '../../src/species/myriapod-plan.js';

const SPEC: MyriapodSpec = {
  segmentCount: 10,
  segmentLength: 4,
  overlap: 0.1,
  section: () => ({ rx: 3, yUp: 1.5, yDown: 1.2 }),
  lengthExponent: 0.5,
  crossExponent: 0.7,
  lateral: () => 0,
  legPairs: 2,
  leg: (_u, pair) => ({ joints: [[2, -0.5, pair === 0 ? 1 : -1], [6, -2, pair === 0 ? 0.5 : -1.5]], segments: [{ name: 'leg', radius: [0.4, 0.2] }], pointed: true }),
  head: { segments: [{ name: 'head', centre: [0, 0, 3], shape: { rx: 3, yUp: 1.5, yDown: 1.2, rz: 3, lengthExponent: 0.6, crossExponent: 0.7 } }], limbs: [], appendages: [{ name: 'antenna.{side}', path: [[1, 0, 5], [3, 0, 9], [5, 0, 12]], radius: [[0, 0.3]] }] },
  tail: { segments: [], limbs: [{ name: 'cercus.{side}', joints: [[1, 0, 0], [2, 0, -5]], segments: [{ name: 'shaft', radius: [0.3, 0.2] }] }], appendages: [] },
};

const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('myriapod plan', () => {
  it('repeats segments with their leg pairs, names them head to tail, and adds head and tail parts', () => {
    const plan = myriapodPlan(SPEC);
    expect(plan.segments.map((s) => s.name)).toEqual(['head', ...Array.from({ length: 10 }, (_, i) => `trunk${i + 1}`)]);
    expect(plan.limbs).toHaveLength(10 * 2 * 2 + 2);
    expect(plan.limbs.slice(0, 4).map((l) => l.name)).toEqual(['leg.R1.a', 'leg.L1.a', 'leg.R1.b', 'leg.L1.b']);
    expect(plan.limbs.slice(-2).map((l) => l.name)).toEqual(['cercus.R', 'cercus.L']);
    expect(plan.appendages.map((a) => a.name)).toEqual(['antenna.R', 'antenna.L']);
    // Segments every segmentLength behind the head joint, overlapping their neighbours.
    plan.segments.slice(1).forEach((s, i) => {
      expect(s.centre[2]).toBeCloseTo(-(i + 0.5) * 4, 9);
      expect(s.shape.rz).toBeCloseTo(2.2, 9);
    });
    // Straight body: every left part is its right part mirrored, with no {side} placeholder left.
    for (let i = 0; i < plan.limbs.length; i += 2) {
      plan.limbs[i]!.joints.forEach((j, k) => expect(plan.limbs[i + 1]!.joints[k]).toEqual([-j[0], j[1], j[2]]));
    }
    expect(JSON.stringify(plan)).not.toContain('{side}');
  });

  it('bends with the centreline, and every leg stays on its own segment on both sides', () => {
    const bent = myriapodPlan({ ...SPEC, lateral: (d) => 6 * Math.sin(d / 8) });
    const trunk = bent.segments.slice(1);
    trunk.forEach((seg, i) => {
      expect(seg.centre[0]).toBeCloseTo(6 * Math.sin(((i + 0.5) * 4) / 8), 9);
      // Heading follows the centreline: where x grows towards the tail (dx/dd > 0), the front turns towards -X.
      const slope = (6 / 8) * Math.cos(((i + 0.5) * 4) / 8);
      expect(Math.tan(seg.yaw!)).toBeCloseTo(-slope, 1);
      for (const side of ['R', 'L']) {
        for (const pair of ['a', 'b']) {
          const leg = bent.limbs.find((l) => l.name === `leg.${side}${i + 1}.${pair}`)!;
          // The coxa sits 2 out and 1 along from the segment centre, whatever the heading.
          expect(dist(leg.joints[0]!, seg.centre)).toBeCloseTo(Math.hypot(2, 0.5, 1), 9);
          expect(dist(leg.joints[1]!, seg.centre)).toBeCloseTo(Math.hypot(6, 2, pair === 'a' ? 0.5 : 1.5), 9);
        }
      }
    });
  });

  it('refuses impossible specs, naming the fields', () => {
    expect(() => myriapodPlan({ ...SPEC, segmentCount: 1 })).toThrow(ExorayError);
    expect(() => myriapodPlan({ ...SPEC, overlap: 1 })).toThrow(/overlap/);
  });
});
