import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { boundsOf, computeBounds, signedVolume } from '../../src/geometry/mesh.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import { findSpecies, loadCatalog, loadSpeciesModel } from '../../src/species/catalog.js';
import { buildLeopardGecko, LEOPARD_GECKO_DEFAULTS, leopardGeckoPlan } from '../../src/species/gecko.js';
import { tetrapodComponents, tetrapodLayout } from '../../src/species/plans/tetrapod.js';
import { overlappingPairs, overlapShare, triangleTotal, verticesOutside } from '../helpers/anatomy.js';

const parts = buildLeopardGecko();
const c = tetrapodComponents(leopardGeckoPlan());
const layout = tetrapodLayout(leopardGeckoPlan());
const bones = [...c.skull, ...c.vertebrae, ...c.ribs, ...c.limbBones];
const vol = (name: string) => signedVolume(parts.find((p) => p.name === name)!.mesh);

describe('procedural leopard gecko', () => {
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

  it('has 8 cervical, 18 dorsal, 2 sacral and 30 caudal vertebrae, ribs only on dorsal ones, four limbs of 8 bones', () => {
    const count = (k: string) => layout.kinds.filter((x) => x === k).length;
    expect([count('cervical'), count('dorsal'), count('sacral'), count('caudal')]).toEqual([8, 18, 2, 30]);
    expect(c.ribs).toHaveLength(2 * layout.ribVertebra.length);
    expect(layout.ribVertebra.every((i) => layout.kinds[i] === 'dorsal')).toBe(true);
    // The shoulder girdle's few vertebrae go without ribs; most dorsal ones have them.
    expect(layout.ribVertebra.length).toBeGreaterThanOrEqual(12);
    // Humerus, radius, ulna and five digits per limb.
    expect(c.limbBones).toHaveLength(4 * 8);
    expect(c.limbTissue).toHaveLength(4 * 2);
  });

  it('keeps every bone inside soft tissue and apart from every other bone', () => {
    expect(verticesOutside(bones, [...c.body, ...c.limbTissue])).toBe(0);
    expect(overlappingPairs(bones)).toEqual([]);
  });

  it('counts little tissue twice where the limbs root in the body (under 1.5% of the body volume)', () => {
    const limbs = c.limbTissue.reduce((s, m) => s + signedVolume(m), 0);
    expect((overlapShare(c.limbTissue, c.body) * limbs) / signedVolume(c.body[0]!)).toBeLessThan(0.015);
  });

  it.each([0.08, 0.22, 0.28])('spans totalLength %s m along Z, head at +Z, feet within the snout-to-tail span', (len) => {
    const ps = buildLeopardGecko({ totalLength: len });
    const b = boundsOf(ps.map((p) => p.mesh));
    expect(b.max[2] - b.min[2]).toBeCloseTo(len, 6);
    for (let k = 0; k < 3; k++) expect(Math.abs(b.max[k]! + b.min[k]!)).toBeLessThan(1e-6);
    const skull = computeBounds(ps.find((p) => p.name === 'skull')!.mesh);
    expect(skull.min[2]).toBeGreaterThan(b.max[2] - 0.15 * len);
  });

  it('stands on its feet, wider than high, with the mass and bone share of an adult', () => {
    const e = [0, 1, 2].map((k) => boundsOf(parts.map((p) => p.mesh)).max[k]! - boundsOf(parts.map((p) => p.mesh)).min[k]!);
    expect(e[0]! / e[2]!).toBeGreaterThan(0.2);
    expect(e[1]! / e[0]!).toBeLessThan(0.5);
    const feet = boundsOf(c.limbTissue);
    expect(feet.min[1]).toBeLessThan(computeBounds(c.body[0]!).min[1]);
    // 22 cm leopard geckos weigh 50-90 g (tissue density ~1.05).
    expect(vol('body') * 1e6).toBeGreaterThan(45);
    expect(vol('body') * 1e6).toBeLessThan(90);
    const bone = vol('skull') + vol('vertebrae') + vol('ribs') + vol('limb-bones');
    expect(bone / vol('body')).toBeGreaterThan(0.015);
    expect(bone / vol('body')).toBeLessThan(0.08);
  });

  it('is deterministic and refuses out-of-range parameters by name', () => {
    const again = buildLeopardGecko();
    again.forEach((p, i) => expect(p.mesh.positions).toEqual(parts[i]!.mesh.positions));
    expect(() => buildLeopardGecko({ totalLength: 5 })).toThrow(ExorayError);
    expect(() => buildLeopardGecko({ tailGirth: 3 })).toThrow(/tailGirth/);
    expect(() => buildLeopardGecko({ detail: 9 })).toThrow(/detail/);
  });
});

describe('leopard gecko asset', () => {
  it('has a catalog entry with its names, taxonomy and total-length range, and its model loads', async () => {
    const entry = findSpecies(loadCatalog(), 'leopard-gecko');
    expect(entry).toMatchObject({
      scientificName: 'Eublepharis macularius',
      commonNames: { en: 'Leopard gecko', zh: '豹纹守宫' },
      taxonomy: { class: 'Reptilia', order: 'Squamata', family: 'Eublepharidae' },
      cites: null,
      bodyPlan: 'reptile',
      orientation: 'flat',
      sizeMm: { min: 70, max: 280 },
      modelLengthMm: LEOPARD_GECKO_DEFAULTS.totalLength * 1000,
    });
    const loaded = await loadSpeciesModel(entry);
    expect(loaded.map((p) => p.name)).toEqual(parts.map((p) => p.name));
  });
});
