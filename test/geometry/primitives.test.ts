import { describe, expect, it } from 'vitest';
import type { MeshData, Shape } from '../../src/core/types.js';
import { ExorayError } from '../../src/core/errors.js';
import { computeBounds, signedVolume, triangleCount } from '../../src/geometry/mesh.js';
import {
  box,
  capsule,
  cylinder,
  DEFAULT_CYLINDER_SEGMENTS,
  ellipsoid,
  hollowBox,
  hollowCylinder,
  shapeToMesh,
  shell,
} from '../../src/geometry/primitives.js';
import { lathe, polygonAreaCorrection, ringSurfaceIndices, smoothPath, tube } from '../../src/geometry/rings.js';
import { superellipsoid } from '../../src/geometry/superellipsoid.js';
import { assertClosedOutward, validateClosedMesh } from '../../src/geometry/validate.js';

function expectValid(mesh: MeshData, name: string): void {
  const r = validateClosedMesh(mesh, name);
  expect(r, name).toMatchObject({ closed: true, outward: true, boundaryEdges: 0, nonManifoldEdges: 0, inconsistentEdges: 0, degenerateTriangles: 0 });
  expect(() => assertClosedOutward(mesh, name)).not.toThrow();
}

const PI = Math.PI;

describe('primitives are closed, outward and of the right volume', () => {
  it('box: exact volume', () => {
    const m = box([0.3, 0.2, 0.1]);
    expectValid(m, 'box');
    expect(signedVolume(m)).toBeCloseTo(0.006, 9);
    expect(triangleCount(m)).toBe(12);
  });

  it('ellipsoid: default tessellation within 0.3% of analytic, a few thousand triangles', () => {
    const radii = [0.05, 0.02, 0.03] as const;
    const m = ellipsoid([...radii]);
    expectValid(m, 'ellipsoid');
    const analytic = (4 / 3) * PI * radii[0] * radii[1] * radii[2];
    expect(Math.abs(signedVolume(m) / analytic - 1)).toBeLessThan(0.003);
    expect(triangleCount(m)).toBeLessThanOrEqual(4000);
    const b = computeBounds(m);
    expect(b.max[0]).toBeCloseTo(0.05, 3);
    expect(b.max[1]).toBeCloseTo(0.02, 3);
  });

  it('ellipsoid: coarse tessellations are volume-corrected too', () => {
    for (const seg of [8, 12, 32, { around: 20, poleToPole: 7 }]) {
      const m = ellipsoid([1, 2, 3], seg);
      expectValid(m, `ellipsoid ${JSON.stringify(seg)}`);
      expect(signedVolume(m) / ((4 / 3) * PI * 6)).toBeCloseTo(1, 5);
    }
  });

  it('cylinder: caps share the rim vertices; volume within the tessellation bound', () => {
    const m = cylinder(0.1, 0.4);
    expectValid(m, 'cylinder');
    // 2 cap centres + 2 rims: no seam or cap duplicates.
    expect(m.positions.length / 3).toBe(2 + 2 * DEFAULT_CYLINDER_SEGMENTS);
    const analytic = PI * 0.01 * 0.4;
    const n = DEFAULT_CYLINDER_SEGMENTS;
    // Uncorrected n-gon prism error is (1 - sin(2pi/n) n / 2pi); the correction must do better.
    const bound = 1 - (Math.sin((2 * PI) / n) * n) / (2 * PI);
    expect(Math.abs(signedVolume(m) / analytic - 1)).toBeLessThan(bound / 10);
    const b = computeBounds(m);
    expect(b.min[1]).toBeCloseTo(-0.2, 7);
    expect(b.max[1]).toBeCloseTo(0.2, 7);
  });

  it('capsule between two points, straight and tapered', () => {
    const a = [0.01, 0.02, 0.03] as [number, number, number];
    const b = [0.05, -0.01, 0.06] as [number, number, number];
    const m = capsule(a, b, 0.004);
    expectValid(m, 'capsule');
    const len = Math.hypot(0.04, 0.03, 0.03);
    const analytic = PI * 0.004 ** 2 * len + (4 / 3) * PI * 0.004 ** 3;
    expect(signedVolume(m) / analytic).toBeGreaterThan(0.98);
    expect(signedVolume(m) / analytic).toBeLessThan(1.01);
    expectValid(capsule(a, b, [0.006, 0.002]), 'tapered capsule');
    expectValid(capsule([0, 0, 0], [0, -1, 0], 0.1), 'capsule pointing down');
    expect(() => capsule(a, a, 0.1)).toThrow(ExorayError);
  });

  it('shells have volume outer minus inner', () => {
    const hb = hollowBox([0.4, 0.3, 0.2], 0.01);
    expectValid(hb, 'hollowBox');
    // Float32 positions: exact up to single-precision rounding.
    expect(signedVolume(hb) / (0.4 * 0.3 * 0.2 - 0.38 * 0.28 * 0.18)).toBeCloseTo(1, 6);
    const hc = hollowCylinder(0.1, 0.3, 0.005);
    expectValid(hc, 'hollowCylinder');
    expect(signedVolume(hc) / (PI * (0.01 * 0.3 - 0.095 ** 2 * 0.29))).toBeCloseTo(1, 4);
    const es = shell(ellipsoid([2, 2, 2], 24), ellipsoid([1, 1, 1], 24));
    expectValid(es, 'ellipsoid shell');
    expect(signedVolume(es) / ((4 / 3) * PI * 7)).toBeCloseTo(1, 4);
  });

  it('refuses walls that leave no cavity, naming the shape', () => {
    expect(() => hollowBox([1, 1, 0.1], 0.05)).toThrow(/hollowBox/);
    expect(() => hollowCylinder(0.1, 1, 0.1)).toThrow(/hollowCylinder/);
    expect(() => box([1, -1, 1])).toThrow(/size\[1\]/);
  });

  it('shapeToMesh covers every procedural shape and refuses assets', () => {
    const shapes: Shape[] = [
      { type: 'box', size: [1, 2, 3] },
      { type: 'hollowBox', size: [1, 2, 3], wall: 0.1 },
      { type: 'cylinder', radius: 0.5, height: 2 },
      { type: 'hollowCylinder', radius: 0.5, height: 2, wall: 0.05 },
      { type: 'ellipsoid', radii: [1, 2, 3] },
    ];
    for (const s of shapes) expectValid(shapeToMesh(s), s.type);
    try {
      shapeToMesh({ type: 'asset', asset: 'stag-beetle' });
      expect.unreachable();
    } catch (e) {
      expect((e as ExorayError).code).toBe('E_ASSET');
      expect((e as Error).message).toContain('stag-beetle');
    }
  });
});

describe('ring surfaces', () => {
  it('ring topology is closed for any ring count', () => {
    for (const rings of [1, 2, 5]) {
      const idx = ringSurfaceIndices(rings, 5);
      expect(idx.length).toBe(3 * 10 * rings);
    }
  });

  it('lathe, tube and superellipsoid are closed and outward', () => {
    expectValid(lathe([[0, 0], [1, 0.2], [0.5, 1], [0, 1.2]], 9), 'lathe');
    const path = smoothPath([[0, 0, 0], [1, 0, 0], [1.5, 0.5, 1], [1.5, 1, 2]], 2);
    expectValid(tube(path, path.map(() => 0.1), 8), 'tube');
    expectValid(tube(path, path.map(() => [0.05, 0.12] as const), 8, { up: [0, 0, 1] }), 'elliptic tube');
    const se = superellipsoid({ rx: 2, yUp: 1, yDown: 0.5, rz: 3, lengthExponent: 0.6, crossExponent: 0.7, taper: 0.2, around: 24, along: 12 });
    expectValid(se, 'superellipsoid');
  });

  it('polygon correction restores the circle area', () => {
    const n = 7;
    const k = polygonAreaCorrection(n);
    expect((n / 2) * k * k * Math.sin((2 * PI) / n)).toBeCloseTo(PI, 12);
  });
});
