/**
 * A part's density scale weights its path length in the L-buffer, so a squashed item
 * attenuates as the loose one did: the same mass per unit of the belt's area.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SceneDescription, SceneObject } from '../../src/core/types.js';
import { Rng } from '../../src/core/rng.js';
import { Renderer } from '../../src/render/renderer.js';
import { buildClutter } from '../../src/scene/clutter/index.js';
import { squashItem } from '../../src/scene/clutter/squash.js';
import { loadScannerModel, scannersDir } from '../../src/scene/scanner-model.js';
import { presetsDir } from '../../src/scene/preset.js';
import { loadMaterialLibrary } from '../../src/xray/materials.js';
import { ScannerPhysics } from '../../src/xray/scanner-physics.js';

let renderer: Renderer;

beforeAll(async () => {
  renderer = await Renderer.launch({ assets: { parts: () => [] }, timeoutMs: 20_000 });
});

afterAll(async () => {
  await renderer?.close();
});

function scene(objects: SceneObject[]): SceneDescription {
  return {
    version: 1,
    seed: 0,
    preset: 'test',
    scanner: { geometry: 'parallel', width: 160, height: 160, fieldWidth: 0.4, fieldDepth: 0.4, sourceHeight: 1, detectorHeight: -0.01, effectiveEnergyKeV: 60 },
    objects,
  };
}

describe('density scale in the L-buffer (headless WebGL)', () => {
  it('a squashed jumper gives the loose one’s path length times density, pixel for pixel', async () => {
    const loose = buildClutter('folded-jumper', new Rng(3), 0.3);
    const pressed = squashItem(loose, 0.5);
    const place = (parts: SceneObject['parts'], y: number): SceneObject => ({ id: 'jumper', role: 'clutter', kind: 'folded-jumper', parts, position: [0, y, 0], quaternion: [0, 0, 0, 1], scale: 1 });
    const a = await renderer.render(scene([place(loose.parts, loose.halfExtents[1])]));
    const b = await renderer.render(scene([place(pressed.parts, pressed.halfExtents[1])]));
    const material = loose.parts[0]!.material;
    const la = a.pathLengths[a.materials.indexOf(material)]!;
    const lb = b.pathLengths[b.materials.indexOf(material)]!;
    // Loose: the jumper's thickness, in cm, wherever it is; pressed: half as thick, twice as dense.
    const centre = 80 * 160 + 80;
    expect(la[centre]!).toBeCloseTo(loose.halfExtents[1] * 2 * 100, 2);
    expect(lb[centre]!).toBeCloseTo(la[centre]!, 2);
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < la.length; i++) {
      sa += la[i]!;
      sb += lb[i]!;
    }
    expect(sa).toBeGreaterThan(0);
    expect(Math.abs(sb - sa) / sa).toBeLessThan(0.002);
  });

  it('the dual-energy output (table route: basis line integrals from the geometry pass) sees the same mass', async () => {
    const physics = ScannerPhysics.dualEnergy(loadScannerModel('dual-energy-160kv', scannersDir(presetsDir())).spectral!, loadMaterialLibrary());
    const loose = buildClutter('folded-jumper', new Rng(3), 0.3);
    const pressed = squashItem(loose, 0.5);
    const place = (parts: SceneObject['parts'], y: number): SceneObject => ({ id: 'jumper', role: 'clutter', kind: 'folded-jumper', parts, position: [0, y, 0], quaternion: [0, 0, 0, 1], scale: 1 });
    const options = { spectral: (m: readonly string[]) => physics.spectral(m) };
    const a = await renderer.render(scene([place(loose.parts, loose.halfExtents[1])]), options);
    const b = await renderer.render(scene([place(pressed.parts, pressed.halfExtents[1])]), options);
    const centre = 80 * 160 + 80;
    for (const channel of ['low', 'high'] as const) {
      const ta = a[channel]![centre]!;
      const tb = b[channel]![centre]!;
      // Attenuated at all, and alike: same mass per area of the belt, so the same transmission.
      expect(ta).toBeLessThan(65535 * 0.99);
      expect(Math.abs(tb - ta)).toBeLessThanOrEqual(Math.max(0.005 * ta, 2));
    }
  });
});
