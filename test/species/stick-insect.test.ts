import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { buildStickInsect, STICK_INSECT_DEFAULTS } from '../../src/species/stick-insect.js';
import { boundsOfParts, expectParts, expectSameModel, expectWellFormedArthropod } from '../helpers/arthropod-model.js';

const parts = buildStickInsect();

describe('procedural jungle nymph stick insect', () => {
  it('is closed, outward, cuticle over tissue, spans `span`, within the triangle budget', () => {
    expect(expectWellFormedArthropod(parts, STICK_INSECT_DEFAULTS.span)).toBeGreaterThan(5000);
  });

  it('has the anatomy: head, three thoracic segments, tegmina, 8 abdominal tergites, ovipositor, antennae, 6 legs', () => {
    const legs = ['L', 'R'].flatMap((s) => [1, 2, 3].flatMap((l) => ['femur', 'tibia', 'tarsus'].map((g) => `leg.${s}${l}.${g}`)));
    const abdomen = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `abdomen${i}.tissue`);
    expectParts(parts, ['head.tissue', 'prothorax.tissue', 'mesothorax.tissue', 'metathorax.tissue', 'tegmen.L', 'tegmen.R', 'ovipositor', 'antenna.L', 'antenna.R', ...abdomen, ...legs]);
  });

  it('is long and slender: forelegs and antennae lead, the ovipositor trails, body longer than 6 times its width', () => {
    const all = boundsOfParts(parts, () => true);
    expect(boundsOfParts(parts, (n) => n.startsWith('leg.R1') || n.startsWith('antenna')).max[2]).toBeCloseTo(all.max[2], 9);
    expect(boundsOfParts(parts, (n) => n.startsWith('ovipositor')).min[2]).toBeCloseTo(all.min[2], 9);
    const body = boundsOfParts(parts, (n) => !n.startsWith('leg.') && !n.startsWith('antenna'));
    expect((body.max[2] - body.min[2]) / (body.max[0] - body.min[0])).toBeGreaterThan(6);
    // Body (head to abdomen tip) is 0.82 of the span, as the catalog's size range assumes.
    expect((body.max[2] - body.min[2]) / STICK_INSECT_DEFAULTS.span).toBeCloseTo(0.821, 2);
    expect(boundsOfParts(parts, (n) => n.endsWith('.tarsus')).min[1]).toBeCloseTo(all.min[1], 9);
  });

  it('abdomenWidth widens the abdomen only', () => {
    const slim = buildStickInsect({ abdomenWidth: 0.6 });
    const width = (ps: typeof parts, n: string) => {
      const b = boundsOfParts(ps, (x) => x === n);
      return b.max[0] - b.min[0];
    };
    expect(width(slim, 'abdomen4.cuticle')).toBeLessThan(0.7 * width(parts, 'abdomen4.cuticle'));
    expect(width(slim, 'head.cuticle')).toBeCloseTo(width(parts, 'head.cuticle'), 6);
  });

  it('is deterministic and stays well formed at extreme parameters', () => {
    expectSameModel(buildStickInsect(), parts);
    for (const p of [{ abdomenWidth: 0.5, detail: 0.5 }, { abdomenWidth: 1.3, cuticleRatio: 0.01 }, { span: 0.02, cuticleRatio: 0.0005, detail: 2 }]) {
      expectWellFormedArthropod(buildStickInsect(p), p.span ?? STICK_INSECT_DEFAULTS.span, 100_000);
    }
  });

  it('refuses out-of-range parameters, naming them', () => {
    expect(() => buildStickInsect({ abdomenWidth: 2 })).toThrow(ExorayError);
    expect(() => buildStickInsect({ span: 1 })).toThrow(/stick insect builder: span/);
  });
});
