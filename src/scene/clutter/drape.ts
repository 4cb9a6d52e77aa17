/**
 * Folded clothes laid on the pile the way cloth lies: it follows what is under it instead
 * of bridging it as a rigid plank. The garment's cloth is cut into tiles about 4 cm
 * across; each tile rests on the height field under it, neighbours stay within a tile's
 * width of each other (cloth bends, it does not tear or hang in threads), and a tile that
 * would rise above the lid is pressed thinner, down to the garment's squash limit, with its
 * density raised as it thins so the mass (and the X-ray) is kept. Hard parts on the top
 * (buttons, a zip, rivets) ride on the tiles under them. Seen from above, every column of
 * a draped garment holds the same mass of cloth as the folded garment did. Pure: a height
 * field in, parts out.
 */
import type { Part, Quat, Vec3 } from '../../core/types.js';
import type { Heightmap } from '../physics/heightmap.js';
import { rotateVec, yawQuat } from '../placement.js';
import { multiply } from '../orientation.js';
import { partBounds } from './bounds.js';
import type { ItemModel } from './item.js';
import { squashLimit } from './squash.js';

/** Tile size aimed at, metres: about a fold's width, fine enough to follow a shoe or a book edge. */
const TILE = 0.04;
/** Gap left above the field, metres (the field already lies on or above every surface). */
const GAP = 0.001;
/** Metres of centre height one metre of mean air under the cloth is worth (as for dropped bodies). */
const GAP_WEIGHT = 2;
/** Candidate spots above which every other cell is tried first, then the cells round the best. */
const FINE_CELLS = 600;

/**
 * What drapes, and how far a tile may hang below its neighbour, as a share of the tile's
 * width: cloth folds over an edge; a stack of paper or a magazine bends, more stiffly.
 */
const DRAPES: Readonly<Record<string, number>> = {
  'folded-shirt': 1,
  'folded-trousers': 1,
  'folded-jumper': 1,
  'paper-stack': 0.5,
  magazine: 0.5,
};

/** An item that can drape: one level box that bends (the sheet), layers of its size on it (a magazine's coating), and hard parts lying on top. */
interface Drapeable {
  cloth: Part & { shape: { type: 'box'; size: Vec3 } };
  /** Level boxes with the sheet's footprint on its top: they bend with it. */
  layers: Part[];
  hard: Part[];
  /** Top of the sheet in the item's frame. */
  clothTop: number;
  /** Hang between neighbouring tiles at most, as a share of a tile's width. */
  stiffness: number;
}

const SHEET = new Set(['cotton', 'polyester', 'paper']);

function isLevel(q: Quat | undefined): boolean {
  return !q || (Math.abs(q[0]) < 1e-9 && Math.abs(q[1]) < 1e-9 && Math.abs(q[2]) < 1e-9);
}

function sameFootprint(a: Part, b: Part): boolean {
  if (a.shape.type !== 'box' || b.shape.type !== 'box' || !isLevel(b.rotation)) return false;
  const oa = a.offset ?? [0, 0, 0];
  const ob = b.offset ?? [0, 0, 0];
  return Math.abs(a.shape.size[0] - b.shape.size[0]) < 1e-9 && Math.abs(a.shape.size[2] - b.shape.size[2]) < 1e-9 && Math.abs(oa[0] - ob[0]) < 1e-9 && Math.abs(oa[2] - ob[2]) < 1e-9;
}

/** The item's sheet, layers and hard parts, or null when it does not drape (socks, crumpled clothes, books, anything rigid). */
export function drapeable(item: ItemModel): Drapeable | null {
  const stiffness = DRAPES[item.kind];
  if (stiffness === undefined) return null;
  const sheets = item.parts.filter((p) => SHEET.has(p.material) && p.shape.type === 'box');
  // The sheet is the lowest box of a bending material; it must be level.
  const c = sheets.sort((a, b) => partBounds(a).min[1] - partBounds(b).min[1])[0];
  if (!c || !isLevel(c.rotation)) return null;
  const clothTop = partBounds(c).max[1];
  const rest = item.parts.filter((p) => p !== c);
  const layers = rest.filter((p) => sameFootprint(c, p));
  const hard = rest.filter((p) => !layers.includes(p));
  // Anything below the sheet's top (inside or under it) would be cut by the tiles.
  if (rest.some((p) => partBounds(p).min[1] < clothTop - 1e-9)) return null;
  return { cloth: c as Drapeable['cloth'], layers, hard, clothTop, stiffness };
}

export interface DrapePlan {
  /** Where the item's origin goes (level frame, world axes): the centre of its footprint, at the lowest tile's underside. */
  position: Vec3;
  /** The item's rotation: always level, the quarter turn is in the parts. */
  quaternion: Quat;
  /** Cloth tiles (rows of equal tiles merged into one box) and the hard parts, in the item's frame. */
  parts: Part[];
  /** The quarter turn used (0-3). */
  quarter: number;
  /** Highest point of the garment, world. */
  top: number;
  /** Lowest and highest tile underside, world: how far the cloth bends. */
  relief: number;
}

interface Layout {
  /** Footprint sides along world x and z, after the quarter turn. */
  w: number;
  d: number;
  nx: number;
  nz: number;
  /** Height each tile must keep free above its sheet for the layers and hard parts on it. */
  above: Float64Array;
  stiffness: number;
  /** The hard parts, turned into world axes, with the tiles each one covers. */
  hard: Array<{ part: Part; tiles: number[]; lift: number }>;
}

function layout(g: Drapeable, quarter: number): Layout {
  const q = yawQuat((quarter * Math.PI) / 2);
  const size = g.cloth.shape.size;
  const turned = quarter % 2 === 1;
  const w = turned ? size[2] : size[0];
  const d = turned ? size[0] : size[2];
  const nx = Math.max(1, Math.round(w / TILE));
  const nz = Math.max(1, Math.round(d / TILE));
  const centre = g.cloth.offset ?? [0, 0, 0];
  // Layers cover every tile.
  const layerTop = g.layers.reduce((m, p) => Math.max(m, partBounds(p).max[1] - g.clothTop), 0);
  const above = new Float64Array(nx * nz).fill(layerTop);
  const hard = g.hard.map((p) => {
    const o = rotateVec(q, [(p.offset ?? [0, 0, 0])[0] - centre[0], (p.offset ?? [0, 0, 0])[1], (p.offset ?? [0, 0, 0])[2] - centre[2]]);
    const turnedPart: Part = { ...p, offset: o, rotation: multiply(q, p.rotation ?? [0, 0, 0, 1]) };
    const b = partBounds(turnedPart);
    const i0 = Math.max(0, Math.floor(((b.min[0] + w / 2) / w) * nx));
    const i1 = Math.min(nx - 1, Math.floor(((b.max[0] + w / 2) / w) * nx - 1e-9));
    const k0 = Math.max(0, Math.floor(((b.min[2] + d / 2) / d) * nz));
    const k1 = Math.min(nz - 1, Math.floor(((b.max[2] + d / 2) / d) * nz - 1e-9));
    const tiles: number[] = [];
    for (let i = i0; i <= i1; i++) for (let k = k0; k <= k1; k++) tiles.push(i * nz + k);
    // How far above the cloth's top the part's bottom sits (0 for a button lying on it).
    const lift = b.min[1] - g.clothTop;
    for (const t of tiles) above[t] = Math.max(above[t]!, b.max[1] - g.clothTop);
    return { part: turnedPart, tiles, lift };
  });
  return { w, d, nx, nz, above, hard, stiffness: g.stiffness };
}

/**
 * The field cells under each tile, as offsets from the footprint's low corner cell (the same
 * for every candidate spot, since spots step by whole cells), and for each window size the
 * field's maximum over every window of that size: the support of a tile at any spot is then
 * one lookup instead of a loop over its cells.
 */
interface TileCells {
  x0: Int32Array;
  wx: Int32Array;
  z0: Int32Array;
  wz: Int32Array;
  max: Map<number, Float64Array>;
}

function tileCells(field: Heightmap, L: Layout): TileCells {
  const c = field.cell;
  const tw = L.w / L.nx;
  const td = L.d / L.nz;
  const x0 = new Int32Array(L.nx);
  const wx = new Int32Array(L.nx);
  const z0 = new Int32Array(L.nz);
  const wz = new Int32Array(L.nz);
  // Every cell the tile's extent touches (the field's own padding covers a box's edge).
  for (let i = 0; i < L.nx; i++) {
    x0[i] = Math.floor((i * tw) / c);
    wx[i] = Math.ceil(((i + 1) * tw) / c) - x0[i]!;
  }
  for (let k = 0; k < L.nz; k++) {
    z0[k] = Math.floor((k * td) / c);
    wz[k] = Math.ceil(((k + 1) * td) / c) - z0[k]!;
  }
  const max = new Map<number, Float64Array>();
  for (const a of new Set(wx)) for (const b of new Set(wz)) max.set(a * 4096 + b, windowMax(field, a, b));
  return { x0, wx, z0, wz, max };
}

/** Per cell (i, k): the highest field value over cells [i, i + wx) x [k, k + wz) (rows and columns past the edge are left at -Infinity). */
function windowMax(field: Heightmap, wx: number, wz: number): Float64Array {
  const { nx, nz, heights: h } = field;
  const rows = new Float64Array(nx * nz).fill(-Infinity);
  for (let i = 0; i < nx; i++) {
    for (let k = 0; k + wz <= nz; k++) {
      let m = -Infinity;
      for (let z = k; z < k + wz; z++) m = Math.max(m, h[i * nz + z]!);
      rows[i * nz + k] = m;
    }
  }
  const out = new Float64Array(nx * nz).fill(-Infinity);
  for (let i = 0; i + wx <= nx; i++) {
    for (let k = 0; k < nz; k++) {
      let m = -Infinity;
      for (let x = i; x < i + wx; x++) m = Math.max(m, rows[x * nz + k]!);
      out[i * nz + k] = m;
    }
  }
  return out;
}

/**
 * Tile undersides for a footprint whose low corner is at field cell (ci, ck), or null when
 * the cloth would stick out above the lid even pressed to its limit.
 */
function drapeAt(field: Heightmap, L: Layout, cells: TileCells, ci: number, ck: number, thickness: number, minThickness: number, lid: number): { bottom: Float64Array; support: Float64Array; thick: Float64Array } | null {
  const { nx, nz } = L;
  const tw = L.w / nx;
  const td = L.d / nz;
  const support = new Float64Array(nx * nz);
  const fz = field.nz;
  // Raising tiles (below) never lowers one, so a tile already too high rules the spot out.
  const highest = lid - minThickness;
  for (let i = 0; i < nx; i++) {
    for (let k = 0; k < nz; k++) {
      const top = cells.max.get(cells.wx[i]! * 4096 + cells.wz[k]!)![(ci + cells.x0[i]!) * fz + ck + cells.z0[k]!]! + GAP;
      if (top + L.above[i * nz + k]! > highest) return null;
      support[i * nz + k] = top;
    }
  }
  // Cloth is continuous: a tile hangs no more than a tile's width below its neighbours.
  const step = Math.min(tw, td) * L.stiffness;
  const bottom = Float64Array.from(support);
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 0; i < nx; i++) {
      for (let k = 0; k < nz; k++) {
        const t = i * nz + k;
        let need = bottom[t]!;
        if (i > 0) need = Math.max(need, bottom[t - nz]! - step);
        if (i < nx - 1) need = Math.max(need, bottom[t + nz]! - step);
        if (k > 0) need = Math.max(need, bottom[t - 1]! - step);
        if (k < nz - 1) need = Math.max(need, bottom[t + 1]! - step);
        if (need > bottom[t]! + 1e-12) {
          bottom[t] = need;
          changed = true;
        }
      }
    }
  }
  const thick = new Float64Array(nx * nz);
  for (let t = 0; t < nx * nz; t++) {
    const room = lid - bottom[t]! - L.above[t]!;
    if (room < minThickness) return null;
    thick[t] = Math.min(thickness, room);
  }
  return { bottom, support, thick };
}

/**
 * Where and how the garment lies on the field: of the candidate spots and quarter turns,
 * the one whose cloth rests lowest on average with the least air under it, nearest `aim`
 * (x, z) by `pull` metres of height per metre. Null when it fits nowhere under the lid.
 */
export function drapeOnField(item: ItemModel, field: Heightmap, lid: number, aim: [number, number], pull: number, quarters: readonly number[]): DrapePlan | null {
  const g = drapeable(item);
  if (!g) return null;
  const thickness = g.cloth.shape.size[1];
  const minThickness = thickness * squashLimit(item);
  type Spot = { key: number; quarter: number; L: Layout; cells: TileCells; ci: number; ck: number };
  let best: Spot | null = null;
  for (const quarter of quarters) {
    const L = layout(g, quarter);
    const spanX = Math.ceil(L.w / field.cell - 1e-9);
    const spanZ = Math.ceil(L.d / field.cell - 1e-9);
    const iHi = field.nx - spanX;
    const kHi = field.nz - spanZ;
    if (iHi < 0 || kHi < 0) continue;
    const cells = tileCells(field, L);
    const score = (ci: number, ck: number): number | null => {
      const r = drapeAt(field, L, cells, ci, ck, thickness, minThickness, lid);
      if (!r) return null;
      let centre = 0;
      let air = 0;
      for (let t = 0; t < r.bottom.length; t++) {
        centre += r.bottom[t]! + r.thick[t]! / 2;
        air += r.bottom[t]! - r.support[t]!;
      }
      const n = r.bottom.length;
      const x = field.x0 + ci * field.cell + L.w / 2;
      const z = field.z0 + ck * field.cell + L.d / 2;
      return centre / n + (GAP_WEIGHT * air) / n + pull * Math.hypot(x - aim[0], z - aim[1]);
    };
    let local: { key: number; ci: number; ck: number } | null = null;
    const consider = (ci: number, ck: number): void => {
      const key = score(ci, ck);
      if (key !== null && (!local || key < local.key)) local = { key, ci, ck };
    };
    const stride = (iHi + 1) * (kHi + 1) > FINE_CELLS ? 2 : 1;
    for (let ci = 0; ci <= iHi; ci += stride) for (let ck = 0; ck <= kHi; ck += stride) consider(ci, ck);
    const coarse = local as { key: number; ci: number; ck: number } | null;
    if (!coarse) continue;
    if (stride > 1) {
      for (let ci = Math.max(0, coarse.ci - 1); ci <= Math.min(iHi, coarse.ci + 1); ci++) {
        for (let ck = Math.max(0, coarse.ck - 1); ck <= Math.min(kHi, coarse.ck + 1); ck++) consider(ci, ck);
      }
    }
    const found = local as unknown as { key: number; ci: number; ck: number };
    if (!best || found.key < best.key) best = { ...found, quarter, L, cells };
  }
  if (!best) return null;
  // The winner's window maxima are reused: the field has not changed since they were taken.
  const { quarter, L, cells, ci, ck } = best as Spot;
  const r = drapeAt(field, L, cells, ci, ck, thickness, minThickness, lid)!;
  return build(g, L, r, quarter, [field.x0 + ci * field.cell + L.w / 2, field.z0 + ck * field.cell + L.d / 2], thickness);
}

function build(g: Drapeable, L: Layout, r: { bottom: Float64Array; thick: Float64Array }, quarter: number, at: [number, number], thickness: number): DrapePlan {
  const { nx, nz } = L;
  const tw = L.w / nx;
  let base = Infinity;
  let high = -Infinity;
  for (const b of r.bottom) {
    base = Math.min(base, b);
    high = Math.max(high, b);
  }
  const density = g.cloth.density ?? 1;
  const parts: Part[] = [];
  // Tiles along x that lie alike are one box, and a garment lying flat stays one sheet.
  const flat = r.bottom.every((b, t) => Math.abs(b - r.bottom[0]!) < 1e-9 && Math.abs(r.thick[t]! - r.thick[0]!) < 1e-9);
  const rows = flat ? 1 : nz;
  const rowDepth = L.d / rows;
  for (let k = 0; k < rows; k++) {
    for (let i = 0; i < nx; ) {
      const t = i * nz + k;
      let j = i + 1;
      while (j < nx && (flat || Math.abs(r.bottom[j * nz + k]! - r.bottom[t]!) < 1e-9 && Math.abs(r.thick[j * nz + k]! - r.thick[t]!) < 1e-9)) j++;
      const th = r.thick[t]!;
      const p: Part = {
        shape: { type: 'box', size: [(j - i) * tw, th, rowDepth] },
        material: g.cloth.material,
        offset: [-L.w / 2 + ((i + j) / 2) * tw, r.bottom[t]! - base + th / 2, -L.d / 2 + (k + 0.5) * rowDepth],
      };
      const dens = (density * thickness) / th;
      if (Math.abs(dens - 1) > 1e-12) p.density = dens;
      parts.push(p);
      // Layers keep their place on the sheet's top.
      for (const layer of g.layers) {
        const lb = partBounds(layer);
        const lp: Part = {
          ...layer,
          shape: { type: 'box', size: [(j - i) * tw, lb.max[1] - lb.min[1], rowDepth] },
          offset: [-L.w / 2 + ((i + j) / 2) * tw, r.bottom[t]! - base + th + (lb.min[1] - g.clothTop) + (lb.max[1] - lb.min[1]) / 2, -L.d / 2 + (k + 0.5) * rowDepth],
        };
        delete lp.rotation;
        parts.push(lp);
      }
      i = j;
    }
  }
  let top = -Infinity;
  for (let t = 0; t < nx * nz; t++) top = Math.max(top, r.bottom[t]! + r.thick[t]! + L.above[t]!);
  // Each hard part rests on the highest cloth top under it.
  for (const h of L.hard) {
    let seat = -Infinity;
    for (const t of h.tiles) seat = Math.max(seat, r.bottom[t]! + r.thick[t]!);
    if (h.tiles.length === 0) seat = base + thickness;
    const ownBottom = partBounds(h.part).min[1];
    const o = h.part.offset!;
    parts.push({ ...h.part, offset: [o[0], o[1] - ownBottom + (seat - base) + h.lift, o[2]] });
  }
  return { position: [at[0], base, at[1]], quaternion: [0, 0, 0, 1], parts, quarter, top, relief: high - base };
}
