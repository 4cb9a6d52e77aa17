import { describe, expect, it } from 'vitest';
import type { ModelPart, Vec3 } from '../../src/core/types.js';
import { ExorayError } from '../../src/core/errors.js';
import { computeBounds, signedVolume } from '../../src/geometry/mesh.js';
import { box } from '../../src/geometry/primitives.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import {
  buildArthropod,
  checkRanges,
  mergeGroups,
  planSurfaces,
  radiusAt,
  resamplePath,
  rotate,
  segmentRotation,
  walkingLeg,
  type ArthropodPlan,
} from '../../src/species/arthropod-plan.js';

const OPTS = { length: 0.05, wall: 0.0004, detail: 1, hardMaterial: 'arthropod_cuticle', softMaterial: 'soft_tissue' };
const close = (a: Vec3, b: Vec3) => a.forEach((v, k) => expect(v).toBeCloseTo(b[k]!, 9));

/** A small two-segment animal with a mirrored leg, a midline horn and a mirrored antenna. */
const PLAN: ArthropodPlan = {
  segments: [
    { name: 'thorax', centre: [0, 0, 5], shape: { rx: 4, yUp: 3, yDown: 2.5, rz: 5, lengthExponent: 0.7, crossExponent: 0.8 } },
    { name: 'abdomen', centre: [0, 0, -6], pitch: 0.2, shape: { rx: 5, yUp: 4, yDown: 3, rz: 7, lengthExponent: 0.9, crossExponent: 0.9 } },
  ],
  limbs: [
    walkingLeg('leg.{side}1', [3, -1, 4], Math.PI / 2, [
      { name: 'femur', length: 8, rise: 3, radius: [1.2, 1.0] },
      { name: 'tibia', length: 8, rise: -5, radius: [0.8, 0.6] },
      { name: 'tarsus', length: 5, rise: -2, radius: [0.4, 0.15] },
    ]),
  ],
  appendages: [
    { name: 'horn', path: [[0, 2, 8], [0, 4, 12], [0, 4, 16]], radius: [[0, 1.5], [1, 0.3]], kind: 'solid' },
    { name: 'antenna.{side}', path: [[2, 0, 10], [4, 0.5, 14], [6, 0.5, 18]], radius: [[0, 0.3], [0.7, 0.3], [0.8, 0.4, 0.8], [1, 0.4, 0.8]] },
  ],
};

describe('arthropod plan', () => {
  const parts = buildArthropod(PLAN, OPTS);
  const byName = new Map(parts.map((p) => [p.name, p]));

  it('builds closed, outward parts: shelled segments, mirrored limbs and appendages', () => {
    for (const p of parts) assertClosedOutward(p.mesh, p.name);
    expect([...byName.keys()]).toEqual([
      'thorax.cuticle', 'thorax.tissue', 'abdomen.cuticle', 'abdomen.tissue',
      'leg.R1.femur.cuticle', 'leg.R1.femur.tissue', 'leg.L1.femur.cuticle', 'leg.L1.femur.tissue',
      'leg.R1.tibia.cuticle', 'leg.R1.tibia.tissue', 'leg.L1.tibia.cuticle', 'leg.L1.tibia.tissue',
      'leg.R1.tarsus', 'leg.L1.tarsus', 'horn', 'antenna.R', 'antenna.L',
    ]);
    for (const p of parts) expect(p.material).toBe(p.name.endsWith('.tissue') ? 'soft_tissue' : 'arthropod_cuticle');
    const b = computeBounds(byName.get('horn')!.mesh);
    expect(b.max[2] - b.min[2]).toBeGreaterThan(0);
  });

  it('mirrors {side} parts across X = 0: the left part is the right one with x negated', () => {
    for (const [r, l] of [['leg.R1.tarsus', 'leg.L1.tarsus'], ['antenna.R', 'antenna.L'], ['leg.R1.femur.tissue', 'leg.L1.femur.tissue']] as const) {
      const R = computeBounds(byName.get(r)!.mesh), L = computeBounds(byName.get(l)!.mesh);
      expect(R.min[0]).toBeGreaterThan(0);
      close([L.min[0], L.min[1], L.min[2]], [-R.max[0], R.min[1], R.min[2]]);
      expect(signedVolume(byName.get(l)!.mesh)).toBeCloseTo(signedVolume(byName.get(r)!.mesh), 12);
    }
  });

  it('lays legs out from segment lengths and rises, and refuses a rise longer than its segment', () => {
    const leg = walkingLeg('x', [1, 2, 3], Math.PI / 2, [{ name: 'a', length: 5, rise: 3, radius: [1, 1] }, { name: 'b', length: 5, rise: -4, radius: [1, 1] }]);
    close(leg.joints[1]!, [5, 5, 3]);
    close(leg.joints[2]!, [8, 1, 3]);
    expect(leg.pointed).toBe(true);
    expect(() => walkingLeg('bad', [0, 0, 0], 0, [{ name: 'femur', length: 2, rise: 3, radius: [1, 1] }])).toThrow(/"bad".*"femur"/);
  });

  it('gives thin limb segments no cavity, thick ones a tissue core', () => {
    expect(byName.has('leg.R1.femur.tissue')).toBe(true);
    expect(byName.has('leg.R1.tarsus.tissue')).toBe(false);
    // A thicker wall leaves the tibia solid too.
    const thick = buildArthropod(PLAN, { ...OPTS, wall: 0.0015 }).map((p) => p.name);
    expect(thick).toContain('leg.R1.tibia');
    expect(thick).toContain('thorax.tissue');
  });

  it('rotations: pitch lifts the front, yaw turns it towards +X, roll turns about Z', () => {
    close(rotate(segmentRotation(0, Math.PI / 2), [0, 0, 1]), [0, 1, 0]);
    close(rotate(segmentRotation(Math.PI / 2), [0, 0, 1]), [1, 0, 0]);
    close(rotate(segmentRotation(0, 0, Math.PI / 2), [1, 0, 0]), [0, 1, 0]);
    // Roll, then pitch, then yaw.
    close(rotate(segmentRotation(Math.PI / 2, Math.PI / 2), [0, 0, 1]), [0, 1, 0]);
    close(rotate(segmentRotation(Math.PI / 2, Math.PI / 2), [0, 1, 0]), [-1, 0, 0]);
  });

  it('resamples paths by arc length and interpolates radius keys', () => {
    const pts = resamplePath([[0, 0, 0], [1, 0, 0], [1, 3, 0]], 5);
    expect(pts).toHaveLength(5);
    close(pts[1]!, [1, 0, 0]);
    close(pts[2]!, [1, 1, 0]);
    close(pts[4]!, [1, 3, 0]);
    expect(radiusAt([[0, 1], [1, 3]], 0.5)).toEqual([2, 2]);
    expect(radiusAt([[0.2, 1, 2], [0.6, 3, 4]], 0.4)).toEqual([2, 3]);
    expect(radiusAt([[0.2, 1, 2], [0.6, 3, 4]], 0)).toEqual([1, 2]);
    expect(radiusAt([[0.2, 1, 2], [0.6, 3, 4]], 1)).toEqual([3, 4]);
  });

  it('refuses malformed limbs and radius keys, naming them', () => {
    const limb = { name: 'leg.bad', joints: [[0, 0, 0], [1, 0, 0]] as Vec3[], segments: [{ name: 'a', radius: [1, 1] as [number, number] }, { name: 'b', radius: [1, 1] as [number, number] }] };
    expect(() => planSurfaces({ segments: [], limbs: [limb], appendages: [] }, OPTS)).toThrow(/leg\.bad/);
    const app = { name: 'spike', path: [[0, 0, 0], [0, 0, 1], [0, 0, 2]] as Vec3[], radius: [[0.5, 1], [0.2, 1]] as Array<[number, number]> };
    expect(() => planSurfaces({ segments: [], limbs: [], appendages: [app] }, OPTS)).toThrow(/spike/);
    expect(() => planSurfaces({ segments: [], limbs: [], appendages: [{ ...app, radius: [[0, 0]] }] }, OPTS)).toThrow(ExorayError);
  });

  it('merges groups into closed parts, keeping shell and core apart', () => {
    const merged = mergeGroups(parts, (n) => (n.startsWith('leg.') ? 'legs' : undefined));
    expect(merged.map((p) => p.name)).toEqual(['thorax.cuticle', 'thorax.tissue', 'abdomen.cuticle', 'abdomen.tissue', 'legs.cuticle', 'legs.tissue', 'legs', 'horn', 'antenna.R', 'antenna.L']);
    const legs = (m: ModelPart[], name: string) => m.find((p) => p.name === name)!;
    const sum = (suffix: string) => parts.filter((p) => p.name.startsWith('leg.') && p.name.endsWith(suffix)).reduce((s, p) => s + signedVolume(p.mesh), 0);
    expect(signedVolume(legs(merged, 'legs.cuticle').mesh)).toBeCloseTo(sum('.cuticle'), 12);
    expect(signedVolume(legs(merged, 'legs').mesh)).toBeCloseTo(sum('.tarsus'), 12);
    for (const p of merged) assertClosedOutward(p.mesh, p.name);
    expect(legs(merged, 'legs.tissue').material).toBe('soft_tissue');
    // Identity when nothing is grouped.
    expect(mergeGroups([{ name: 'b', material: 'x', mesh: box([1, 1, 1]) }], () => undefined)[0]!.name).toBe('b');
  });

  it('checks parameter ranges, naming builder and parameter', () => {
    expect(() => checkRanges('toy builder', { a: 1, b: 5 }, { a: [0, 2], b: [0, 2] })).toThrow(/toy builder: b must be a number in \[0, 2\], got 5/);
    expect(() => checkRanges('toy builder', { a: Number.NaN }, { a: [0, 2] })).toThrow(ExorayError);
  });
});
