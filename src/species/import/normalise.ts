/**
 * Puts an imported model in exoray's frame: metres, +Y up, body length along Z, scaled to
 * the declared real size, the bounding box centred on the origin. The catalog measures a
 * species along Z (modelLengthMm), so a model lying along X is turned a quarter about Y.
 * Pure code.
 */
import type { MeshData } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';
import { boundsOf, transformMesh } from '../../geometry/mesh.js';

export const UNIT_METRES = { m: 1, cm: 0.01, mm: 0.001, in: 0.0254 } as const;
export type SourceUnit = keyof typeof UNIT_METRES;

export interface NormaliseOptions {
  /** The model's up axis. glTF says +Y; many scans and CAD exports use +Z. */
  up: 'y' | 'z';
  /** Unit of the source coordinates (glTF says metres); ignored when sizeMm is given. */
  unit: SourceUnit;
  /** Declared real size: the model is scaled so its length along Z is the middle of the range. */
  sizeMm?: { min: number; max: number };
}

export interface Normalised {
  meshes: MeshData[];
  /** The column-major matrix applied to every mesh. */
  matrix: number[];
  /** Length along Z after normalising, in mm. */
  lengthMm: number;
  /** Extents after normalising (x, y, z) in mm. */
  extentMm: [number, number, number];
  /** What was done, one line each, for the report. */
  steps: string[];
}

/** Column-major product a * b. */
function mul(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(16).fill(0);
  for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) out[c * 4 + r]! += a[k * 4 + r]! * b[c * 4 + k]!;
  return out;
}

// Rotation of -90 degrees about X: +Z up becomes +Y up (y' = z, z' = -y).
const Z_UP_TO_Y_UP = [1, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1];
// Rotation of +90 degrees about Y: X onto -Z and Z onto +X (x' = z, z' = -x).
const X_ALONG_Z = [0, 0, -1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1];

function extent(meshes: readonly MeshData[]): [number, number, number] {
  const b = boundsOf(meshes);
  return [b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]];
}

export function normaliseModel(meshes: readonly MeshData[], options: NormaliseOptions, file: string): Normalised {
  const steps: string[] = [];
  let matrix = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  if (options.up === 'z') {
    matrix = Z_UP_TO_Y_UP;
    steps.push('rotated +Z up to +Y up');
  }
  let current = meshes.map((m) => transformMesh(m, matrix));
  let [ex, , ez] = extent(current);
  if (!(ex > 0 || ez > 0) || !Number.isFinite(ex + ez)) {
    throw new ExorayError('E_ASSET', `Model file ${file}: its geometry has no extent (all vertices at one point, or non-finite coordinates)`);
  }
  if (ex > ez) {
    matrix = mul(X_ALONG_Z, matrix);
    steps.push('turned a quarter about Y so the body length (the longer horizontal extent, along X) lies along Z');
    [ex, ez] = [ez, ex];
  }
  let scale: number;
  if (options.sizeMm) {
    const targetMm = (options.sizeMm.min + options.sizeMm.max) / 2;
    scale = targetMm / 1000 / ez;
    steps.push(`scaled by ${scale.toPrecision(4)} to the declared size (length along Z ${targetMm} mm, the middle of ${options.sizeMm.min}-${options.sizeMm.max} mm)`);
  } else {
    scale = UNIT_METRES[options.unit];
    if (scale !== 1) steps.push(`scaled by ${scale} (source unit ${options.unit} to metres)`);
  }
  matrix = mul([scale, 0, 0, 0, 0, scale, 0, 0, 0, 0, scale, 0, 0, 0, 0, 1], matrix);
  current = meshes.map((m) => transformMesh(m, matrix));
  const b = boundsOf(current);
  const centre = [0, 1, 2].map((k) => (b.min[k]! + b.max[k]!) / 2);
  matrix = mul([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -centre[0]!, -centre[1]!, -centre[2]!, 1], matrix);
  steps.push('moved the bounding-box centre to the origin');
  const out = meshes.map((m) => transformMesh(m, matrix));
  const e = extent(out);
  const extentMm = e.map((v) => Math.round(v * 1e6) / 1e3) as [number, number, number];
  return { meshes: out, matrix, lengthMm: extentMm[2], extentMm, steps };
}
