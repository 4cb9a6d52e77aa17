/**
 * Electronics: the densest everyday clutter. Lithium-ion cells, circuit boards, copper
 * coils and metal frames each have a material of their own so their attenuation and
 * effective Z come out right.
 */
import type { Rng } from '../../core/rng.js';
import type { Part } from '../../core/types.js';
import { ALONG_X, box, coilPath, cyl, ell, finish, part, type ItemModel } from './item.js';

/** A smartphone: glass front, lithium-ion cell, circuit board and an aluminium back, stacked. */
export function phone(rng: Rng): ItemModel {
  const w = rng.uniform(0.065, 0.078);
  const d = rng.uniform(0.14, 0.165);
  const glass = 0.0008;
  const pcb = 0.0012;
  const cell = rng.uniform(0.0035, 0.0045);
  const back = 0.001;
  const layers: Array<[string, number, number, number]> = [
    // material, thickness, width, depth
    ['aluminium', back, w, d],
    ['li_ion_cell', cell, w - 0.01, d * 0.55],
    ['pcb', pcb, w - 0.012, d * 0.3],
    ['glass', glass, w, d],
  ];
  const total = back + cell + glass;
  const parts: Part[] = [];
  let y = -total / 2;
  for (const [material, t, lw, ld] of layers) {
    if (material === 'pcb') {
      // The board sits beside the cell, not on it, at the cell's level.
      parts.push({ shape: { type: 'box', size: [lw, t, ld] }, material, offset: [0, -total / 2 + back + t / 2, d * 0.32] });
      continue;
    }
    const zOffset = material === 'li_ion_cell' ? -d * 0.15 : 0;
    parts.push({ shape: { type: 'box', size: [lw, t, ld] }, material, offset: [0, y + t / 2, zOffset] });
    y += t;
  }
  return { kind: 'phone', parts, halfExtents: [w / 2, total / 2, d / 2], freeRotation: false };
}

/**
 * A flat device in layers: back plate, a cell and a board side by side in the middle
 * layer, glass on top. Tablets and laptop lids share this build.
 */
function slab(o: { w: number; d: number; back: string; backT: number; cellT: number; cellShare: number; glassT: number }): Part[] {
  const { w, d } = o;
  const mid = o.cellT;
  const parts: Part[] = [box([w, o.backT, d], o.back, [0, o.backT / 2, 0])];
  const cellD = d * o.cellShare;
  parts.push(box([w * 0.85, mid, cellD], 'li_ion_cell', [0, o.backT + mid / 2, -d / 2 + 0.005 + cellD / 2]));
  const boardD = d - cellD - 0.015;
  parts.push(box([w * 0.6, 0.0012, boardD], 'pcb', [0, o.backT + 0.0006, d / 2 - 0.005 - boardD / 2]));
  parts.push(box([w, o.glassT, d], 'glass', [0, o.backT + mid + o.glassT / 2, 0]));
  return parts;
}

export function tablet(rng: Rng): ItemModel {
  const w = rng.uniform(0.15, 0.2);
  const d = w * rng.uniform(1.3, 1.45);
  return finish('tablet', slab({ w, d, back: 'aluminium', backT: 0.0012, cellT: rng.uniform(0.003, 0.005), cellShare: 0.6, glassT: 0.0009 }));
}

/** A laptop shut: base (keyboard, board, cells, aluminium or ABS case) under the lid (screen glass). */
export function laptop(rng: Rng): ItemModel {
  const w = rng.uniform(0.3, 0.36);
  const d = w * rng.uniform(0.66, 0.72);
  const metal = rng.next() < 0.5;
  const caseMaterial = metal ? 'aluminium' : 'abs';
  const caseT = metal ? 0.0012 : 0.002;
  const baseH = rng.uniform(0.01, 0.016);
  const parts: Part[] = [part({ type: 'hollowBox', size: [w, baseH, d], wall: caseT }, caseMaterial, [0, baseH / 2, 0])];
  const inner = baseH - 2 * caseT;
  // Inside the base: a row of cells at the front, the board behind, a steel keyboard plate over both.
  const cellT = Math.min(0.006, inner - 0.0025);
  const cellD = d * 0.35;
  parts.push(box([w * 0.8, cellT, cellD], 'li_ion_cell', [0, caseT + 0.0002 + cellT / 2, -d / 2 + caseT + 0.003 + cellD / 2]));
  const boardD = d - cellD - 2 * caseT - 0.012;
  parts.push(box([w * 0.7, 0.0012, boardD], 'pcb', [0, caseT + 0.0008, d / 2 - caseT - 0.004 - boardD / 2]));
  parts.push(box([w * 0.9, 0.0006, d * 0.9], 'stainless_steel', [0, baseH - caseT - 0.0005, 0]));
  // Heat pipe and fan: copper strip and a small plastic disc beside the board.
  parts.push(box([w * 0.3, 0.0015, 0.008], 'copper', [w * 0.1, caseT + 0.0025 + 0.0008, d / 2 - caseT - 0.01]));
  const lidT = rng.uniform(0.005, 0.008);
  parts.push(part({ type: 'hollowBox', size: [w, lidT, d], wall: Math.min(caseT, lidT / 3) }, caseMaterial, [0, baseH + 0.0005 + lidT / 2, 0]));
  parts.push(box([w - 0.02, Math.max(0.0006, lidT - 2 * Math.min(caseT, lidT / 3) - 0.0008), d - 0.02], 'glass', [0, baseH + 0.0005 + lidT / 2, 0]));
  return finish('laptop', parts);
}

/** A power bank: ABS or aluminium case around a row of 18650 cylindrical cells and a small board. */
export function powerBank(rng: Rng): ItemModel {
  const cells = rng.int(1, 4);
  const r = 0.009;
  const len = 0.065;
  const wall = 0.0015;
  const metal = rng.next() < 0.3;
  const innerW = cells * 2 * r + (cells - 1) * 0.0005;
  const size: [number, number, number] = [innerW + 2 * wall + 0.001, 2 * r + 2 * wall + 0.001, len + 0.02 + 2 * wall];
  const parts: Part[] = [part({ type: 'hollowBox', size, wall }, metal ? 'aluminium' : 'abs')];
  for (let i = 0; i < cells; i++) {
    parts.push(cyl(r, len, 'li_ion_cell', [-innerW / 2 + r + i * (2 * r + 0.0005), 0, -0.008], [Math.SQRT1_2, 0, 0, Math.SQRT1_2]));
  }
  parts.push(box([innerW * 0.9, 0.0012, 0.012], 'pcb', [0, 0, len / 2 - 0.008 + 0.0085]));
  return finish('power-bank', parts);
}

/** A wall charger with its cable coiled beside it: ABS case, transformer (iron core, copper winding), board. */
export function charger(rng: Rng): ItemModel {
  const s = rng.uniform(0.028, 0.045);
  const wall = 0.0015;
  const parts: Part[] = [part({ type: 'hollowBox', size: [s, s * 0.9, s * 1.1], wall }, 'abs')];
  const core = s * 0.3;
  // The winding rings the core with a little clearance at its corners.
  parts.push(box([core, core, core], 'iron', [0, 0, -s * 0.1]));
  parts.push(part({ type: 'torus', radius: core * 0.95, tube: core * 0.2 }, 'copper', [0, 0, -s * 0.1]));
  parts.push(box([s * 0.8, 0.0012, s * 0.3], 'pcb', [0, -s * 0.45 + wall + 0.002, s * 0.32]));
  // Prongs out of the back face.
  for (const x of [-0.006, 0.006]) parts.push(box([0.0015, 0.006, 0.016], 'brass', [x, 0, -s * 0.55 - 0.0085]));
  // The cable, coiled flat beside the case.
  const turns = rng.int(3, 6);
  const r0 = rng.uniform(0.03, 0.04);
  const path = coilPath({ turns, r0, r1: r0 + turns * 0.0045, pitch: 0 }).map(([x, y, z]) => [x + s / 2 + r0 + turns * 0.0045 + 0.005, y - s * 0.45 + 0.002, z] as [number, number, number]);
  parts.push(part({ type: 'tube', path, radius: 0.0018 }, 'cable'));
  return finish('charger', parts);
}

/** Over-ear headphones folded flat: ABS cups with neodymium-iron magnets and copper voice coils, a steel band. */
export function headphones(rng: Rng): ItemModel {
  const cupR = rng.uniform(0.035, 0.045);
  const gap = rng.uniform(0.03, 0.06);
  const parts: Part[] = [];
  for (const side of [-1, 1]) {
    const x = side * (cupR + gap / 2);
    parts.push(part({ type: 'hollowCylinder', radius: cupR, height: 0.03, wall: 0.002 }, 'abs', [x, 0, 0]));
    parts.push(cyl(cupR * 0.35, 0.005, 'iron', [x, -0.004, 0]));
    parts.push(part({ type: 'torus', radius: cupR * 0.5, tube: 0.0015 }, 'copper', [x, 0.004, 0]));
    parts.push(ell([cupR * 0.9, 0.008, cupR * 0.9], 'pe_foam', [x, 0.015 + 0.0082, 0]));
  }
  // The band: a stainless strip arcing over the cups, as a swept tube.
  const span = 2 * cupR + gap;
  const band = Array.from({ length: 13 }, (_, i) => {
    const t = i / 12;
    return [(t - 0.5) * span, -0.005, cupR + 0.01 + Math.sin(Math.PI * t) * span * 0.25] as [number, number, number];
  });
  parts.push(part({ type: 'tube', path: band, radius: 0.002 }, 'stainless_steel'));
  return finish('headphones', parts, false);
}
