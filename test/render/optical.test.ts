/**
 * The optical render in real headless Chromium: size, determinism, the colour
 * of each material where its object is, the belt elsewhere, the cutaway, and
 * that the top view lines up with the X-ray top view of the same scene.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Quat, SceneDescription, SceneObject, ScannerSettings, Shape, Vec3 } from '../../src/core/types.js';
import { OPTICAL_BACKGROUND, opticalLook } from '../../src/render/optical-colours.js';
import { Renderer } from '../../src/render/renderer.js';

let renderer: Renderer;

beforeAll(async () => {
  renderer = await Renderer.launch({ assets: { parts: () => [] } });
});
afterAll(async () => renderer?.close());

const SIZE = 160;
const FIELD = 0.16;

function object(id: string, role: SceneObject['role'], shape: Shape, material: string, position: Vec3, quaternion: Quat = [0, 0, 0, 1]): SceneObject {
  return { id, role, kind: id, parts: [{ shape, material }], position, quaternion, scale: 1 };
}

function scene(objects: SceneObject[], geometry: ScannerSettings['geometry'] = 'parallel'): SceneDescription {
  return {
    version: 1,
    seed: 0,
    preset: 'test',
    scanner: { geometry, width: SIZE, height: SIZE, fieldWidth: FIELD, fieldDepth: FIELD, sourceHeight: 0.95, detectorHeight: -0.03, effectiveEnergyKeV: 60 },
    objects,
  };
}

const yaw = (a: number): Quat => [0, Math.sin(a / 2), 0, Math.cos(a / 2)];

/** A cardboard box (floor top at 4 mm) holding four things of distinct colours; the aluminium one turned 30 degrees. */
const parcel = scene([
  object('box', 'container', { type: 'hollowBox', size: [0.12, 0.06, 0.12], wall: 0.004 }, 'cardboard', [0, 0.03, 0]),
  object('alu', 'clutter', { type: 'box', size: [0.03, 0.01, 0.03] }, 'aluminium', [-0.03, 0.009, -0.03], yaw(Math.PI / 6)),
  object('tissue', 'animal', { type: 'ellipsoid', radii: [0.015, 0.01, 0.015] }, 'soft_tissue', [0.03, 0.014, 0.03]),
  object('cloth', 'clutter', { type: 'box', size: [0.03, 0.01, 0.03] }, 'polyester', [-0.03, 0.009, 0.03]),
  object('board', 'clutter', { type: 'box', size: [0.03, 0.004, 0.03] }, 'fr4', [0.03, 0.006, -0.03]),
]);

interface Image {
  width: number;
  height: number;
  at(x: number, y: number): [number, number, number];
}

async function decode(png: Uint8Array): Promise<Image> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(3);
  return {
    width: info.width,
    height: info.height,
    at: (x, y) => {
      const i = (y * info.width + x) * 3;
      return [data[i]!, data[i + 1]!, data[i + 2]!];
    },
  };
}

/** Pixel of a world point on the belt plane in the parallel top view (rows along +Z, columns along +X). */
const pixel = (x: number, z: number): [number, number] => [Math.floor(((x + FIELD / 2) / FIELD) * SIZE), Math.floor(((z + FIELD / 2) / FIELD) * SIZE)];

/** Angle between two colours as vectors: lighting scales a colour, it does not turn it. */
function angle(a: readonly number[], b: readonly number[]): number {
  const dot = a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  return Math.acos(Math.min(1, dot / (Math.hypot(...a) * Math.hypot(...b))));
}

function nearestMaterial(rgb: readonly number[], materials: readonly string[]): string {
  return [...materials].sort((m, n) => angle(rgb, opticalLook(m).rgb) - angle(rgb, opticalLook(n).rgb))[0]!;
}

const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);

describe('optical render (browser)', () => {
  const materials = ['cardboard', 'aluminium', 'soft_tissue', 'polyester', 'fr4'];

  it('is a PNG of the asked size, the same bytes every time', async () => {
    const a = await renderer.renderOptical(parcel, { width: 200, height: 120 });
    const b = await renderer.renderOptical(parcel, { width: 200, height: 120 });
    const meta = await sharp(a).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 200, 120]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    // The scanner's size by default.
    expect((await sharp(await renderer.renderOptical(parcel)).metadata()).width).toBe(SIZE);
  });

  it('shows each material\'s colour where its object is, the cardboard floor between them, and the belt outside the box', async () => {
    const img = await decode(await renderer.renderOptical(parcel));
    const expected: Array<[number, number, string]> = [
      [-0.03, -0.03, 'aluminium'],
      [0.03, 0.03, 'soft_tissue'],
      [-0.03, 0.03, 'polyester'],
      [0.03, -0.03, 'fr4'],
      [0, 0, 'cardboard'],
    ];
    for (const [x, z, material] of expected) {
      const rgb = img.at(...pixel(x, z));
      expect(nearestMaterial(rgb, materials), `${material} at (${x}, ${z}): ${rgb}`).toBe(material);
      expect(distance(rgb, OPTICAL_BACKGROUND)).toBeGreaterThan(30);
    }
    // Outside the box (it spans +-6 cm of a 16 cm field): the belt colour, exactly.
    for (const [x, y] of [[2, 2], [SIZE - 3, 5], [5, SIZE - 3], [SIZE - 3, SIZE - 3], [80, 3], [3, 80]] as const) {
      expect(distance(img.at(x, y), OPTICAL_BACKGROUND), `belt at ${x},${y}`).toBeLessThanOrEqual(1.8);
    }
  });

  it('cuts the container\'s top away (cutaway: false shows the closed box)', async () => {
    const closed = await decode(await renderer.renderOptical(parcel, { cutaway: false }));
    for (const [x, z] of [[-0.03, -0.03], [0.03, 0.03], [-0.03, 0.03]] as const) {
      expect(nearestMaterial(closed.at(...pixel(x, z)), materials)).toBe('cardboard');
    }
  });

  it('antialiases edges: across a turned edge the colour passes through mixed values', async () => {
    const img = await decode(await renderer.renderOptical(parcel));
    const alu = img.at(...pixel(-0.03, -0.03));
    const floor = img.at(...pixel(0, 0));
    let mixed = 0;
    const [, row] = pixel(-0.03, -0.03);
    for (let r = row - 8; r <= row + 8; r++) {
      for (let x = 0; x < SIZE / 2; x++) {
        const c = img.at(x, r);
        if (distance(c, alu) > 12 && distance(c, floor) > 12 && distance(c, alu) + distance(c, floor) < 1.15 * distance(alu, floor)) mixed++;
      }
    }
    expect(mixed).toBeGreaterThanOrEqual(8);
  });

  it('the perspective view frames the whole scene from above and in front', async () => {
    const png = await renderer.renderOptical(parcel, { width: 240, height: 160, view: 'perspective' });
    const again = await renderer.renderOptical(parcel, { width: 240, height: 160, view: 'perspective' });
    expect(Buffer.from(png).equals(Buffer.from(again))).toBe(true);
    const img = await decode(png);
    expect([img.width, img.height]).toEqual([240, 160]);
    for (const [x, y] of [[1, 1], [238, 1], [1, 158], [238, 158]] as const) expect(distance(img.at(x, y), OPTICAL_BACKGROUND)).toBeLessThanOrEqual(1.8);
    let covered = 0;
    for (let y = 0; y < 160; y++) for (let x = 0; x < 240; x++) if (distance(img.at(x, y), OPTICAL_BACKGROUND) > 10) covered++;
    // The box fills a good part of the frame without touching its edges.
    expect(covered / (240 * 160)).toBeGreaterThan(0.15);
    expect(covered / (240 * 160)).toBeLessThan(0.8);
  });

  it('lines up with the X-ray top view of a fan-beam scanner (same footprint of a tall object)', async () => {
    // A 9 cm tall block off-centre: the fan enlarges its top across the detector line much more than its base.
    const tall = scene([object('block', 'clutter', { type: 'box', size: [0.04, 0.09, 0.05] }, 'polyethylene', [0.03, 0.045, -0.01])], 'fan');
    const img = await decode(await renderer.renderOptical(tall));
    const xray = await renderer.render(tall, { pathLengths: true });
    let both = 0;
    let either = 0;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const seen = distance(img.at(x, y), OPTICAL_BACKGROUND) > 10;
        const crossed = xray.pathLengths[0]![y * SIZE + x]! > 1e-3;
        if (seen && crossed) both++;
        if (seen || crossed) either++;
      }
    }
    expect(either).toBeGreaterThan(300);
    expect(both / either).toBeGreaterThan(0.95);
  });

  it('leaves the X-ray passes of the same page unchanged', async () => {
    const before = await renderer.render(parcel, { pathLengths: true });
    await renderer.renderOptical(parcel);
    await renderer.renderOptical(parcel, { view: 'perspective', width: 90, height: 70 });
    const after = await renderer.render(parcel, { pathLengths: true });
    expect(after.materials).toEqual(before.materials);
    after.pathLengths.forEach((plane, c) => expect(Buffer.from(plane.buffer, plane.byteOffset, plane.byteLength).equals(Buffer.from(before.pathLengths[c]!.buffer, before.pathLengths[c]!.byteOffset, before.pathLengths[c]!.byteLength))).toBe(true));
    expect(after.masks).toEqual(before.masks);
  });

  it('refuses a bad size or view with a clear error', async () => {
    await expect(renderer.renderOptical(parcel, { width: 0 })).rejects.toThrow(/width must be a whole number of pixels/);
    await expect(renderer.renderOptical(parcel, { view: 'side' as never })).rejects.toThrow(/view must be "top" or "perspective"/);
  });
});
