/**
 * Repairs what can be repaired in an imported mesh so that it encloses a volume with
 * outward-facing triangles (what path-length rendering needs): drops repeated and
 * collapsed triangles, makes the winding consistent across each connected piece, caps
 * small holes and (unless turned off) larger openings whose cap does not fold, and turns
 * every piece outward (or inward for a cavity nested inside another piece). What cannot
 * be repaired (non-manifold edges, an opening that a cap would fold over, an open sheet
 * with no volume, a Möbius surface) is refused with the counts. Pure typed-array code.
 */
import type { MeshData } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { computeBounds, signedVolume } from '../../geometry/mesh.js';
import { describeMeshProblems, validateClosedMesh, type MeshReport } from '../../geometry/validate.js';

export interface RepairOptions {
  /** Small holes: at most this many boundary edges... */
  maxHoleEdges?: number;
  /** ...and a perimeter at most this share of the mesh's bounding-box diagonal. Always capped. */
  maxHolePerimeter?: number;
  /**
   * Also cap larger openings (a half of a mirrored model, an eye pressed into a head, a
   * cut-off scan) when the cap does not fold over itself and the closed piece has volume.
   */
  capOpenings?: boolean;
  /** Openings with more boundary edges than this are not capped. */
  maxOpeningEdges?: number;
}

export const REPAIR_DEFAULTS: Required<RepairOptions> = { maxHoleEdges: 64, maxHolePerimeter: 0.5, capOpenings: true, maxOpeningEdges: 512 };

/**
 * A closed piece whose mean thickness (3 V / A) is below this share of its size
 * (sqrt(A / pi)) after an opening was capped was an open sheet: a plane, a leaf, a fin
 * modelled without thickness. A hemisphere scores 0.39, a dome a tenth as high as wide 0.05.
 */
const MIN_THICKNESS_RATIO = 0.02;

export interface RepairResult {
  mesh: MeshData;
  /** What was changed, one line each (empty when the mesh was already sound). */
  actions: string[];
  report: MeshReport;
}

/** Triangles around each vertex, as compressed rows: star[start[v] .. start[v + 1]). */
function vertexStar(indices: Uint32Array, nv: number): { start: Uint32Array; star: Uint32Array } {
  const start = new Uint32Array(nv + 1);
  for (const v of indices) start[v + 1]!++;
  for (let v = 0; v < nv; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, nv);
  const star = new Uint32Array(indices.length);
  for (let i = 0; i < indices.length; i++) star[fill[indices[i]!]!++] = Math.floor(i / 3);
  return { start, star };
}

/**
 * Drops triangles with a repeated vertex, and repeated triangles. A triangle repeated with
 * the same winding is kept once. A triangle paired with its reverse is a zero-thickness
 * fin (simplifiers leave these) and both go, unless most of the mesh is paired that way:
 * then it is a double-sided surface, and one side is kept.
 */
function dropRepeated(indices: Uint32Array, nv: number): { indices: Uint32Array; collapsed: number; duplicates: number; fins: number } {
  const nt = indices.length / 3;
  const { start, star } = vertexStar(indices, nv);
  /** Per triangle: 0 keep, 1 collapsed, 2 same-winding repeat, 3 reversed twin of an earlier triangle. */
  const fate = new Uint8Array(nt);
  const twinOf = new Int32Array(nt).fill(-1);
  let collapsed = 0;
  let reversed = 0;
  for (let t = 0; t < nt; t++) {
    const a = indices[3 * t]!, b = indices[3 * t + 1]!, c = indices[3 * t + 2]!;
    if (a === b || b === c || c === a) {
      fate[t] = 1;
      collapsed++;
      continue;
    }
    for (let s = start[a]!; s < start[a + 1]!; s++) {
      const u = star[s]!;
      if (u >= t || fate[u] === 1) continue;
      const ua = indices[3 * u]!, ub = indices[3 * u + 1]!, uc = indices[3 * u + 2]!;
      const holdsAll = (ua === b || ub === b || uc === b) && (ua === c || ub === c || uc === c);
      if (!holdsAll) continue;
      // Same winding when u is a rotation of (a, b, c).
      const same = (ua === a && ub === b) || (ub === a && uc === b) || (uc === a && ua === b);
      if (same) fate[t] = 2;
      else {
        fate[t] = 3;
        twinOf[t] = u;
        reversed++;
      }
      break;
    }
  }
  // Each reversed pair is two triangles: double-sided when over half of all triangles are paired.
  const doubleSided = 4 * reversed > nt - collapsed;
  if (!doubleSided) for (let t = 0; t < nt; t++) if (fate[t] === 3) fate[twinOf[t]!] = 3;
  const out: number[] = [];
  let duplicates = 0;
  let fins = 0;
  for (let t = 0; t < nt; t++) {
    if (fate[t] === 0) out.push(indices[3 * t]!, indices[3 * t + 1]!, indices[3 * t + 2]!);
    else if (fate[t] === 2 || (fate[t] === 3 && doubleSided)) duplicates++;
    else if (fate[t] === 3) fins++;
  }
  return { indices: Uint32Array.from(out), collapsed, duplicates, fins: fins / 2 };
}

interface Orientation {
  indices: Uint32Array;
  /** Connected piece of each triangle (across manifold edges). */
  component: Int32Array;
  components: number;
  flipped: number;
  /** Edges where no winding choice can agree (a Möbius-like surface). */
  conflicts: number;
  /** Edges with one triangle (holes). */
  boundary: number;
}

/**
 * Breadth-first over triangles sharing an edge (edges with exactly two triangles), flipping
 * neighbours so each shared edge is walked once each way. Each piece keeps the winding of
 * most of its triangles, so a mostly-right mesh changes little.
 */
function orientConsistently(indices: Uint32Array, nv: number): Orientation {
  const nt = indices.length / 3;
  // An edge's triangles are those around one end that also hold the other end.
  const { start, star } = vertexStar(indices, nv);
  const holds = (t: number, v: number): boolean => indices[3 * t] === v || indices[3 * t + 1] === v || indices[3 * t + 2] === v;
  /** The one other triangle on edge (a, b) of t; -1 on a boundary, -2 when non-manifold. */
  const across = (t: number, a: number, b: number): number => {
    let other = -1;
    for (let s = start[a]!; s < start[a + 1]!; s++) {
      const u = star[s]!;
      if (u === t || !holds(u, b)) continue;
      if (other !== -1) return -2;
      other = u;
    }
    return other;
  };
  let boundary = 0;
  /** True when triangle t walks edge (lo, hi) from lo to hi (before flipping). */
  const forward = (t: number, lo: number, hi: number): boolean => {
    for (let k = 0; k < 3; k++) {
      if (indices[3 * t + k] === lo && indices[3 * t + ((k + 1) % 3)] === hi) return true;
    }
    return false;
  };
  const flip = new Uint8Array(nt);
  const component = new Int32Array(nt).fill(-1);
  let components = 0;
  let conflicts = 0;
  const out = indices.slice();
  let flipped = 0;
  const members: number[] = [];
  for (let seed = 0; seed < nt; seed++) {
    if (component[seed] !== -1) continue;
    const c = components++;
    component[seed] = c;
    members.length = 0;
    members.push(seed);
    for (let q = 0; q < members.length; q++) {
      const t = members[q]!;
      for (let k = 0; k < 3; k++) {
        const a = indices[3 * t + k]!, b = indices[3 * t + ((k + 1) % 3)]!;
        const u = across(t, a, b);
        if (u === -1) boundary++;
        if (u < 0) continue;
        const lo = Math.min(a, b), hi = Math.max(a, b);
        const effT = forward(t, lo, hi) !== (flip[t] === 1);
        const wantFlipU = forward(u, lo, hi) === effT;
        if (component[u] === -1) {
          component[u] = c;
          flip[u] = wantFlipU ? 1 : 0;
          members.push(u);
        } else if ((flip[u] === 1) !== wantFlipU) {
          conflicts++;
        }
      }
    }
    let n = 0;
    for (const t of members) n += flip[t]!;
    const invert = 2 * n > members.length;
    for (const t of members) {
      if ((flip[t] === 1) !== invert) {
        out[3 * t + 1] = indices[3 * t + 2]!;
        out[3 * t + 2] = indices[3 * t + 1]!;
        flipped++;
      }
    }
  }
  // Each conflicting edge is seen from both of its triangles.
  return { indices: out, component, components, flipped, conflicts: conflicts / 2, boundary };
}

interface Hole {
  edges: number;
  perimeter: number;
  /** Why it was not capped. */
  reason?: string;
}

/**
 * Whether the fan from the loop's centroid folds: every fan triangle must face the same
 * way as the loop's (Newell) normal, i.e. the loop is star-shaped from its centroid seen
 * along that normal. Returns the reason it folds, or undefined when it does not.
 */
function fanFolds(positions: Float32Array, loop: readonly number[], c: readonly number[]): string | undefined {
  let nx = 0, ny = 0, nz = 0;
  for (let i = 0; i < loop.length; i++) {
    const a = 3 * loop[i]!, b = 3 * loop[(i + 1) % loop.length]!;
    nx += (positions[a + 1]! - positions[b + 1]!) * (positions[a + 2]! + positions[b + 2]!);
    ny += (positions[a + 2]! - positions[b + 2]!) * (positions[a]! + positions[b]!);
    nz += (positions[a]! - positions[b]!) * (positions[a + 1]! + positions[b + 1]!);
  }
  if (Math.hypot(nx, ny, nz) === 0) return 'it encloses no area';
  for (let i = 0; i < loop.length; i++) {
    const a = 3 * loop[i]!, b = 3 * loop[(i + 1) % loop.length]!;
    const ux = positions[a]! - c[0]!, uy = positions[a + 1]! - c[1]!, uz = positions[a + 2]! - c[2]!;
    const vx = positions[b]! - c[0]!, vy = positions[b + 1]! - c[1]!, vz = positions[b + 2]! - c[2]!;
    const dot = (uy * vz - uz * vy) * nx + (uz * vx - ux * vz) * ny + (ux * vy - uy * vx) * nz;
    if (!(dot > 0)) return 'a cap from its centre would fold over itself (the opening is not star-shaped)';
  }
  return undefined;
}

/**
 * Closes boundary loops with a fan around their centroid: small holes always, larger
 * openings when `capOpenings` is set and the fan does not fold. Returns which pieces got an
 * opening capped (by one of their vertices), for the thickness check.
 */
function capHoles(
  positions: Float32Array,
  indices: Uint32Array,
  options: Required<RepairOptions>,
): { positions: Float32Array; indices: Uint32Array; capped: number; openings: Hole[]; openingVertices: number[]; refused: Hole[] } {
  const nv = positions.length / 3;
  const directed = new Set<number>();
  for (let t = 0; t < indices.length; t += 3) {
    for (let k = 0; k < 3; k++) directed.add(indices[t + k]! * nv + indices[t + ((k + 1) % 3)]!);
  }
  // A boundary edge a->b is one whose reverse no triangle walks.
  const next = new Map<number, number[]>();
  for (const key of directed) {
    const a = Math.floor(key / nv), b = key % nv;
    if (directed.has(b * nv + a)) continue;
    const list = next.get(a);
    if (list) list.push(b);
    else next.set(a, [b]);
  }
  if (next.size === 0) return { positions, indices, capped: 0, openings: [], openingVertices: [], refused: [] };
  const b = computeBounds({ positions, indices });
  const diagonal = Math.hypot(b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]);
  const dist = (u: number, v: number): number =>
    Math.hypot(positions[3 * u]! - positions[3 * v]!, positions[3 * u + 1]! - positions[3 * v + 1]!, positions[3 * u + 2]! - positions[3 * v + 2]!);
  const newPositions: number[] = Array.from(positions);
  const newIndices: number[] = Array.from(indices);
  const refused: Hole[] = [];
  const openings: Hole[] = [];
  const openingVertices: number[] = [];
  let capped = 0;
  for (const start of [...next.keys()]) {
    while ((next.get(start)?.length ?? 0) > 0) {
      const loop = [start];
      let cur = next.get(start)!.pop()!;
      let perimeter = dist(start, cur);
      let closed = true;
      while (cur !== start) {
        loop.push(cur);
        const outs = next.get(cur);
        if (!outs || outs.length === 0 || loop.length > nv) {
          closed = false;
          break;
        }
        const nxt = outs.pop()!;
        perimeter += dist(cur, nxt);
        cur = nxt;
      }
      if (!closed) {
        refused.push({ edges: loop.length, perimeter, reason: 'its boundary does not close into a loop' });
        continue;
      }
      let cx = 0, cy = 0, cz = 0;
      for (const v of loop) {
        cx += positions[3 * v]!;
        cy += positions[3 * v + 1]!;
        cz += positions[3 * v + 2]!;
      }
      const centre = [cx / loop.length, cy / loop.length, cz / loop.length];
      const small = loop.length <= options.maxHoleEdges && perimeter <= options.maxHolePerimeter * diagonal;
      if (!small) {
        const reason = !options.capOpenings
          ? `larger than a small hole (${options.maxHoleEdges} edges and ${options.maxHolePerimeter} of the size) and capping openings is off`
          : loop.length > options.maxOpeningEdges
            ? `more than ${options.maxOpeningEdges} edges`
            : fanFolds(positions, loop, centre);
        if (reason) {
          refused.push({ edges: loop.length, perimeter, reason });
          continue;
        }
        openings.push({ edges: loop.length, perimeter });
        openingVertices.push(loop[0]!);
      }
      if (loop.length === 3) {
        newIndices.push(loop[0]!, loop[2]!, loop[1]!);
      } else {
        const c = newPositions.length / 3;
        newPositions.push(centre[0]!, centre[1]!, centre[2]!);
        for (let i = 0; i < loop.length; i++) {
          const a = loop[i]!, bb = loop[(i + 1) % loop.length]!;
          newIndices.push(bb, a, c);
        }
      }
      if (small) capped++;
    }
  }
  return { positions: new Float32Array(newPositions), indices: Uint32Array.from(newIndices), capped, openings, openingVertices, refused };
}

/** Signed volume and area of each piece (by triangle piece index). */
function pieceMeasures(positions: Float32Array, indices: Uint32Array, component: Int32Array, pieces: number): { volume: Float64Array; area: Float64Array } {
  const volume = new Float64Array(pieces);
  const area = new Float64Array(pieces);
  for (let t = 0; t < indices.length / 3; t++) {
    const a = 3 * indices[3 * t]!, b = 3 * indices[3 * t + 1]!, c = 3 * indices[3 * t + 2]!;
    const ax = positions[a]!, ay = positions[a + 1]!, az = positions[a + 2]!;
    const bx = positions[b]!, by = positions[b + 1]!, bz = positions[b + 2]!;
    const cx = positions[c]!, cy = positions[c + 1]!, cz = positions[c + 2]!;
    const p = component[t]!;
    volume[p]! += (ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx)) / 6;
    const ux = bx - ax, uy = by - ay, uz = bz - az, vx = cx - ax, vy = cy - ay, vz = cz - az;
    area[p]! += 0.5 * Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
  }
  return { volume, area };
}

const mm = (m: number) => `${(m * 1000).toPrecision(3)} mm`;

/** Möller–Trumbore: does the ray from o along d cross triangle (a, b, c)? */
function rayHits(o: number[], d: number[], p: Float32Array, a: number, b: number, c: number): boolean {
  const ax = p[3 * a]!, ay = p[3 * a + 1]!, az = p[3 * a + 2]!;
  const e1x = p[3 * b]! - ax, e1y = p[3 * b + 1]! - ay, e1z = p[3 * b + 2]! - az;
  const e2x = p[3 * c]! - ax, e2y = p[3 * c + 1]! - ay, e2z = p[3 * c + 2]! - az;
  const px = d[1]! * e2z - d[2]! * e2y, py = d[2]! * e2x - d[0]! * e2z, pz = d[0]! * e2y - d[1]! * e2x;
  const det = e1x * px + e1y * py + e1z * pz;
  if (Math.abs(det) < 1e-18) return false;
  const inv = 1 / det;
  const tx = o[0]! - ax, ty = o[1]! - ay, tz = o[2]! - az;
  const u = (tx * px + ty * py + tz * pz) * inv;
  if (u < 0 || u > 1) return false;
  const qx = ty * e1z - tz * e1y, qy = tz * e1x - tx * e1z, qz = tx * e1y - ty * e1x;
  const v = (d[0]! * qx + d[1]! * qy + d[2]! * qz) * inv;
  if (v < 0 || u + v > 1) return false;
  return (e2x * qx + e2y * qy + e2z * qz) * inv > 0;
}

/** Skip the nesting test above this many ray-triangle tests (then every piece is made outward). */
const NESTING_BUDGET = 4e7;
/** Vertices per piece tested for being inside another piece. */
const NESTING_SAMPLES = 8;
/** An arbitrary direction, unlikely to graze edges of axis-aligned models. */
const RAY = [0.5773, 0.5801, 0.5746];

/**
 * Makes each piece outward, or inward when it lies entirely inside an odd number of
 * other pieces (a cavity, such as an egg's air cell, is written wound inward).
 * Pieces that merely intersect (a leg pushed into a body) count as outside.
 */
function orientPieces(positions: Float32Array, indices: Uint32Array, component: Int32Array, components: number): { indices: Uint32Array; flippedPieces: number } {
  const tris: number[][] = Array.from({ length: components }, () => []);
  for (let t = 0; t < component.length; t++) tris[component[t]!]!.push(t);
  const pieceMesh = (c: number): MeshData => {
    const idx = new Uint32Array(tris[c]!.length * 3);
    tris[c]!.forEach((t, i) => idx.set(indices.subarray(3 * t, 3 * t + 3), 3 * i));
    return { positions, indices: idx };
  };
  const nt = indices.length / 3;
  const testNesting = components > 1 && components * NESTING_SAMPLES * nt <= NESTING_BUDGET;
  const inside = (c: number, other: number): boolean => {
    const own = tris[c]!;
    const step = Math.max(1, Math.floor(own.length / NESTING_SAMPLES));
    for (let s = 0; s < own.length; s += step) {
      const v = indices[3 * own[s]!]!;
      const o = [positions[3 * v]!, positions[3 * v + 1]!, positions[3 * v + 2]!];
      let hits = 0;
      for (const t of tris[other]!) if (rayHits(o, RAY, positions, indices[3 * t]!, indices[3 * t + 1]!, indices[3 * t + 2]!)) hits++;
      if (hits % 2 === 0) return false;
    }
    return true;
  };
  const out = indices.slice();
  let flippedPieces = 0;
  for (let c = 0; c < components; c++) {
    let depth = 0;
    if (testNesting) for (let o = 0; o < components; o++) if (o !== c && inside(c, o)) depth++;
    const vol = signedVolume(pieceMesh(c));
    const wantPositive = depth % 2 === 0;
    if (vol !== 0 && vol > 0 !== wantPositive) {
      for (const t of tris[c]!) {
        out[3 * t + 1] = indices[3 * t + 2]!;
        out[3 * t + 2] = indices[3 * t + 1]!;
      }
      flippedPieces++;
    }
  }
  return { indices: out, flippedPieces };
}

/**
 * Repairs a welded mesh, or throws E_MESH_INVALID naming `name` (e.g. "file.glb:leg")
 * with what is still wrong and how to fix it in a modelling tool.
 */
export function repairMesh(mesh: MeshData, name: string, options: RepairOptions = {}): RepairResult {
  const opts = { ...REPAIR_DEFAULTS, ...options };
  const actions: string[] = [];
  const nv = mesh.positions.length / 3;
  const cleaned = dropRepeated(mesh.indices, nv);
  if (cleaned.collapsed > 0) actions.push(`dropped ${cleaned.collapsed} collapsed triangles (a repeated vertex)`);
  if (cleaned.duplicates > 0) actions.push(`dropped ${cleaned.duplicates} duplicate triangles (double-sided faces)`);
  if (cleaned.fins > 0) actions.push(`dropped ${cleaned.fins} zero-thickness fins (a triangle and its reverse)`);
  const oriented = orientConsistently(cleaned.indices, nv);
  if (oriented.flipped > 0) actions.push(`flipped ${oriented.flipped} triangles wound against their neighbours`);
  const holes = oriented.boundary > 0
    ? capHoles(mesh.positions, oriented.indices, opts)
    : { positions: mesh.positions, indices: oriented.indices, capped: 0, openings: [] as Hole[], openingVertices: [] as number[], refused: [] as Hole[] };
  if (holes.capped > 0) actions.push(`capped ${holes.capped} small holes`);
  if (holes.openings.length > 0) {
    const list = holes.openings.map((h) => `${h.edges} edges, perimeter ${mm(h.perimeter)}`).join('; ');
    actions.push(
      `capped ${holes.openings.length} opening${holes.openings.length === 1 ? '' : 's'} (${list}): the part was open there, as halves of a mirrored model or parts pressed into another often are; if it is meant as a thin shell, give it thickness in a modelling tool instead`,
    );
  }
  // Capping can join pieces' boundaries only to new centre vertices, so pieces stay as they were.
  const vertexPiece = new Int32Array(nv);
  for (let i = 0; i < oriented.indices.length; i++) vertexPiece[oriented.indices[i]!] = oriented.component[Math.floor(i / 3)]!;
  const component = new Int32Array(holes.indices.length / 3);
  component.set(oriented.component);
  for (let k = oriented.indices.length; k < holes.indices.length; k += 3) component[k / 3] = vertexPiece[holes.indices[k + 1]!]!;
  const pieces = orientPieces(holes.positions, holes.indices, component, oriented.components);
  if (pieces.flippedPieces > 0) {
    actions.push(pieces.flippedPieces === oriented.components ? 'turned the inside-out surface outward' : `turned ${pieces.flippedPieces} of ${oriented.components} inside-out pieces outward`);
  }
  if (holes.openings.length > 0) {
    // A capped sheet is closed but encloses (almost) nothing: refuse it rather than store it.
    const m = pieceMeasures(holes.positions, pieces.indices, component, oriented.components);
    for (const v of new Set(holes.openingVertices.map((v) => vertexPiece[v]!))) {
      const area = m.area[v]!, thickness = (3 * Math.abs(m.volume[v]!)) / area;
      if (thickness < MIN_THICKNESS_RATIO * Math.sqrt(area / Math.PI)) {
        throw new ExorayError(
          'E_MESH_INVALID',
          `Mesh "${name}" is an open sheet, not a volume: closing its opening encloses almost nothing (mean thickness ${thickness < 1e-9 ? '0 mm' : mm(thickness)} over a sheet of ${(area * 1e6 / 2).toPrecision(3)} mm2); give it thickness in a modelling tool (e.g. Blender: Solidify) or leave the part out.`,
        );
      }
    }
  }
  const repaired: MeshData = { positions: holes.positions, indices: pieces.indices };
  const report = validateClosedMesh(repaired, name);
  const problems = describeMeshProblems(report);
  if (problems.length > 0 || oriented.conflicts > 0) {
    const extra: string[] = [];
    if (holes.refused.length > 0) {
      const largest = holes.refused.reduce((m, h) => (h.edges > m.edges ? h : m));
      extra.push(
        `${holes.refused.length} holes that cannot be capped (largest: ${largest.edges} edges, perimeter ${mm(largest.perimeter)}: ${largest.reason}); close them in a modelling tool (e.g. Blender: Select > All by Trait > Non Manifold, then Face > Fill)`,
      );
    }
    if (oriented.conflicts > 0) extra.push(`${oriented.conflicts} edges where no consistent winding exists (a one-sided, Möbius-like surface)`);
    throw new ExorayError(
      'E_MESH_INVALID',
      `Mesh "${name}" cannot be made a closed outward-facing volume: ${[...problems, ...extra].join('; ')}.`,
    );
  }
  return { mesh: repaired, actions, report };
}
