/**
 * The L-buffer against analytic path lengths, in a real headless Chromium.
 * If the renderer stopped accumulating signed depths correctly (wrong sign,
 * a missing channel, depth instead of distance, clipped geometry), these fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ellipsoid, box } from '../../src/geometry/primitives.js';
import { Renderer } from '../../src/render/renderer.js';
import type { ModelPart, Quat, SceneDescription, SceneObject, Shape, Vec3 } from '../../src/core/types.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { transmission } from '../../src/xray/transmission.js';
import { rotateVec } from '../../src/scene/placement.js';
import { maskBBox } from '../../src/labels/mask.js';
import { ScannerPhysics } from '../../src/xray/scanner-physics.js';

const FINE_SPHERE_RADIUS = 0.04;
const assets: Record<string, ModelPart[]> = {
  // A finely tessellated sphere keeps the tessellation error far below the tolerance.
  'fine-sphere': [{ name: 'ball', material: 'water', mesh: ellipsoid([FINE_SPHERE_RADIUS, FINE_SPHERE_RADIUS, FINE_SPHERE_RADIUS], { around: 256, poleToPole: 128 }) }],
  'unit-box': [{ name: 'block', material: 'aluminium', mesh: box([1, 1, 1]) }],
};

let renderer: Renderer;

beforeAll(async () => {
  renderer = await Renderer.launch({ assets: { parts: (id) => assets[id]! }, timeoutMs: 20_000 });
});

afterAll(async () => {
  await renderer?.close();
});

function scene(objects: SceneObject[], opts: Partial<SceneDescription['scanner']> = {}): SceneDescription {
  return {
    version: 1,
    seed: 0,
    preset: 'test',
    scanner: {
      geometry: 'parallel',
      width: 200,
      height: 200,
      fieldWidth: 0.1,
      fieldDepth: 0.1,
      sourceHeight: 1,
      detectorHeight: -0.01,
      effectiveEnergyKeV: 60,
      ...opts,
    },
    objects,
  };
}

function object(id: string, shape: Shape, material: string, position: Vec3, quaternion: Quat = [0, 0, 0, 1], role: SceneObject['role'] = 'clutter'): SceneObject {
  return { id, role, kind: id, parts: [{ shape, material }], position, quaternion, scale: 1 };
}

/** Centre of pixel (px, py) on the belt plane for a parallel beam over a field centred at the origin. */
function pixelCentre(px: number, py: number, s: SceneDescription['scanner']): [number, number] {
  return [(-s.fieldWidth / 2 + ((px + 0.5) * s.fieldWidth) / s.width), -s.fieldDepth / 2 + ((py + 0.5) * s.fieldDepth) / s.height];
}

describe('L-buffer path lengths (headless WebGL)', () => {
  it('a sphere: 2*sqrt(r^2 - d^2) at the centre and along a profile, parallel beam', async () => {
    const sc = scene([object('ball', { type: 'asset', asset: 'fine-sphere' }, '', [0, 0.05, 0])]);
    const out = await renderer.render(sc);
    expect(out.materials).toEqual(['water']);
    const L = out.pathLengths[0]!;
    const row = 100;
    let checked = 0;
    for (let px = 0; px < 200; px++) {
      const [x, z] = pixelCentre(px, row, sc.scanner);
      const d2 = x * x + z * z;
      const r = FINE_SPHERE_RADIUS;
      if (d2 > (0.9 * r) ** 2) continue;
      const expected = 2 * Math.sqrt(r * r - d2) * 100;
      expect(Math.abs(L[row * 200 + px]! - expected) / expected).toBeLessThan(0.005);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    // Outside the sphere nothing is crossed.
    expect(Math.abs(L[5 * 200 + 5]!)).toBeLessThan(1e-4);
  });

  it('a rotated box: thickness / cos(tilt) in the middle', async () => {
    const tilt = Math.PI / 6;
    const q: Quat = [0, 0, Math.sin(tilt / 2), Math.cos(tilt / 2)];
    const sc = scene([object('slab', { type: 'box', size: [0.05, 0.02, 0.06] }, 'aluminium', [0, 0.05, 0], q)]);
    const out = await renderer.render(sc);
    const L = out.pathLengths[0]!;
    const expected = 2 / Math.cos(tilt);
    for (const [px, py] of [[100, 100], [95, 80], [104, 120]] as const) {
      expect(Math.abs(L[py * 200 + px]! - expected) / expected).toBeLessThan(0.005);
    }
  });

  it('a sphere under a point source (cone beam): exact path along each ray', async () => {
    const sourceHeight = 0.8;
    const centre: Vec3 = [0.01, 0.06, -0.005];
    const sc = scene([object('ball', { type: 'asset', asset: 'fine-sphere' }, '', centre)], { geometry: 'cone', sourceHeight, fieldWidth: 0.12, fieldDepth: 0.12 });
    const out = await renderer.render(sc);
    const L = out.pathLengths[0]!;
    const s = sc.scanner;
    const span = s.sourceHeight - s.detectorHeight;
    let checked = 0;
    for (let px = 60; px < 140; px += 3) {
      const py = 96;
      // The pixel's ray runs from the source to its point on the detector plane.
      const [x, z] = pixelCentre(px, py, s);
      const dir: Vec3 = [x, -span, z];
      const n = Math.hypot(...dir);
      const u = dir.map((v) => v / n) as Vec3;
      const oc: Vec3 = [centre[0], centre[1] - sourceHeight, centre[2]];
      const t = oc[0] * u[0] + oc[1] * u[1] + oc[2] * u[2];
      const p2 = oc[0] ** 2 + oc[1] ** 2 + oc[2] ** 2 - t * t;
      const r = FINE_SPHERE_RADIUS;
      if (p2 > (0.9 * r) ** 2) continue;
      const expected = 2 * Math.sqrt(r * r - p2) * 100;
      expect(Math.abs(L[py * 200 + px]! - expected) / expected).toBeLessThan(0.005);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('a fan beam: exact path along each fan ray through a sphere and through a tilted box of large faces', async () => {
    const fan = { geometry: 'fan' as const, sourceHeight: 0.6, detectorHeight: -0.01, fieldWidth: 0.14, fieldDepth: 0.1 };
    const centre: Vec3 = [0.015, 0.07, 0.004];
    const tilt: Quat = [Math.sin(0.3) * 0.6, Math.sin(0.3) * 0.8, 0, Math.cos(0.3)];
    const boxSize: Vec3 = [0.05, 0.02, 0.03];
    const boxCentre: Vec3 = [-0.03, 0.04, 0.0];
    const sc = scene(
      [
        object('ball', { type: 'asset', asset: 'fine-sphere' }, '', centre),
        object('slab', { type: 'box', size: boxSize }, 'aluminium', boxCentre, tilt),
      ],
      fan,
    );
    const out = await renderer.render(sc);
    const s = sc.scanner;
    const ray = (px: number, py: number) => {
      const xd = -s.fieldWidth / 2 + ((px + 0.5) * s.fieldWidth) / s.width;
      const z = -s.fieldDepth / 2 + ((py + 0.5) * s.fieldDepth) / s.height;
      const origin: Vec3 = [0, s.sourceHeight, z];
      const d: Vec3 = [xd, s.detectorHeight - s.sourceHeight, 0];
      const n = Math.hypot(...d);
      return { origin, dir: d.map((v) => v / n) as Vec3 };
    };
    const sphereLength = (o: Vec3, u: Vec3) => {
      const oc = [centre[0] - o[0], centre[1] - o[1], centre[2] - o[2]];
      const t = oc[0]! * u[0] + oc[1]! * u[1] + oc[2]! * u[2];
      const p2 = oc[0]! ** 2 + oc[1]! ** 2 + oc[2]! ** 2 - t * t;
      return { p2, length: p2 < FINE_SPHERE_RADIUS ** 2 ? 2 * Math.sqrt(FINE_SPHERE_RADIUS ** 2 - p2) : 0 };
    };
    // Ray through an oriented box: slab method in the box's own frame.
    const inv: Quat = [-tilt[0], -tilt[1], -tilt[2], tilt[3]];
    const boxLength = (o: Vec3, u: Vec3) => {
      const lo = rotateVec(inv, [o[0] - boxCentre[0], o[1] - boxCentre[1], o[2] - boxCentre[2]]);
      const lu = rotateVec(inv, u);
      let t0 = -Infinity, t1 = Infinity, margin = Infinity;
      for (let k = 0; k < 3; k++) {
        const a = (-boxSize[k]! / 2 - lo[k]!) / lu[k]!;
        const b = (boxSize[k]! / 2 - lo[k]!) / lu[k]!;
        t0 = Math.max(t0, Math.min(a, b));
        t1 = Math.min(t1, Math.max(a, b));
      }
      if (t1 > t0) {
        // Distance of the entry and exit points from the box's edges, to skip rays that graze an edge.
        for (const t of [t0, t1]) {
          const p = [0, 1, 2].map((k) => Math.abs(lo[k]! + t * lu[k]!) - boxSize[k]! / 2);
          p.sort((x, y) => y - x);
          margin = Math.min(margin, -p[1]!);
        }
      }
      return { length: Math.max(0, t1 - t0), margin };
    };
    let spheres = 0, boxes = 0;
    for (let py = 10; py < 200; py += 7) {
      for (let px = 5; px < 200; px += 7) {
        const { origin, dir } = ray(px, py);
        const i = py * 200 + px;
        const sp = sphereLength(origin, dir);
        if (sp.length > 0 && sp.p2 < (0.9 * FINE_SPHERE_RADIUS) ** 2) {
          expect(Math.abs(out.pathLengths[0]![i]! - sp.length * 100) / (sp.length * 100)).toBeLessThan(0.005);
          spheres++;
        }
        const bx = boxLength(origin, dir);
        if (bx.length > 0.005 && bx.margin > 0.001) {
          expect(Math.abs(out.pathLengths[1]![i]! - bx.length * 100) / (bx.length * 100)).toBeLessThan(0.005);
          boxes++;
        }
      }
    }
    expect(spheres).toBeGreaterThan(30);
    expect(boxes).toBeGreaterThan(30);
  });

  it('a fan beam magnifies across the detector line by (source-detector)/(source-object), not along the belt', async () => {
    const fan = { geometry: 'fan' as const, sourceHeight: 0.5, detectorHeight: -0.02, fieldWidth: 0.2, fieldDepth: 0.1 };
    const widths: Array<{ y: number; across: number; along: number }> = [];
    for (const y of [0.02, 0.2]) {
      const sc = scene([{ ...object('cube', { type: 'box', size: [0.04, 0.002, 0.04] }, 'aluminium', [0, y, 0]), role: 'animal' }], fan);
      const out = await renderer.render(sc);
      const box = maskBBox(out.masks[0]!, 200, 200)!;
      widths.push({ y, across: box[2], along: box[3] });
    }
    const pixelAcross = 0.2 / 200;
    for (const w of widths) {
      const predicted = (0.04 * (0.5 + 0.02)) / (0.5 - w.y) / pixelAcross;
      expect(Math.abs(w.across - predicted)).toBeLessThanOrEqual(2);
      expect(Math.abs(w.along - 0.04 / (0.1 / 200))).toBeLessThanOrEqual(1);
    }
    expect(widths[1]!.across).toBeGreaterThan(widths[0]!.across * 1.4);
  });

  it('the side view looks along the belt from the side: path across X, position from the height', async () => {
    const sc = scene([object('block', { type: 'box', size: [0.02, 0.03, 0.04] }, 'aluminium', [0.01, 0.05, 0])]);
    sc.scanner.views = ['top', 'side'];
    sc.scanner.side = { width: 200, height: 200, fieldWidth: 0.1, fieldDepth: 0.1, sourceHeight: 1, detectorHeight: -0.06, axisHeight: 0.04 };
    const top = await renderer.render(sc);
    const side = await renderer.render(sc, { view: 'side' });
    expect(top.pathLengths[0]![100 * 200 + 110]).toBeCloseTo(3, 3);
    // Side view: columns run from high (left) to low (right): x' = axisHeight - y.
    const col = (y: number) => Math.floor(((0.04 - y + 0.05) / 0.1) * 200);
    expect(side.pathLengths[0]![100 * 200 + col(0.05)]).toBeCloseTo(2, 3);
    expect(side.pathLengths[0]![100 * 200 + col(0.07)]).toBeCloseTo(0, 5);
    expect(side.pathLengths[0]![100 * 200 + col(0.03)]).toBeCloseTo(0, 5);
  });

  it('eleven materials in one pass land in their own channels (three render targets)', async () => {
    const materials = ['water', 'aluminium', 'iron', 'cotton', 'pet', 'glass', 'chitin', 'soft_tissue', 'cardboard', 'polyethylene', 'copper'];
    const objects = materials.map((m, i) =>
      object(`slab-${i}`, { type: 'box', size: [0.006, 0.001 * (i + 1), 0.08] }, m, [-0.045 + i * 0.008, 0.05, 0]),
    );
    const sc = scene(objects);
    const out = await renderer.render(sc);
    expect(out.materials).toEqual(materials);
    materials.forEach((_, i) => {
      const x = -0.045 + i * 0.008;
      const px = Math.floor(((x + 0.05) / 0.1) * 200);
      for (let c = 0; c < materials.length; c++) {
        const v = out.pathLengths[c]![100 * 200 + px]!;
        if (c === i) expect(v).toBeCloseTo(0.1 * (i + 1), 4);
        else expect(Math.abs(v)).toBeLessThan(1e-5);
      }
    });
  });

  it('a hollow box counts only its walls; overlapping objects add up', async () => {
    const sc = scene([
      object('box', { type: 'hollowBox', size: [0.08, 0.04, 0.08], wall: 0.004 }, 'cardboard', [0, 0.02, 0]),
      object('inner', { type: 'box', size: [0.02, 0.01, 0.02] }, 'cardboard', [0, 0.01, 0]),
    ]);
    const out = await renderer.render(sc);
    const L = out.pathLengths[0]!;
    expect(L[100 * 200 + 100]).toBeCloseTo(0.8 + 1.0, 3);
    expect(L[100 * 200 + 40]).toBeCloseTo(0.8, 3);
  });

  it('a slab transmits exp(-mu t) within 0.5%', async () => {
    const lib = loadMaterialLibrary();
    const t = 1.5; // cm of aluminium
    const sc = scene([object('slab', { type: 'box', size: [0.06, t / 100, 0.06] }, 'aluminium', [0, 0.03, 0])]);
    const out = await renderer.render(sc);
    const mu = lib.linearAttenuation('aluminium', 60);
    const T = transmission(out.pathLengths, [mu]);
    const expected = Math.exp(-mu * t);
    expect(Math.abs(T[100 * 200 + 100]! - expected) / expected).toBeLessThan(0.005);
    expect(T[2 * 200 + 2]).toBeCloseTo(1, 6);
  });

  it('Beer-Lambert on the GPU matches the same physics in Node to one 16-bit level', async () => {
    const lib = loadMaterialLibrary();
    const sc = scene([
      object('box', { type: 'hollowBox', size: [0.08, 0.04, 0.08], wall: 0.004 }, 'cardboard', [0, 0.02, 0]),
      object('ball', { type: 'asset', asset: 'fine-sphere' }, '', [0.01, 0.05, 0]),
      object('plate', { type: 'box', size: [0.03, 0.002, 0.05] }, 'iron', [-0.02, 0.01, 0]),
      object('slab', { type: 'box', size: [0.05, 0.01, 0.02] }, 'aluminium', [0, 0.09, 0.02]),
    ]);
    const physics = ScannerPhysics.monochromatic(60, lib);
    const out = await renderer.render(sc, { spectral: (m) => physics.spectral(m), pathLengths: true });
    expect(out.high).not.toBeNull();
    const reference = transmission(out.pathLengths, out.materials.map((m) => lib.linearAttenuation(m, 60)));
    let maxDiff = 0;
    let darkest = 65535;
    for (let i = 0; i < reference.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(out.high![i]! - Math.round(reference[i]! * 65535)));
      darkest = Math.min(darkest, out.high![i]!);
    }
    expect(maxDiff).toBeLessThanOrEqual(1);
    // The iron plate makes a real shadow: the comparison is not of an empty image.
    expect(darkest).toBeLessThan(20000);
  });

  it('amodal masks: every pixel the body crosses, overlaps kept', async () => {
    const a = object('a', { type: 'asset', asset: 'fine-sphere' }, '', [-0.01, 0.05, 0], [0, 0, 0, 1], 'animal');
    const b = object('b', { type: 'asset', asset: 'fine-sphere' }, '', [0.01, 0.15, 0], [0, 0, 0, 1], 'animal');
    const out = await renderer.render(scene([a, b]));
    expect(out.masks).toHaveLength(2);
    const pixel = 0.1 / 200;
    const expectedArea = (Math.PI * FINE_SPHERE_RADIUS ** 2) / pixel ** 2;
    for (const m of out.masks) {
      const area = m.reduce((s, v) => s + v, 0);
      expect(Math.abs(area - expectedArea) / expectedArea).toBeLessThan(0.01);
    }
    // The spheres overlap in projection although one is above the other: both masks keep the overlap.
    let both = 0;
    for (let i = 0; i < out.masks[0]!.length; i++) if (out.masks[0]![i] && out.masks[1]![i]) both++;
    expect(both).toBeGreaterThan(1000);
  });

  it('more than 32 labelled instances get their own masks', async () => {
    const objects: SceneObject[] = [];
    for (let i = 0; i < 40; i++) {
      const x = -0.045 + (i % 10) * 0.01;
      const z = -0.03 + Math.floor(i / 10) * 0.02;
      objects.push({ ...object(`bug-${i}`, { type: 'box', size: [0.004, 0.004, 0.004] }, 'chitin', [x, 0.05, z]), role: 'animal' });
    }
    const out = await renderer.render(scene(objects));
    expect(out.masks).toHaveLength(40);
    out.masks.forEach((m) => {
      const area = m.reduce((s, v) => s + v, 0);
      expect(area).toBeGreaterThanOrEqual(60);
      expect(area).toBeLessThanOrEqual(70);
    });
    // Instance 37 covers its own pixel and not instance 36's.
    const idx = (i: number): number => {
      const x = -0.045 + (i % 10) * 0.01;
      const z = -0.03 + Math.floor(i / 10) * 0.02;
      return Math.floor(((z + 0.05) / 0.1) * 200) * 200 + Math.floor(((x + 0.05) / 0.1) * 200);
    };
    expect(out.masks[37]![idx(37)]).toBe(1);
    expect(out.masks[36]![idx(37)]).toBe(0);
  });
});

describe('render page recovery', () => {
  const sc = (): SceneDescription => scene([object('slab', { type: 'box', size: [0.05, 0.01, 0.05] }, 'aluminium', [0, 0.05, 0])]);

  it('a crashed page is replaced and the image retried', async () => {
    const before = renderer.replacedPages;
    await renderer.sabotage('crash');
    const out = await renderer.render(sc());
    expect(out.attempts).toBe(2);
    expect(renderer.replacedPages).toBe(before + 1);
    expect(out.pathLengths[0]![100 * 200 + 100]).toBeCloseTo(1, 4);
  });

  it('a hung page is detected by the timeout, replaced, and the image retried', async () => {
    const hung = await Renderer.launch({ assets: { parts: () => [] }, timeoutMs: 3_000 });
    try {
      await hung.sabotage('hang');
      const out = await hung.render(sc());
      expect(out.attempts).toBe(2);
      expect(hung.replacedPages).toBe(1);
      expect(out.pathLengths[0]![100 * 200 + 100]).toBeCloseTo(1, 4);
    } finally {
      await hung.close();
    }
  });
});
