/**
 * A backpack lying on its back: padded shoulder straps underneath with plastic buckles
 * and steel adjusters, a fabric body with a foam back panel, a zip round the lid with
 * steel sliders, a front pocket and a grab handle.
 */
import type { Rng } from '../../core/rng.js';
import type { Part, Vec3 } from '../../core/types.js';
import type { ContainerModel, ContainerSpec } from './container.js';
import { interiorFromCentred } from './container.js';

export function backpack(rng: Rng, { outer, wall, material }: ContainerSpec): ContainerModel {
  const parts: Part[] = [];
  const strapT = rng.uniform(0.012, 0.02);
  const pocket = rng.uniform(0.02, 0.04);
  const zipT = 0.003;
  const handle = 0.025;
  const body: Vec3 = [outer[0], outer[1] - strapT - pocket - zipT, outer[2] - handle];
  const c: Vec3 = [0, -outer[1] / 2 + strapT + body[1] / 2, -handle / 2];
  const at = (x: number, y: number, z: number): Vec3 => [c[0] + x, c[1] + y, c[2] + z];
  parts.push({ shape: { type: 'hollowBox', size: body, wall }, material, offset: c });

  // Shoulder straps under the body: foam in a fabric sleeve, buckle and adjuster at the lower end.
  const strapW = rng.uniform(0.05, 0.075);
  const strapL = body[2] * 0.7;
  for (const side of [-1, 1]) {
    const x = side * Math.min(body[0] / 2 - strapW / 2 - 0.005, rng.uniform(0.05, 0.08));
    const y = -body[1] / 2 - strapT / 2;
    const sleeve = 0.0008;
    parts.push({ shape: { type: 'hollowBox', size: [strapW, strapT - 0.0005, strapL], wall: sleeve }, material: 'nylon', offset: at(x, y, body[2] / 2 - strapL / 2) });
    parts.push({ shape: { type: 'box', size: [strapW - 2 * sleeve - 0.001, strapT - 0.0005 - 2 * sleeve - 0.001, strapL - 2 * sleeve - 0.001] }, material: 'pe_foam', offset: at(x, y, body[2] / 2 - strapL / 2) });
    const bz = body[2] / 2 - strapL - 0.02;
    parts.push({ shape: { type: 'box', size: [0.04, Math.min(0.008, strapT - 0.001), 0.03] }, material: 'polypropylene', offset: at(x, y, bz) });
    parts.push({ shape: { type: 'box', size: [0.035, 0.002, 0.012] }, material: 'stainless_steel', offset: at(x, y, bz - 0.03) });
  }

  // Inside: a foam back panel on the floor.
  const cav: Vec3 = [body[0] - 2 * wall, body[1] - 2 * wall, body[2] - 2 * wall];
  const panel = rng.uniform(0.006, 0.012);
  parts.push({ shape: { type: 'box', size: [cav[0] - 0.002, panel, cav[2] - 0.002] }, material: 'pe_foam', offset: at(0, -cav[1] / 2 + panel / 2 + 0.0003, 0) });

  // Zip round three sides of the lid, two steel sliders.
  const top = body[1] / 2 + zipT / 2;
  const inset = 0.02;
  for (const side of [-1, 1]) {
    parts.push({ shape: { type: 'box', size: [0.008, zipT, body[2] - 2 * inset] }, material: 'nylon', offset: at(side * (body[0] / 2 - inset), top, 0) });
  }
  parts.push({ shape: { type: 'box', size: [body[0] - 2 * inset - 0.009, zipT, 0.008] }, material: 'nylon', offset: at(0, top, body[2] / 2 - inset) });
  for (const side of [-1, 1]) {
    parts.push({ shape: { type: 'box', size: [0.012, zipT, 0.03] }, material: 'stainless_steel', offset: at(side * (body[0] / 2 - inset), top + zipT, body[2] * rng.uniform(-0.3, 0.3)) });
  }
  // Front pocket on the lower half of the lid, inside the zip line.
  const pw = body[0] - 2 * inset - 0.03;
  const pd = body[2] * rng.uniform(0.35, 0.5);
  parts.push({ shape: { type: 'hollowBox', size: [pw, pocket, pd], wall: Math.min(wall, pocket / 4) }, material, offset: at(0, body[1] / 2 + pocket / 2, -body[2] / 2 + inset + 0.01 + pd / 2) });

  // Grab handle: a webbing loop out of the top end.
  const span = Math.min(0.08, body[0] * 0.4);
  const loop: Vec3[] = Array.from({ length: 9 }, (_, i) => {
    const t = i / 8;
    return at((t - 0.5) * span, body[1] * 0.25, body[2] / 2 + 0.002 + Math.sin(Math.PI * t) * (handle - 0.008));
  });
  parts.push({ shape: { type: 'tube', path: loop, radius: 0.004 }, material: 'nylon' });

  return {
    parts,
    interior: interiorFromCentred([-cav[0] / 2, c[1] - cav[1] / 2 + panel + 0.0006, c[2] - cav[2] / 2], [cav[0] / 2, c[1] + cav[1] / 2, c[2] + cav[2] / 2], outer),
  };
}
