/**
 * The optical (visible-light) render of a scene, as the page executes it: the
 * same objects and matrices as the X-ray request, plus a colour per material,
 * which objects are the container (to cut away), and the camera. Pure.
 */
import { ExorayError } from '../core/errors.js';
import type { SceneDescription } from '../core/types.js';
import { OPTICAL_BACKGROUND, opticalLook, type OpticalLook } from './optical-colours.js';
import { buildRenderRequest, type RenderRequest } from './request.js';

export type OpticalView = 'top' | 'perspective';

export interface OpticalOptions {
  /** Image size in pixels (default: the scanner's). */
  width?: number;
  height?: number;
  /**
   * 'top': straight down, framed like the scanner's top view, so it lines up
   * with the X-ray image; 'perspective': from above and in front (default 'top').
   */
  view?: OpticalView;
  /** Cut the container's top away so its contents show (default true). */
  cutaway?: boolean;
}

export interface OpticalRequest {
  width: number;
  height: number;
  view: OpticalView;
  cutaway: boolean;
  /** Objects, materials and the scanner's top-view camera, exactly as the X-ray passes get them. */
  scene: RenderRequest;
  /** Look of each material channel (scene.materials[i] -> looks[i]). */
  looks: OpticalLook[];
  /** Indices into scene.objects of the objects that make up the container. */
  containers: number[];
  background: [number, number, number];
}

/** Largest side the optical render accepts: a 4096 x 4096 RGBA image is 64 MiB through the page. */
export const MAX_OPTICAL_SIZE = 4096;

function checkSize(what: string, v: number): number {
  if (!Number.isInteger(v) || v < 1 || v > MAX_OPTICAL_SIZE) {
    throw new ExorayError('E_USAGE', `optical render: ${what} must be a whole number of pixels from 1 to ${MAX_OPTICAL_SIZE}, got ${v}`);
  }
  return v;
}

export function buildOpticalRequest(
  scene: SceneDescription,
  assetMaterials: (assetId: string) => readonly string[],
  options: OpticalOptions = {},
): OpticalRequest {
  const view = options.view ?? 'top';
  if (view !== 'top' && view !== 'perspective') {
    throw new ExorayError('E_USAGE', `optical render: view must be "top" or "perspective", got "${String(view)}"`);
  }
  const req = buildRenderRequest(scene, assetMaterials, 'top');
  const width = checkSize('width', options.width ?? scene.scanner.width);
  const height = checkSize('height', options.height ?? scene.scanner.height);
  return {
    width,
    height,
    view,
    cutaway: options.cutaway ?? true,
    scene: { ...req, width, height },
    looks: req.materials.map(opticalLook),
    containers: scene.objects.flatMap((o, i) => (o.role === 'container' ? [i] : [])),
    background: OPTICAL_BACKGROUND,
  };
}
