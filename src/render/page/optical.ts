/**
 * The optical render inside the page: the scene's meshes (built by the same
 * scene builder as the X-ray passes) drawn lit and shaded, one colour per
 * material, into a multisampled sRGB target, with the container's top cut away
 * so its contents show. Returns packed RGB bytes, row 0 = top.
 */
import * as THREE from 'three';
import type { OpticalLook } from '../optical-colours.js';
import type { OpticalRequest } from '../optical-request.js';
import { bytesToBase64 } from './base64.js';
import { buildScene, type AssetModel, type BuiltScene } from './scene-builder.js';

export interface PageOpticalResult {
  width: number;
  height: number;
  /** base64 of Uint8Array(width * height * 3), sRGB, row 0 = top. */
  rgb: string;
  ms: number;
}

/** MSAA samples: edges antialiased in one pass, deterministic in SwiftShader as on a GPU. */
const SAMPLES = 4;
/** Share of the container's height removed from the top by the cutaway (lid, flaps and upper walls). */
const CUT_FRACTION = 0.2;
/** Vertical field of view of the perspective view, degrees. */
const PERSPECTIVE_FOV = 30;
/** Direction from the scene to the perspective camera: above, in front (+Z, the image's bottom edge) and a little to the right. */
const PERSPECTIVE_DIRECTION = new THREE.Vector3(0.3, 1.6, 1).normalize();

export class OpticalPass {
  private target: THREE.WebGLRenderTarget | null = null;
  private readonly materials = new Map<string, THREE.MeshPhongMaterial>();
  private readonly cutPlane = new THREE.Plane(new THREE.Vector3(0, -1, 0), 0);
  private readonly fanSpan = { value: 1 };

  constructor(private readonly renderer: THREE.WebGLRenderer) {}

  render(req: OpticalRequest, assets: ReadonlyMap<string, AssetModel>): PageOpticalResult {
    const t0 = performance.now();
    const { width, height } = req;
    const built = buildScene(req.scene, assets);
    const clipping = this.renderer.localClippingEnabled;
    try {
      const bounds = new THREE.Box3();
      for (const b of built.meshes) bounds.expandByObject(b.mesh);
      this.applyMaterials(req, built);
      this.addLights(built.scene);
      const camera = req.view === 'perspective' ? perspectiveCamera(bounds, width / height) : topCamera(req);
      this.target = this.ensureTarget(width, height);
      this.renderer.localClippingEnabled = true;
      this.renderer.setRenderTarget(this.target);
      this.renderer.setClearColor(new THREE.Color().setRGB(...srgb(req.background), THREE.SRGBColorSpace), 1);
      this.renderer.clear(true, true, false);
      this.renderer.render(built.scene, camera);
      const rgba = new Uint8Array(width * height * 4);
      this.renderer.readRenderTargetPixels(this.target, 0, 0, width, height, rgba);
      const rgb = new Uint8Array(width * height * 3);
      for (let y = 0; y < height; y++) {
        const src = (height - 1 - y) * width * 4; // WebGL reads bottom row first
        const dst = y * width * 3;
        for (let x = 0; x < width; x++) {
          rgb[dst + 3 * x] = rgba[src + 4 * x]!;
          rgb[dst + 3 * x + 1] = rgba[src + 4 * x + 1]!;
          rgb[dst + 3 * x + 2] = rgba[src + 4 * x + 2]!;
        }
      }
      return { width, height, rgb: bytesToBase64(rgb), ms: performance.now() - t0 };
    } finally {
      this.renderer.localClippingEnabled = clipping;
      built.dispose();
    }
  }

  private ensureTarget(width: number, height: number): THREE.WebGLRenderTarget {
    if (this.target && this.target.width === width && this.target.height === height) return this.target;
    this.target?.dispose();
    return new THREE.WebGLRenderTarget(width, height, {
      samples: SAMPLES,
      type: THREE.UnsignedByteType,
      format: THREE.RGBAFormat,
      // An sRGB target: lighting is computed linear and stored encoded, so readback gives display colours.
      colorSpace: THREE.SRGBColorSpace,
      depthBuffer: true,
      stencilBuffer: false,
      generateMipmaps: false,
    });
  }

  /** The material of each mesh: its look; the container's also get the cutaway plane and show both faces. */
  private applyMaterials(req: OpticalRequest, built: BuiltScene): void {
    const containers = new Set(req.containers);
    const c = req.scene.camera;
    const fan = req.view === 'top' && c.geometry === 'fan';
    this.fanSpan.value = c.sourceHeight - c.detectorHeight;
    const cut = req.cutaway && containers.size > 0;
    if (cut) {
      const box = new THREE.Box3();
      for (const b of built.meshes) if (containers.has(b.object)) box.expandByObject(b.mesh);
      // Keeps y <= cut: the plane's distance, -y + cut, is negative above it.
      this.cutPlane.constant = box.max.y - CUT_FRACTION * (box.max.y - box.min.y);
    }
    for (const b of built.meshes) {
      b.mesh.visible = true;
      b.mesh.material = this.material(req.looks[b.channel]!, cut && containers.has(b.object), fan);
    }
  }

  /**
   * Materials are kept between images: a disposed material takes its compiled
   * program with it, and compiling Phong shaders costs more than drawing a parcel.
   * The cut plane and the fan span are shared objects updated per image.
   */
  private material(look: OpticalLook, clipped: boolean, fan: boolean): THREE.MeshPhongMaterial {
    const key = JSON.stringify([look, clipped, fan]);
    let m = this.materials.get(key);
    if (!m) {
      m = phong(look, fan ? this.fanSpan : null);
      if (clipped) {
        m.clippingPlanes = [this.cutPlane];
        // Through the cut one looks at the walls' inner faces and their cut edges.
        m.side = THREE.DoubleSide;
      }
      this.materials.set(key, m);
    }
    return m;
  }

  private addLights(scene: THREE.Scene): void {
    scene.add(new THREE.HemisphereLight(0xffffff, 0x707070, 1.6));
    // A key light from above, front and left: faces turned towards it are lit, the others shaded.
    const key = new THREE.DirectionalLight(0xffffff, 1.6);
    key.position.set(-0.6, 2, 0.9);
    scene.add(key);
    scene.add(key.target);
  }
}

function srgb(rgb: readonly number[]): [number, number, number] {
  return [rgb[0]! / 255, rgb[1]! / 255, rgb[2]! / 255];
}

/**
 * A material of one look. With `fanSpan` (source to detector, for a line
 * scanner's top view) vertices are projected as the fan beam does: perspective
 * across the detector line, parallel along the belt, so the picture lines up
 * with the X-ray image (where the X-ray passes are exact per pixel, this is
 * exact at the vertices, which is plenty for a picture).
 */
function phong(look: OpticalLook, fanSpan: { value: number } | null): THREE.MeshPhongMaterial {
  const transparent = look.opacity < 1;
  const material = new THREE.MeshPhongMaterial({
    color: new THREE.Color().setRGB(...srgb(look.rgb), THREE.SRGBColorSpace),
    shininess: Math.max(1, look.shininess),
    specular: new THREE.Color(look.shininess > 20 ? 0x555555 : 0x111111),
    // Meshes carry positions only; flat shading takes normals from screen-space derivatives.
    flatShading: true,
    transparent,
    opacity: look.opacity,
    depthWrite: !transparent,
  });
  if (fanSpan !== null) {
    material.onBeforeCompile = (shader) => {
      shader.uniforms.uFanSpan = fanSpan;
      // The orthographic camera spans the field on the detector plane; a point at depth d from the source lands at x * span / d there.
      shader.vertexShader = `uniform float uFanSpan;\n${shader.vertexShader}`.replace(
        '#include <project_vertex>',
        '#include <project_vertex>\n\tgl_Position.x *= uFanSpan / max(-mvPosition.z, 1e-6);',
      );
    };
    material.customProgramCacheKey = () => 'exoray-fan';
  }
  return material;
}

/** Straight down over the scanner's field (as wide as the image's aspect needs), so it lines up with the X-ray top view. */
function topCamera(req: OpticalRequest): THREE.Camera {
  const c = req.scene.camera;
  const aspect = req.width / req.height;
  let fieldWidth = c.fieldWidth;
  let fieldDepth = c.fieldDepth;
  if (fieldWidth / fieldDepth < aspect) fieldWidth = fieldDepth * aspect;
  else fieldDepth = fieldWidth / aspect;
  const span = c.sourceHeight - c.detectorHeight;
  const camera =
    c.geometry === 'cone'
      ? new THREE.PerspectiveCamera((2 * Math.atan(fieldDepth / 2 / span) * 180) / Math.PI, aspect, 1e-3, span + 1)
      : new THREE.OrthographicCamera(-fieldWidth / 2, fieldWidth / 2, fieldDepth / 2, -fieldDepth / 2, 1e-4, span + 1);
  camera.position.set(0, c.sourceHeight, 0);
  // As in the X-ray passes: image rows run along +Z, columns along +X.
  camera.up.set(0, 0, -1);
  camera.lookAt(0, 0, 0);
  camera.updateMatrixWorld(true);
  return camera;
}

/** From above and in front, far enough that the scene's bounding sphere fills the frame. */
function perspectiveCamera(bounds: THREE.Box3, aspect: number): THREE.Camera {
  const sphere = bounds.isEmpty() ? new THREE.Sphere(new THREE.Vector3(), 0.1) : bounds.getBoundingSphere(new THREE.Sphere());
  const radius = Math.max(sphere.radius, 1e-3);
  const vertical = (PERSPECTIVE_FOV * Math.PI) / 180;
  const horizontal = 2 * Math.atan(Math.tan(vertical / 2) * aspect);
  const distance = (radius / Math.sin(Math.min(vertical, horizontal) / 2)) * 1.02;
  const camera = new THREE.PerspectiveCamera(PERSPECTIVE_FOV, aspect, Math.max(distance - 2 * radius, distance * 1e-3), distance + 2 * radius);
  camera.position.copy(sphere.center).addScaledVector(PERSPECTIVE_DIRECTION, distance);
  camera.up.set(0, 1, 0);
  camera.lookAt(sphere.center);
  camera.updateMatrixWorld(true);
  return camera;
}
