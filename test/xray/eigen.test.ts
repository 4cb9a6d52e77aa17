import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { solve, symmetricEigen } from '../../src/xray/eigen.js';

function randomSymmetric(n: number, rng: Rng): number[] {
  const m = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) m[i * n + j] = m[j * n + i] = rng.uniform(-1, 1);
  return m;
}

describe('symmetric eigen-decomposition', () => {
  it('rebuilds the matrix from orthonormal vectors, values descending', () => {
    const n = 12;
    const m = randomSymmetric(n, new Rng(3));
    const { values, vectors } = symmetricEigen(m, n);
    for (let k = 1; k < n; k++) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        const dot = vectors[a]!.reduce((s, v, i) => s + v * vectors[b]![i]!, 0);
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 10);
        const rebuilt = values.reduce((s, l, k) => s + l * vectors[k]![a]! * vectors[k]![b]!, 0);
        expect(rebuilt).toBeCloseTo(m[a * n + b]!, 10);
      }
    }
  });

  it('a diagonal matrix gives its diagonal, sorted', () => {
    expect(symmetricEigen([1, 0, 0, 0, 3, 0, 0, 0, 2], 3).values).toEqual([3, 2, 1]);
  });
});

describe('linear solve', () => {
  it('solves a system that needs pivoting', () => {
    // The first pivot is zero: without row exchange this fails.
    const x = solve([0, 2, 1, 1, 1, 1, 2, 1, 0], [7, 6, 4]);
    expect(x[0]).toBeCloseTo(1, 12);
    expect(x[1]).toBeCloseTo(2, 12);
    expect(x[2]).toBeCloseTo(3, 12);
  });

  it('refuses a singular matrix with a typed error', () => {
    expect(() => solve([1, 2, 2, 4], [1, 2])).toThrow(/singular/);
  });
});
