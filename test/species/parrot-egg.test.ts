import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { boundsOf, computeBounds, signedVolume } from '../../src/geometry/mesh.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { findSpecies, loadCatalog } from '../../src/species/catalog.js';
import { buildParrotEgg, PARROT_EGG_DEFAULTS, parrotEggPlan } from '../../src/species/parrot-egg.js';
import { buildEgg, eggComponents } from '../../src/species/plans/egg.js';
import { overlaps, verticesOutside } from '../helpers/anatomy.js';

const parts = buildParrotEgg();
const c = eggComponents(parrotEggPlan());
const vol = (name: string) => signedVolume(parts.find((p) => p.name === name)!.mesh);

describe('procedural grey parrot egg', () => {
  it('is a shell of eggshell around albumen, with yolk and air cell as cavities of the albumen', () => {
    expect(parts.map((p) => [p.name, p.material])).toEqual([
      ['shell', 'eggshell'],
      ['albumen', 'egg_albumen'],
      ['yolk', 'egg_yolk'],
    ]);
    for (const p of parts) expect(() => assertClosedOutward(p.mesh, p.name)).not.toThrow();
    // Nested without touching: yolk and air cell inside the shell's inner surface, apart.
    expect(verticesOutside([c.yolk, c.air], [c.inner])).toBe(0);
    expect(verticesOutside([c.inner], [c.outer])).toBe(0);
    expect(overlaps(c.yolk, c.air)).toBe(false);
    // Path-length bookkeeping: albumen = inner volume - yolk - air.
    expect(vol('albumen')).toBeCloseTo(signedVolume(c.inner) - signedVolume(c.yolk) - signedVolume(c.air), 12);
  });

  it('has the size, shape, shell thickness and mass of a grey parrot egg', () => {
    const b = boundsOf(parts.map((p) => p.mesh));
    expect(b.max[2] - b.min[2]).toBeCloseTo(PARROT_EGG_DEFAULTS.length, 6);
    expect((b.max[0] - b.min[0]) / (b.max[2] - b.min[2])).toBeCloseTo(0.78, 2);
    // Blunt end (air cell) towards +Z.
    expect(computeBounds(c.air).min[2]).toBeGreaterThan(0);
    // Shell volume ~ area x thickness.
    const area = Math.PI * (b.max[0] - b.min[0]) * (b.max[2] - b.min[2]);
    expect(vol('shell') / (area * parrotEggPlan().shellThickness)).toBeGreaterThan(0.8);
    expect(vol('shell') / (area * parrotEggPlan().shellThickness)).toBeLessThan(1.1);
    // 17-24 g, yolk ~22% of the contents.
    const grams = (vol('shell') * 2.3 + vol('albumen') * 1.035 + vol('yolk') * 1.03) * 1e6;
    expect(grams).toBeGreaterThan(17);
    expect(grams).toBeLessThan(24);
    expect(vol('yolk') / (vol('albumen') + vol('yolk'))).toBeCloseTo(0.22, 1);
  });

  it('refuses impossible eggs', () => {
    expect(() => buildEgg({ ...parrotEggPlan(), breadth: 0.05 })).toThrow(ExorayError);
    expect(() => buildEgg({ ...parrotEggPlan(), airCell: { radius: 0.6, depth: 0.2 } })).toThrow(/air cell/);
  });

  it('uses albumen and yolk materials that load, and has a catalog entry (CITES I)', () => {
    const lib = loadMaterialLibrary();
    const mu = (id: string) => lib.linearAttenuation(id, 60);
    // Albumen is water with protein (a little above water); yolk's lipids bring it below albumen.
    expect(mu('egg_albumen') / mu('water')).toBeGreaterThan(1);
    expect(mu('egg_albumen') / mu('water')).toBeLessThan(1.1);
    expect(mu('egg_yolk')).toBeLessThan(mu('egg_albumen'));
    expect(mu('eggshell')).toBeGreaterThan(3 * mu('egg_albumen'));
    const entry = findSpecies(loadCatalog(), 'grey-parrot-egg');
    expect(entry).toMatchObject({
      scientificName: 'Psittacus erithacus',
      taxonomy: { class: 'Aves', order: 'Psittaciformes', family: 'Psittacidae' },
      cites: 'I',
      bodyPlan: 'egg',
      orientation: 'any',
      modelLengthMm: PARROT_EGG_DEFAULTS.length * 1000,
    });
  });
});
