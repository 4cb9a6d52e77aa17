/**
 * Turns a SceneDescription into the compact request the render page executes.
 * Pure: no browser, no files. The page only sees matrices, shapes and channel
 * numbers, so everything that decides the image stays testable here.
 */
import type { Quat, SceneDescription, ScannerSettings, Shape, Vec3 } from '../core/types.js';
import { ExorayError } from '../core/errors.js';

/** Column-major 4x4 matrix, as three.js Matrix4.elements. */
export type Mat4 = number[];

export interface RenderPart {
  shape: Shape;
  /** L-buffer channel of the part's material; -1 for asset parts (the page maps the model's material names). */
  channel: number;
  /** Local transform of the part inside its object. */
  matrix: Mat4;
}

export interface RenderObject {
  id: string;
  matrix: Mat4;
  parts: RenderPart[];
  /** Index of this object's instance mask, or -1 when it gets no mask (clutter, container). */
  maskIndex: number;
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
   * Linear attenuation (1/cm) per channel: when given, the page applies Beer-Lambert
   * and returns a 16-bit transmission image instead of the (much larger) L-buffer.
   */
  mu?: number[];
  /** Return the per-material path lengths too (tests, analysis). */
  pathLengths?: boolean;
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

/**
 * Builds the request. `assetMaterials(assetId)` names the materials an asset's
 * parts use, so their channels are allocated before the page sees them.
 */
export function buildRenderRequest(
  scene: SceneDescription,
  assetMaterials: (assetId: string) => readonly string[],
): RenderRequest {
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
      return {
        shape: part.shape,
        channel,
        matrix: composeMatrix(part.offset ?? ZERO, part.rotation ?? IDENTITY_QUAT, 1),
      };
    });
    return {
      id: obj.id,
      matrix: composeMatrix(obj.position, obj.quaternion, obj.scale),
      parts,
      maskIndex: obj.role === 'animal' ? maskCount++ : -1,
    };
  });
  if (materials.length > MAX_MATERIAL_CHANNELS) {
    throw new ExorayError(
      'E_SCENE',
      `render: the scene uses ${materials.length} materials but one pass holds at most ${MAX_MATERIAL_CHANNELS}; ` +
        `merge similar materials in the preset.`,
    );
  }
  const s = scene.scanner;
  return {
    width: s.width,
    height: s.height,
    camera: {
      geometry: s.geometry,
      fieldWidth: s.fieldWidth,
      fieldDepth: s.fieldDepth,
      sourceHeight: s.sourceHeight,
      detectorHeight: s.detectorHeight,
    },
    materials,
    objects,
    maskCount,
  };
}
