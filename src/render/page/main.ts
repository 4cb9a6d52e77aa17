/**
 * The render page: runs inside headless Chromium, bundled by esbuild at build time.
 *
 * Per image: one geometry pass accumulates the L-buffer (per-material path
 * lengths, all materials at once through multiple float render targets); a
 * full-screen pass turns it into low- and high-energy transmission; mask passes
 * draw amodal instance masks. Only 16-bit images and packed mask bits leave the
 * page (as base64 of raw typed arrays), unless path lengths are asked for.
 *
 * With a spectral table in the request (every material fits the scanner's basis,
 * docs/SPECTRAL.md) and no path lengths asked for, the geometry pass sums the four
 * basis line integrals into one float target instead, and the full-screen pass
 * reads them and the table: two exponentials a pixel instead of one per bin.
 */
import * as THREE from 'three';
import type { RenderRequest, SpectralTableRequest } from '../request.js';
import { buildSpectralLut, LUT_BASIS } from '../../xray/spectral-lut.js';
import { bytesToBase64, base64ToBytes } from './base64.js';
import { PassMaterials } from './pass-materials.js';
import { buildScene, type AssetModel, type BuiltScene } from './scene-builder.js';
import type { Skeleton } from '../../core/types.js';
import { inverseRestMatrices } from '../../species/rig/skinning.js';
import { OpticalPass, type PageOpticalResult } from './optical.js';
import type { OpticalRequest } from '../optical-request.js';

interface AssetPartData {
  name: string;
  material: string;
  positions: string;
  indices: string;
  /** base64 of Uint16Array and Float32Array, 4 per vertex (skinned models). */
  skinJoints?: string;
  skinWeights?: string;
  /** base64 of Float32Array position offsets, one per morph target. */
  morphs?: string[];
}

export interface PageRenderResult {
  width: number;
  height: number;
  /** Number of material channels in `pathLengths` (planar, row 0 = top). */
  channels: number;
  /** base64 of Float32Array(channels * width * height), centimetres; only when asked for. */
  pathLengths: string | null;
  /** base64 of Uint16Array(width * height) each, transmission * 65535, row 0 = top; only with a spectrum. */
  low: string | null;
  high: string | null;
  /** base64 of Uint8Array(ceil(masks / 8) * width * height): bit i of plane p = instance 8p+i covers the pixel. */
  masks: string;
  /**
   * Per instance, summed over its mask: its own attenuation (mu L at the visibility
   * energy) and the total attenuation -ln(T_high). Only with `visibilityMu` and a spectrum.
   */
  visibility: { own: number[]; total: number[] } | null;
  /** poseMs: building the scene, posing (skinning) animals on the CPU included; geometryMs: the L-buffer pass. */
  timings: { poseMs: number; geometryMs: number; physicsMs: number; readbackMs: number; maskMs: number; encodeMs: number };
}

const MAX_TARGETS = 8;

class RenderPage {
  private readonly renderer: THREE.WebGLRenderer;
  private readonly gl: WebGL2RenderingContext;
  private readonly assets = new Map<string, AssetModel>();
  private readonly materials = new PassMaterials();
  private readonly maxTargets: number;
  private lbufTarget: THREE.WebGLRenderTarget | null = null;
  private basisTarget: THREE.WebGLRenderTarget | null = null;
  private maskTarget: THREE.WebGLRenderTarget | null = null;
  private spectralTarget: THREE.WebGLRenderTarget | null = null;
  private visibilityTarget: THREE.WebGLRenderTarget | null = null;
  private readonly quad = new THREE.Mesh(new THREE.PlaneGeometry(2, 2));
  private readonly quadScene = new THREE.Scene();
  private readonly quadCamera = new THREE.OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private readonly optical: OpticalPass;
  /** Spectral tables by key: built once per scanner, a few tens of ms each. */
  private readonly tables = new Map<string, THREE.DataTexture>();
  private profileCount = 0;

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
    this.maxTargets = Math.min(MAX_TARGETS, gl.getParameter(gl.MAX_DRAW_BUFFERS) as number);
    this.quad.frustumCulled = false;
    this.quadScene.add(this.quad);
    this.optical = new OpticalPass(this.renderer);
  }

  info(): Record<string, unknown> {
    const dbg = this.gl.getExtension('WEBGL_debug_renderer_info');
    return {
      maxDrawBuffers: this.maxTargets,
      renderer: dbg ? this.gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : this.gl.getParameter(this.gl.RENDERER),
      vendor: dbg ? this.gl.getParameter(dbg.UNMASKED_VENDOR_WEBGL) : this.gl.getParameter(this.gl.VENDOR),
      assets: [...this.assets.keys()],
    };
  }

  loadAsset(id: string, parts: AssetPartData[], skeleton: Skeleton | null = null): void {
    const f32 = (b: string) => {
      const bytes = base64ToBytes(b);
      return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    };
    const loaded = parts.map((p) => {
      const idx = base64ToBytes(p.indices);
      const positions = f32(p.positions);
      const indices = new Uint32Array(idx.buffer, idx.byteOffset, idx.byteLength / 4);
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
      geometry.setIndex(new THREE.BufferAttribute(indices, 1));
      const part: AssetModel['parts'][number]['part'] = { name: p.name, material: p.material, mesh: { positions, indices } };
      if (p.skinJoints && p.skinWeights) {
        const j = base64ToBytes(p.skinJoints);
        part.skin = { joints: new Uint16Array(j.buffer, j.byteOffset, j.byteLength / 2), weights: f32(p.skinWeights) };
      }
      if (p.morphs) part.morphs = { names: p.morphs.map((_, k) => `target${k}`), deltas: p.morphs.map(f32) };
      return { material: p.material, geometry, part };
    });
    this.assets.get(id)?.parts.forEach((p) => p.geometry.dispose());
    this.assets.set(id, { parts: loaded, skeleton, inverseRest: skeleton ? inverseRestMatrices(skeleton) : null });
  }

  private ensureTarget(current: THREE.WebGLRenderTarget | null, width: number, height: number, count: number, type: THREE.TextureDataType): THREE.WebGLRenderTarget {
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

  /** A camera for three.js (parallel, cone), and the per-image uniforms every geometry shader reads. */
  private setupView(req: RenderRequest): THREE.Camera {
    const c = req.camera;
    const span = c.sourceHeight - c.detectorHeight;
    const g = this.materials.geometry;
    g.uReference.value = c.sourceHeight; // distances relative to the belt keep float32 precise
    g.uFan.value.set(c.sourceHeight, c.detectorHeight, c.fieldWidth / 2, c.fieldDepth / 2);
    g.uResolution.value.set(req.width, req.height);
    const camera =
      c.geometry === 'cone'
        ? new THREE.PerspectiveCamera((2 * Math.atan(c.fieldDepth / 2 / span) * 180) / Math.PI, c.fieldWidth / c.fieldDepth, 1e-4, span + 1)
        : new THREE.OrthographicCamera(-c.fieldWidth / 2, c.fieldWidth / 2, c.fieldDepth / 2, -c.fieldDepth / 2, 1e-4, span + 1);
    camera.position.set(0, c.sourceHeight, 0);
    // Image rows run along +Z (the belt direction), columns along +X.
    camera.up.set(0, 0, -1);
    camera.lookAt(0, 0, 0);
    camera.updateMatrixWorld(true);
    return camera;
  }

  /**
   * The L-buffer: per-material path lengths, or with `basis` (a request with a
   * spectral table and no path lengths asked for) the four basis line integrals
   * sum_m a_mk L_m in one target, which is all the table pass needs.
   */
  private geometryPass(req: RenderRequest, built: BuiltScene, camera: THREE.Camera, basis = false): { target: THREE.WebGLRenderTarget; targets: number } {
    const targets = basis ? 1 : Math.max(1, Math.ceil(req.materials.length / 4));
    if (targets > this.maxTargets) {
      throw new Error(`E_RENDER: ${req.materials.length} materials need ${targets} render targets; this GPU allows ${this.maxTargets}`);
    }
    let target: THREE.WebGLRenderTarget;
    if (basis) {
      const c = req.spectral!.table!.coefficients;
      const coefficients = req.materials.map((_, m) => new THREE.Vector4(c[m * LUT_BASIS]!, c[m * LUT_BASIS + 1]!, c[m * LUT_BASIS + 2]!, c[m * LUT_BASIS + 3]!));
      target = this.basisTarget = this.ensureTarget(this.basisTarget, req.width, req.height, 1, THREE.FloatType);
      for (const b of built.meshes) {
        b.mesh.visible = true;
        b.mesh.material = this.materials.basis(req.camera.geometry, b.channel, coefficients[b.channel]!, b.density);
      }
    } else {
      target = this.lbufTarget = this.ensureTarget(this.lbufTarget, req.width, req.height, targets, THREE.FloatType);
      for (const b of built.meshes) {
        b.mesh.visible = true;
        b.mesh.material = this.materials.lbuffer(req.camera.geometry, targets, b.channel, b.density);
      }
    }
    this.renderer.setRenderTarget(target);
    this.renderer.setClearColor(0x000000, 0);
    this.renderer.clear(true, false, false);
    this.renderer.render(built.scene, camera);
    return { target, targets };
  }

  private spectralTable(req: RenderRequest, t: SpectralTableRequest): THREE.DataTexture {
    let texture = this.tables.get(t.key);
    if (!texture) {
      const s = req.spectral!;
      const rows = Array.from({ length: LUT_BASIS }, (_, k) => t.rows.slice(k * s.bins, (k + 1) * s.bins));
      const data = buildSpectralLut({ size: t.size, extent: t.extent, rows, low: s.low, high: s.high });
      texture = new THREE.DataTexture(data, t.size, 3 * t.size, THREE.RGBAFormat, THREE.FloatType);
      texture.minFilter = THREE.NearestFilter;
      texture.magFilter = THREE.NearestFilter;
      texture.generateMipmaps = false;
      texture.needsUpdate = true;
      this.tables.set(t.key, texture);
    }
    return texture;
  }

  /** The table variant when the request carries one, else the exact per-bin sum. */
  private spectralMaterial(req: RenderRequest, lbuf: THREE.WebGLRenderTarget, targets: number, fromBasis: boolean): THREE.RawShaderMaterial {
    const s = req.spectral!;
    const t = s.table;
    if (t) {
      const material = this.materials.spectralTable(targets, t.size, fromBasis);
      material.uniforms.uTable!.value = this.spectralTable(req, t);
      (material.uniforms.uInvExtent!.value as THREE.Vector2).set(1 / t.extent[0], 1 / t.extent[1]);
      if (fromBasis) {
        material.uniforms.uBasis!.value = lbuf.texture;
        return material;
      }
      for (let i = 0; i < targets; i++) material.uniforms[`uPath${i}`]!.value = lbuf.textures[i];
      // uCoef[4 * target + k] holds coefficient k of channels 4 * target .. 4 * target + 3.
      const coef = material.uniforms.uCoef!.value as THREE.Vector4[];
      for (let target = 0; target < targets; target++) {
        for (let k = 0; k < LUT_BASIS; k++) {
          const at = (c: number) => (c < req.materials.length ? t.coefficients[c * LUT_BASIS + k]! : 0);
          coef[4 * target + k]!.set(at(4 * target), at(4 * target + 1), at(4 * target + 2), at(4 * target + 3));
        }
      }
      return material;
    }
    const material = this.materials.spectral(targets, s.bins);
    for (let i = 0; i < targets; i++) material.uniforms[`uPath${i}`]!.value = lbuf.textures[i];
    // uMu[b * targets + t] holds the mu of channels 4t..4t+3 in bin b.
    const mu = material.uniforms.uMu!.value as THREE.Vector4[];
    for (let b = 0; b < s.bins; b++) {
      for (let t = 0; t < targets; t++) {
        const at = (c: number) => (c < req.materials.length ? s.mu[c * s.bins + b]! : 0);
        mu[b * targets + t]!.set(at(4 * t), at(4 * t + 1), at(4 * t + 2), at(4 * t + 3));
      }
    }
    const weights = material.uniforms.uWeights!.value as THREE.Vector2[];
    for (let b = 0; b < s.bins; b++) weights[b]!.set(s.low[b]!, s.high[b]!);
    return material;
  }

  /** Low and high transmission from the L-buffer, on the GPU. */
  /** `fromBasis`: `lbuf` holds the basis line integrals (geometryPass with `basis`), not path lengths. */
  private spectralPass(
    req: RenderRequest,
    lbuf: THREE.WebGLRenderTarget,
    targets: number,
    fromBasis: boolean,
    split?: { shaderMs: number; readMs: number },
  ): { low: Uint16Array; high: Uint16Array } {
    const { width, height } = req;
    const material = this.spectralMaterial(req, lbuf, targets, fromBasis);
    this.quad.material = material;
    this.spectralTarget = this.ensureTarget(this.spectralTarget, width, height, 1, THREE.UnsignedByteType);
    this.renderer.setRenderTarget(this.spectralTarget);
    this.renderer.render(this.quadScene, this.quadCamera);
    const rgba = new Uint8Array(width * height * 4);
    if (split) {
      // Profiling only: a one-pixel read waits for the shader, so the full read after it is the transfer alone.
      const t0 = performance.now();
      this.renderer.readRenderTargetPixels(this.spectralTarget, 0, 0, 1, 1, rgba);
      split.shaderMs = performance.now() - t0;
    }
    const t1 = performance.now();
    this.renderer.readRenderTargetPixels(this.spectralTarget, 0, 0, width, height, rgba);
    if (split) split.readMs = performance.now() - t1;
    const low = new Uint16Array(width * height);
    const high = new Uint16Array(width * height);
    for (let y = 0; y < height; y++) {
      const src = (height - 1 - y) * width * 4; // WebGL reads bottom row first
      const dst = y * width;
      for (let x = 0; x < width; x++) {
        const s = src + 4 * x;
        low[dst + x] = (rgba[s]! << 8) | rgba[s + 1]!;
        high[dst + x] = (rgba[s + 2]! << 8) | rgba[s + 3]!;
      }
    }
    return { low, high };
  }

  private readPathLengths(req: RenderRequest, target: THREE.WebGLRenderTarget, targets: number): Float32Array {
    const { width, height } = req;
    const plane = width * height;
    const channels = req.materials.length;
    const out = new Float32Array(channels * plane);
    const rgba = new Float32Array(plane * 4);
    for (let t = 0; t < targets; t++) {
      this.renderer.readRenderTargetPixels(target, 0, 0, width, height, rgba, undefined, t);
      for (let comp = 0; comp < 4 && t * 4 + comp < channels; comp++) {
        const ch = out.subarray((t * 4 + comp) * plane, (t * 4 + comp + 1) * plane);
        for (let y = 0; y < height; y++) {
          const src = (height - 1 - y) * width * 4 + comp;
          for (let x = 0; x < width; x++) ch[y * width + x] = rgba[src + x * 4]!;
        }
      }
    }
    return out;
  }

  /** Amodal masks: each labelled instance sets its bit wherever any of its triangles covers the pixel. */
  private maskPasses(req: RenderRequest, built: BuiltScene, camera: THREE.Camera): Uint8Array {
    const { width, height } = req;
    const plane = width * height;
    const masks = new Uint8Array(Math.ceil(req.maskCount / 8) * plane);
    const perPass = this.maxTargets * 4;
    const rgba = new Uint8Array(plane * 4);
    for (let first = 0; first < req.maskCount; first += perPass) {
      const count = Math.min(perPass, req.maskCount - first);
      const targets = Math.ceil(count / 4);
      this.maskTarget = this.ensureTarget(this.maskTarget, width, height, targets, THREE.UnsignedByteType);
      for (const b of built.meshes) {
        const local = b.maskIndex - first;
        b.mesh.visible = b.maskIndex >= 0 && local >= 0 && local < count;
        if (b.mesh.visible) b.mesh.material = this.materials.mask(req.camera.geometry, targets, local);
      }
      this.renderer.setRenderTarget(this.maskTarget);
      this.renderer.setClearColor(0x000000, 0);
      this.renderer.clear(true, false, false);
      this.renderer.render(built.scene, camera);
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
            for (let x = 0; x < width; x++) if (rgba[src + x * 4]! > 127) out[dst + x]! |= bit;
          }
        }
      }
    }
    return masks;
  }

  /** Each instance's own attenuation per pixel, summed over its mask, against the total there. */
  private visibilityPasses(req: RenderRequest, built: BuiltScene, camera: THREE.Camera, masks: Uint8Array, high: Uint16Array): { own: number[]; total: number[] } {
    const { width, height } = req;
    const plane = width * height;
    const mu = req.visibilityMu!;
    const own = new Array<number>(req.maskCount).fill(0);
    const total = new Array<number>(req.maskCount).fill(0);
    const minusLog = new Float32Array(65536);
    for (let v = 0; v < 65536; v++) minusLog[v] = -Math.log(Math.max(v, 1) / 65535);
    const perPass = this.maxTargets * 4;
    const rgba = new Float32Array(plane * 4);
    for (let first = 0; first < req.maskCount; first += perPass) {
      const count = Math.min(perPass, req.maskCount - first);
      const targets = Math.ceil(count / 4);
      this.visibilityTarget = this.ensureTarget(this.visibilityTarget, width, height, targets, THREE.FloatType);
      for (const b of built.meshes) {
        const local = b.maskIndex - first;
        b.mesh.visible = b.maskIndex >= 0 && local >= 0 && local < count;
        if (b.mesh.visible) b.mesh.material = this.materials.instanceAttenuation(req.camera.geometry, targets, local, b.channel, mu[b.channel]! * b.density);
      }
      this.renderer.setRenderTarget(this.visibilityTarget);
      this.renderer.setClearColor(0x000000, 0);
      this.renderer.clear(true, false, false);
      this.renderer.render(built.scene, camera);
      for (let t = 0; t < targets; t++) {
        this.renderer.readRenderTargetPixels(this.visibilityTarget, 0, 0, width, height, rgba, undefined, t);
        for (let comp = 0; comp < 4; comp++) {
          const instance = first + t * 4 + comp;
          if (instance >= first + count) break;
          const bit = 1 << (instance & 7);
          const bits = masks.subarray((instance >>> 3) * plane, ((instance >>> 3) + 1) * plane);
          let o = 0;
          let a = 0;
          for (let y = 0; y < height; y++) {
            const src = (height - 1 - y) * width * 4 + comp;
            for (let x = 0; x < width; x++) {
              const p = y * width + x;
              if (!(bits[p]! & bit)) continue;
              o += Math.max(0, rgba[src + x * 4]!);
              a += minusLog[high[p]!]!;
            }
          }
          own[instance] = o;
          total[instance] = a;
        }
      }
    }
    return { own, total };
  }

  render(req: RenderRequest): PageRenderResult {
    const t0 = performance.now();
    const built = buildScene(req, this.assets);
    const tp = performance.now();
    try {
      const camera = this.setupView(req);
      // Path lengths asked for, or no table: the per-material L-buffer; else the basis line integrals suffice.
      const basis = !!req.spectral?.table && !req.pathLengths;
      const { target, targets } = this.geometryPass(req, built, camera, basis);
      const t1 = performance.now();
      const spectral = req.spectral ? this.spectralPass(req, target, targets, basis) : null;
      const t2 = performance.now();
      const pathLengths = req.pathLengths || !req.spectral ? this.readPathLengths(req, target, targets) : null;
      const t3 = performance.now();
      const masks = this.maskPasses(req, built, camera);
      const visibility = req.visibilityMu && spectral && req.maskCount > 0 ? this.visibilityPasses(req, built, camera, masks, spectral.high) : null;
      const t4 = performance.now();
      const result: PageRenderResult = {
        width: req.width,
        height: req.height,
        channels: req.materials.length,
        pathLengths: pathLengths ? bytesToBase64(new Uint8Array(pathLengths.buffer)) : null,
        low: spectral ? bytesToBase64(new Uint8Array(spectral.low.buffer)) : null,
        high: spectral ? bytesToBase64(new Uint8Array(spectral.high.buffer)) : null,
        masks: bytesToBase64(masks),
        visibility,
        timings: { poseMs: tp - t0, geometryMs: t1 - tp, physicsMs: t2 - t1, readbackMs: t3 - t2, maskMs: t4 - t3, encodeMs: 0 },
      };
      result.timings.encodeMs = performance.now() - t4;
      return result;
    } finally {
      built.dispose();
    }
  }

  /**
   * GPU time of each pass, each forced to completion before the next starts (so
   * they do not overlap as they do in `render`): for the benchmark's breakdown.
   * geometryMs is the per-material path-length pass; with a spectral table also
   * basisGeometryMs (the table route's geometry pass), spectralMs (the table pass)
   * and spectralExactMs (the per-bin pass over the path lengths).
   */
  profilePasses(req: RenderRequest): Record<string, number> {
    const built = buildScene(req, this.assets);
    const sync = (target: THREE.WebGLRenderTarget) =>
      this.renderer.readRenderTargetPixels(target, 0, 0, 1, 1, target.texture.type === THREE.FloatType ? new Float32Array(4) : new Uint8Array(4));
    try {
      const camera = this.setupView(req);
      // The first draw of a scene uploads its meshes: an untimed pass first, so that the two
      // geometry passes below compare draws, not uploads; its time is reported as coldGeometryMs.
      const tc = performance.now();
      sync(this.geometryPass(req, built, camera).target);
      const times: Record<string, number> = { coldGeometryMs: performance.now() - tc };
      const table = req.spectral?.table;
      // Filled by the passes below, which run in either order.
      const lbuf: { target: THREE.WebGLRenderTarget | null; targets: number; basis: THREE.WebGLRenderTarget | null } = { target: null, targets: 0, basis: null };
      const passes: Array<() => void> = [
        () => {
          const t0 = performance.now();
          const { target, targets } = this.geometryPass(req, built, camera);
          Object.assign(lbuf, { target, targets });
          sync(target);
          times.geometryMs = performance.now() - t0;
        },
      ];
      if (table) {
        // The geometry pass of the table route: the same draws into one target of basis line integrals.
        passes.push(() => {
          const tb = performance.now();
          lbuf.basis = this.geometryPass(req, built, camera, true).target;
          sync(lbuf.basis);
          times.basisGeometryMs = performance.now() - tb;
        });
        if (this.profileCount % 2) passes.reverse();
      }
      for (const run of passes) run();
      const { basis, targets } = lbuf;
      const target = lbuf.target!;
      if (req.spectral) {
        // The table pass (from the basis target) and the exact per-bin pass (from the L-buffer) of the same
        // scene, in alternating order from image to image: the two costs side by side.
        const exact = { ...req, spectral: { ...req.spectral, table: undefined } };
        const variants: Array<() => void> = [
          () => {
            const ts = performance.now();
            if (basis) this.spectralPass(req, basis, 1, true);
            else this.spectralPass(req, target, targets, false);
            times.spectralMs = performance.now() - ts;
          },
        ];
        if (basis) {
          variants.push(() => {
            const ts = performance.now();
            this.spectralPass(exact, target, targets, false);
            times.spectralExactMs = performance.now() - ts;
          });
          if (this.profileCount++ % 2) variants.reverse();
        }
        for (const run of variants) run();
        // Where the spectral pass's time goes, on one more run (the table is built by then).
        const split = { shaderMs: 0, readMs: 0 };
        const ts = performance.now();
        if (basis) this.spectralPass(req, basis, 1, true, split);
        else this.spectralPass(req, target, targets, false, split);
        const total = performance.now() - ts;
        Object.assign(times, { spectralShaderMs: split.shaderMs, spectralReadMs: split.readMs, spectralUnpackMs: total - split.shaderMs - split.readMs });
      }
      const t2 = performance.now();
      this.maskPasses(req, built, camera);
      const t3 = performance.now();
      // What returning the L-buffer itself would cost instead (float readback of every channel).
      this.readPathLengths(req, target, targets);
      const t4 = performance.now();
      return { ...times, maskMs: t3 - t2, pathLengthReadbackMs: t4 - t3 };
    } finally {
      built.dispose();
    }
  }

  /** A lit, shaded picture of the scene, to see what is inside the bag. */
  renderOptical(req: OpticalRequest): PageOpticalResult {
    return this.optical.render(req, this.assets);
  }

  /** The bare L-buffer pass, forced to completion: the floor of this design, for the benchmark. */
  renderGeometryOnly(req: RenderRequest): number {
    const t0 = performance.now();
    const built = buildScene(req, this.assets);
    try {
      const { target } = this.geometryPass(req, built, this.setupView(req));
      this.renderer.readRenderTargetPixels(target, 0, 0, 1, 1, new Float32Array(4));
      return performance.now() - t0;
    } finally {
      built.dispose();
    }
  }
}

let page: RenderPage | null = null;

function instance(): RenderPage {
  if (!page) page = new RenderPage();
  return page;
}

const api = {
  info: () => instance().info(),
  loadAsset: (id: string, parts: AssetPartData[], skeleton?: Skeleton | null) => instance().loadAsset(id, parts, skeleton ?? null),
  render: (req: RenderRequest) => instance().render(req),
  renderGeometryOnly: (req: RenderRequest) => instance().renderGeometryOnly(req),
  profilePasses: (req: RenderRequest) => instance().profilePasses(req),
  renderOptical: (req: OpticalRequest) => instance().renderOptical(req),
};

(globalThis as unknown as { exoray: typeof api }).exoray = api;
