import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { boundsOf, computeBounds, signedVolume } from '../../src/geometry/mesh.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import { findSpecies, loadCatalog } from '../../src/species/catalog.js';
import { buildParrotChick, PARROT_CHICK_DEFAULTS, parrotChickPlan } from '../../src/species/parrot-chick.js';
import { tetrapodComponents, tetrapodLayout } from '../../src/species/plans/tetrapod.js';
import { overlappingPairs, overlapShare, triangleTotal, verticesOutside } from '../helpers/anatomy.js';

const parts = buildParrotChick();
const c = tetrapodComponents(parrotChickPlan());
const layout = tetrapodLayout(parrotChickPlan());
const bones = [...c.skull, ...c.vertebrae, ...c.ribs, ...c.limbBones];
const vol = (name: string) => signedVolume(parts.find((p) => p.name === name)!.mesh);

describe('procedural grey parrot chick', () => {
  it('has a soft-tissue body and a bone skull, column, ribs and limb bones, each closed and outward', () => {
    expect(parts.map((p) => [p.name, p.material])).toEqual([
      ['body', 'soft_tissue'],
      ['skull', 'cortical_bone'],
      ['vertebrae', 'cortical_bone'],
      ['ribs', 'cortical_bone'],
      ['limb-bones', 'cortical_bone'],
    ]);
    for (const p of parts) expect(() => assertClosedOutward(p.mesh, p.name)).not.toThrow();
    for (const m of [...c.body, ...c.limbTissue, ...bones]) expect(assertClosedOutward(m, 'component').outward).toBe(true);
    expect(triangleTotal(parts)).toBeLessThan(30_000);
  });

  it('has a bird column (long neck, synsacrum as one bone), wings and legs, a hollow braincase', () => {
    const count = (k: string) => layout.kinds.filter((x) => x === k).length;
    expect([count('cervical'), count('dorsal'), count('sacral'), count('caudal')]).toEqual([12, 6, 1, 5]);
    expect(layout.ribVertebra.every((i) => layout.kinds[i] === 'dorsal')).toBe(true);
    expect(layout.ribVertebra.length).toBeGreaterThan(0);
    // Wing: humerus, radius, ulna, hand; leg: femur, tibiotarsus, 4 toes; both sides.
    expect(c.limbBones).toHaveLength(2 * 4 + 2 * 6);
    // The braincase is a shell: its volume is well below that of its outer surface.
    const brain = computeBounds(c.skull[0]!);
    const solid = (Math.PI / 6) * (brain.max[0] - brain.min[0]) * (brain.max[1] - brain.min[1]) * (brain.max[2] - brain.min[2]);
    expect(signedVolume(c.skull[0]!) / solid).toBeLessThan(0.6);
  });

  it('keeps every bone inside soft tissue and apart from every other bone', () => {
    expect(verticesOutside(bones, [...c.body, ...c.limbTissue])).toBe(0);
    expect(overlappingPairs(bones)).toEqual([]);
  });

  it('counts under 2.5% of the body volume twice (legs start their tissue at the knee)', () => {
    const limbs = c.limbTissue.reduce((s, m) => s + signedVolume(m), 0);
    expect((overlapShare(c.limbTissue, c.body) * limbs) / signedVolume(c.body[0]!)).toBeLessThan(0.025);
  });

  it('is as long as beak tip to rump, the beak at +Z, with a modest bone share', () => {
    const b = boundsOf(parts.map((p) => p.mesh));
    expect(b.max[2] - b.min[2]).toBeCloseTo(PARROT_CHICK_DEFAULTS.length, 6);
    expect(computeBounds(c.skull[1]!).max[2]).toBeGreaterThan(b.max[2] - 0.15 * PARROT_CHICK_DEFAULTS.length);
    const bone = vol('skull') + vol('vertebrae') + vol('ribs') + vol('limb-bones');
    expect(bone / vol('body')).toBeGreaterThan(0.01);
    expect(bone / vol('body')).toBeLessThan(0.06);
  });

  it('is deterministic and refuses a bad length by name', () => {
    buildParrotChick().forEach((p, i) => expect(p.mesh.positions).toEqual(parts[i]!.mesh.positions));
    expect(() => buildParrotChick({ length: 1 })).toThrow(ExorayError);
    expect(() => buildParrotChick({ length: 0 })).toThrow(/length/);
  });

  it('has a catalog entry (CITES I, bird plan)', () => {
    const entry = findSpecies(loadCatalog(), 'grey-parrot-chick');
    expect(entry).toMatchObject({
      scientificName: 'Psittacus erithacus',
      taxonomy: { class: 'Aves', order: 'Psittaciformes', family: 'Psittacidae' },
      cites: 'I',
      bodyPlan: 'bird',
      modelLengthMm: PARROT_CHICK_DEFAULTS.length * 1000,
    });
  });
});
