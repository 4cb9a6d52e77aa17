import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { computeBounds } from '../../src/geometry/mesh.js';
import { buildScorpion, SCORPION_DEFAULTS } from '../../src/species/scorpion.js';
import { boundsOfParts, expectParts, expectSameModel, expectWellFormedArthropod } from '../helpers/arthropod-model.js';

const parts = buildScorpion();
const part = (name: string) => parts.find((p) => p.name === name)!;

describe('procedural emperor scorpion', () => {
  it('is closed, outward, cuticle over tissue, spans `span`, within the triangle budget', () => {
    expect(expectWellFormedArthropod(parts, SCORPION_DEFAULTS.span)).toBeGreaterThan(8000);
  });

  it('has the anatomy: prosoma, 7 mesosomal and 5 metasomal segments, telson with venom vesicle and aculeus, chelae, 8 legs', () => {
    const body = ['prosoma', ...[1, 2, 3, 4, 5, 6, 7].map((i) => `mesosoma${i}`), ...[1, 2, 3, 4, 5].map((i) => `metasoma${i}`), 'telson'];
    const legs = ['L', 'R'].flatMap((s) => [1, 2, 3, 4].flatMap((l) => ['trochanter', 'femur', 'patella', 'tibia', 'tarsus'].map((g) => `leg.${s}${l}.${g}`)));
    const palps = ['L', 'R'].flatMap((s) => ['pedipalp.{s}.trochanter', 'pedipalp.{s}.femur', 'pedipalp.{s}.patella', 'chela.{s}.hand', 'chela.{s}.fixed', 'chela.{s}.movable', 'chelicera.{s}'].map((n) => n.replace('{s}', s)));
    expectParts(parts, [...body.map((b) => `${b}.tissue`), 'aculeus', ...legs, ...palps]);
    // The venom gland: soft tissue inside the vesicle; the sting is solid cuticle.
    expect(part('telson.tissue').material).toBe('soft_tissue');
    expect(part('aculeus').material).toBe('arthropod_cuticle');
  });

  it('holds the chelae forward and curls the tail over the back', () => {
    const all = boundsOfParts(parts, () => true);
    expect(boundsOfParts(parts, (n) => n.startsWith('chela.')).max[2]).toBeCloseTo(all.max[2], 9);
    const hand = computeBounds(part('chela.R.hand.cuticle').mesh);
    // Pandinus chelae are broad: the hand is wider than a metasomal segment.
    const m1 = computeBounds(part('metasoma1.cuticle').mesh);
    expect(hand.max[0] - hand.min[0]).toBeGreaterThan(m1.max[0] - m1.min[0]);
    const telson = computeBounds(part('telson.cuticle').mesh);
    const meso = boundsOfParts(parts, (n) => n.startsWith('mesosoma'));
    expect(telson.min[1]).toBeGreaterThan(meso.max[1]);
    expect(telson.max[2]).toBeGreaterThan(meso.min[2]);
    // Uncurled, the tail trails straight behind at body height.
    const flat = buildScorpion({ curl: 0 });
    expectWellFormedArthropod(flat, SCORPION_DEFAULTS.span);
    const fAll = boundsOfParts(flat, () => true);
    expect(boundsOfParts(flat, (n) => n === 'aculeus').min[2]).toBeCloseTo(fAll.min[2], 9);
    const ft = boundsOfParts(flat, (n) => n === 'telson.cuticle');
    expect((ft.min[1] + ft.max[1]) / 2).toBeLessThan(boundsOfParts(flat, (n) => n.startsWith('mesosoma')).max[1]);
  });

  it('stands on its tarsi', () => {
    const all = boundsOfParts(parts, () => true);
    expect(boundsOfParts(parts, (n) => n.endsWith('.tarsus')).min[1]).toBeCloseTo(all.min[1], 9);
  });

  it('is deterministic and stays well formed at extreme parameters', () => {
    expectSameModel(buildScorpion(), parts);
    for (const p of [{ curl: 1.2, chelaSize: 1.4, detail: 0.5 }, { curl: 0.5, chelaSize: 0.6, cuticleRatio: 0.01 }, { span: 0.01, cuticleRatio: 0.0005, detail: 2 }]) {
      expectWellFormedArthropod(buildScorpion(p), p.span ?? SCORPION_DEFAULTS.span, 100_000);
    }
  });

  it('refuses out-of-range parameters, naming them', () => {
    expect(() => buildScorpion({ curl: 2 })).toThrow(ExorayError);
    expect(() => buildScorpion({ chelaSize: 0 })).toThrow(/scorpion builder: chelaSize/);
  });
});
