/**
 * Frames a container for the scanner: the field of view of each projection,
 * wide enough that the whole container (plus a margin) is on the detector,
 * with square pixels on the detector plane. Pure.
 */
import type { ScannerSettings, Vec3 } from '../core/types.js';
import type { Preset } from './preset.js';

/** How much a point at distance `fromSource` is enlarged on a detector `span` from the source. */
function magnification(span: number, fromSource: number): number {
  return span / Math.max(fromSource, 1e-6);
}

/** Scanner settings for a container of outer size `outer` standing on the belt, centred. */
export function frameScanner(scanner: Preset['scanner'], outer: Vec3): ScannerSettings {
  const m = scanner.model;
  const aspect = scanner.width / scanner.height;
  const perspective = m.geometry !== 'parallel';
  const span = m.sourceHeight - m.detectorHeight;
  // The top of the box is nearest the source and the most enlarged.
  const k = perspective ? magnification(span, m.sourceHeight - outer[1]) : 1;
  const across = (outer[0] + 2 * scanner.margin) * k;
  const along = (outer[2] + 2 * scanner.margin) * (m.geometry === 'cone' ? k : 1);
  const fieldWidth = Math.max(across, along * aspect);
  const fieldDepth = fieldWidth / aspect;
  const settings: ScannerSettings = {
    geometry: m.geometry,
    width: scanner.width,
    height: scanner.height,
    fieldWidth,
    fieldDepth,
    sourceHeight: m.sourceHeight,
    detectorHeight: m.detectorHeight,
    effectiveEnergyKeV: m.effectiveEnergyKeV,
    views: [...m.views],
  };
  if (m.views.includes('side')) {
    const sideSpan = m.sideSourceDistance + m.sideDetectorDistance;
    const ks = perspective ? magnification(sideSpan, m.sideSourceDistance - outer[0] / 2) : 1;
    // Same belt, same lines: along the belt the side view matches the top view.
    settings.side = {
      width: scanner.width,
      height: scanner.height,
      fieldWidth: Math.max((outer[1] + 2 * scanner.margin) * ks, fieldDepth * aspect),
      fieldDepth,
      sourceHeight: m.sideSourceDistance,
      detectorHeight: -m.sideDetectorDistance,
      axisHeight: outer[1] / 2,
    };
  }
  if (m.spectral) settings.spectral = structuredClone(m.spectral);
  if (m.effects) settings.effects = { ...m.effects };
  return settings;
}
