import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { computeBounds } from '../../src/geometry/mesh.js';
import { buildRhinoBeetle, RHINO_BEETLE_DEFAULTS } from '../../src/species/rhino-beetle.js';
import { boundsOfParts, expectParts, expectSameModel, expectWellFormedArthropod } from '../helpers/arthropod-model.js';

const parts = buildRhinoBeetle();
const part = (name: string) => parts.find((p) => p.name === name)!;

describe('procedural Hercules beetle', () => {
  it('is closed, outward, cuticle over tissue, spans bodyLength, within the triangle budget', () => {
    expect(expectWellFormedArthropod(parts, RHINO_BEETLE_DEFAULTS.bodyLength)).toBeGreaterThan(5000);
  });

  it('has the anatomy: shelled head, pronotum and abdomen, two solid horns, antennae, 6 legs x 3 segments', () => {
    const legs = ['L', 'R'].flatMap((s) => [1, 2, 3].flatMap((l) => ['femur', 'tibia', 'tarsus'].map((g) => `leg.${s}${l}.${g}`)));
    expectParts(parts, ['head.tissue', 'pronotum.tissue', 'abdomen.tissue', 'horn.thoracic', 'horn.cephalic', 'antenna.L', 'antenna.R', ...legs]);
    expect(part('horn.thoracic').material).toBe('arthropod_cuticle');
    expect(parts.some((p) => p.name === 'leg.R2.femur.tissue')).toBe(true);
  });

  it('the thoracic horn reaches furthest forward, over the upturned cephalic horn', () => {
    const all = boundsOfParts(parts, () => true);
    const thoracic = computeBounds(part('horn.thoracic').mesh);
    const cephalic = computeBounds(part('horn.cephalic').mesh);
    expect(thoracic.max[2]).toBeCloseTo(all.max[2], 9);
    expect(cephalic.max[2]).toBeLessThan(thoracic.max[2]);
    expect(cephalic.max[2]).toBeGreaterThan(computeBounds(part('pronotum.cuticle').mesh).max[2]);
    expect(thoracic.max[1]).toBeGreaterThan(cephalic.max[1]);
    // Horns are about as long as the rest of the body is wide: ~0.4 of the length ahead of the pronotum.
    const ahead = (thoracic.max[2] - computeBounds(part('pronotum.cuticle').mesh).max[2]) / RHINO_BEETLE_DEFAULTS.bodyLength;
    expect(ahead).toBeGreaterThan(0.35);
    expect(ahead).toBeLessThan(0.5);
  });

  it('stands on its tarsi, legs spread beyond the elytra', () => {
    const all = boundsOfParts(parts, () => true);
    const tarsi = boundsOfParts(parts, (n) => n.endsWith('.tarsus'));
    expect(tarsi.min[1]).toBeCloseTo(all.min[1], 9);
    expect(computeBounds(part('abdomen.cuticle').mesh).min[1]).toBeGreaterThan(all.min[1] + 0.02 * RHINO_BEETLE_DEFAULTS.bodyLength);
    expect(boundsOfParts(parts, (n) => n.startsWith('leg.R2')).max[0]).toBeGreaterThan(computeBounds(part('abdomen.cuticle').mesh).max[0]);
  });

  it('hornLength shortens the horns (minor males), still spanning bodyLength', () => {
    const minor = buildRhinoBeetle({ hornLength: 0.3, bodyLength: 0.06 });
    expectWellFormedArthropod(minor, 0.06);
    const ahead = (ps: typeof parts) => {
      const b = boundsOfParts(ps, () => true);
      return (b.max[2] - boundsOfParts(ps, (n) => n === 'pronotum.cuticle').max[2]) / (b.max[2] - b.min[2]);
    };
    expect(ahead(minor)).toBeLessThan(0.6 * ahead(parts));
  });

  it('is deterministic and stays well formed at extreme parameters', () => {
    expectSameModel(buildRhinoBeetle(), parts);
    for (const p of [{ hornLength: 0.2, detail: 0.5 }, { hornLength: 1.3, cuticleRatio: 0.02, detail: 2 }, { bodyLength: 0.01, cuticleRatio: 0.001 }]) {
      expectWellFormedArthropod(buildRhinoBeetle(p), p.bodyLength ?? RHINO_BEETLE_DEFAULTS.bodyLength, 60_000);
    }
  });

  it('refuses out-of-range parameters, naming them', () => {
    expect(() => buildRhinoBeetle({ hornLength: 3 })).toThrow(ExorayError);
    expect(() => buildRhinoBeetle({ bodyLength: 0 })).toThrow(/rhinoceros beetle builder: bodyLength/);
  });
});
