/**
 * One sample from its scene: render every view, turn the render into detector
 * images and labels, write the files (atomically) and return the database record.
 */
import path from 'node:path';
import type { SceneDescription, ViewName } from '../core/types.js';
import { formatSampleId, type InstanceRecord, type SampleFile, type SampleRecord } from '../db/records.js';
import { maskArea, maskBBox } from '../labels/mask.js';
import { drawOverlay } from '../labels/overlay.js';
import { encodeRle } from '../labels/rle.js';
import { difficultyOf, visibilityScore, type Difficulty } from '../labels/difficulty.js';
import type { Renderer, RenderOutput } from '../render/renderer.js';
import type { MaterialLibrary } from '../xray/materials.js';
import { scannerPhysics } from '../xray/scanner-physics.js';
import { writeFileAtomic } from './files.js';
import { encodeHere, type EncodedImage, type EncodePool } from './encode-pool.js';
import { detectorImages, type ViewImages } from './imaging.js';
import type { PngKind } from './png.js';
import { splitOf, type SplitRatios } from './split.js';
import type { SpeciesLibrary } from './species-library.js';

export interface SampleContext {
  out: string;
  materials: MaterialLibrary;
  species: SpeciesLibrary;
  renderer: Renderer;
  overlays: boolean;
  /** When given, milliseconds spent per stage are added to it (the benchmark's breakdown). */
  profile?: Record<string, number>;
  /** How samples are assigned to train/val/test. */
  split: { seed: number; ratios: SplitRatios };
  /** Worker threads for PNG encoding and hashing; without it both run on this thread. */
  encoder?: EncodePool;
}

function timed<T>(ctx: SampleContext, stage: string, work: () => T): T {
  if (!ctx.profile) return work();
  const t0 = performance.now();
  const result = work();
  ctx.profile[stage] = (ctx.profile[stage] ?? 0) + performance.now() - t0;
  return result;
}

async function timedAsync<T>(ctx: SampleContext, stage: string, work: () => Promise<T>): Promise<T> {
  if (!ctx.profile) return work();
  const t0 = performance.now();
  const result = await work();
  ctx.profile[stage] = (ctx.profile[stage] ?? 0) + performance.now() - t0;
  return result;
}

/** Labels of the animals in one view, read from the render's amodal masks and visibility sums. */
export function instanceLabels(
  scene: SceneDescription,
  render: Pick<RenderOutput, 'width' | 'height' | 'masks'> & Partial<Pick<RenderOutput, 'visibility'>>,
  view: ViewName = 'top',
): InstanceRecord[] {
  return scene.objects
    .filter((o) => o.role === 'animal')
    .map((obj, k) => {
      const mask = render.masks[k]!;
      return {
        view,
        instanceIndex: k,
        objectId: obj.id,
        species: obj.label!.species,
        scientificName: obj.label!.scientificName,
        bbox: maskBBox(mask, render.width, render.height),
        maskArea: maskArea(mask),
        maskRle: encodeRle(mask, render.width, render.height),
        lengthMm: obj.label!.lengthMm,
        ...visibilityFields(render.visibility ? visibilityScore(render.visibility.own[k]!, render.visibility.total[k]!) : null),
      };
    });
}

function visibilityFields(visibility: number | null): { visibility: number | null; difficulty: Difficulty | null } {
  // Rounded so the stored value does not depend on the order floats were summed in.
  const rounded = visibility === null ? null : Math.round(visibility * 1e4) / 1e4;
  return { visibility: rounded, difficulty: difficultyOf(rounded) };
}

/** File name stem of a sample's view: s000042 for the top view, s000042-side for the side view. */
export function viewStem(id: string, view: ViewName): string {
  return view === 'top' ? id : `${id}-${view}`;
}

async function encodeView(
  images: ViewImages,
  stem: string,
  overlay: Uint8Array | null,
  encoder: EncodePool | undefined,
): Promise<Array<{ kind: string; path: string; data: Buffer; sha256: string }>> {
  const { width, height } = images;
  // A buffer that only one of the encoded images uses moves to the encoder instead of being copied.
  const buffers = [images.colour, images.grey, images.high, images.low, overlay].filter((a) => a !== null).map((a) => a.buffer);
  const own = (a: Uint8Array | Uint16Array) => buffers.filter((b) => b === a.buffer).length === 1;
  const encode = (kind: PngKind, pixels: Uint8Array | Uint16Array) =>
    encoder ? encoder.encode(kind, pixels, width, height, own(pixels)) : encodeHere(kind, pixels, width, height);
  const files: Array<[string, string, Promise<EncodedImage>]> = [
    ['image', `images/${stem}.png`, images.colour ? encode('rgb', images.colour) : encode('grey', images.grey)],
    ['high', `raw/${stem}-high.png`, encode('grey', images.high)],
  ];
  if (images.colour) {
    files.push(['low', `raw/${stem}-low.png`, encode('grey', images.low)]);
    files.push(['grey', `grey/${stem}.png`, encode('grey', images.grey)]);
  }
  if (overlay) files.push(['overlay', `overlays/${stem}.png`, encode('rgb', overlay)]);
  return Promise.all(files.map(async ([kind, path, png]) => ({ kind, path, ...(await png) })));
}

/** How a sample is named and split when not by its index (refresh: per species and model). */
export interface SampleNaming {
  id: string;
  /** Hashed for the train/val/test split: stays with the sample across model revisions. */
  splitKey: string;
}

export async function makeSample(ctx: SampleContext, runId: number, index: number, scene: SceneDescription, naming?: SampleNaming): Promise<SampleRecord> {
  const id = naming?.id ?? formatSampleId(index);
  const physics = scannerPhysics(scene.scanner, ctx.materials);
  const instances: InstanceRecord[] = [];
  const files: SampleFile[] = [];
  let renderMs = 0;
  for (const view of scene.scanner.views ?? ['top']) {
    const t0 = performance.now();
    // Physics runs on the GPU; only the 16-bit low/high images and the masks come back.
    const visibilityKeV = physics.meanEnergy('high');
    const render = await ctx.renderer.render(scene, {
      view,
      spectral: (materials) => physics.spectral(materials),
      visibility: (materials) => materials.map((m) => ctx.materials.linearAttenuation(m, visibilityKeV)),
    });
    renderMs += render.timings.totalMs;
    if (ctx.profile) {
      // The render itself, and the time this sample waited for a free page (samples overlap).
      ctx.profile.render = (ctx.profile.render ?? 0) + render.timings.totalMs;
      ctx.profile.renderWait = (ctx.profile.renderWait ?? 0) + performance.now() - t0 - render.timings.totalMs;
    }
    const images = timed(ctx, 'detector', () => detectorImages(render, scene.scanner, physics, ctx.materials, scene.seed, view));
    const labels = timed(ctx, 'labels', () => instanceLabels(scene, render, view));
    instances.push(...labels);
    const overlay = ctx.overlays
      ? drawOverlay(images.colour ?? images.grey, images.width, images.height, labels.map((l, k) => ({ mask: render.masks[k]!, bbox: l.bbox })), images.colour ? 3 : 1)
      : null;
    const encoded = await timedAsync(ctx, 'encode', () => encodeView(images, viewStem(id, view), overlay, ctx.encoder));
    await timedAsync(ctx, 'write', () => Promise.all(encoded.map((f) => writeFileAtomic(path.join(ctx.out, f.path), f.data))));
    for (const f of encoded) files.push({ view, kind: f.kind, path: f.path, sha256: f.sha256 });
  }
  const top = (kind: string) => files.find((f) => f.view === 'top' && f.kind === kind)!;
  const objectMaterials: Record<string, string[]> = {};
  for (const obj of scene.objects) {
    if (obj.role === 'animal') objectMaterials[obj.id] = [...new Set(ctx.species.parts(obj.kind).map((p) => p.material))];
  }
  return {
    id,
    runId,
    sampleIndex: index,
    scene,
    split: splitOf(naming?.splitKey ?? id, ctx.split.seed, ctx.split.ratios),
    imagePath: top('image').path,
    imageSha256: top('image').sha256,
    rawPath: top('high').path,
    rawSha256: top('high').sha256,
    renderMs: Math.round(renderMs * 10) / 10,
    instances,
    files,
    objectMaterials,
  };
}

/** Folders a dataset's files go into. */
export const OUTPUT_FOLDERS = ['images', 'raw', 'grey', 'overlays', 'annotations'] as const;
