import { describe, expect, it } from 'vitest';
import { signedVolume } from '../../src/geometry/mesh.js';
import { shapeToMesh } from '../../src/geometry/primitives.js';
import { torus } from '../../src/geometry/torus.js';
import { validateClosedMesh } from '../../src/geometry/validate.js';

describe('torus, capsule and tube shapes', () => {
  it('torus: closed, outward, genus one, volume within 0.3% of 2 pi^2 R r^2', () => {
    for (const [R, r] of [[0.05, 0.01], [0.004, 0.0008], [0.02, 0.019]] as const) {
      const m = torus(R, r);
      expect(validateClosedMesh(m)).toMatchObject({ closed: true, outward: true, degenerateTriangles: 0 });
      // Euler characteristic V - E + F = 0 for a torus.
      const v = m.positions.length / 3;
      const f = m.indices.length / 3;
      expect(v - (3 * f) / 2 + f).toBe(0);
      expect(signedVolume(m) / (2 * Math.PI ** 2 * R * r * r)).toBeCloseTo(1, 2);
    }
    expect(() => torus(0.01, 0.02)).toThrow(/tube < radius/);
  });

  it('capsule and tube shapes mesh closed and outward through shapeToMesh', () => {
    const cap = shapeToMesh({ type: 'capsule', radius: 0.01, length: 0.04 });
    expect(validateClosedMesh(cap)).toMatchObject({ closed: true, outward: true });
    expect(signedVolume(cap)).toBeGreaterThan(Math.PI * 0.01 ** 2 * 0.04);
    const helix = Array.from({ length: 49 }, (_, i) => [0.03 * Math.cos(i / 4), 0.0005 * i, 0.03 * Math.sin(i / 4)] as [number, number, number]);
    const t = shapeToMesh({ type: 'tube', path: helix, radius: 0.002 });
    expect(validateClosedMesh(t)).toMatchObject({ closed: true, outward: true });
  });
});
