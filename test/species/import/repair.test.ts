import { describe, expect, it } from 'vitest';
import type { MeshData } from '../../../src/core/types.js';
import { ExorayError } from '../../../src/core/errors.js';
import { flipWinding, mergeMeshes, signedVolume } from '../../../src/geometry/mesh.js';
import { box, ellipsoid, shell } from '../../../src/geometry/primitives.js';
import { validateClosedMesh } from '../../../src/geometry/validate.js';
import { repairMesh } from '../../../src/species/import/repair.js';

/** The mesh without the triangles that `drop` selects (by triangle index). */
function without(mesh: MeshData, drop: (t: number, tri: number[]) => boolean): MeshData {
  const kept: number[] = [];
  for (let t = 0; t < mesh.indices.length / 3; t++) {
    const tri = [mesh.indices[3 * t]!, mesh.indices[3 * t + 1]!, mesh.indices[3 * t + 2]!];
    if (!drop(t, tri)) kept.push(...tri);
  }
  return { positions: mesh.positions, indices: Uint32Array.from(kept) };
}

describe('repairMesh', () => {
  it('leaves a sound mesh as it is', () => {
    const b = box([1, 2, 3]);
    const r = repairMesh(b, 'box');
    expect(r.actions).toEqual([]);
    expect(r.mesh.indices).toEqual(b.indices);
  });

  it('turns an inside-out mesh outward', () => {
    const inverted = flipWinding(ellipsoid([0.01, 0.02, 0.03], 16));
    expect(signedVolume(inverted)).toBeLessThan(0);
    const r = repairMesh(inverted, 'inverted');
    expect(r.actions.join(' ')).toMatch(/inside-out surface outward/);
    expect(r.report.outward).toBe(true);
    expect(r.report.signedVolume).toBeCloseTo(-signedVolume(inverted), 12);
  });

  it('makes mixed winding consistent, keeping the majority', () => {
    const e = ellipsoid([1, 1, 2], 12);
    const idx = e.indices.slice();
    let flipped = 0;
    for (let t = 0; t < idx.length / 3; t += 5) {
      [idx[3 * t + 1], idx[3 * t + 2]] = [idx[3 * t + 2]!, idx[3 * t + 1]!];
      flipped++;
    }
    expect(validateClosedMesh({ positions: e.positions, indices: idx }).closed).toBe(false);
    const r = repairMesh({ positions: e.positions, indices: idx }, 'mixed');
    expect(r.actions).toContain(`flipped ${flipped} triangles wound against their neighbours`);
    expect(r.mesh.indices).toEqual(e.indices);
  });

  it('drops the back faces of a double-sided mesh', () => {
    const b = box([1, 1, 1]);
    const doubled = { positions: b.positions, indices: Uint32Array.from([...b.indices, ...flipWinding(b).indices]) };
    const r = repairMesh(doubled, 'double-sided');
    expect(r.actions[0]).toBe('dropped 12 duplicate triangles (double-sided faces)');
    expect(r.report.outward).toBe(true);
  });

  it('drops zero-thickness fins (a triangle and its reverse) that simplifiers leave', () => {
    const b = box([1, 1, 1]);
    const [a0, a1] = [b.indices[0]!, b.indices[1]!];
    const positions = new Float32Array([...b.positions, 0, 3, 0]);
    const finned = { positions, indices: Uint32Array.from([...b.indices, a0, a1, 8, a1, a0, 8]) };
    expect(validateClosedMesh(finned).nonManifoldEdges).toBe(1);
    const r = repairMesh(finned, 'finned');
    expect(r.actions).toEqual(['dropped 1 zero-thickness fins (a triangle and its reverse)']);
    expect(r.mesh.indices).toEqual(b.indices);
  });

  it('caps a small hole', () => {
    const e = ellipsoid([1, 1, 1], 24);
    // Every triangle around vertex 30 removed: a hole bounded by its ring of neighbours.
    const holed = without(e, (_, tri) => tri.includes(30));
    const before = validateClosedMesh(holed);
    expect(before.boundaryEdges).toBeGreaterThan(3);
    const r = repairMesh(holed, 'holed');
    expect(r.actions).toContain('capped 1 small holes');
    expect(r.report.outward).toBe(true);
    expect(r.report.signedVolume).toBeCloseTo(signedVolume(e), 2);
  });

  it('caps a large opening whose cap does not fold (a dome closed to a half-ellipsoid), reporting it', () => {
    const e = ellipsoid([1, 1, 1], 16);
    const half = without(e, (t, tri) => tri.every((v) => e.positions[3 * v + 1]! > 0.01));
    const r = repairMesh(half, 'model.glb:dome');
    expect(r.actions).toEqual([expect.stringMatching(/^capped 1 opening \(16 edges, perimeter [\d.]+e\+3 mm\): the part was open there/)]);
    expect(r.report.outward).toBe(true);
    // The sphere below the opening's ring (height y0) and a flat lid: a spherical cap of height 1 + y0.
    let y0 = -Infinity;
    for (const v of half.indices) y0 = Math.max(y0, half.positions[3 * v + 1]!);
    const h = 1 + y0;
    const cap = (Math.PI * h * h * (3 - h)) / 3;
    expect(r.report.signedVolume / cap).toBeGreaterThan(0.95);
    expect(r.report.signedVolume / cap).toBeLessThan(1.03);
  });

  it('refuses a large hole with openings off, naming the mesh and the open edges', () => {
    const e = ellipsoid([1, 1, 1], 16);
    const half = without(e, (t, tri) => tri.every((v) => e.positions[3 * v + 1]! > 0.01));
    let err: unknown;
    try {
      repairMesh(half, 'model.glb:dome', { capOpenings: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExorayError);
    expect((err as ExorayError).code).toBe('E_MESH_INVALID');
    expect((err as Error).message).toMatch(/Mesh "model\.glb:dome".*16 boundary edges.*1 holes that cannot be capped \(largest: 16 edges, perimeter [\d.e+]+ mm: larger than a small hole .* capping openings is off\)/);
  });

  it('refuses an open sheet (a plane has no volume to close)', () => {
    // A 4 x 4 grid of quads in the XZ plane.
    const n = 5;
    const positions = new Float32Array(3 * n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) positions.set([i / (n - 1), 0, j / (n - 1)], 3 * (i * n + j));
    const idx: number[] = [];
    for (let i = 0; i < n - 1; i++) {
      for (let j = 0; j < n - 1; j++) {
        const a = i * n + j, b = a + 1, c = a + n + 1, d = a + n;
        idx.push(a, b, c, a, c, d);
      }
    }
    expect(() => repairMesh({ positions, indices: Uint32Array.from(idx) }, 'plane.gltf:Offset U')).toThrow(
      /Mesh "plane\.gltf:Offset U" is an open sheet, not a volume: closing its opening encloses almost nothing .*Solidify/,
    );
  });

  it('refuses an opening that a cap from its centre would fold over (a U-shaped hole)', () => {
    const around = 24;
    const e = ellipsoid([1, 1, 1], { around, poleToPole: 12 });
    // Quads of ring band r, segment i sit after the first cap's `around` triangles, two per quad.
    const quad = (t: number) => {
      const k = Math.floor((t - around) / 2);
      return t < around ? null : { r: Math.floor(k / around), i: k % around };
    };
    const u = without(e, (t) => {
      const q = quad(t);
      if (!q || q.r < 4 || q.r > 7 || q.i > 6) return false;
      return !(q.r >= 5 && q.i >= 2 && q.i <= 4);
    });
    expect(() => repairMesh(u, 'model.glb:u')).toThrow(/1 holes that cannot be capped \(largest: \d+ edges, perimeter [\d.e+]+ mm: a cap from its centre would fold over itself/);
  });

  it('refuses non-manifold edges with their count', () => {
    // Two boxes sharing one edge's vertices: the edge is used by four triangles.
    const a = box([1, 1, 1]);
    const fin = { positions: a.positions, indices: Uint32Array.from([...a.indices, a.indices[0]!, a.indices[1]!, 7, a.indices[1]!, a.indices[0]!, 6]) };
    expect(() => repairMesh(fin, 'fin')).toThrow(/non-manifold edges/);
  });

  it('keeps a nested cavity wound inward and the outer surface outward', () => {
    const hollow = shell(ellipsoid([2, 2, 2], 16), ellipsoid([1, 1, 1], 16));
    const volume = signedVolume(hollow);
    const r = repairMesh(flipWinding(hollow), 'egg');
    expect(r.report.outward).toBe(true);
    expect(r.report.signedVolume).toBeCloseTo(volume, 10);
    // Two separate bodies side by side stay both outward.
    const pair = mergeMeshes([box([1, 1, 1]), flipWinding(ellipsoid([0.2, 0.2, 0.2], 8))].map((m, i) => ({
      positions: m.positions.map((v, k) => (k % 3 === 0 ? v + 3 * i : v)),
      indices: m.indices,
    })));
    const rp = repairMesh(pair, 'pair');
    expect(rp.actions).toContain('turned 1 of 2 inside-out pieces outward');
    expect(rp.report.outward).toBe(true);
  });
});
