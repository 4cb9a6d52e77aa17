import { expect } from 'vitest';
import type { ModelPart } from '../../src/core/types.js';
import { boundsOf, computeBounds, type Bounds } from '../../src/geometry/mesh.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import { ARTHROPOD_MATERIALS } from '../../src/species/arthropod-plan.js';

/**
 * Checks shared by every arthropod model: each part closed and outward; cuticle and tissue
 * materials by name (`.tissue` soft, everything else hard); every `.tissue` core has its
 * `.cuticle` shell and vice versa; spans `length` along Z, centred; within the triangle budget.
 * Returns the triangle count.
 */
export function expectWellFormedArthropod(parts: readonly ModelPart[], length: number, maxTriangles = 25_000): number {
  let triangles = 0;
  for (const p of parts) triangles += assertClosedOutward(p.mesh, p.name).triangles;
  const names = new Set(parts.map((p) => p.name));
  expect(names.size, 'part names are unique').toBe(parts.length);
  for (const p of parts) {
    expect(p.material, p.name).toBe(p.name.endsWith('.tissue') ? ARTHROPOD_MATERIALS.soft : ARTHROPOD_MATERIALS.hard);
    if (p.name.endsWith('.tissue')) expect(names.has(p.name.replace(/\.tissue$/, '.cuticle')), p.name).toBe(true);
    if (p.name.endsWith('.cuticle')) expect(names.has(p.name.replace(/\.cuticle$/, '.tissue')), p.name).toBe(true);
  }
  const b = boundsOf(parts.map((p) => p.mesh));
  expect(b.max[2] - b.min[2]).toBeCloseTo(length, 6);
  for (let k = 0; k < 3; k++) expect(Math.abs(b.max[k]! + b.min[k]!)).toBeLessThan(1e-6);
  expect(triangles).toBeLessThan(maxTriangles);
  return triangles;
}

/** Bounds of the parts whose names pass `keep` (e.g. every part of one leg). */
export function boundsOfParts(parts: readonly ModelPart[], keep: (name: string) => boolean): Bounds {
  const chosen = parts.filter((p) => keep(p.name));
  expect(chosen.length, 'some parts match').toBeGreaterThan(0);
  return chosen.length === 1 ? computeBounds(chosen[0]!.mesh) : boundsOf(chosen.map((p) => p.mesh));
}

/** Names as a set, and a check that every listed name (or its `.cuticle` shell) is present. */
export function expectParts(parts: readonly ModelPart[], wanted: readonly string[]): void {
  const names = new Set(parts.map((p) => p.name));
  for (const w of wanted) expect(names.has(w) || names.has(`${w}.cuticle`), `part ${w}`).toBe(true);
}

/** Same parts, names and vertex data. */
export function expectSameModel(a: readonly ModelPart[], b: readonly ModelPart[]): void {
  expect(a.map((p) => p.name)).toEqual(b.map((p) => p.name));
  a.forEach((p, i) => {
    expect(p.mesh.positions).toEqual(b[i]!.mesh.positions);
    expect(p.mesh.indices).toEqual(b[i]!.mesh.indices);
  });
}
