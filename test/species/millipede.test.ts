import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { computeBounds } from '../../src/geometry/mesh.js';
import { buildMillipede, millipedePlan, MILLIPEDE_DEFAULTS } from '../../src/species/millipede.js';
import { boundsOfParts, expectParts, expectSameModel, expectWellFormedArthropod } from '../helpers/arthropod-model.js';

const parts = buildMillipede();
const part = (name: string) => parts.find((p) => p.name === name)!;

describe('procedural giant African millipede', () => {
  it('is closed, outward, cuticle over tissue, spans bodyLength, within the triangle budget', () => {
    expect(expectWellFormedArthropod(parts, MILLIPEDE_DEFAULTS.bodyLength)).toBeGreaterThan(10_000);
  });

  it('has 56 rings with two leg pairs each (224 legs), head, collum, antennae and anal valves', () => {
    const plan = millipedePlan(MILLIPEDE_DEFAULTS.wave);
    expect(plan.segments.filter((s) => /^trunk\d+$/.test(s.name))).toHaveLength(56);
    expect(plan.limbs).toHaveLength(224);
    expectParts(parts, ['head.tissue', 'collum.tissue', 'trunk.tissue', 'anal-valves.tissue', 'legs', 'antenna.L', 'antenna.R']);
    // The 224 legs are one part, and its triangles are 224 copies of one leg's.
    const legs = part('legs').mesh;
    expect((legs.indices.length / 3) % 224).toBe(0);
  });

  it('is a cylinder about as high as wide, legs below it, head in front', () => {
    const trunk = computeBounds(part('trunk.cuticle').mesh);
    const legs = computeBounds(part('legs').mesh);
    const all = boundsOfParts(parts, () => true);
    expect(legs.min[1]).toBeCloseTo(all.min[1], 9);
    expect(legs.max[1]).toBeLessThan(trunk.max[1] - 0.5 * (trunk.max[1] - trunk.min[1]));
    const straight = buildMillipede({ wave: 0 });
    const t = boundsOfParts(straight, (n) => n === 'trunk.cuticle');
    expect((t.max[0] - t.min[0]) / (t.max[1] - t.min[1])).toBeCloseTo(1.04, 1);
    expect(boundsOfParts(parts, (n) => n.startsWith('head') || n.startsWith('antenna')).max[2]).toBeCloseTo(all.max[2], 9);
    expect(boundsOfParts(parts, (n) => n.startsWith('anal-valves')).min[2]).toBeGreaterThan(all.min[2] - 1e-9);
  });

  it('is deterministic and stays well formed at extreme parameters', () => {
    expectSameModel(buildMillipede(), parts);
    for (const p of [{ wave: 0.12, detail: 0.5 }, { wave: 0, cuticleRatio: 0.01 }, { bodyLength: 0.02, cuticleRatio: 0.0005, detail: 2 }]) {
      expectWellFormedArthropod(buildMillipede(p), p.bodyLength ?? MILLIPEDE_DEFAULTS.bodyLength, 100_000);
    }
  });

  it('refuses out-of-range parameters, naming them', () => {
    expect(() => buildMillipede({ wave: 0.5 })).toThrow(ExorayError);
    expect(() => buildMillipede({ detail: 9 })).toThrow(/millipede builder: detail/);
  });
});
