/**
 * From the GPU's noiseless low/high transmission to what a scanner delivers:
 * detector effects (seeded), the raw 16-bit images, the screener's
 * pseudo-colour image and the greyscale high-energy image.
 */
import { deriveSeed } from '../core/rng.js';
import type { ScannerSettings, ViewName } from '../core/types.js';
import { applyDetectorEffects16 } from '../xray/effects.js';
import type { MaterialLibrary } from '../xray/materials.js';
import { greyscaleHigh, pseudoColour } from '../xray/pseudocolour.js';
import type { ScannerPhysics } from '../xray/scanner-physics.js';
import { calibrateZeff, referenceMassAttenuation, zeffReferences, type ZeffCalibration } from '../xray/zeff.js';

export interface ViewImages {
  view: ViewName;
  width: number;
  height: number;
  /** Transmission * 65535 after detector effects (low = high for a single-energy scanner). */
  low: Uint16Array;
  high: Uint16Array;
  /** RGB pseudo-colour (dual-energy only). */
  colour: Uint8Array | null;
  /** 8-bit greyscale of the high-energy image. */
  grey: Uint8Array;
}

const calibrations = new WeakMap<ScannerPhysics, ZeffCalibration>();

/** Z_eff calibration of a dual-energy scanner from reference materials, built once per scanner. */
export function zeffCalibration(physics: ScannerPhysics, lib: MaterialLibrary): ZeffCalibration {
  let cal = calibrations.get(physics);
  if (!cal) {
    cal = calibrateZeff(physics.response, referenceMassAttenuation(lib.nist), zeffReferences(lib.nist));
    calibrations.set(physics, cal);
  }
  return cal;
}

function withEffects(levels: Uint16Array, width: number, height: number, scanner: ScannerSettings, seed: number): Uint16Array {
  if (!scanner.effects) return levels;
  return applyDetectorEffects16(levels, width, height, scanner.effects, seed);
}

export function detectorImages(
  render: { width: number; height: number; low: Uint16Array | null; high: Uint16Array | null },
  scanner: ScannerSettings,
  physics: ScannerPhysics,
  lib: MaterialLibrary,
  seed: number,
  view: ViewName,
): ViewImages {
  const { width, height } = render;
  const high = withEffects(render.high!, width, height, scanner, deriveSeed(seed, 'detector', view, 'high'));
  const low = physics.dual ? withEffects(render.low!, width, height, scanner, deriveSeed(seed, 'detector', view, 'low')) : high;
  return {
    view,
    width,
    height,
    low,
    high,
    colour: physics.dual ? pseudoColour(low, high, zeffCalibration(physics, lib)) : null,
    grey: greyscaleHigh(high),
  };
}
