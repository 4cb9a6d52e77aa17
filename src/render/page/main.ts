/**
 * The render page: runs inside headless Chromium, bundled by esbuild at build time.
 *
 * It computes, for every pixel, the path length of the ray through each material
 * (the L-buffer): every closed mesh adds +distance on back faces and -distance on
 * front faces into float render targets with additive blending, one channel per
 * material, all materials in one geometry pass through multiple render targets.
 * A second pass writes amodal instance masks (MAX blending) for labelled objects.
 * Results leave the page as base64 of raw typed arrays, never as JSON numbers.
 */
import * as THREE from 'three';
import { shapeToMesh } from '../../geometry/primitives.js';
import type { RenderRequest, RenderObject } from '../request.js';
import type { Shape } from '../../core/types.js';
import { fullscreenVertex, lbufferFragment, lbufferVertex, maskFragment, transmissionFragment } from './shaders.js';
import { bytesToBase64, base64ToBytes } from './base64.js';

interface AssetPartData {
  name: string;
  material: string;
  positions: string;
  indices: string;
}

interface LoadedAssetPart {
  material: string;
  geometry: THREE.BufferGeometry;
}

export interface PageRenderResult {
  width: number;
  height: number;
  /** Number of material channels in `pathLengths` (planar, row 0 = top). */
  channels: number;
  /** base64 of Float32Array(channels * width * height), centimetres; only when the request asks for path lengths. */
  pathLengths: string | null;
  /** base64 of Uint16Array(width * height), transmission * 65535, row 0 = top; only when the request gives mu. */
  transmission: string | null;
  /** Bytes of mask bits per pixel (8 instances a byte). */
  maskBytes: number;
  /** base64 of Uint8Array(maskBytes * width * height): bit i of plane b = instance 8b+i covers the pixel. */
  masks: string;
  timings: { geometryMs: number; readbackMs: number; maskMs: number; encodeMs: number };
}

const MAX_TARGETS = 8;

class RenderPage {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly gl: WebGL2RenderingContext;
  private readonly assets = new Map<string, LoadedAssetPart[]>();
  private readonly lbufMaterials = new Map<string, THREE.RawShaderMaterial>();
  private readonly maskMaterials = new Map<string, THREE.RawShaderMaterial>();
  private lbufTarget: THREE.WebGLRenderTarget | null = null;
  private maskTarget: THREE.WebGLRenderTarget | null = null;
  private physTarget: THREE.WebGLRenderTarget | null = null;
  private readonly transmissionMaterials = new Map<number, THREE.RawShaderMaterial>();
  private readonly quad = new THREE.Mesh(new THREE.PlaneGeometry(2, 2));
  private readonly quadScene = new THREE.Scene();
  private readonly quadCamera = new THREE.OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private readonly maxDrawBuffers: number;

  constructor() {
    const canvas = document.createElement('canvas');
    canvas.width = 1;
    canvas.height = 1;
    const gl = canvas.getContext('webgl2', { antialias: false, depth: false, stencil: false, alpha: false });
    if (!gl) throw new Error('E_WEBGL_UNSUPPORTED: WebGL2 is not available in this browser');
    for (const ext of ['EXT_color_buffer_float', 'EXT_float_blend']) {
      if (!gl.getExtension(ext)) throw new Error(`E_WEBGL_UNSUPPORTED: the WebGL2 extension ${ext} is missing`);
    }
    this.gl = gl;
    this.renderer = new THREE.WebGLRenderer({ canvas, context: gl, antialias: false });
    this.renderer.autoClear = false;
    this.renderer.sortObjects = false;
    this.maxDrawBuffers = gl.getParameter(gl.MAX_DRAW_BUFFERS) as number;
    this.quad.frustumCulled = false;
    this.quadScene.add(this.quad);
  }

  info(): Record<string, unknown> {
    const dbg = this.gl.getExtension('WEBGL_debug_renderer_info');
    return {
      maxDrawBuffers: this.maxDrawBuffers,
      renderer: dbg ? this.gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : this.gl.getParameter(this.gl.RENDERER),
      vendor: dbg ? this.gl.getParameter(dbg.UNMASKED_VENDOR_WEBGL) : this.gl.getParameter(this.gl.VENDOR),
      assets: [...this.assets.keys()],
    };
  }

  hasAsset(id: string): boolean {
    return this.assets.has(id);
  }

  loadAsset(id: string, parts: AssetPartData[]): void {
    const loaded = parts.map((p) => {
      const pos = base64ToBytes(p.positions);
      const idx = base64ToBytes(p.indices);
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(pos.buffer, pos.byteOffset, pos.byteLength / 4), 3));
      geometry.setIndex(new THREE.BufferAttribute(new Uint32Array(idx.buffer, idx.byteOffset, idx.byteLength / 4), 1));
      return { material: p.material, geometry };
    });
    const old = this.assets.get(id);
    old?.forEach((p) => p.geometry.dispose());
    this.assets.set(id, loaded);
  }

  private targetCount(channels: number): number {
    return Math.max(1, Math.ceil(channels / 4));
  }

  private lbufMaterial(targets: number, channel: number, parallel: boolean): THREE.RawShaderMaterial {
    const key = `${targets}:${channel}:${parallel}`;
    let m = this.lbufMaterials.get(key);
    if (!m) {
      const mask = [0, 0, 0, 0];
      mask[channel % 4] = 1;
      m = new THREE.RawShaderMaterial({
        glslVersion: THREE.GLSL3,
        vertexShader: lbufferVertex,
        fragmentShader: lbufferFragment(targets, Math.floor(channel / 4), parallel),
        uniforms: {
          uChannelMask: { value: new THREE.Vector4(...mask) },
          uReference: { value: 0 },
        },
        side: THREE.DoubleSide,
        depthTest: false,
        depthWrite: false,
        blending: THREE.CustomBlending,
        blendEquation: THREE.AddEquation,
        blendSrc: THREE.OneFactor,
        blendDst: THREE.OneFactor,
        blendEquationAlpha: THREE.AddEquation,
        blendSrcAlpha: THREE.OneFactor,
        blendDstAlpha: THREE.OneFactor,
      });
      this.lbufMaterials.set(key, m);
    }
    return m;
  }

  private maskMaterial(targets: number, instance: number): THREE.RawShaderMaterial {
    const key = `${targets}:${instance}`;
    let m = this.maskMaterials.get(key);
    if (!m) {
      const mask = [0, 0, 0, 0];
      mask[instance % 4] = 1;
      m = new THREE.RawShaderMaterial({
        glslVersion: THREE.GLSL3,
        vertexShader: lbufferVertex,
        fragmentShader: maskFragment(targets, Math.floor(instance / 4)),
        uniforms: { uChannelMask: { value: new THREE.Vector4(...mask) } },
        side: THREE.DoubleSide,
        depthTest: false,
        depthWrite: false,
        blending: THREE.CustomBlending,
        blendEquation: THREE.MaxEquation,
        blendSrc: THREE.OneFactor,
        blendDst: THREE.OneFactor,
        blendEquationAlpha: THREE.MaxEquation,
        blendSrcAlpha: THREE.OneFactor,
        blendDstAlpha: THREE.OneFactor,
      });
      this.maskMaterials.set(key, m);
    }
    return m;
  }

  private ensureTarget(
    current: THREE.WebGLRenderTarget | null,
    width: number,
    height: number,
    count: number,
    type: THREE.TextureDataType,
  ): THREE.WebGLRenderTarget {
    if (current && current.width === width && current.height === height && current.textures.length === count) return current;
    current?.dispose();
    return new THREE.WebGLRenderTarget(width, height, {
      count,
      type,
      format: THREE.RGBAFormat,
      depthBuffer: false,
      stencilBuffer: false,
      minFilter: THREE.NearestFilter,
      magFilter: THREE.NearestFilter,
      generateMipmaps: false,
    });
  }

  private camera(req: RenderRequest): { camera: THREE.Camera; reference: number } {
    const c = req.camera;
    const span = c.sourceHeight - c.detectorHeight;
    let camera: THREE.Camera;
    if (c.geometry === 'parallel') {
      camera = new THREE.OrthographicCamera(-c.fieldWidth / 2, c.fieldWidth / 2, c.fieldDepth / 2, -c.fieldDepth / 2, 1e-4, span + 1);
    } else {
      const fov = (2 * Math.atan(c.fieldDepth / 2 / span) * 180) / Math.PI;
      camera = new THREE.PerspectiveCamera(fov, c.fieldWidth / c.fieldDepth, 1e-4, span + 1);
    }
    camera.position.set(0, c.sourceHeight, 0);
    // Image rows run along +Z (the belt direction), columns along +X.
    camera.up.set(0, 0, -1);
    camera.lookAt(0, 0, 0);
    camera.updateMatrixWorld(true);
    // Distances are taken relative to the belt so that float32 keeps sub-micron precision.
    return { camera, reference: c.sourceHeight };
  }

  private buildScene(
    req: RenderRequest,
    materialFor: (channel: number, obj: RenderObject) => THREE.Material | null,
    assetChannel: (material: string) => number,
    onlyMasked: boolean,
  ): { scene: THREE.Scene; transient: THREE.BufferGeometry[] } {
    const scene = new THREE.Scene();
    scene.matrixWorldAutoUpdate = true;
    const transient: THREE.BufferGeometry[] = [];
    for (const obj of req.objects) {
      if (onlyMasked && obj.maskIndex < 0) continue;
      const group = new THREE.Group();
      group.matrixAutoUpdate = false;
      group.matrix.fromArray(obj.matrix);
      for (const part of obj.parts) {
        const holder = new THREE.Group();
        holder.matrixAutoUpdate = false;
        holder.matrix.fromArray(part.matrix);
        if (part.shape.type === 'asset') {
          const asset = this.assets.get(part.shape.asset);
          if (!asset) throw new Error(`E_RENDER: asset ${part.shape.asset} was not loaded into the page`);
          for (const ap of asset) {
            const material = materialFor(assetChannel(ap.material), obj);
            if (material) holder.add(this.mesh(ap.geometry, material));
          }
        } else {
          const material = materialFor(part.channel, obj);
          if (!material) continue;
          const geometry = primitiveGeometry(part.shape);
          transient.push(geometry);
          holder.add(this.mesh(geometry, material));
        }
        group.add(holder);
      }
      scene.add(group);
    }
    return { scene, transient };
  }

  private mesh(geometry: THREE.BufferGeometry, material: THREE.Material): THREE.Mesh {
    const mesh = new THREE.Mesh(geometry, material);
    mesh.frustumCulled = false;
    mesh.matrixAutoUpdate = false;
    return mesh;
  }

  /** Renders the L-buffer only, then forces completion. For benchmarking the geometry pass. */
  renderGeometryOnly(req: RenderRequest): number {
    const t0 = performance.now();
    const { target, transient } = this.geometryPass(req);
    const px = new Float32Array(4);
    this.renderer.readRenderTargetPixels(target, 0, 0, 1, 1, px);
    transient.forEach((g) => g.dispose());
    return performance.now() - t0;
  }

  private geometryPass(req: RenderRequest): { target: THREE.WebGLRenderTarget; transient: THREE.BufferGeometry[]; targets: number } {
    const channels = req.materials.length;
    const targets = this.targetCount(channels);
    if (targets > Math.min(MAX_TARGETS, this.maxDrawBuffers)) {
      throw new Error(`E_RENDER: ${channels} materials need ${targets} render targets; this GPU allows ${this.maxDrawBuffers}`);
    }
    this.lbufTarget = this.ensureTarget(this.lbufTarget, req.width, req.height, targets, THREE.FloatType);
    const { camera, reference } = this.camera(req);
    const parallel = req.camera.geometry === 'parallel';
    const channelOfMaterial = (name: string): number => {
      const c = req.materials.indexOf(name);
      if (c < 0) throw new Error(`E_RENDER: material ${name} has no channel in the request`);
      return c;
    };
    const { scene, transient } = this.buildScene(
      req,
      (channel) => {
        const m = this.lbufMaterial(targets, channel, parallel);
        m.uniforms.uReference!.value = reference;
        return m;
      },
      channelOfMaterial,
      false,
    );
    this.renderer.setRenderTarget(this.lbufTarget);
    this.renderer.setClearColor(0x000000, 0);
    this.renderer.clear(true, false, false);
    this.renderer.render(scene, camera);
    return { target: this.lbufTarget, transient, targets };
  }

  render(req: RenderRequest): PageRenderResult {
    const { width, height } = req;
    const t0 = performance.now();
    const { target, transient, targets } = this.geometryPass(req);
    transient.forEach((g) => g.dispose());
    const channels = req.materials.length;
    const plane = width * height;
    let pathLengths: Float32Array | null = null;
    let transmission: Uint16Array | null = null;
    const t1 = performance.now();
    if (req.mu) {
      transmission = this.transmissionPass(req, target, targets);
    }
    if (req.pathLengths || !req.mu) {
      pathLengths = new Float32Array(channels * plane);
      const rgba = new Float32Array(plane * 4);
      for (let t = 0; t < targets; t++) {
        this.renderer.readRenderTargetPixels(target, 0, 0, width, height, rgba, undefined, t);
        for (let comp = 0; comp < 4; comp++) {
          const ch = t * 4 + comp;
          if (ch >= channels) break;
          const out = pathLengths.subarray(ch * plane, (ch + 1) * plane);
          // WebGL reads bottom row first; images are stored top row first.
          for (let y = 0; y < height; y++) {
            const src = (height - 1 - y) * width * 4 + comp;
            const dst = y * width;
            for (let x = 0; x < width; x++) out[dst + x] = rgba[src + x * 4]!;
          }
        }
      }
    }
    const t2 = performance.now();
    const { bytes, masks } = this.maskPasses(req);
    const t3 = performance.now();
    const result: PageRenderResult = {
      width,
      height,
      channels,
      pathLengths: pathLengths ? bytesToBase64(new Uint8Array(pathLengths.buffer)) : null,
      transmission: transmission ? bytesToBase64(new Uint8Array(transmission.buffer)) : null,
      maskBytes: bytes,
      masks: bytesToBase64(masks),
      timings: { geometryMs: t1 - t0, readbackMs: t2 - t1, maskMs: t3 - t2, encodeMs: 0 },
    };
    result.timings.encodeMs = performance.now() - t3;
    return result;
  }

  private transmissionPass(req: RenderRequest, lbuf: THREE.WebGLRenderTarget, targets: number): Uint16Array {
    const { width, height } = req;
    let material = this.transmissionMaterials.get(targets);
    if (!material) {
      const uniforms: Record<string, THREE.IUniform> = { uMu: { value: Array.from({ length: targets }, () => new THREE.Vector4()) } };
      for (let i = 0; i < targets; i++) uniforms[`uPath${i}`] = { value: null };
      material = new THREE.RawShaderMaterial({
        glslVersion: THREE.GLSL3,
        vertexShader: fullscreenVertex,
        fragmentShader: transmissionFragment(targets),
        uniforms,
        depthTest: false,
        depthWrite: false,
      });
      this.transmissionMaterials.set(targets, material);
    }
    const mu = req.mu!;
    for (let i = 0; i < targets; i++) {
      material.uniforms[`uPath${i}`]!.value = lbuf.textures[i];
      (material.uniforms.uMu!.value as THREE.Vector4[])[i]!.set(mu[4 * i] ?? 0, mu[4 * i + 1] ?? 0, mu[4 * i + 2] ?? 0, mu[4 * i + 3] ?? 0);
    }
    this.quad.material = material;
    this.physTarget = this.ensureTarget(this.physTarget, width, height, 1, THREE.UnsignedByteType);
    this.renderer.setRenderTarget(this.physTarget);
    this.renderer.render(this.quadScene, this.quadCamera);
    const rgba = new Uint8Array(width * height * 4);
    this.renderer.readRenderTargetPixels(this.physTarget, 0, 0, width, height, rgba);
    const out = new Uint16Array(width * height);
    for (let y = 0; y < height; y++) {
      const src = (height - 1 - y) * width * 4;
      const dst = y * width;
      for (let x = 0; x < width; x++) out[dst + x] = (rgba[src + 4 * x]! << 8) | rgba[src + 4 * x + 1]!;
    }
    return out;
  }

  /** Amodal masks: each labelled instance sets its bit wherever any of its triangles covers the pixel. */
  private maskPasses(req: RenderRequest): { bytes: number; masks: Uint8Array } {
    const { width, height } = req;
    const plane = width * height;
    const bytes = Math.ceil(req.maskCount / 8);
    const masks = new Uint8Array(bytes * plane);
    if (req.maskCount === 0) return { bytes, masks };
    const { camera } = this.camera(req);
    const perPass = Math.min(MAX_TARGETS, this.maxDrawBuffers) * 4;
    const rgba = new Uint8Array(plane * 4);
    for (let first = 0; first < req.maskCount; first += perPass) {
      const count = Math.min(perPass, req.maskCount - first);
      const targets = Math.ceil(count / 4);
      this.maskTarget = this.ensureTarget(this.maskTarget, width, height, targets, THREE.UnsignedByteType);
      const { scene, transient } = this.buildScene(
        req,
        (_channel, obj) => {
          const local = obj.maskIndex - first;
          if (local < 0 || local >= count) return null;
          return this.maskMaterial(targets, local);
        },
        () => 0,
        true,
      );
      this.renderer.setRenderTarget(this.maskTarget);
      this.renderer.setClearColor(0x000000, 0);
      this.renderer.clear(true, false, false);
      this.renderer.render(scene, camera);
      for (let t = 0; t < targets; t++) {
        this.renderer.readRenderTargetPixels(this.maskTarget, 0, 0, width, height, rgba, undefined, t);
        for (let comp = 0; comp < 4; comp++) {
          const instance = first + t * 4 + comp;
          if (instance >= first + count) break;
          const bit = 1 << (instance & 7);
          const out = masks.subarray((instance >>> 3) * plane, ((instance >>> 3) + 1) * plane);
          for (let y = 0; y < height; y++) {
            const src = (height - 1 - y) * width * 4 + comp;
            const dst = y * width;
            for (let x = 0; x < width; x++) if (rgba[src + x * 4]! > 127) out[dst + x] |= bit;
          }
        }
      }
      transient.forEach((g) => g.dispose());
    }
    return { bytes, masks };
  }
}

function primitiveGeometry(shape: Shape): THREE.BufferGeometry {
  const mesh = shapeToMesh(shape);
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(mesh.positions, 3));
  geometry.setIndex(new THREE.BufferAttribute(mesh.indices, 1));
  return geometry;
}

let page: RenderPage | null = null;

function instance(): RenderPage {
  if (!page) page = new RenderPage();
  return page;
}

const api = {
  info: () => instance().info(),
  hasAsset: (id: string) => instance().hasAsset(id),
  loadAsset: (id: string, parts: AssetPartData[]) => instance().loadAsset(id, parts),
  render: (req: RenderRequest) => instance().render(req),
  renderGeometryOnly: (req: RenderRequest) => instance().renderGeometryOnly(req),
};

(globalThis as unknown as { exoray: typeof api }).exoray = api;
