/**
 * Suitcases and trolleys, lying on their back on the belt (Y is the case's depth, Z its
 * length): a shell with a zip round its seam, a lining, a trolley handle of two aluminium
 * tubes along the back under a false floor, wheels at one end, carry handles, and for
 * hard shells the hinges. The metal frame is what dominates a suitcase's X-ray.
 */
import type { Rng } from '../../core/rng.js';
import type { Part, Quat, Vec3 } from '../../core/types.js';
import type { ContainerModel, ContainerSpec } from './container.js';
import { interiorFromCentred } from './container.js';

const ALONG_X: Quat = [0, 0, Math.SQRT1_2, Math.SQRT1_2];
const ALONG_Z: Quat = [Math.SQRT1_2, 0, 0, Math.SQRT1_2];

export interface LuggageStyle {
  /** Spinner wheels (four) or inline wheels (two). */
  wheels: 2 | 4;
  /** Hard shells have riveted hinges; soft ones a steel wire frame and a front pocket. */
  hard: boolean;
}

export function luggage(rng: Rng, { outer, wall, material }: ContainerSpec, style: LuggageStyle): ContainerModel {
  const parts: Part[] = [];
  const zipT = 0.004;
  const wheelR = rng.uniform(0.022, 0.032);
  const wheelEnd = 2 * wheelR + 0.004;
  const gripEnd = 0.03;
  const pocket = style.hard ? 0 : rng.uniform(0.015, 0.03);
  const shell: Vec3 = [outer[0] - 2 * zipT, outer[1] - pocket, outer[2] - wheelEnd - gripEnd];
  // Centre of the shell in the centred frame: shifted off the wheels and the pocket.
  const c: Vec3 = [0, -pocket / 2, (wheelEnd - gripEnd) / 2];
  const at = (x: number, y: number, z: number): Vec3 => [c[0] + x, c[1] + y, c[2] + z];
  parts.push({ shape: { type: 'hollowBox', size: shell, wall }, material, offset: c });

  // Zip round the seam at mid-depth: coil (nylon) or metal teeth, with a steel slider.
  const zip = rng.next() < 0.7 ? 'nylon' : 'brass';
  const zipH = 0.01;
  for (const side of [-1, 1]) {
    parts.push({ shape: { type: 'box', size: [zipT, zipH, shell[2]] }, material: zip, offset: at(side * (shell[0] / 2 + zipT / 2), 0, 0) });
  }
  parts.push({ shape: { type: 'box', size: [zipT * 0.8, zipH * 1.4, 0.03] }, material: 'stainless_steel', offset: at(shell[0] / 2 + zipT * 0.4, zipH * 1.2 + 0.0005, shell[2] * 0.3) });

  if (style.hard) {
    // Riveted hinges on the other side, below the seam.
    const n = rng.int(2, 3);
    for (let i = 0; i < n; i++) {
      const z = -shell[2] * 0.3 + (i * shell[2] * 0.6) / Math.max(1, n - 1);
      parts.push({ shape: { type: 'box', size: [zipT * 0.9, 0.03, 0.05] }, material: 'stainless_steel', offset: at(-(shell[0] / 2 + zipT / 2), -zipH / 2 - 0.017, z) });
    }
  } else {
    // Front pocket on the lid: a fabric sleeve with its own zip.
    const pw = shell[0] * 0.75;
    const pd = shell[2] * 0.5;
    parts.push({ shape: { type: 'hollowBox', size: [pw, pocket, pd], wall: Math.min(wall, pocket / 4) }, material, offset: at(0, shell[1] / 2 + pocket / 2, -shell[2] * 0.2) });
  }

  // Wheels at the -Z end near the back: rubber tyres (tori) on steel axles, ABS housings.
  const wx = shell[0] / 2 - 0.03;
  const endZ = -shell[2] / 2;
  const wy = -shell[1] / 2 + wheelR + 0.004;
  const tube = wheelR * 0.3;
  const z = endZ - 0.002 - wheelR;
  const wheel = (x: number) => {
    parts.push({ shape: { type: 'torus', radius: wheelR - tube, tube }, material: 'rubber', offset: at(x, wy, z), rotation: ALONG_X });
    parts.push({ shape: { type: 'cylinder', radius: 0.003, height: 0.03 }, material: 'stainless_steel', offset: at(x, wy, z), rotation: ALONG_X });
  };
  for (const side of [-1, 1]) {
    const x = side * wx;
    wheel(x);
    // Spinners are double wheels.
    if (style.wheels === 4) wheel(x - side * 0.045);
    parts.push({ shape: { type: 'box', size: [0.035, 0.02, 0.0015] }, material: 'abs', offset: at(x, wy, endZ - 0.001) });
  }

  // Carry handle on the +Z end: a polypropylene grip arcing out of the end face.
  const gy = shell[1] / 4;
  const span = Math.min(0.14, shell[0] * 0.5);
  const arc: Vec3[] = Array.from({ length: 11 }, (_, i) => {
    const t = i / 10;
    return at((t - 0.5) * span, gy, shell[2] / 2 + 0.0015 + Math.sin(Math.PI * t) * (gripEnd - 0.009));
  });
  parts.push({ shape: { type: 'tube', path: arc, radius: 0.006 }, material: 'polypropylene' });

  // Inside: the trolley tubes along the back under a false floor, then the lining.
  const cav: Vec3 = [shell[0] - 2 * wall, shell[1] - 2 * wall, shell[2] - 2 * wall];
  const tubeR = rng.uniform(0.009, 0.012);
  const channel = 2 * tubeR + 0.004;
  const tubeX = Math.min(cav[0] / 2 - tubeR - 0.01, rng.uniform(0.09, 0.13));
  const tubeLen = cav[2] - 0.05;
  const floorY = -cav[1] / 2 + 0.0005 + tubeR;
  for (const side of [-1, 1]) {
    parts.push({ shape: { type: 'hollowCylinder', radius: tubeR, height: tubeLen, wall: 0.0012 }, material: 'aluminium', offset: at(side * tubeX, floorY, -cav[2] / 2 + 0.005 + tubeLen / 2), rotation: ALONG_Z });
  }
  // The handle's top bar across the tubes' ends.
  parts.push({ shape: { type: 'box', size: [2 * tubeX + 2 * tubeR, 2 * tubeR, 0.02] }, material: 'aluminium', offset: at(0, floorY, cav[2] / 2 - 0.0125) });
  if (!style.hard) {
    // Soft cases keep their shape with a steel wire frame round the back.
    for (const side of [-1, 1]) {
      parts.push({ shape: { type: 'cylinder', radius: 0.002, height: cav[2] - 0.01 }, material: 'stainless_steel', offset: at(side * (cav[0] / 2 - 0.004), floorY, 0), rotation: ALONG_Z });
    }
  }
  const floorT = 0.003;
  parts.push({ shape: { type: 'box', size: [cav[0] - 0.002, floorT, cav[2] - 0.002] }, material: style.hard ? 'polypropylene' : 'pe_foam', offset: at(0, -cav[1] / 2 + channel + floorT / 2, 0) });
  const liningT = 0.0005;
  const lin: Vec3 = [cav[0] - 0.001, cav[1] - channel - floorT - 0.001, cav[2] - 0.001];
  parts.push({ shape: { type: 'hollowBox', size: lin, wall: liningT }, material: 'polyester', offset: at(0, -cav[1] / 2 + channel + floorT + 0.0005 + lin[1] / 2, 0) });
  const linC = c[1] - cav[1] / 2 + channel + floorT + 0.0005 + lin[1] / 2;
  return {
    parts,
    interior: interiorFromCentred([-lin[0] / 2 + liningT, linC - lin[1] / 2 + liningT, c[2] - lin[2] / 2 + liningT], [lin[0] / 2 - liningT, linC + lin[1] / 2 - liningT, c[2] + lin[2] / 2 - liningT], outer),
  };
}

export const hardSuitcase = (rng: Rng, spec: ContainerSpec): ContainerModel => luggage(rng, spec, { wheels: 4, hard: true });
export const softSuitcase = (rng: Rng, spec: ContainerSpec): ContainerModel => luggage(rng, spec, { wheels: 2, hard: false });
export const carryOnTrolley = (rng: Rng, spec: ContainerSpec): ContainerModel => luggage(rng, spec, { wheels: 4, hard: true });
