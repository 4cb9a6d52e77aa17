import { describe, expect, it } from 'vitest';
import type { MeshData, ModelPart } from '../../src/core/types.js';
import { ExorayError } from '../../src/core/errors.js';
import { boundsOf, computeBounds, signedVolume, surfaceArea } from '../../src/geometry/mesh.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import { buildStagBeetle, STAG_BEETLE_DEFAULTS } from '../../src/species/beetle.js';
import { inside } from '../helpers/inside.js';


const byName = (parts: ModelPart[]) => new Map(parts.map((p) => [p.name, p]));
const parts = buildStagBeetle();

describe('procedural stag beetle', () => {
  it('every part is closed and outward', () => {
    for (const p of parts) expect(() => assertClosedOutward(p.mesh, p.name)).not.toThrow();
  });

  it('has the anatomy: shelled body segments, mandibles, antennae, 6 legs x 3 segments', () => {
    const names = [...byName(parts).keys()];
    for (const seg of ['head', 'pronotum', 'abdomen']) {
      expect(names).toContain(`${seg}.cuticle`);
      expect(names).toContain(`${seg}.tissue`);
    }
    for (const side of ['L', 'R']) {
      expect(names).toContain(`mandible.${side}`);
      expect(names).toContain(`antenna.${side}`);
      for (const leg of [1, 2, 3]) {
        for (const seg of ['femur', 'tibia', 'tarsus']) {
          expect(names.some((n) => n === `leg.${side}${leg}.${seg}` || n === `leg.${side}${leg}.${seg}.cuticle`)).toBe(true);
        }
      }
    }
    for (const p of parts) expect(p.material).toBe(p.name.endsWith('.tissue') ? 'soft_tissue' : 'chitin');
    // Femurs are thick enough for a core at default thickness; tarsi are not.
    expect(names).toContain('leg.R1.femur.tissue');
    expect(names).toContain('leg.R1.tarsus');
  });

  it('has a modest triangle count', () => {
    const tris = parts.reduce((s, p) => s + p.mesh.indices.length / 3, 0);
    expect(tris).toBeGreaterThan(5000);
    expect(tris).toBeLessThan(20000);
  });

  it.each([0.04, 0.06, 0.09])('spans bodyLength %s m along Z, centred, head at +Z, resting on its tarsi', (len) => {
    const ps = len === STAG_BEETLE_DEFAULTS.bodyLength ? parts : buildStagBeetle({ bodyLength: len });
    const b = boundsOf(ps.map((p) => p.mesh));
    expect(b.max[2] - b.min[2]).toBeCloseTo(len, 6);
    for (let k = 0; k < 3; k++) expect(Math.abs(b.max[k]! + b.min[k]!)).toBeLessThan(1e-6);
    const m = byName(ps);
    expect(computeBounds(m.get('mandible.R')!.mesh).max[2]).toBeCloseTo(b.max[2], 6);
    expect(computeBounds(m.get('head.cuticle')!.mesh).min[2]).toBeGreaterThan(computeBounds(m.get('abdomen.cuticle')!.mesh).max[2] - 0.2 * len);
    // Legs spread in X beyond the body; the lowest points are the tarsi.
    expect(computeBounds(m.get('leg.R2.tarsus')!.mesh).max[0]).toBeGreaterThan(computeBounds(m.get('abdomen.cuticle')!.mesh).max[0]);
    expect(computeBounds(m.get('leg.L2.tarsus')!.mesh).min[0]).toBeLessThan(computeBounds(m.get('abdomen.cuticle')!.mesh).min[0]);
    const tarsusMinY = Math.min(...ps.filter((p) => p.name.includes('tarsus')).map((p) => computeBounds(p.mesh).min[1]));
    expect(tarsusMinY).toBeCloseTo(b.min[1], 9);
    const bodyMinY = Math.min(...['head', 'pronotum', 'abdomen'].map((s) => computeBounds(m.get(`${s}.cuticle`)!.mesh).min[1]));
    expect(bodyMinY).toBeGreaterThan(tarsusMinY + 0.03 * len);
  });

  it('soft tissue fills the cuticle cavity exactly, at the cuticle thickness', () => {
    const m = byName(parts);
    const wall = STAG_BEETLE_DEFAULTS.cuticleRatio * STAG_BEETLE_DEFAULTS.bodyLength;
    for (const seg of ['head', 'pronotum', 'abdomen', 'leg.R1.femur']) {
      const cut = m.get(`${seg}.cuticle`)!.mesh;
      const core = m.get(`${seg}.tissue`)!.mesh;
      // The cuticle is the outer surface followed by the core's surface, same positions.
      const innerStart = cut.positions.length - core.positions.length;
      expect(Array.from(cut.positions.subarray(innerStart))).toEqual(Array.from(core.positions));
      const outer: MeshData = { positions: cut.positions.subarray(0, innerStart), indices: cut.indices.subarray(0, core.indices.length) };
      // Every core vertex lies inside the outer surface.
      for (let i = 0; i < core.positions.length; i += 3 * 7) {
        expect(inside(outer, core.positions[i]!, core.positions[i + 1]!, core.positions[i + 2]!), `${seg} vertex ${i / 3}`).toBe(true);
      }
      // Mean thickness = volume / area, less on thin limbs: a wall t on a tube of radius R holds A t (1 - t / 2R).
      const thickness = signedVolume(cut) / surfaceArea(outer);
      expect(thickness / wall, seg).toBeGreaterThan(seg.startsWith('leg') ? 0.65 : 0.85);
      expect(thickness / wall, seg).toBeLessThan(1.02);
    }
  });

  it('is deterministic', () => {
    const again = buildStagBeetle();
    expect(again.length).toBe(parts.length);
    again.forEach((p, i) => {
      expect(p.name).toBe(parts[i]!.name);
      expect(p.mesh.positions).toEqual(parts[i]!.mesh.positions);
      expect(p.mesh.indices).toEqual(parts[i]!.mesh.indices);
    });
  });

  it('mandibleRatio sets the mandible length', () => {
    for (const ratio of [0.08, 0.22, 0.3]) {
      const ps = buildStagBeetle({ mandibleRatio: ratio });
      const mb = computeBounds(byName(ps).get('mandible.R')!.mesh);
      const head = computeBounds(byName(ps).get('head.cuticle')!.mesh);
      // Protrusion beyond the head front, relative to the total length.
      const protrusion = (mb.max[2] - head.max[2]) / STAG_BEETLE_DEFAULTS.bodyLength;
      expect(protrusion).toBeGreaterThan(ratio - 0.06);
      expect(protrusion).toBeLessThan(ratio);
    }
  });

  it.each([
    { mandibleRatio: 0.03, legThickness: 0.4, bodyWidth: 0.6, detail: 0.5 },
    { mandibleRatio: 0.45, bodyWidth: 1.6, cuticleRatio: 0.02 },
    { legThickness: 2.5 },
    { bodyLength: 0.005, cuticleRatio: 0.001, detail: 2 },
  ] as Array<Partial<typeof STAG_BEETLE_DEFAULTS>>)('stays closed and outward at extreme parameters %o', (params) => {
    const ps = buildStagBeetle(params);
    for (const p of ps) expect(() => assertClosedOutward(p.mesh, p.name)).not.toThrow();
    const b = boundsOf(ps.map((p) => p.mesh));
    expect(b.max[2] - b.min[2]).toBeCloseTo(params.bodyLength ?? STAG_BEETLE_DEFAULTS.bodyLength, 6);
    // Thick legs get tissue cores in the tibiae too.
    if (params.legThickness === 2.5) expect(ps.some((p) => p.name === 'leg.R1.tibia.tissue')).toBe(true);
  });

  it('refuses out-of-range parameters with the parameter name', () => {
    expect(() => buildStagBeetle({ mandibleRatio: 2 })).toThrow(ExorayError);
    expect(() => buildStagBeetle({ bodyLength: -1 })).toThrow(/bodyLength/);
  });
});
