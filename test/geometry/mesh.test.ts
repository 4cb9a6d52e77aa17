import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  composeMatrix,
  computeBounds,
  flipWinding,
  mergeMeshes,
  signedVolume,
  surfaceArea,
  transformMesh,
  transformMeshTRS,
  weldVertices,
} from '../../src/geometry/mesh.js';
import { computeVertexNormals, offsetAlongNormals } from '../../src/geometry/normals.js';
import { box, ellipsoid } from '../../src/geometry/primitives.js';
import { validateClosedMesh } from '../../src/geometry/validate.js';

describe('mesh helpers', () => {
  it('measures a box: volume, area, bounds', () => {
    const m = box([1, 2, 3]);
    expect(signedVolume(m)).toBeCloseTo(6, 6);
    expect(surfaceArea(m)).toBeCloseTo(22, 6);
    expect(computeBounds(m)).toEqual({ min: [-0.5, -1, -1.5], max: [0.5, 1, 1.5] });
  });

  it('flipWinding negates the volume', () => {
    expect(signedVolume(flipWinding(box([1, 1, 1])))).toBeCloseTo(-1, 6);
  });

  it('merges meshes with offset indices', () => {
    const a = box([1, 1, 1]);
    const b = transformMeshTRS(box([1, 1, 1]), [5, 0, 0]);
    const m = mergeMeshes([a, b]);
    expect(m.positions.length).toBe(48);
    expect(m.indices.length).toBe(72);
    expect(validateClosedMesh(m, 'two boxes').outward).toBe(true);
    expect(signedVolume(m)).toBeCloseTo(2, 5);
    expect(boundsOf([a, b])).toEqual(computeBounds(m));
  });

  it('applies translate, rotate, scale in glTF order', () => {
    // 90 degrees about Y maps +X to -Z.
    const s = Math.SQRT1_2;
    const m = composeMatrix([1, 2, 3], [0, s, 0, s], 2);
    const moved = transformMesh({ positions: new Float32Array([1, 0, 0]), indices: new Uint32Array(0) }, m);
    expect(Array.from(moved.positions).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([1, 2, 1]);
  });

  it('keeps a mirrored mesh outward', () => {
    const mirrored = transformMeshTRS(ellipsoid([1, 2, 3], 16), [0, 0, 0], [0, 0, 0, 1], [-1, 1, 1]);
    const r = validateClosedMesh(mirrored, 'mirrored');
    expect(r.outward).toBe(true);
    expect(r.signedVolume).toBeCloseTo(signedVolume(ellipsoid([1, 2, 3], 16)), 5);
  });

  it('welds exact duplicate vertices', () => {
    // Two triangles sharing an edge, written non-indexed.
    const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]);
    const w = weldVertices({ positions, indices: Uint32Array.from([0, 1, 2, 3, 4, 5]) });
    expect(w.positions.length).toBe(12);
    expect(Array.from(w.indices)).toEqual([0, 1, 2, 1, 3, 2]);
  });

  it('computes unit outward normals and offsets along them', () => {
    const s = ellipsoid([1, 1, 1], 24);
    const n = computeVertexNormals(s);
    for (let i = 0; i < n.length; i += 3) {
      expect(Math.hypot(n[i]!, n[i + 1]!, n[i + 2]!)).toBeCloseTo(1, 5);
      // On a sphere the normal is the position direction.
      const len = Math.hypot(s.positions[i]!, s.positions[i + 1]!, s.positions[i + 2]!);
      expect(n[i]! * s.positions[i]! + n[i + 1]! * s.positions[i + 1]! + n[i + 2]! * s.positions[i + 2]!).toBeCloseTo(len, 2);
    }
    const inner = offsetAlongNormals(s, -0.1);
    expect(signedVolume(inner) / signedVolume(s)).toBeCloseTo(0.9 ** 3, 2);
  });
});
