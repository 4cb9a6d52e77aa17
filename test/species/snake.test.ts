import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MeshData, ModelPart } from '../../src/core/types.js';
import { ExorayError } from '../../src/core/errors.js';
import { boundsOf, computeBounds, signedVolume } from '../../src/geometry/mesh.js';
import { assertClosedOutward } from '../../src/geometry/validate.js';
import { buildModel, PROCEDURAL_MODELS } from '../../src/species/build-assets.js';
import { defaultSpeciesDir, findSpecies, loadCatalog, loadSpeciesModel } from '../../src/species/catalog.js';
import {
  BALL_PYTHON_DEFAULTS,
  ballPythonComponents,
  ballPythonProfile,
  buildBallPython,
  type BallPythonComponents,
  type BallPythonParams,
} from '../../src/species/snake.js';
import { inside } from '../helpers/inside.js';


/** Whether any vertex of `a` lies inside `b` or any vertex of `b` inside `a` (bounding boxes first). */
function overlaps(a: MeshData, b: MeshData): boolean {
  const ba = computeBounds(a), bb = computeBounds(b);
  for (let k = 0; k < 3; k++) if (ba.max[k]! < bb.min[k]! || bb.max[k]! < ba.min[k]!) return false;
  const anyInside = (m: MeshData, other: MeshData) => {
    for (let i = 0; i < m.positions.length; i += 3) if (inside(other, m.positions[i]!, m.positions[i + 1]!, m.positions[i + 2]!)) return true;
    return false;
  };
  return anyInside(a, b) || anyInside(b, a);
}

const triangles = (parts: ModelPart[]) => parts.reduce((s, p) => s + p.mesh.indices.length / 3, 0);
const extent = (parts: ModelPart[]) => {
  const b = boundsOf(parts.map((p) => p.mesh));
  return [0, 1, 2].map((k) => b.max[k]! - b.min[k]!);
};

const parts = buildBallPython();
const coiled = ballPythonComponents();
const stretched = ballPythonComponents({ pose: 'stretched' });
const straight = ballPythonComponents({}, { straight: true });

/** Spine samples farther apart along the spine than 3 half-widths are farther apart in space than both half-widths. */
function selfContacts(c: BallPythonComponents): number {
  const { s, points, halfWidth } = c.spine;
  let worst = Infinity;
  for (let i = 0; i < s.length; i++) {
    for (let j = i + 1; j < s.length; j++) {
      if (s[j]! - s[i]! <= 3 * Math.max(halfWidth[i]!, halfWidth[j]!)) continue;
      const d = Math.hypot(points[i]![0] - points[j]![0], points[i]![1] - points[j]![1], points[i]![2] - points[j]![2]);
      worst = Math.min(worst, d - halfWidth[i]! - halfWidth[j]!);
    }
  }
  return worst;
}

describe('procedural ball python', () => {
  it('has a soft-tissue body and a bone skull, vertebral column and ribs, each closed and outward', () => {
    expect(parts.map((p) => [p.name, p.material])).toEqual([
      ['body', 'soft_tissue'],
      ['skull', 'cortical_bone'],
      ['vertebrae', 'cortical_bone'],
      ['ribs', 'cortical_bone'],
    ]);
    for (const p of parts) expect(() => assertClosedOutward(p.mesh, p.name)).not.toThrow();
    // Every single component too (a part is a union of disjoint components).
    for (const m of [...coiled.skull, ...coiled.vertebrae, ...coiled.ribs]) expect(assertClosedOutward(m, 'bone').outward).toBe(true);
  });

  it('keeps the triangle count and GLB size modest', async () => {
    const tris = triangles(parts);
    expect(tris).toBeGreaterThan(20_000);
    expect(tris).toBeLessThan(60_000);
    const model = PROCEDURAL_MODELS.find((m) => m.id === 'ball-python')!;
    const built = await buildModel(model);
    expect(built.bytes.byteLength).toBeLessThan(1_000_000);
  });

  it.each([
    [240, 36],
    [180, 30],
    [300, 45],
  ])('has %i vertebrae (%i caudal) and a pair of ribs on every trunk vertebra but the first two', (vertebrae, caudal) => {
    const c = vertebrae === BALL_PYTHON_DEFAULTS.vertebrae && caudal === BALL_PYTHON_DEFAULTS.caudalVertebrae
      ? coiled
      : ballPythonComponents({ vertebrae, caudalVertebrae: caudal, pose: 'stretched' });
    expect(c.vertebrae).toHaveLength(vertebrae);
    const trunk = vertebrae - caudal;
    expect(c.ribs).toHaveLength(2 * (trunk - 2));
    expect(c.ribVertebra).toEqual(Array.from({ length: trunk - 2 }, (_, i) => i + 2));
  });

  it.each([0.3, 0.9, 1.5])('stretched, spans totalLength %s m along Z (within 1%), head at +Z, centred', (len) => {
    const ps = buildBallPython({ pose: 'stretched', totalLength: len, bodyRadius: (len * BALL_PYTHON_DEFAULTS.bodyRadius) / BALL_PYTHON_DEFAULTS.totalLength });
    const b = boundsOf(ps.map((p) => p.mesh));
    expect(Math.abs(b.max[2] - b.min[2] - len) / len).toBeLessThan(0.01);
    for (let k = 0; k < 3; k++) expect(Math.abs(b.max[k]! + b.min[k]!)).toBeLessThan(1e-6);
    const skull = computeBounds(ps.find((p) => p.name === 'skull')!.mesh);
    expect(skull.min[2]).toBeGreaterThan(b.max[2] - 0.05 * len);
    // Width and height of the body: 2 bodyRadius wide, a little less high.
    const e = extent(ps);
    const r = (len * BALL_PYTHON_DEFAULTS.bodyRadius) / BALL_PYTHON_DEFAULTS.totalLength;
    expect(e[0]! / (2 * r)).toBeGreaterThan(0.99);
    expect(e[0]! / (2 * r)).toBeLessThan(1.03);
    expect(e[1]! / e[0]!).toBeCloseTo(0.88, 1);
  });

  it('coils flat, head in the centre, without the body touching itself', () => {
    expect(selfContacts(coiled)).toBeGreaterThan(0);
    const e = extent(parts);
    // About two turns, ~0.25 m across a 0.9 m snake, one body high.
    expect(coiled.turns).toBeGreaterThan(1.7);
    expect(coiled.turns).toBeLessThan(3);
    expect(Math.max(e[0]!, e[2]!)).toBeLessThan(0.27);
    expect(Math.min(e[0]!, e[2]!)).toBeGreaterThan(0.2);
    expect(e[1]!).toBeLessThan(2 * BALL_PYTHON_DEFAULTS.bodyRadius);
    // The head is nearer the centre than the tail tip.
    const { points } = coiled.spine;
    const r = (q: readonly number[]) => Math.hypot(q[0]!, q[2]!);
    expect(r(points[0]!)).toBeLessThan(0.5 * r(points[points.length - 1]!));
  });

  it.each([
    { coilGap: 0 },
    { coilGap: 1 },
    { totalLength: 0.3, bodyRadius: 0.015 },
    { totalLength: 1.5, bodyRadius: 0.0225 },
    { vertebrae: 60, caudalVertebrae: 10, detail: 0.5 },
  ] as Array<Partial<BallPythonParams>>)('coils without self-contact and stays closed at %o', (params) => {
    const c = ballPythonComponents(params);
    expect(selfContacts(c)).toBeGreaterThan(0);
    for (const p of buildBallPython(params)) expect(() => assertClosedOutward(p.mesh, p.name)).not.toThrow();
  });

  it('puts every bone inside the body, above the belly', () => {
    const { totalLength: L, bodyRadius: R } = BALL_PYTHON_DEFAULTS;
    let worst = 0;
    for (const m of [...straight.skull, ...straight.vertebrae, ...straight.ribs]) {
      const p = m.positions;
      for (let i = 0; i < p.length; i += 3) {
        const [w, h] = ballPythonProfile(-p[i + 2]! / L);
        const e = Math.hypot(p[i]! / (w * R), p[i + 1]! / (h * R));
        worst = Math.max(worst, e);
      }
    }
    // Within 92% of the local section (the ribs run at 78% of it, plus their radius).
    expect(worst).toBeLessThan(0.92);
  });

  it('keeps bones apart: vertebrae from each other, ribs from each other and from the vertebrae, skull pieces apart', () => {
    const { vertebrae, ribs, ribVertebra, skull } = coiled;
    for (let i = 0; i + 1 < vertebrae.length; i++) expect(overlaps(vertebrae[i]!, vertebrae[i + 1]!), `vertebrae ${i}, ${i + 1}`).toBe(false);
    for (let k = 0; k < ribVertebra.length; k++) {
      for (const side of [0, 1]) {
        const rib = ribs[2 * k + side]!;
        if (k + 1 < ribVertebra.length) expect(overlaps(rib, ribs[2 * (k + 1) + side]!), `rib ${k}.${side}`).toBe(false);
        for (let v = ribVertebra[k]! - 1; v <= ribVertebra[k]! + 1; v++) expect(overlaps(rib, vertebrae[v]!), `rib ${k}.${side} / vertebra ${v}`).toBe(false);
      }
    }
    for (let a = 0; a < skull.length; a++) {
      for (let b = a + 1; b < skull.length; b++) expect(overlaps(skull[a]!, skull[b]!), `skull ${a}, ${b}`).toBe(false);
      for (let v = 0; v < 3; v++) expect(overlaps(skull[a]!, vertebrae[v]!), `skull ${a} / vertebra ${v}`).toBe(false);
    }
  });

  it('has a plausible bone volume fraction (a few %) and body volume', () => {
    const vol = Object.fromEntries(parts.map((p) => [p.name, signedVolume(p.mesh)]));
    const bone = vol.skull! + vol.vertebrae! + vol.ribs!;
    expect(bone / vol.body!).toBeGreaterThan(0.015);
    expect(bone / vol.body!).toBeLessThan(0.06);
    // A 0.9 m ball python weighs about 1-1.5 kg (density ~1.05).
    expect(vol.body!).toBeGreaterThan(0.001);
    expect(vol.body!).toBeLessThan(0.0016);
    // Every vertebra and rib has positive volume: nothing degenerate.
    for (const m of [...coiled.vertebrae, ...coiled.ribs]) expect(signedVolume(m)).toBeGreaterThan(0);
  });

  it('with boneCavities, hollows the body exactly where the bones are', () => {
    const hollow = buildBallPython({ boneCavities: true });
    for (const p of hollow) expect(() => assertClosedOutward(p.mesh, p.name)).not.toThrow();
    const bone = parts.slice(1).reduce((s, p) => s + signedVolume(p.mesh), 0);
    expect(signedVolume(hollow[0]!.mesh)).toBeCloseTo(signedVolume(parts[0]!.mesh) - bone, 9);
    expect(hollow.slice(1).map((p) => p.mesh.positions)).toEqual(parts.slice(1).map((p) => p.mesh.positions));
  });

  it('bends the same body in every pose: volumes agree within 0.5%', () => {
    const v0 = signedVolume(parts[0]!.mesh);
    for (const pose of ['stretched', 'sinuous'] as const) {
      const v = signedVolume(buildBallPython({ pose })[0]!.mesh);
      expect(Math.abs(v / v0 - 1), pose).toBeLessThan(0.005);
    }
    expect(signedVolume(stretched.body)).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const again = buildBallPython();
    again.forEach((p, i) => {
      expect(p.name).toBe(parts[i]!.name);
      expect(p.mesh.positions).toEqual(parts[i]!.mesh.positions);
      expect(p.mesh.indices).toEqual(parts[i]!.mesh.indices);
    });
  });

  it('refuses out-of-range parameters with the parameter name', () => {
    expect(() => buildBallPython({ totalLength: -1 })).toThrow(ExorayError);
    expect(() => buildBallPython({ vertebrae: 10 })).toThrow(/vertebrae/);
    expect(() => buildBallPython({ caudalVertebrae: 200 })).toThrow(/caudalVertebrae/);
    expect(() => buildBallPython({ bodyRadius: 0.2 })).toThrow(/bodyRadius/);
    expect(() => buildBallPython({ pose: 'knotted' as never })).toThrow(/pose/);
    expect(() => buildBallPython({ ribLength: 1 })).toThrow(/ribLength/);
  });
});

describe('ball python asset', () => {
  const model = PROCEDURAL_MODELS.find((m) => m.id === 'ball-python');

  it('is registered coiled, and its committed GLB equals a fresh build', async () => {
    expect(model).toBeDefined();
    expect(model!.file).toBe('ball-python.glb');
    expect(model!.meta).toMatchObject({ scientificName: 'Python regius', params: { pose: 'coiled' } });
    const built = await buildModel(model!);
    const committed = readFileSync(path.join(defaultSpeciesDir(), model!.file));
    expect(Buffer.from(built.bytes).equals(committed)).toBe(true);
  });

  it('has a catalog entry whose size range is the coil diameter of a 0.35-1.2 m snake', async () => {
    const entry = findSpecies(loadCatalog(), 'ball-python');
    expect(entry).toMatchObject({
      scientificName: 'Python regius',
      commonNames: { en: 'Ball python', zh: '球蟒' },
      taxonomy: { class: 'Reptilia', order: 'Squamata', family: 'Pythonidae' },
      cites: 'II',
      bodyPlan: 'reptile',
      model: 'ball-python.glb',
    });
    const loaded = await loadSpeciesModel(entry);
    expect(loaded.map((p) => p.material)).toEqual(parts.map((p) => p.material));
    const b = boundsOf(loaded.map((p) => p.mesh));
    expect((b.max[2] - b.min[2]) * 1000).toBeCloseTo(entry.modelLengthMm, 2);
    // sizeMm scales the stored coil: the sampled size over modelLengthMm is the scale.
    const coilPerLength = entry.modelLengthMm / (BALL_PYTHON_DEFAULTS.totalLength * 1000);
    expect(entry.sizeMm.min / coilPerLength).toBeCloseTo(350, -1);
    expect(entry.sizeMm.max / coilPerLength).toBeCloseTo(1200, -1);
  });
});

describe('stretched ball python asset', () => {
  const model = PROCEDURAL_MODELS.find((m) => m.id === 'ball-python-stretched');

  it('is the same builder in the stretched pose, under 30k triangles, its sizeMm the total length', async () => {
    expect(model).toBeDefined();
    expect(model!.meta).toMatchObject({ scientificName: 'Python regius', params: { pose: 'stretched' } });
    const built = await buildModel(model!);
    expect(built.triangles).toBeLessThan(30_000);
    expect(built.modelLengthMm).toBeCloseTo(BALL_PYTHON_DEFAULTS.totalLength * 1000, 0);
    const entry = findSpecies(loadCatalog(), 'ball-python-stretched');
    const coiled = findSpecies(loadCatalog(), 'ball-python');
    expect(entry).toMatchObject({ scientificName: coiled.scientificName, taxonomy: coiled.taxonomy, cites: coiled.cites, sizeMm: { min: 350, max: 1200 } });
    const loaded = await loadSpeciesModel(entry);
    expect(loaded.map((p) => [p.name, p.material])).toEqual(parts.map((p) => [p.name, p.material]));
  });
});
