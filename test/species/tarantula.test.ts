import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { computeBounds } from '../../src/geometry/mesh.js';
import { buildTarantula, TARANTULA_DEFAULTS } from '../../src/species/tarantula.js';
import { boundsOfParts, expectParts, expectSameModel, expectWellFormedArthropod } from '../helpers/arthropod-model.js';

const parts = buildTarantula();
const part = (name: string) => parts.find((p) => p.name === name)!;
const SEGMENTS = ['coxa', 'femur', 'patella', 'tibia', 'metatarsus', 'tarsus'];

describe('procedural red-knee tarantula', () => {
  it('is closed, outward, cuticle over tissue, spans the leg span, within the triangle budget', () => {
    expect(expectWellFormedArthropod(parts, TARANTULA_DEFAULTS.span)).toBeGreaterThan(8000);
  });

  it('has the anatomy: prosoma, pedicel, opisthosoma, chelicerae and fangs, pedipalps, 8 legs x 6 segments, spinnerets', () => {
    const legs = ['L', 'R'].flatMap((s) => [1, 2, 3, 4].flatMap((l) => SEGMENTS.map((g) => `leg.${s}${l}.${g}`)));
    const palps = ['L', 'R'].flatMap((s) => ['coxa', 'femur', 'patella', 'tibia', 'tarsus'].map((g) => `pedipalp.${s}.${g}`));
    expectParts(parts, ['prosoma.tissue', 'pedicel', 'opisthosoma.tissue', 'chelicera.L', 'chelicera.R', 'fang.L', 'fang.R', 'spinneret.L', 'spinneret.R', ...legs, ...palps]);
    // Tarantula legs are thick: every segment has a tissue core at the default cuticle.
    for (const g of SEGMENTS) expect(parts.some((p) => p.name === `leg.R4.${g}.tissue`), g).toBe(true);
  });

  it('legs I reach furthest forward and legs IV furthest back; it stands on its tarsi, knees up', () => {
    const all = boundsOfParts(parts, () => true);
    expect(boundsOfParts(parts, (n) => n.startsWith('leg.R1.') || n.startsWith('leg.L1.')).max[2]).toBeCloseTo(all.max[2], 9);
    expect(boundsOfParts(parts, (n) => n.startsWith('leg.R4.') || n.startsWith('leg.L4.')).min[2]).toBeCloseTo(all.min[2], 9);
    expect(boundsOfParts(parts, (n) => n.includes('.tarsus')).min[1]).toBeCloseTo(all.min[1], 9);
    const prosoma = computeBounds(part('prosoma.cuticle').mesh);
    const knee = boundsOfParts(parts, (n) => n.startsWith('leg.R1.patella'));
    expect(knee.max[1]).toBeGreaterThan(prosoma.max[1] - 0.01 * TARANTULA_DEFAULTS.span);
    // The opisthosoma is the biggest body part: wider than the prosoma.
    const op = computeBounds(part('opisthosoma.cuticle').mesh);
    expect(op.max[0] - op.min[0]).toBeGreaterThan(prosoma.max[0] - prosoma.min[0]);
    // Body (chelicerae to spinnerets) is ~0.58 of the leg span, as catalog sizes assume.
    const body = boundsOfParts(parts, (n) => !n.startsWith('leg.') && !n.startsWith('pedipalp.'));
    expect((body.max[2] - body.min[2]) / TARANTULA_DEFAULTS.span).toBeCloseTo(0.586, 2);
  });

  it('abdomenSize and legThickness change the shape, not the span', () => {
    const fat = buildTarantula({ abdomenSize: 1.3, legThickness: 1.4 });
    expectWellFormedArthropod(fat, TARANTULA_DEFAULTS.span);
    const width = (ps: typeof parts, n: string) => {
      const b = boundsOfParts(ps, (x) => x === n);
      return b.max[0] - b.min[0];
    };
    expect(width(fat, 'opisthosoma.cuticle')).toBeGreaterThan(width(parts, 'opisthosoma.cuticle'));
  });

  it('is deterministic and stays well formed at extreme parameters', () => {
    expectSameModel(buildTarantula(), parts);
    for (const p of [{ abdomenSize: 0.7, legThickness: 0.6, detail: 0.5 }, { abdomenSize: 1.4, legThickness: 1.5, cuticleRatio: 0.01 }, { span: 0.01, cuticleRatio: 0.0005, detail: 2 }]) {
      expectWellFormedArthropod(buildTarantula(p), p.span ?? TARANTULA_DEFAULTS.span, 100_000);
    }
  });

  it('refuses out-of-range parameters, naming them', () => {
    expect(() => buildTarantula({ abdomenSize: 5 })).toThrow(ExorayError);
    expect(() => buildTarantula({ span: -1 })).toThrow(/tarantula builder: span/);
  });
});
