/**
 * Superellipsoid body segments: rounded boxes to ellipsoids, the basic shape of arthropod
 * and reptile body segments (a beetle's pronotum is a flat rounded box, its elytra a long
 * domed oval). Same welded-pole ring topology as the UV sphere, poles on the Z axis.
 *
 * Not volume-corrected: these shapes are empirical, their radii are the model.
 * Pure typed-array code (bundled into the browser page).
 */
import type { MeshData } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { ringSurface } from './rings.js';

export interface SuperellipsoidOptions {
  /** Half-width along X. */
  rx: number;
  /** Half-heights above and below the equator (a flat belly and domed back differ). */
  yUp: number;
  yDown: number;
  /** Half-length along Z (the pole axis). */
  rz: number;
  /** Squareness of the outline seen from above and the side: 1 = elliptic, 0.5 = boxy. */
  lengthExponent: number;
  /** Squareness of the cross-section (X-Y): 1 = elliptic, 0.5 = boxy. */
  crossExponent: number;
  /** Width grows by this share towards +Z and shrinks towards -Z (|taper| < 1). */
  taper?: number;
  /** Vertices per ring, and bands from pole to pole. */
  around: number;
  along: number;
}

/** sign(x) |x|^e: keeps the quadrant while squaring off the curve. */
function spow(x: number, e: number): number {
  return Math.sign(x) * Math.pow(Math.abs(x), e);
}

/** Closed, outward superellipsoid centred at the origin, back pole at -rz, front pole at +rz. */
export function superellipsoid(o: SuperellipsoidOptions): MeshData {
  const taper = o.taper ?? 0;
  const around = Math.round(o.around);
  const along = Math.round(o.along);
  const ok = [o.rx, o.yUp, o.yDown, o.rz, o.lengthExponent, o.crossExponent].every((v) => Number.isFinite(v) && v > 0);
  if (!ok || Math.abs(taper) >= 1 || around < 3 || along < 2) {
    throw new ExorayError(
      'E_MESH_INVALID',
      `superellipsoid: radii and exponents must be positive, |taper| < 1, around >= 3, along >= 2 (got ${JSON.stringify(o)})`,
    );
  }
  const pts = new Float64Array(3 * around * (along - 1));
  let k = 0;
  for (let j = 1; j < along; j++) {
    const v = (Math.PI * j) / along;
    const z = o.rz * spow(-Math.cos(v), o.lengthExponent);
    const rho = spow(Math.sin(v), o.lengthExponent);
    const widen = 1 + (taper * z) / o.rz;
    // Rings run counter-clockwise about +Z (X towards Y), the direction from back to front pole.
    for (let i = 0; i < around; i++) {
      const u = (2 * Math.PI * i) / around;
      const s = Math.sin(u);
      pts[k++] = o.rx * widen * rho * spow(Math.cos(u), o.crossExponent);
      pts[k++] = (s >= 0 ? o.yUp : o.yDown) * rho * spow(s, o.crossExponent);
      pts[k++] = z;
    }
  }
  return ringSurface([0, 0, -o.rz], pts, around, [0, 0, o.rz]);
}
