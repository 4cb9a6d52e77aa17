/**
 * Drives headless Chromium: one browser, several render pages reused across
 * images. Models are uploaded to each page once and stay resident; each image
 * sends only the scene's matrices and shapes. A page that crashes or hangs is
 * replaced and the image is retried once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import sharp from 'sharp';
import { ExorayError } from '../core/errors.js';
import type { ModelPart, SceneDescription, Skeleton, ViewName } from '../core/types.js';
import { packageRoot } from '../core/paths.js';
import { chromiumArgs, findChromium } from './chromium.js';
import { buildRenderRequest, type RenderRequest, type SpectralRequest } from './request.js';
import type { PageRenderResult } from './page/main.js';
import type { PageOpticalResult } from './page/optical.js';
import { buildOpticalRequest, type OpticalOptions } from './optical-request.js';

/** Where model geometry comes from: the species catalog in production, anything in tests. */
export interface AssetSource {
  parts(assetId: string): ModelPart[];
  /** The model's skeleton, when it has one (posed animals); absent or null: a rigid model. */
  skeleton?(assetId: string): Skeleton | null;
}

const b64 = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

export interface RendererOptions {
  assets: AssetSource;
  /** Explicit Chromium path (else EXORAY_CHROMIUM, PUPPETEER_EXECUTABLE_PATH, system, puppeteer cache). */
  chromium?: string;
  /** Number of pages rendering in parallel. */
  pages?: number;
  /** A render taking longer than this is treated as a hung page. */
  timeoutMs?: number;
  /** Ask Chromium for a hardware GPU instead of SwiftShader. */
  gpu?: boolean;
}

export interface RenderTimings {
  /** Building the page's scene, with the CPU skinning of posed animals. */
  poseMs: number;
  geometryMs: number;
  physicsMs: number;
  readbackMs: number;
  maskMs: number;
  encodeMs: number;
  transferMs: number;
  totalMs: number;
}

export interface RenderOptions {
  /** Which projection (default 'top'). */
  view?: ViewName;
  /**
   * The energy bins for the materials of the request (attenuation and channel
   * weights). When given, the page computes transmission on the GPU and returns
   * `low` and `high`.
   */
  spectral?: (materials: readonly string[]) => SpectralRequest;
  /** Also return the per-material path lengths (always returned without `spectral`). */
  pathLengths?: boolean;
  /** Linear attenuation (1/cm) per material at the energy the visibility score is measured at. */
  visibility?: (materials: readonly string[]) => number[];
}

export interface RenderOutput {
  width: number;
  height: number;
  /** Material id of each path-length plane. */
  materials: string[];
  /** Path length in centimetres per material, each a row-major width*height plane (row 0 = top); empty unless asked for. */
  pathLengths: Float32Array[];
  /** Low- and high-energy transmission * 65535, row-major, row 0 = top; null without `spectral`. */
  low: Uint16Array | null;
  high: Uint16Array | null;
  /** One row-major 0/1 mask per labelled instance, in scene order of the animals. */
  masks: Uint8Array[];
  /** Per instance: own attenuation and total attenuation summed over its mask (with `visibility`). */
  visibility: { own: number[]; total: number[] } | null;
  timings: RenderTimings;
  /** How many attempts the image took (2 when a page had to be replaced). */
  attempts: number;
}

interface Slot {
  page: Page;
  assets: Set<string>;
  busy: boolean;
  /** Set once the page's renderer process has died (or the page closed). */
  dead: ExorayError | null;
  /**
   * Waiting calls to notify of a crash. Per-call listeners, not one long-lived promise:
   * racing every image against a promise that never settles keeps each image alive.
   */
  crashListeners: Set<(e: ExorayError) => void>;
}

let pageScriptCache: string | null = null;

function pageScript(): string {
  if (pageScriptCache) return pageScriptCache;
  const file = path.join(packageRoot(), 'dist', 'render', 'page', 'page.js');
  try {
    pageScriptCache = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ExorayError('E_RENDER', `render: the page bundle ${file} is missing. Build it with \`npm run build\`.`, { cause });
  }
  return pageScriptCache;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ExorayError('E_RENDER_TIMEOUT', `render: ${what} took longer than ${ms} ms (page hung); it is replaced.`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Converts "E_CODE: message" thrown inside the page into a typed error. */
function pageError(e: unknown): ExorayError {
  if (e instanceof ExorayError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const m = /(E_[A-Z_]+): (.*)/s.exec(message);
  if (m && (m[1] === 'E_WEBGL_UNSUPPORTED' || m[1] === 'E_RENDER')) {
    return new ExorayError(m[1], `render: ${m[2]!.split('\n')[0]}`, { cause: e });
  }
  return new ExorayError('E_RENDER', `render: the page failed: ${message.split('\n')[0]}`, { cause: e });
}

export class Renderer {
  private readonly slots: Slot[] = [];
  private readonly waiters: Array<(slot: Slot) => void> = [];
  private closed = false;
  /** Pages replaced after a crash or hang, for reporting. */
  replacedPages = 0;

  private constructor(
    private browser: Browser,
    private readonly options: Required<Pick<RendererOptions, 'timeoutMs' | 'pages'>> & RendererOptions,
    readonly chromiumPath: string,
  ) {}

  static async launch(options: RendererOptions): Promise<Renderer> {
    const found = findChromium({ explicit: options.chromium });
    const opts = { timeoutMs: 60_000, pages: 1, ...options };
    const browser = await Renderer.startBrowser(found.path, opts.gpu ?? false);
    const renderer = new Renderer(browser, opts, found.path);
    try {
      for (let i = 0; i < opts.pages; i++) renderer.slots.push(await renderer.newSlot());
    } catch (e) {
      await renderer.close();
      throw e;
    }
    return renderer;
  }

  private static async startBrowser(executablePath: string, gpu: boolean): Promise<Browser> {
    try {
      return await puppeteer.launch({
        executablePath,
        headless: true,
        args: chromiumArgs({ gpu }),
        protocolTimeout: 180_000,
        // Over a pipe, Chromium exits with exoray even when exoray is killed (a socket would leave it orphaned).
        pipe: true,
      });
    } catch (cause) {
      throw new ExorayError(
        'E_BROWSER',
        `browser: could not start ${executablePath}: ${(cause as Error).message.split('\n')[0]}. ` +
          'Check that it is a working Chromium (run it with --version) or choose another with --chromium.',
        { cause },
      );
    }
  }

  private async newSlot(): Promise<Slot> {
    if (!this.browser.connected) {
      this.browser = await Renderer.startBrowser(this.chromiumPath, this.options.gpu ?? false);
    }
    const page = await this.browser.newPage();
    const slot: Slot = { page, assets: new Set(), busy: false, dead: null, crashListeners: new Set() };
    const die = (e: ExorayError) => {
      slot.dead ??= e;
      for (const listener of slot.crashListeners) listener(e);
    };
    page.once('error', (e) => die(new ExorayError('E_RENDER', `render: the page crashed (${e.message}); it is replaced.`)));
    page.once('close', () => die(new ExorayError('E_RENDER', 'render: the page was closed; it is replaced.')));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && process.env.EXORAY_DEBUG) process.stderr.write(`[page] ${msg.text()}\n`);
    });
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"><title>exoray render</title></head><body></body></html>');
    await page.addScriptTag({ content: pageScript() });
    try {
      await withTimeout(page.evaluate(() => (globalThis as any).exoray.info()), 30_000, 'WebGL start-up');
    } catch (e) {
      await page.close().catch(() => undefined);
      throw pageError(e);
    }
    return slot;
  }

  /** GPU and driver the pages use (SwiftShader here, a real GPU where Chromium finds one). */
  async info(): Promise<Record<string, unknown>> {
    const slot = await this.acquire();
    try {
      return await slot.page.evaluate(() => (globalThis as any).exoray.info());
    } finally {
      this.release(slot);
    }
  }

  private acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new ExorayError('E_RENDER', 'render: the renderer is closed'));
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiters.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  private async ensureAssets(slot: Slot, req: RenderRequest): Promise<void> {
    for (const obj of req.objects) {
      for (const part of obj.parts) {
        if (part.shape.type !== 'asset' || slot.assets.has(part.shape.asset)) continue;
        const id = part.shape.asset;
        // Rest geometry, skins and morph targets go once; each image then sends only joint rotations.
        const data = this.options.assets.parts(id).map((p) => ({
          name: p.name,
          material: p.material,
          positions: b64(p.mesh.positions),
          indices: b64(p.mesh.indices),
          ...(p.skin ? { skinJoints: b64(p.skin.joints), skinWeights: b64(p.skin.weights) } : {}),
          ...(p.morphs ? { morphs: p.morphs.deltas.map(b64) } : {}),
        }));
        const skeleton = this.options.assets.skeleton?.(id) ?? null;
        await slot.page.evaluate((assetId, parts, sk) => (globalThis as any).exoray.loadAsset(assetId, parts, sk), id, data, skeleton as any);
        slot.assets.add(id);
      }
    }
  }

  /** The request the page will execute for a scene (materials per channel, matrices, masks). */
  request(scene: SceneDescription, view: ViewName = 'top'): RenderRequest {
    return buildRenderRequest(scene, (id) => [...new Set(this.options.assets.parts(id).map((p) => p.material))], view);
  }

  async render(scene: SceneDescription, options: RenderOptions = {}): Promise<RenderOutput> {
    const req = this.request(scene, options.view);
    if (options.spectral) req.spectral = options.spectral(req.materials);
    if (options.pathLengths) req.pathLengths = true;
    if (options.visibility) req.visibilityMu = options.visibility(req.materials);
    return this.renderRequest(req);
  }

  async renderRequest(req: RenderRequest): Promise<RenderOutput> {
    return this.withRetry(async (slot) => {
      const t0 = performance.now();
      await this.ensureAssets(slot, req);
      const result = (await slot.page.evaluate((r) => (globalThis as any).exoray.render(r), req as any)) as PageRenderResult;
      const t1 = performance.now();
      const out = decodeResult(result, req);
      const inPage = Object.values(result.timings).reduce((a, b) => a + b, 0);
      out.timings = { ...result.timings, transferMs: t1 - t0 - inPage + (performance.now() - t1), totalMs: performance.now() - t0 };
      return out;
    });
  }

  /**
   * A lit, shaded picture of the scene as an eye would see it, with the
   * container's top cut away (unless `cutaway: false`): PNG bytes, RGB.
   * Same scene and options, same bytes.
   */
  async renderOptical(scene: SceneDescription, options: OpticalOptions = {}): Promise<Uint8Array> {
    const req = buildOpticalRequest(scene, (id) => [...new Set(this.options.assets.parts(id).map((p) => p.material))], options);
    const result = await this.withRetry(async (slot) => {
      await this.ensureAssets(slot, req.scene);
      return (await slot.page.evaluate((r) => (globalThis as any).exoray.renderOptical(r), req as any)) as PageOpticalResult;
    });
    const rgb = Buffer.from(result.rgb, 'base64');
    const png = await sharp(rgb, { raw: { width: result.width, height: result.height, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer();
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  }

  /** Time of the bare path-length geometry pass (no readback of the image), measured inside the page. */
  async geometryPassMs(scene: SceneDescription, view: ViewName = 'top'): Promise<number> {
    const req = this.request(scene, view);
    return this.withRetry(async (slot) => {
      await this.ensureAssets(slot, req);
      return (await slot.page.evaluate((r) => (globalThis as any).exoray.renderGeometryOnly(r), req as any)) as number;
    });
  }

  /** GPU milliseconds of each pass of one image, run one after the other (benchmark breakdown). */
  async profilePasses(req: RenderRequest): Promise<Record<string, number>> {
    return this.withRetry(async (slot) => {
      await this.ensureAssets(slot, req);
      return (await slot.page.evaluate((r) => (globalThis as any).exoray.profilePasses(r), req as any)) as Record<string, number>;
    });
  }

  private async withRetry<T extends object | number>(work: (slot: Slot) => Promise<T>): Promise<T & { attempts?: number }> {
    let slot = await this.acquire();
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await withTimeout(this.unlessCrashed(slot, work(slot)), this.options.timeoutMs, 'an image');
          if (typeof result === 'object') (result as { attempts?: number }).attempts = attempt;
          return result as T & { attempts?: number };
        } catch (e) {
          const err = pageError(e);
          // Scene errors are deterministic: retrying would fail the same way.
          if (attempt >= 2 || this.closed || /^render: (asset|material) /.test(err.message)) throw err;
          slot = await this.replace(slot);
        }
      }
    } finally {
      this.release(slot);
    }
  }

  /** `work`, or a rejection as soon as the page dies meanwhile. */
  private unlessCrashed<T>(slot: Slot, work: Promise<T>): Promise<T> {
    if (slot.dead) {
      work.catch(() => undefined);
      return Promise.reject(slot.dead);
    }
    let listener!: (e: ExorayError) => void;
    const crash = new Promise<never>((_, reject) => {
      listener = reject;
    });
    slot.crashListeners.add(listener);
    return Promise.race([work, crash]).finally(() => slot.crashListeners.delete(listener));
  }

  private async replace(slot: Slot): Promise<Slot> {
    this.replacedPages++;
    const old = slot.page;
    // A hung renderer may not answer a polite close; do not wait for it forever.
    await withTimeout(old.close(), 5_000, 'closing a broken page').catch(() => undefined);
    const fresh = await this.newSlot();
    const index = this.slots.indexOf(slot);
    fresh.busy = true;
    if (index >= 0) this.slots[index] = fresh;
    return fresh;
  }

  /** Test hook: makes the next image on one page fail as a real crash or hang would. */
  async sabotage(kind: 'crash' | 'hang'): Promise<void> {
    const slot = this.slots[0]!;
    if (kind === 'crash') {
      await slot.page.goto('chrome://crash').catch(() => undefined);
    } else {
      void slot.page.evaluate(() => {
        for (;;) {
          /* spin forever */
        }
      }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.browser.close().catch(() => undefined);
  }
}

function decodeResult(result: PageRenderResult, req: RenderRequest): RenderOutput {
  const plane = result.width * result.height;
  const pathLengths: Float32Array[] = [];
  if (result.pathLengths) {
    const all = new Float32Array(alignedBytes(result.pathLengths));
    for (let c = 0; c < result.channels; c++) pathLengths.push(all.subarray(c * plane, (c + 1) * plane));
  }
  const bits = new Uint8Array(alignedBytes(result.masks));
  const masks: Uint8Array[] = [];
  for (let i = 0; i < req.maskCount; i++) {
    const planeBits = bits.subarray((i >>> 3) * plane, ((i >>> 3) + 1) * plane);
    const bit = 1 << (i & 7);
    const mask = new Uint8Array(plane);
    for (let p = 0; p < plane; p++) if (planeBits[p]! & bit) mask[p] = 1;
    masks.push(mask);
  }
  return {
    width: result.width,
    height: result.height,
    materials: req.materials,
    pathLengths,
    low: result.low ? new Uint16Array(alignedBytes(result.low)) : null,
    high: result.high ? new Uint16Array(alignedBytes(result.high)) : null,
    masks,
    visibility: result.visibility,
    timings: { ...result.timings, transferMs: 0, totalMs: 0 },
    attempts: 1,
  };
}

/** Decodes base64 into a fresh ArrayBuffer: small Buffers share a pool at offsets a Float32Array cannot use. */
function alignedBytes(b64: string): ArrayBuffer {
  const buf = Buffer.from(b64, 'base64');
  if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.byteLength) return buf.buffer as ArrayBuffer;
  return new Uint8Array(buf).buffer as ArrayBuffer;
}
