/**
 * Turns a SceneDescription into the compact request the render page executes.
 * Pure: no browser, no files. The page only sees matrices, shapes and channel
 * numbers, so everything that decides the image stays testable here.
 */
import type { Quat, SceneDescription, ScannerSettings, Shape, Vec3, ViewGeometry, ViewName } from '../core/types.js';
import { ExorayError } from '../core/errors.js';

/** Column-major 4x4 matrix, as three.js Matrix4.elements. */
export type Mat4 = number[];

export interface RenderPart {
  shape: Shape;
  /** L-buffer channel of the part's material; -1 for asset parts (the page maps the model's material names). */
  channel: number;
  /** Local transform of the part inside its object. */
  matrix: Mat4;
  /** Scale of the material's density (squashed cloth); absent: 1. The page weights the part's path length by it. */
  density?: number;
}

export interface RenderObject {
  id: string;
  matrix: Mat4;
  parts: RenderPart[];
  /** Index of this object's instance mask, or -1 when it gets no mask (clutter, container). */
  maskIndex: number;
  /**
   * The pose of its asset model: joint rotations relative to rest (4 numbers per joint,
   * flat) and morph weights per part. The page skins the resident rest geometry with them.
   */
  pose?: { joints: number[]; morphWeights?: number[][] };
}

export interface RenderCamera {
  geometry: ScannerSettings['geometry'];
  fieldWidth: number;
  fieldDepth: number;
  sourceHeight: number;
  detectorHeight: number;
}

export interface RenderRequest {
  width: number;
  height: number;
  camera: RenderCamera;
  /** Material id per L-buffer channel (channel i -> materials[i]). */
  materials: string[];
  objects: RenderObject[];
  /** Number of instance masks requested (objects with maskIndex >= 0). */
  maskCount: number;
  /**
   * When given, the page computes low- and high-energy transmission on the GPU
   * and returns them as 16-bit images instead of the (much larger) L-buffer.
   */
  spectral?: SpectralRequest;
  /** Return the per-material path lengths too (tests, analysis). */
  pathLengths?: boolean;
  /**
   * Linear attenuation (1/cm) per channel at one effective energy: when given, the
   * page measures for each labelled instance how much of the attenuation along its
   * mask is its own (the visibility score).
   */
  visibilityMu?: number[];
}

/** The energy bins the page integrates over. */
export interface SpectralRequest {
  bins: number;
  /** Linear attenuation, 1/cm, channel-major: mu[channel * bins + bin]. */
  mu: number[];
  /** Weight of each bin in the low- and high-energy signal (each sums to 1). */
  low: number[];
  high: number[];
  /**
   * When every material of the request fits the scanner's spectral basis: the
   * page computes transmission from a table over the basis line integrals
   * instead of summing the bins (src/xray/spectral-lut.ts), several times faster.
   */
  table?: SpectralTableRequest;
}

/** What the page needs to build (once per key) and apply the transmission table. */
export interface SpectralTableRequest {
  /** Identifies size, extent, rows and the weights: the page caches the table under it. */
  key: string;
  size: number;
  extent: [number, number];
  /** Basis functions, row-major: rows[k * bins + bin] (4 rows). */
  rows: number[];
  /** Basis coefficients, channel-major: coefficients[channel * 4 + k]. */
  coefficients: number[];
}

/** One geometry pass writes at most 8 RGBA float targets. */
export const MAX_MATERIAL_CHANNELS = 32;

export function composeMatrix(position: Vec3, quaternion: Quat, scale: number): Mat4 {
  const [x, y, z, w] = quaternion;
  const x2 = x + x, y2 = y + y, z2 = z + z;
  const xx = x * x2, xy = x * y2, xz = x * z2;
  const yy = y * y2, yz = y * z2, zz = z * z2;
  const wx = w * x2, wy = w * y2, wz = w * z2;
  const s = scale;
  return [
    (1 - (yy + zz)) * s, (xy + wz) * s, (xz - wy) * s, 0,
    (xy - wz) * s, (1 - (xx + zz)) * s, (yz + wx) * s, 0,
    (xz + wy) * s, (yz - wx) * s, (1 - (xx + yy)) * s, 0,
    position[0], position[1], position[2], 1,
  ];
}

const IDENTITY_QUAT: Quat = [0, 0, 0, 1];
const ZERO: Vec3 = [0, 0, 0];

function multiply(a: Mat4, b: Mat4): Mat4 {
  const out = new Array<number>(16).fill(0);
  for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) out[c * 4 + r]! += a[k * 4 + r]! * b[c * 4 + k]!;
  return out;
}

/**
 * World to view frame. The top view is the world itself (beam along -Y). The
 * side view turns the world a quarter about the belt axis so that the side
 * source (on +X) is "above", and centres the view's axis at `axisHeight`.
 */
export function viewTransform(scanner: ScannerSettings, view: ViewName): { matrix: Mat4 | null; geometry: ViewGeometry } {
  if (view === 'top') return { matrix: null, geometry: scanner };
  if (!scanner.side) {
    throw new ExorayError('E_SCENE', 'render: the side view was asked for but the scanner has no side geometry; add "side" to scanner.views in the preset.');
  }
  // (x, y, z) -> (axisHeight - y, x, z): +X (the side source) becomes up.
  const h = scanner.side.axisHeight;
  return { matrix: [0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0, h, 0, 0, 1], geometry: scanner.side };
}

/**
 * Builds the request. `assetMaterials(assetId)` names the materials an asset's
 * parts use, so their channels are allocated before the page sees them.
 */
export function buildRenderRequest(
  scene: SceneDescription,
  assetMaterials: (assetId: string) => readonly string[],
  view: ViewName = 'top',
): RenderRequest {
  const { matrix: viewMatrix, geometry } = viewTransform(scene.scanner, view);
  const materials: string[] = [];
  const channelOf = (id: string): number => {
    let c = materials.indexOf(id);
    if (c < 0) {
      c = materials.length;
      materials.push(id);
    }
    return c;
  };
  let maskCount = 0;
  const objects: RenderObject[] = scene.objects.map((obj) => {
    const parts: RenderPart[] = obj.parts.map((part) => {
      let channel = -1;
      if (part.shape.type === 'asset') {
        for (const m of assetMaterials(part.shape.asset)) channelOf(m);
      } else {
        channel = channelOf(part.material);
      }
      const out: RenderPart = {
        shape: part.shape,
        channel,
        matrix: composeMatrix(part.offset ?? ZERO, part.rotation ?? IDENTITY_QUAT, 1),
      };
      if (part.density !== undefined && part.density !== 1) out.density = part.density;
      return out;
    });
    const out: RenderObject = {
      id: obj.id,
      matrix: viewMatrix ? multiply(viewMatrix, composeMatrix(obj.position, obj.quaternion, obj.scale)) : composeMatrix(obj.position, obj.quaternion, obj.scale),
      parts,
      maskIndex: obj.role === 'animal' ? maskCount++ : -1,
    };
    if (obj.pose) {
      out.pose = { joints: obj.pose.joints.flat() };
      if (obj.pose.morphWeights) out.pose.morphWeights = obj.pose.morphWeights;
    }
    return out;
  });
  if (materials.length > MAX_MATERIAL_CHANNELS) {
    throw new ExorayError(
      'E_SCENE',
      `render: the scene uses ${materials.length} materials but one pass holds at most ${MAX_MATERIAL_CHANNELS}; ` +
        `merge similar materials in the preset.`,
    );
  }
  const g = geometry;
  return {
    width: g.width,
    height: g.height,
    camera: {
      geometry: scene.scanner.geometry,
      fieldWidth: g.fieldWidth,
      fieldDepth: g.fieldDepth,
      sourceHeight: g.sourceHeight,
      detectorHeight: g.detectorHeight,
    },
    materials,
    objects,
    maskCount,
  };
}
