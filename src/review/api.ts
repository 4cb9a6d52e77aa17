/**
 * The review server's routes: JSON API over the simulation database, dataset
 * files, thumbnails, and the page itself. Every handler validates its input and
 * throws RequestError (a 4xx with a message) for anything it refuses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/paths.js';
import type { SceneDescription } from '../core/types.js';
import { VERDICTS, type SimulationDb, type Verdict } from '../db/database.js';
import { searchSamples } from '../db/search.js';
import { datasetStats, datasetStatsMany } from '../db/stats.js';
import { sampleTiles } from '../db/tiles.js';
import type { FacetsResponse, MetaResponse, ReviewRequest, SampleResponse, SamplesResponse, StatsResponse } from './api-types.js';
import { REVIEW_REASON_IDS, REVIEW_REASONS } from './reasons.js';
import { RequestError } from './request-error.js';
import { resolveInside } from './safe-path.js';
import type { ThumbnailCache } from './thumbnails.js';
import { pageHtml } from './page-html.js';

/** Renders the scene as a camera would see it (no X-ray), for the reviewer to see what is inside the bag. */
export type OpticalRenderer = (scene: SceneDescription, options: { width: number; height: number }) => Promise<Uint8Array>;

export interface ApiContext {
  dir: string;
  db: SimulationDb;
  thumbnails: ThumbnailCache;
  optical?: OpticalRenderer;
}

export interface Reply {
  status: number;
  type: string;
  body: string | Uint8Array;
  headers?: Record<string, string>;
}

export const MAX_PAGE = 200;
/**
 * A query the facet bitmaps cannot answer is counted with SQL only this far (the gallery then
 * says "10,000+"): an exact count of a broad such query over a million samples takes seconds.
 */
export const COUNT_UP_TO = 10_000;
const MAX_QUERY = 2000;
const SAMPLE_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.html': 'text/html; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

const json = (body: unknown, status = 200): Reply => ({ status, type: 'application/json; charset=utf-8', body: JSON.stringify(body) });

/** Answers one request; `readBody` parses a POST's JSON body when a route needs it. */
export async function route(ctx: ApiContext, method: string, url: URL, readBody: () => Promise<unknown>): Promise<Reply> {
  const p = url.pathname;
  const parts = p.split('/');
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') throw new RequestError(405, `method ${method} is not supported; use GET, or POST for verdicts.`);
  const isPost = method === 'POST';
  if (isPost && !/^\/api\/samples\/[^/]+\/reviews$/.test(p)) throw new RequestError(405, `${p} answers GET only; POST is for /api/samples/ID/reviews.`);

  if (p === '/' || p === '/index.html') return { status: 200, type: 'text/html; charset=utf-8', body: pageHtml(path.basename(path.resolve(ctx.dir))) };
  if (p === '/assets/review.js' || p === '/assets/review.css') return asset(path.basename(p));
  if (p.startsWith('/files/')) return datasetFile(ctx, p.slice('/files/'.length));
  if (p === '/api/meta') return json(meta(ctx));
  if (p === '/api/samples') return json(samples(ctx, url.searchParams));
  if (p === '/api/facets') {
    const query = queryParam(url.searchParams);
    return json({ query, stats: datasetStats(ctx.db, query) } satisfies FacetsResponse);
  }
  if (p === '/api/stats') return json(stats(ctx, queryParam(url.searchParams)));
  if (parts[1] === 'api' && parts[2] === 'samples' && parts.length >= 4) {
    const id = sampleId(parts[3]!);
    const rest = parts.slice(4).join('/');
    if (rest === '') return json(sample(ctx, id));
    if (rest === 'thumb.webp') return thumbnail(ctx, id);
    if (rest === 'optical.png') return optical(ctx, id);
    if (rest === 'reviews') {
      if (!isPost) return json({ reviews: ctx.db.reviews(requireSample(ctx, id)) });
      return json(addReview(ctx, id, await readBody()), 201);
    }
  }
  throw new RequestError(404, `no such page or API: ${p}. The API is under /api (meta, samples, facets, stats); dataset files under /files/.`);
}

function asset(name: string): Reply {
  const file = path.join(packageRoot(), 'dist', 'review', 'assets', name);
  let body: Buffer;
  try {
    body = readFileSync(file);
  } catch {
    throw new RequestError(500, `the page bundle ${file} is missing; run \`npm run build\` in the exoray package.`);
  }
  return { status: 200, type: name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8', body };
}

function datasetFile(ctx: ApiContext, rel: string): Reply {
  const file = resolveInside(ctx.dir, rel);
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  // A dataset's own HTML (report.html) must not run scripts with the page's origin.
  return { status: 200, type, body: readFileSync(file), headers: { 'Content-Security-Policy': 'sandbox', 'Cache-Control': 'no-cache' } };
}

function meta(ctx: ApiContext): MetaResponse {
  return {
    dataset: path.basename(path.resolve(ctx.dir)),
    samples: ctx.db.countSamples(),
    verdicts: VERDICTS,
    reasons: REVIEW_REASONS,
    optical: ctx.optical !== undefined,
  };
}

function queryParam(params: URLSearchParams): string {
  const q = params.get('q') ?? '';
  if (q.length > MAX_QUERY) throw new RequestError(400, `the query is ${q.length} characters long; keep it under ${MAX_QUERY}.`);
  return q;
}

function intParam(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > max) throw new RequestError(400, `${name}=${raw} is not valid; give a whole number from 0 to ${max}.`);
  return Number(raw);
}

function samples(ctx: ApiContext, params: URLSearchParams): SamplesResponse {
  const query = queryParam(params);
  const limit = intParam(params, 'limit', 60, MAX_PAGE);
  const offset = intParam(params, 'offset', 0, 1_000_000_000);
  const result = searchSamples(ctx.db, query, { limit, offset, countUpTo: COUNT_UP_TO });
  const tiles = sampleTiles(ctx.db, result.samples.map((s) => s.id));
  return {
    query,
    total: result.total,
    ...(result.capped ? { capped: true as const } : {}),
    offset,
    limit,
    samples: result.samples.map((s) => ({ ...s, ...tiles[s.id]!, thumb: `/api/samples/${encodeURIComponent(s.id)}/thumb.webp` })),
  };
}

function stats(ctx: ApiContext, query: string): StatsResponse {
  // The query and each preset of the dataset, counted from one read of the facet bitmaps.
  const presets = Object.keys(datasetStats(ctx.db).byPreset);
  // A quoted value keeps a preset name with spaces one term.
  const [all, ...each] = datasetStatsMany(ctx.db, [query, ...presets.map((p) => `${query} preset:"${p.replace(/"/g, '')}"`)]);
  const reasonsByPreset: Record<string, Record<string, number>> = {};
  // In the query's own order of presets; those it leaves no sample of are not listed.
  for (const preset of Object.keys(all!.byPreset)) reasonsByPreset[preset] = each[presets.indexOf(preset)]?.byReason ?? {};
  return { query, stats: all!, reasonsByPreset };
}

function sampleId(raw: string): string {
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw new RequestError(400, `"${raw}" is not a valid sample id.`);
  }
  if (!SAMPLE_ID.test(id)) throw new RequestError(400, `"${id}" is not a sample id; ids look like s000042.`);
  return id;
}

function requireSample(ctx: ApiContext, id: string): string {
  if (!ctx.db.hasSample(id)) throw new RequestError(404, `there is no sample "${id}" in this dataset.`);
  return id;
}

function sample(ctx: ApiContext, id: string): SampleResponse {
  const s = ctx.db.getSample(id);
  if (!s) throw new RequestError(404, `there is no sample "${id}" in this dataset.`);
  const files = s.files.map((f) => ({ ...f, url: `/files/${f.path.split('/').map(encodeURIComponent).join('/')}` }));
  return { sample: { ...s, files }, reviews: ctx.db.reviews(id) };
}

async function thumbnail(ctx: ApiContext, id: string): Promise<Reply> {
  const s = ctx.db.getSample(id);
  if (!s) throw new RequestError(404, `there is no sample "${id}" in this dataset.`);
  const file = resolveInside(ctx.dir, s.imagePath);
  const body = await ctx.thumbnails.get(file, s.imageSha256);
  return { status: 200, type: 'image/webp', body, headers: { 'Cache-Control': 'max-age=3600' } };
}

async function optical(ctx: ApiContext, id: string): Promise<Reply> {
  const s = ctx.db.getSample(id);
  if (!s) throw new RequestError(404, `there is no sample "${id}" in this dataset.`);
  if (!ctx.optical) {
    throw new RequestError(503, 'no optical renderer is available in this server; the optical view needs exoray serve started with a renderer.');
  }
  const png = await ctx.optical(s.scene, { width: s.width, height: s.height });
  return { status: 200, type: 'image/png', body: png };
}

function addReview(ctx: ApiContext, id: string, body: unknown): { id: number; reviews: ReturnType<SimulationDb['reviews']> } {
  requireSample(ctx, id);
  const input = validateReview(body);
  const reviewId = ctx.db.addReview({ sampleId: id, ...input });
  return { id: reviewId, reviews: ctx.db.reviews(id) };
}

/** Checks a verdict's JSON; the reason must come from the list so the stats can count it. */
export function validateReview(body: unknown): { verdict: Verdict; reason: string | null; note: string; reviewer: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError(400, 'the verdict must be a JSON object {"verdict", "reason", "note", "reviewer"}.');
  }
  const r = body as Partial<Record<keyof ReviewRequest, unknown>>;
  if (typeof r.verdict !== 'string' || !(VERDICTS as readonly string[]).includes(r.verdict)) {
    throw new RequestError(400, `"verdict" must be one of ${VERDICTS.join(', ')}; got ${JSON.stringify(r.verdict ?? null)}.`);
  }
  const reason = r.reason ?? null;
  if (reason !== null && (typeof reason !== 'string' || !REVIEW_REASON_IDS.includes(reason))) {
    throw new RequestError(400, `"reason" must be one of ${REVIEW_REASON_IDS.join(', ')} (or null); got ${JSON.stringify(reason)}.`);
  }
  const note = r.note ?? '';
  if (typeof note !== 'string' || note.length > 4000) throw new RequestError(400, '"note" must be text of at most 4000 characters.');
  const reviewer = typeof r.reviewer === 'string' ? r.reviewer.trim() : '';
  if (reviewer === '' || reviewer.length > 100) throw new RequestError(400, '"reviewer" must name the reviewer (1 to 100 characters); set your name in the page.');
  return { verdict: r.verdict as Verdict, reason, note, reviewer };
}
