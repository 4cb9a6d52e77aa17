import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { boundsOf, computeBounds, signedVolume } from '../../src/geometry/mesh.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import { findSpecies, loadCatalog } from '../../src/species/catalog.js';
import { buildDartFrog, DART_FROG_DEFAULTS, dartFrogPlan } from '../../src/species/frog.js';
import { tetrapodComponents, tetrapodLayout } from '../../src/species/plans/tetrapod.js';
import { overlappingPairs, overlapShare, triangleTotal, verticesOutside } from '../helpers/anatomy.js';

const parts = buildDartFrog();
const c = tetrapodComponents(dartFrogPlan());
const layout = tetrapodLayout(dartFrogPlan());
const bones = [...c.skull, ...c.vertebrae, ...c.limbBones];

describe('procedural dyeing poison frog', () => {
  it('has a soft-tissue body and bone skull, column and limb bones (no ribs), each closed and outward', () => {
    expect(parts.map((p) => [p.name, p.material])).toEqual([
      ['body', 'soft_tissue'],
      ['skull', 'cortical_bone'],
      ['vertebrae', 'cortical_bone'],
      ['limb-bones', 'cortical_bone'],
    ]);
    for (const p of parts) expect(() => assertClosedOutward(p.mesh, p.name)).not.toThrow();
    for (const m of [...c.body, ...c.limbTissue, ...bones]) expect(assertClosedOutward(m, 'component').outward).toBe(true);
    expect(triangleTotal(parts)).toBeLessThan(30_000);
  });

  it('has the anuran column: 8 presacral vertebrae, a sacral one and a urostyle; fused radioulna and tibiofibula', () => {
    expect(layout.kinds).toEqual([...Array(8).fill(null).map((_, i) => (i === 0 ? 'cervical' : 'dorsal')), 'sacral', 'urostyle']);
    expect(c.ribs).toHaveLength(0);
    // Per side: humerus, radioulna, 4 fingers; femur, tibiofibula, 5 toes.
    expect(c.limbBones).toHaveLength(2 * (2 + 4) + 2 * (2 + 5));
    const uro = computeBounds(c.vertebrae[9]!);
    const sacral = computeBounds(c.vertebrae[8]!);
    expect(uro.max[2] - uro.min[2]).toBeGreaterThan(3 * (sacral.max[2] - sacral.min[2]));
  });

  it('keeps every bone inside soft tissue and apart from every other bone', () => {
    expect(verticesOutside(bones, [...c.body, ...c.limbTissue])).toBe(0);
    expect(overlappingPairs(bones)).toEqual([]);
  });

  it('counts under 5% of the body volume twice where the thighs press against the body', () => {
    const limbs = c.limbTissue.reduce((s, m) => s + signedVolume(m), 0);
    expect((overlapShare(c.limbTissue, c.body) * limbs) / signedVolume(c.body[0]!)).toBeLessThan(0.05);
  });

  it('is as long as its snout-vent length (folded feet within), squat, and weighs like an adult', () => {
    const b = boundsOf(parts.map((p) => p.mesh));
    expect(b.max[2] - b.min[2]).toBeCloseTo(DART_FROG_DEFAULTS.length, 6);
    const body = computeBounds(c.body[0]!);
    expect(body.max[2] - body.min[2]).toBeCloseTo(DART_FROG_DEFAULTS.length, 6);
    expect((b.max[1] - b.min[1]) / (b.max[2] - b.min[2])).toBeLessThan(0.5);
    // A 45 mm D. tinctorius weighs about 5-10 g.
    const grams = signedVolume(parts[0]!.mesh) * 1e6 * 1.05;
    expect(grams).toBeGreaterThan(5);
    expect(grams).toBeLessThan(11);
  });

  it('is deterministic and refuses a bad length by name', () => {
    buildDartFrog().forEach((p, i) => expect(p.mesh.positions).toEqual(parts[i]!.mesh.positions));
    expect(() => buildDartFrog({ length: 2 })).toThrow(ExorayError);
    expect(() => buildDartFrog({ length: -1 })).toThrow(/length/);
  });

  it('has a catalog entry (CITES II) with its snout-vent length range', () => {
    const entry = findSpecies(loadCatalog(), 'dyeing-poison-frog');
    expect(entry).toMatchObject({
      scientificName: 'Dendrobates tinctorius',
      commonNames: { en: 'Dyeing poison frog', zh: '染色箭毒蛙' },
      taxonomy: { class: 'Amphibia', order: 'Anura', family: 'Dendrobatidae' },
      cites: 'II',
      bodyPlan: 'amphibian',
      modelLengthMm: DART_FROG_DEFAULTS.length * 1000,
      sizeMm: { min: 15, max: 60 },
    });
  });
});
