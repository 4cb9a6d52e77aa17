/**
 * A body as one closed tube along -Z whose elliptical section (half-width, half-height and
 * the height of its centre) follows a few keyed stations: the trunk, head and tail of a
 * lizard, the neck and head of a tortoise, a frog's squat body. The tube has a single pole
 * vertex at each end, so it is closed by construction (see geometry/rings.ts).
 *
 * Units are whatever the caller builds in (body plans use "body lengths"); u in [0, 1] runs
 * from the front tip (z = z0) to the rear tip (z = z0 - length).
 */
import type { MeshData, Vec3 } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { tube, type RingRadius } from '../../geometry/rings.js';

/** Section at u: half-width (X), half-height (Y) and the height of the section's centre. */
export interface Section {
  w: number;
  h: number;
  y: number;
}

export interface ProfileKey extends Section {
  u: number;
}

export interface ProfileSpec {
  /** Stations, u increasing from the first to the last; smoothstep between neighbours. */
  keys: readonly ProfileKey[];
  /** Front cap: the section shrinks on a quarter ellipse from keys[0] to the tip at u = 0. */
  frontCap: number;
  /** Rear end: 'round' (quarter ellipse from the last key to u = 1) or 'pointed' (a cone). */
  rear: 'round' | 'pointed';
}

function checkSpec(spec: ProfileSpec, what: string): void {
  const k = spec.keys;
  const ok = k.length >= 2 && k[0]!.u === spec.frontCap && spec.frontCap > 0 && k[k.length - 1]!.u < 1 &&
    k.every((key, i) => key.w > 0 && key.h > 0 && Number.isFinite(key.y) && (i === 0 || key.u > k[i - 1]!.u));
  if (!ok) {
    throw new ExorayError('E_ASSET', `${what}: profile keys must start at u = frontCap > 0, increase strictly, end below u = 1 and have positive w and h (got ${JSON.stringify(spec)})`);
  }
}

/** The section at u (zero size at the two tips). */
export function sectionAt(spec: ProfileSpec, u: number): Section {
  const k = spec.keys;
  const first = k[0]!, last = k[k.length - 1]!;
  if (u <= 0) return { w: 0, h: 0, y: first.y };
  if (u >= 1) return { w: 0, h: 0, y: last.y };
  if (u < first.u) {
    const t = 1 - u / first.u;
    const f = Math.sqrt(1 - t * t);
    return { w: first.w * f, h: first.h * f, y: first.y };
  }
  if (u > last.u) {
    const t = (u - last.u) / (1 - last.u);
    const f = spec.rear === 'round' ? Math.sqrt(1 - t * t) : 1 - t;
    return { w: last.w * f, h: last.h * f, y: last.y };
  }
  let i = 0;
  while (i < k.length - 2 && u > k[i + 1]!.u) i++;
  const a = k[i]!, b = k[i + 1]!;
  const t = Math.min(1, Math.max(0, (u - a.u) / (b.u - a.u)));
  const s = t * t * (3 - 2 * t);
  return { w: a.w + (b.w - a.w) * s, h: a.h + (b.h - a.h) * s, y: a.y + (b.y - a.y) * s };
}

/** Station parameters: cosine-spaced on the caps (round ends need fine rings near the tip), even between. */
function stations(spec: ProfileSpec, rings: number, capRings: number): number[] {
  const u0 = spec.keys[0]!.u;
  const u1 = spec.keys[spec.keys.length - 1]!.u;
  const out: number[] = [0];
  for (let j = 1; j <= capRings; j++) out.push(u0 * (1 - Math.cos((j * Math.PI) / (2 * capRings))));
  for (let j = 1; j < rings; j++) out.push(u0 + ((u1 - u0) * j) / rings);
  for (let j = 0; j < capRings; j++) {
    const t = j / capRings;
    out.push(spec.rear === 'round' ? u1 + (1 - u1) * Math.sin((t * Math.PI) / 2) : u1 + (1 - u1) * t);
  }
  out.push(1);
  return out;
}

/**
 * The closed tube: front tip at (0, y, z0), rear tip at z0 - length, `rings` even stations
 * between the caps, `around` vertices per ring.
 */
export function profileTube(spec: ProfileSpec, z0: number, length: number, rings: number, around: number, what: string): MeshData {
  checkSpec(spec, what);
  const us = stations(spec, Math.max(2, Math.round(rings)), Math.max(2, Math.round(rings / 16)));
  const path = us.map((u): Vec3 => [0, sectionAt(spec, u).y, z0 - u * length]);
  const radii = us.map((u): RingRadius => {
    const s = sectionAt(spec, u);
    return [s.h, s.w];
  });
  return tube(path, radii, Math.max(6, 2 * Math.round(around / 2)), { up: [0, 1, 0] });
}
