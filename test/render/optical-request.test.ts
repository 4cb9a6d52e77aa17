/** The optical request and colour table, without a browser. */
import { describe, expect, it } from 'vitest';
import type { SceneDescription } from '../../src/core/types.js';
import { readMaterialDefs, defaultMaterialsDir } from '../../src/xray/materials.js';
import { OPTICAL_BACKGROUND, OPTICAL_LOOKS, opticalLook } from '../../src/render/optical-colours.js';
import { buildOpticalRequest } from '../../src/render/optical-request.js';

const scene: SceneDescription = {
  version: 1,
  seed: 1,
  preset: 'test',
  scanner: { geometry: 'fan', width: 96, height: 64, fieldWidth: 0.3, fieldDepth: 0.2, sourceHeight: 0.95, detectorHeight: -0.03, effectiveEnergyKeV: 60 },
  objects: [
    { id: 'box', role: 'container', kind: 'cardboard-box', parts: [{ shape: { type: 'hollowBox', size: [0.2, 0.1, 0.15], wall: 0.004 }, material: 'cardboard' }], position: [0, 0.05, 0], quaternion: [0, 0, 0, 1], scale: 1 },
    { id: 'animal-0', role: 'animal', kind: 'bug', parts: [{ shape: { type: 'asset', asset: 'bug' }, material: '' }], position: [0, 0.01, 0], quaternion: [0, 0, 0, 1], scale: 1 },
    { id: 'phone-0', role: 'clutter', kind: 'phone', parts: [{ shape: { type: 'box', size: [0.07, 0.008, 0.15] }, material: 'aluminium' }], position: [0.05, 0.01, 0], quaternion: [0, 0, 0, 1], scale: 1 },
  ],
};
const bugMaterials = () => ['chitin', 'soft_tissue'];

describe('optical request', () => {
  it('keeps the X-ray request\'s objects and materials, with one look per material and the containers marked', () => {
    const req = buildOpticalRequest(scene, bugMaterials);
    expect(req.scene.materials).toEqual(['cardboard', 'chitin', 'soft_tissue', 'aluminium']);
    expect(req.looks.map((l) => l.rgb)).toEqual(req.scene.materials.map((m) => OPTICAL_LOOKS[m]!.rgb));
    expect(req.containers).toEqual([0]);
    expect([req.width, req.height, req.view, req.cutaway]).toEqual([96, 64, 'top', true]);
    expect(req.background).toEqual(OPTICAL_BACKGROUND);
    expect(req.scene.objects).toHaveLength(3);
  });

  it('takes the size, view and cutaway asked for', () => {
    const req = buildOpticalRequest(scene, bugMaterials, { width: 300, height: 200, view: 'perspective', cutaway: false });
    expect([req.width, req.height, req.scene.width, req.scene.height, req.view, req.cutaway]).toEqual([300, 200, 300, 200, 'perspective', false]);
  });

  it('refuses sizes it cannot render, naming the option', () => {
    expect(() => buildOpticalRequest(scene, bugMaterials, { width: 1.5 })).toThrow(/width must be a whole number of pixels from 1 to 4096, got 1.5/);
    expect(() => buildOpticalRequest(scene, bugMaterials, { height: 5000 })).toThrow(/height must be/);
  });
});

describe('optical colours', () => {
  it('looks plausible: cardboard brown, metals grey, chitin dark brown, soft tissue pink', () => {
    const [r, g, b] = opticalLook('cardboard').rgb;
    expect(r > g && g > b).toBe(true);
    for (const metal of ['aluminium', 'stainless_steel', 'iron']) {
      const c = opticalLook(metal).rgb;
      expect(Math.max(...c) - Math.min(...c)).toBeLessThan(16);
    }
    const chitin = opticalLook('chitin').rgb;
    expect(chitin[0] > chitin[1] && chitin[1] > chitin[2] && chitin[0] < 110).toBe(true);
    const tissue = opticalLook('soft_tissue').rgb;
    expect(tissue[0] > 200 && tissue[1] < tissue[0] - 50 && Math.abs(tissue[1] - tissue[2]) < 20).toBe(true);
  });

  it('names only real materials, with valid colours (a material added later falls back, below)', () => {
    const ids = new Set(readMaterialDefs(defaultMaterialsDir()).map((d) => d.id));
    for (const [id, look] of Object.entries(OPTICAL_LOOKS)) {
      expect(ids.has(id), `optical look for unknown material ${id}`).toBe(true);
      expect(look.rgb.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
      expect(look.opacity > 0 && look.opacity <= 1).toBe(true);
    }
  });

  it('gives a material missing from the table a stable colour of its own', () => {
    expect(opticalLook('unobtainium')).toEqual(opticalLook('unobtainium'));
    expect(opticalLook('unobtainium').rgb).not.toEqual(opticalLook('mithril').rgb);
    expect(opticalLook('unobtainium').opacity).toBe(1);
  });
});
