import { describe, expect, it } from 'vitest';
import type { ModelPart } from '../../src/core/types.js';
import { ExorayError } from '../../src/core/errors.js';
import { boundsOf, computeBounds, signedVolume } from '../../src/geometry/mesh.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import { antPlan } from '../../src/species/ant.js';
import { ANT_COLONY_DEFAULTS, buildAntColony, chamberSpan, TUBE } from '../../src/species/ant-colony.js';
import { expectSameModel } from '../helpers/arthropod-model.js';

const parts = buildAntColony();
const part = (name: string) => parts.find((p) => p.name === name)!;
const ANTS = ['queen', 'worker1', 'worker2', 'worker3', 'worker4', 'worker5'];
const antParts = (ps: readonly ModelPart[], ant: string) => ps.filter((p) => p.name === ant || p.name.startsWith(`${ant}.`));

describe('harvester-ant colony in a test tube', () => {
  it('every part is closed and outward; tube, water, plugs and six ants, within the triangle budget', () => {
    let triangles = 0;
    for (const p of parts) triangles += assertClosedOutward(p.mesh, p.name).triangles;
    expect(triangles).toBeLessThan(25_000);
    expect(parts.slice(0, 4).map((p) => [p.name, p.material])).toEqual([
      ['tube', 'pyrex'], ['water', 'water'], ['plug', 'cotton_wool'], ['stopper', 'cotton_wool'],
    ]);
    for (const ant of ANTS) {
      expect(part(`${ant}.cuticle`).material).toBe('arthropod_cuticle');
      expect(part(`${ant}.tissue`).material).toBe('soft_tissue');
      expect(part(ant).material).toBe('arthropod_cuticle');
    }
    expect(parts).toHaveLength(4 + 3 * ANTS.length);
  });

  it('is the tube: 150 mm along Z, 16 mm across, centred; glass 1 mm thick', () => {
    const b = boundsOf(parts.map((p) => p.mesh));
    expect(b.max[2] - b.min[2]).toBeCloseTo(ANT_COLONY_DEFAULTS.tubeLength, 6);
    for (let k = 0; k < 3; k++) expect(Math.abs(b.max[k]! + b.min[k]!)).toBeLessThan(1e-6);
    expect(b.max[0] - b.min[0]).toBeGreaterThan(0.0159);
    expect(b.max[0] - b.min[0]).toBeLessThan(0.0163);
    // Glass volume: a 1 mm wall around the bore (cylinder plus round bottom, open mouth).
    const R = 0.008, r = 0.007, L = 0.15;
    const expected = Math.PI * (R * R - r * r) * (L - R) + (2 / 3) * Math.PI * (R ** 3 - r ** 3);
    expect(signedVolume(part('tube').mesh) / expected).toBeCloseTo(1, 1);
  });

  it('the water sits at the closed end behind the plug, the stopper in the mouth, the ants in between', () => {
    const water = computeBounds(part('water').mesh), plug = computeBounds(part('plug').mesh), stopper = computeBounds(part('stopper').mesh);
    const tube = computeBounds(part('tube').mesh);
    expect(water.min[2]).toBeGreaterThan(tube.min[2]);
    expect(plug.min[2]).toBeGreaterThan(water.max[2]);
    expect(stopper.min[2]).toBeGreaterThan(plug.max[2]);
    expect(stopper.max[2]).toBeLessThan(tube.max[2]);
    const chamber = chamberSpan(ANT_COLONY_DEFAULTS.tubeLength);
    expect(chamber.zMin).toBeCloseTo(plug.max[2], 6);
    const spans: Array<[number, number]> = [];
    for (const ant of ANTS) {
      const b = boundsOf(antParts(parts, ant).map((p) => p.mesh));
      expect(b.min[2], ant).toBeGreaterThan(chamber.zMin);
      expect(b.max[2], ant).toBeLessThan(chamber.zMax);
      spans.push([b.min[2], b.max[2]]);
    }
    // No two ants overlap along the tube.
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThan(spans[i - 1]![1]);
  });

  it('every ant vertex is inside the bore, and each ant rests near the floor', () => {
    const bore = (TUBE.radius - TUBE.wall) / 1000;
    for (const ant of ANTS) {
      let lowest = Infinity;
      for (const p of antParts(parts, ant)) {
        const pos = p.mesh.positions;
        for (let i = 0; i < pos.length; i += 3) {
          expect(Math.hypot(pos[i]!, pos[i + 1]!), ant).toBeLessThan(bore);
          lowest = Math.min(lowest, pos[i + 1]!);
        }
      }
      expect(lowest, ant).toBeLessThan(-0.6 * bore);
    }
  });

  it('the queen is the largest ant, about 15.6 mm, with the largest gaster', () => {
    const length = (ant: string) => {
      const b = boundsOf(antParts(parts, ant).filter((p) => p.name !== ant).map((p) => p.mesh));
      return Math.hypot(b.max[0] - b.min[0], b.max[2] - b.min[2]);
    };
    const queen = boundsOf(antParts(parts, 'queen').map((p) => p.mesh));
    expect(queen.max[2] - queen.min[2]).toBeGreaterThan(0.014);
    for (const w of ANTS.slice(1)) expect(length(w), w).toBeLessThan(length('queen'));
    expect(antPlan('queen').segments.find((s) => s.name === 'gaster')!.shape.rx).toBeGreaterThan(antPlan('worker').segments.find((s) => s.name === 'gaster')!.shape.rx);
  });

  it('workers sets the colony size; tubeLength scales the whole set-up', () => {
    const alone = buildAntColony({ workers: 0 });
    expect(alone.map((p) => p.name)).toEqual(['tube', 'water', 'plug', 'stopper', 'queen.cuticle', 'queen.tissue', 'queen']);
    const long = buildAntColony({ tubeLength: 0.18, workers: 2, detail: 0.5 });
    for (const p of long) assertClosedOutward(p.mesh, p.name);
    const b = boundsOf(long.map((p) => p.mesh));
    expect(b.max[2] - b.min[2]).toBeCloseTo(0.18, 6);
    expect(long).toHaveLength(4 + 3 * 3);
  });

  it('is deterministic and refuses bad parameters, naming them', () => {
    expectSameModel(buildAntColony(), parts);
    expect(() => buildAntColony({ workers: 9 })).toThrow(ExorayError);
    expect(() => buildAntColony({ workers: 1.5 })).toThrow(/workers must be a whole number/);
    expect(() => buildAntColony({ tubeLength: 2 })).toThrow(/ant colony builder: tubeLength/);
  });
});
