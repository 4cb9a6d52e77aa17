import { describe, expect, it } from 'vitest';
import type { MeshData } from '../../src/core/types.js';
import { ExorayError } from '../../src/core/errors.js';
import { flipWinding, mergeMeshes } from '../../src/geometry/mesh.js';
import { box, ellipsoid } from '../../src/geometry/primitives.js';
import { assertClosedOutward, validateClosedMesh } from '../../src/geometry/validate.js';

function errorOf(mesh: MeshData, name: string): ExorayError {
  try {
    assertClosedOutward(mesh, name);
  } catch (e) {
    expect(e).toBeInstanceOf(ExorayError);
    expect((e as ExorayError).code).toBe('E_MESH_INVALID');
    expect((e as Error).message).toContain(`"${name}"`);
    return e as ExorayError;
  }
  throw new Error('expected assertClosedOutward to throw');
}

describe('validateClosedMesh / assertClosedOutward', () => {
  it('accepts a closed outward mesh', () => {
    const r = assertClosedOutward(ellipsoid([1, 1, 1], 16), 'ball');
    expect(r).toMatchObject({ name: 'ball', closed: true, outward: true, boundaryEdges: 0, nonManifoldEdges: 0 });
    expect(r.signedVolume).toBeGreaterThan(0);
  });

  it('catches an open mesh (a missing triangle)', () => {
    const m = box([1, 1, 1]);
    const open = { positions: m.positions, indices: m.indices.slice(3) };
    const r = validateClosedMesh(open, 'open');
    expect(r.closed).toBe(false);
    expect(r.boundaryEdges).toBe(3);
    expect(errorOf(open, 'open box').message).toMatch(/boundary edges.*weld/);
  });

  it('catches unwelded seams (duplicated vertices leave cracks)', () => {
    const m = box([1, 1, 1]);
    // Give the first triangle its own copies of its vertices.
    const positions = new Float32Array([...m.positions, ...[0, 1, 2].flatMap((k) => Array.from(m.positions.slice(3 * m.indices[k]!, 3 * m.indices[k]! + 3)))]);
    const indices = m.indices.slice();
    indices.set([8, 9, 10], 0);
    expect(validateClosedMesh({ positions, indices }).boundaryEdges).toBeGreaterThan(0);
  });

  it('catches a flipped (inside-out) mesh', () => {
    const flipped = flipWinding(box([1, 1, 1]));
    const r = validateClosedMesh(flipped, 'flipped');
    expect(r.closed).toBe(true);
    expect(r.outward).toBe(false);
    expect(r.signedVolume).toBeCloseTo(-1, 6);
    expect(errorOf(flipped, 'flipped box').message).toMatch(/inside out.*flip/);
  });

  it('catches a single triangle wound the wrong way', () => {
    const m = box([1, 1, 1]);
    const indices = m.indices.slice();
    [indices[1], indices[2]] = [indices[2]!, indices[1]!];
    const r = validateClosedMesh({ positions: m.positions, indices }, 'one flipped');
    expect(r.closed).toBe(false);
    expect(r.inconsistentEdges).toBe(3);
    expect(errorOf({ positions: m.positions, indices }, 'one flipped').message).toMatch(/wound oppositely/);
  });

  it('catches non-manifold edges (a fin on an edge)', () => {
    const m = box([1, 1, 1]);
    const positions = new Float32Array([...m.positions, 2, 2, 2]);
    // Triangle 0 is (a, b, c); add (b, a, fin) so edge a-b is used three times.
    const [a, b] = [m.indices[0]!, m.indices[1]!];
    const indices = new Uint32Array([...m.indices, b, a, 8]);
    const r = validateClosedMesh({ positions, indices }, 'fin');
    expect(r.nonManifoldEdges).toBe(1);
    expect(r.closed).toBe(false);
    expect(errorOf({ positions, indices }, 'fin').message).toMatch(/non-manifold/);
  });

  it('catches two solids sharing an edge as non-manifold', () => {
    const a = box([1, 1, 1]);
    const b = box([1, 1, 1]);
    const merged = mergeMeshes([a, b]);
    // Weld b onto a: every edge is now used four times.
    const indices = merged.indices.map((v) => v % 8);
    expect(validateClosedMesh({ positions: merged.positions, indices }).nonManifoldEdges).toBe(18);
  });

  it('catches degenerate triangles and bad indices', () => {
    const m = box([1, 1, 1]);
    const withDegenerate = { positions: m.positions, indices: new Uint32Array([...m.indices, 0, 0, 1]) };
    expect(validateClosedMesh(withDegenerate).degenerateTriangles).toBe(1);
    expect(errorOf(withDegenerate, 'degenerate').message).toMatch(/degenerate/);
    const bad = { positions: m.positions, indices: new Uint32Array([...m.indices, 0, 1, 99]) };
    expect(validateClosedMesh(bad).invalidIndices).toBe(1);
    expect(validateClosedMesh({ positions: new Float32Array(0), indices: new Uint32Array(0) }).closed).toBe(false);
  });
});
