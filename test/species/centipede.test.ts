import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { computeBounds } from '../../src/geometry/mesh.js';
import { buildCentipede, centipedePlan, CENTIPEDE_DEFAULTS } from '../../src/species/centipede.js';
import { boundsOfParts, expectParts, expectSameModel, expectWellFormedArthropod } from '../helpers/arthropod-model.js';

const parts = buildCentipede();
const part = (name: string) => parts.find((p) => p.name === name)!;

describe('procedural giant centipede', () => {
  it('is closed, outward, cuticle over tissue, spans bodyLength, within the triangle budget', () => {
    expect(expectWellFormedArthropod(parts, CENTIPEDE_DEFAULTS.bodyLength)).toBeGreaterThan(10_000);
  });

  it('has 21 trunk segments with a leg pair each, ultimate legs, forcipules and antennae', () => {
    const plan = centipedePlan(CENTIPEDE_DEFAULTS.wave, 1);
    expect(plan.segments.filter((s) => /^trunk\d+$/.test(s.name))).toHaveLength(21);
    expect(plan.limbs.filter((l) => /^leg\.[LR]\d+$/.test(l.name))).toHaveLength(42);
    // Built: repeated trunk segments and legs merged into a few parts; the rest stays named.
    expectParts(parts, ['head.tissue', 'trunk.tissue', 'legs.tissue', 'legs', 'forcipule.L', 'forcipule.R', 'antenna.L', 'antenna.R']);
    for (const s of ['L', 'R']) expectParts(parts, [`leg.${s}.ultimate.femur.tissue`, `leg.${s}.ultimate.tibia`, `leg.${s}.ultimate.claw`]);
    expect(parts.length).toBeLessThan(30);
  });

  it('antennae lead, ultimate legs trail, forcipules lie under the head front', () => {
    const all = boundsOfParts(parts, () => true);
    expect(boundsOfParts(parts, (n) => n.startsWith('antenna')).max[2]).toBeCloseTo(all.max[2], 9);
    expect(boundsOfParts(parts, (n) => n.includes('ultimate')).min[2]).toBeCloseTo(all.min[2], 9);
    const head = computeBounds(part('head.cuticle').mesh);
    const forc = boundsOfParts(parts, (n) => n.startsWith('forcipule'));
    expect(forc.min[1]).toBeLessThan(head.min[1] + 0.2 * (head.max[1] - head.min[1]));
    expect(forc.max[2]).toBeGreaterThan(head.max[2] - 0.02 * CENTIPEDE_DEFAULTS.bodyLength);
    // Flattened body: far wider (with legs) than high.
    expect(all.max[0] - all.min[0]).toBeGreaterThan(4 * (computeBounds(part('trunk.cuticle').mesh).max[1] - computeBounds(part('trunk.cuticle').mesh).min[1]));
  });

  it('wave 0 gives a straight, symmetric body; the default walks in an S', () => {
    const straight = buildCentipede({ wave: 0 });
    expectWellFormedArthropod(straight, CENTIPEDE_DEFAULTS.bodyLength);
    const t = boundsOfParts(straight, (n) => n === 'trunk.cuticle');
    expect(t.max[0] + t.min[0]).toBeCloseTo(0, 6);
    const w = boundsOfParts(parts, (n) => n === 'trunk.cuticle');
    expect(w.max[0] - w.min[0]).toBeGreaterThan(1.5 * (t.max[0] - t.min[0]));
  });

  it('is deterministic and stays well formed at extreme parameters', () => {
    expectSameModel(buildCentipede(), parts);
    for (const p of [{ wave: 0.15, bodyWidth: 1.6, detail: 0.5 }, { bodyWidth: 0.6, cuticleRatio: 0.01 }, { bodyLength: 0.01, cuticleRatio: 0.0005, detail: 2 }]) {
      expectWellFormedArthropod(buildCentipede(p), p.bodyLength ?? CENTIPEDE_DEFAULTS.bodyLength, 150_000);
    }
  });

  it('refuses out-of-range parameters, naming them', () => {
    expect(() => buildCentipede({ wave: 1 })).toThrow(ExorayError);
    expect(() => buildCentipede({ bodyWidth: 0.1 })).toThrow(/centipede builder: bodyWidth/);
  });
});
