import { describe, expect, it } from 'vitest';
import type { MeshData } from '../../src/core/types.js';
import { ExorayError } from '../../src/core/errors.js';
import { boundsOf, computeBounds, signedVolume } from '../../src/geometry/mesh.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import { findSpecies, loadCatalog } from '../../src/species/catalog.js';
import {
  buildSliderHatchling,
  buildStarTortoise,
  sliderHatchlingPlan,
  SLIDER_HATCHLING_DEFAULTS,
  starTortoisePlan,
  STAR_TORTOISE_DEFAULTS,
} from '../../src/species/chelonians.js';
import { chelonianComponents, type ChelonianPlan } from '../../src/species/plans/chelonian.js';
import { overlappingPairs, overlaps, overlapShare, triangleTotal, verticesOutside } from '../helpers/anatomy.js';

const cases = [
  { id: 'star-tortoise', plan: starTortoisePlan(), build: buildStarTortoise, defaults: STAR_TORTOISE_DEFAULTS },
  { id: 'red-eared-slider-hatchling', plan: sliderHatchlingPlan(), build: buildSliderHatchling, defaults: SLIDER_HATCHLING_DEFAULTS },
];

const extent = (meshes: MeshData[]) => {
  const b = boundsOf(meshes);
  return [0, 1, 2].map((k) => b.max[k]! - b.min[k]!);
};

describe.each(cases)('procedural chelonian $id', ({ plan, build }) => {
  const parts = build();
  const c = chelonianComponents(plan as ChelonianPlan);
  const bones = [...c.skull, ...c.vertebrae, ...c.limbBones];
  const soft = [...c.body, ...c.appendages];
  const vol = (name: string) => signedVolume(parts.find((p) => p.name === name)!.mesh);

  it('has a carapace and plastron of shell, a soft body and bones, each closed and outward', () => {
    expect(parts.map((p) => [p.name, p.material])).toEqual([
      ['carapace', 'turtle_shell'],
      ['plastron', 'turtle_shell'],
      ['body', 'soft_tissue'],
      ['skull', 'cortical_bone'],
      ['vertebrae', 'cortical_bone'],
      ['limb-bones', 'cortical_bone'],
    ]);
    for (const p of parts) expect(() => assertClosedOutward(p.mesh, p.name)).not.toThrow();
    for (const m of [...c.carapace, ...c.plastron, ...soft, ...bones]) expect(assertClosedOutward(m, 'component').outward).toBe(true);
    expect(triangleTotal(parts)).toBeLessThan(30_000);
    // Skull (4), head and tail vertebrae plus 10 dorsal ones, 4 limbs of 3 long bones and 5 digits.
    expect(c.skull).toHaveLength(4);
    expect(c.limbBones).toHaveLength(4 * 8);
    expect(c.vertebrae.length).toBe(plan.head.cervical + plan.tail.caudal + plan.dorsal.count);
  });

  it('keeps the soft tissue and bones clear of both shells, bones inside tissue and apart', () => {
    expect(overlaps(c.carapace[0]!, c.plastron[0]!)).toBe(false);
    for (const m of [...soft, ...bones]) {
      expect(overlaps(m, c.carapace[0]!)).toBe(false);
      expect(overlaps(m, c.plastron[0]!)).toBe(false);
    }
    expect(verticesOutside(bones, soft)).toBe(0);
    expect(overlappingPairs(bones)).toEqual([]);
  });

  it('counts under 1.5% of the body volume twice where head, tail and limbs root in the body', () => {
    const app = c.appendages.reduce((s, m) => s + signedVolume(m), 0);
    expect((overlapShare(c.appendages, c.body) * app) / signedVolume(c.body[0]!)).toBeLessThan(0.015);
  });

  it('is as long as its carapace plus head and tail, the carapace exactly carapaceLength, the shell on top', () => {
    const carapace = extent(c.carapace);
    expect(carapace[2]).toBeCloseTo(plan.carapaceLength, 6);
    expect(carapace[0]! / carapace[2]!).toBeCloseTo(2 * plan.halfWidth, 2);
    const all = extent(parts.map((p) => p.mesh));
    expect(all[2]! / plan.carapaceLength).toBeGreaterThan(1.05);
    expect(all[2]! / plan.carapaceLength).toBeLessThan(1.45);
    expect(computeBounds(c.carapace[0]!).max[1]).toBeCloseTo(boundsOf(parts.map((p) => p.mesh)).max[1], 9);
    // The head (skull) is at the +Z end.
    expect(computeBounds(c.skull[0]!).min[2]).toBeGreaterThan(computeBounds(c.carapace[0]!).max[2]);
  });

  it('has a shell share of the mass and a body mass of the real animal', () => {
    const shell = vol('carapace') + vol('plastron');
    const shellMass = 1.7 * shell, bodyMass = 1.05 * vol('body');
    expect(shellMass / (shellMass + bodyMass)).toBeGreaterThan(0.1);
    expect(shellMass / (shellMass + bodyMass)).toBeLessThan(0.45);
  });

  it('is deterministic', () => {
    build().forEach((p, i) => expect(p.mesh.positions).toEqual(parts[i]!.mesh.positions));
  });
});

describe('chelonian sizes and catalog', () => {
  it('weighs what the animals weigh: a 200 mm star tortoise 1.3-2.5 kg, a 30 mm slider hatchling 4-12 g', () => {
    const mass = (ps: ReturnType<typeof buildStarTortoise>) =>
      ps.reduce((s, p) => s + signedVolume(p.mesh) * 1e6 * (p.material === 'turtle_shell' ? 1.7 : 1.05), 0);
    expect(mass(buildStarTortoise()) / 1000).toBeGreaterThan(1.3);
    expect(mass(buildStarTortoise()) / 1000).toBeLessThan(2.5);
    expect(mass(buildSliderHatchling())).toBeGreaterThan(4);
    expect(mass(buildSliderHatchling())).toBeLessThan(12);
  });

  it('refuses out-of-range parameters by name', () => {
    expect(() => buildStarTortoise({ carapaceLength: 0 })).toThrow(ExorayError);
    expect(() => buildSliderHatchling({ carapaceLength: 3 })).toThrow(/carapaceLength/);
    expect(() => buildStarTortoise({ detail: 0.1 })).toThrow(/detail/);
  });

  it.each([
    ['star-tortoise', 'Geochelone elegans', 'Testudinidae', 'I', STAR_TORTOISE_DEFAULTS, 30, 250],
    ['red-eared-slider-hatchling', 'Trachemys scripta elegans', 'Emydidae', null, SLIDER_HATCHLING_DEFAULTS, 23, 35],
  ] as const)('%s: catalog entry, its sizeMm the carapace range %#', (id, name, family, cites, defaults, minCarapace, maxCarapace) => {
    const entry = findSpecies(loadCatalog(), id);
    expect(entry).toMatchObject({ scientificName: name, taxonomy: { class: 'Reptilia', order: 'Testudines', family }, cites, bodyPlan: 'reptile', orientation: 'flat' });
    expect(entry.commonNames.zh).toBeTruthy();
    // sizeMm scales the whole model (head and tail included): divided by the model's
    // extent per carapace length, it gives back the carapace range.
    const perCarapace = entry.modelLengthMm / (defaults.carapaceLength * 1000);
    expect(entry.sizeMm.min / perCarapace).toBeCloseTo(minCarapace, 0);
    expect(entry.sizeMm.max / perCarapace).toBeCloseTo(maxCarapace, 0);
  });
});
