import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDatasetFiles } from '../../src/dataset/manifest.js';
import { openDatabase } from '../../src/db/database.js';
import { startServer, type ReviewServer } from '../../src/review/server.js';
import { tempDir } from '../helpers/tmp.js';
import { makeFixtureDataset, SIZE } from './fixture.js';

const tmp = tempDir('exoray-review-api-');
let server: ReviewServer;
let opticalCalls = 0;
const logged: string[] = [];
const SECRET = 'TOP-SECRET-CONTENT';

/** Raw HTTP, so paths reach the server exactly as written (fetch would normalise "..").*/
function request(method: string, rawPath: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: Buffer }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const getJson = async (p: string) => {
  const r = await request('GET', p);
  return { status: r.status, json: JSON.parse(r.body.toString()) as Record<string, any> };
};
const postReview = (id: string, body: unknown, type = 'application/json') =>
  request('POST', `/api/samples/${id}/reviews`, typeof body === 'string' ? body : JSON.stringify(body), { 'Content-Type': type });

beforeAll(async () => {
  await makeFixtureDataset(tmp.dir, 40);
  writeFileSync(path.join(path.dirname(tmp.dir), `${path.basename(tmp.dir)}-secret.txt`), SECRET);
  symlinkSync(path.join(path.dirname(tmp.dir), `${path.basename(tmp.dir)}-secret.txt`), path.join(tmp.dir, 'images', 'escape.png'));
  server = await startServer({
    dir: tmp.dir,
    port: 0,
    log: (m) => logged.push(m),
    optical: async (scene, opts) => {
      opticalCalls++;
      expect(scene.objects.length).toBeGreaterThan(1);
      return sharp({ create: { width: opts.width, height: opts.height, channels: 3, background: '#808080' } }).png().toBuffer();
    },
  });
});
afterAll(async () => {
  await server?.close();
  tmp.cleanup();
});

describe('review server API', () => {
  it('binds 127.0.0.1 by default and serves the page and its bundle', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await request('GET', '/');
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('/assets/review.js');
    const js = await request('GET', '/assets/review.js');
    expect(js.status).toBe(200);
    expect(js.type).toMatch(/javascript/);
    expect((await request('GET', '/assets/review.css')).status).toBe(200);
  });

  it('pages through search results with what each tile shows', async () => {
    const { json: first } = await getJson('/api/samples?limit=15');
    expect(first.total).toBe(40);
    expect(first.samples).toHaveLength(15);
    expect(first.samples[0]).toMatchObject({ id: 's000000', thumb: '/api/samples/s000000/thumb.webp', verdict: null });
    expect(first.samples[0].species.length).toBeGreaterThan(0);
    const { json: last } = await getJson('/api/samples?limit=15&offset=30');
    expect(last.samples.map((s: { id: string }) => s.id)).toEqual(Array.from({ length: 10 }, (_, i) => `s0000${30 + i}`));
    const { json: narrowed } = await getJson(`/api/samples?q=${encodeURIComponent('preset:suitcase')}`);
    expect(narrowed.total).toBeGreaterThan(0);
    expect(narrowed.total).toBeLessThan(40);
    expect(narrowed.samples.every((s: { preset: string }) => s.preset === 'suitcase')).toBe(true);
  });

  it('counts facets and stats for a query', async () => {
    const { json } = await getJson(`/api/facets?q=${encodeURIComponent('split:train')}`);
    expect(json.stats.bySplit).toEqual({ train: json.stats.samples });
    expect(Object.keys(json.stats.bySpecies).length).toBeGreaterThan(0);
    const { json: stats } = await getJson('/api/stats');
    expect(Object.keys(stats.reasonsByPreset).sort()).toEqual(['backpack', 'parcel', 'suitcase']);
  });

  it('answers bad requests with 4xx JSON that says what to fix', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['/api/samples?q=species%3A', 400, /needs a value\n.*\n\s+\^+/],
      ['/api/samples?q=nosuch%3Ax', 400, /unknown field "nosuch"/],
      ['/api/samples?q=visibility%3Cabc', 400, /not a number/],
      ['/api/samples?limit=5000', 400, /limit=5000/],
      ['/api/samples?offset=-1', 400, /offset=-1/],
      ['/api/samples?limit=1e3', 400, /whole number/],
      [`/api/samples?q=${'x'.repeat(3000)}`, 400, /under 2000/],
      ['/api/samples/s999999', 404, /no sample "s999999"/],
      ['/api/samples/%3Cscript%3E', 400, /not a sample id/],
      ['/api/samples/%E0%A4%A', 400, /not a valid sample id/],
      ['/api/nothing', 404, /no such page/],
      ['/api/samples/s000001/nothing', 404, /no such page/],
    ];
    for (const [p, status, message] of cases) {
      const r = await request('GET', p);
      expect(r.status, p).toBe(status);
      expect(r.type).toMatch(/application\/json/);
      const body = JSON.parse(r.body.toString()) as { error: string };
      expect(body.error, p).toMatch(message);
    }
    expect((await request('DELETE', '/api/samples/s000001')).status).toBe(405);
    expect((await request('POST', '/api/samples', '{}', { 'Content-Type': 'application/json' })).status).toBe(405);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const port = new URL(server.url).port;
    const r = await request('GET', '/api/meta', undefined, { Host: `evil.example:${port}` });
    expect(r.status).toBe(421);
    expect(JSON.parse(r.body.toString()).error).toMatch(/open the page at http:\/\/127\.0\.0\.1/);
    expect((await request('GET', '/api/meta', undefined, { Host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses path traversal in every spelling', async () => {
    const attempts = [
      '/files/../exoray.db',
      '/files/%2e%2e/%2e%2e/etc/passwd',
      '/files/images%2f..%2f..%2f..%2fetc%2fpasswd',
      '/files/images/%2E%2E/%2E%2E/secret.txt',
      '/files/%2fetc%2fpasswd',
      '/files//etc/passwd',
      '/files/images%5c..%5c..%5cetc%5cpasswd',
      '/files/images/escape.png',
      '/files/images/s000001.png%00.txt',
    ];
    for (const p of attempts) {
      const r = await request('GET', p);
      expect([400, 403, 404], p).toContain(r.status);
      expect(r.body.toString(), p).not.toContain(SECRET);
      expect(r.body.toString(), p).not.toContain('root:');
      expect(JSON.parse(r.body.toString()).error, p).toBeTruthy();
    }
    const ok = await request('GET', '/files/images/s000001.png');
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('image/png');
  });

  it('stores verdicts as an append-only history and validates them', async () => {
    const bad: Array<[unknown, string, number]> = [
      ['{not json', 'application/json', 400],
      [{ verdict: 'approved', reviewer: 'ann' }, 'text/plain', 415],
      [{ verdict: 'maybe', reviewer: 'ann' }, 'application/json', 400],
      [{ verdict: 'rejected', reason: 'too orange', reviewer: 'ann' }, 'application/json', 400],
      [{ verdict: 'approved', reviewer: '  ' }, 'application/json', 400],
      [{ verdict: 'approved', reviewer: 'ann', note: 7 }, 'application/json', 400],
      [[1, 2], 'application/json', 400],
      [{ verdict: 'approved', reviewer: 'ann', note: 'x'.repeat(20_000) }, 'application/json', 413],
    ];
    for (const [body, type, status] of bad) {
      const r = await postReview('s000003', body, type);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(JSON.parse(r.body.toString()).error).toMatch(/serve: /);
    }
    expect((await postReview('s999999', { verdict: 'approved', reviewer: 'ann' })).status).toBe(404);
    const first = await postReview('s000003', { verdict: 'rejected', reason: 'interpenetration', note: 'legs through the lid', reviewer: 'ann' });
    expect(first.status).toBe(201);
    const second = await postReview('s000003', { verdict: 'approved', reviewer: 'bob' });
    const history = JSON.parse(second.body.toString()).reviews as Array<{ verdict: string; reviewer: string; reason: string | null }>;
    expect(history.map((r) => [r.verdict, r.reviewer, r.reason])).toEqual([
      ['rejected', 'ann', 'interpenetration'],
      ['approved', 'bob', null],
    ]);
    // Stored in the database itself, seen by another connection.
    const db = openDatabase(path.join(tmp.dir, 'exoray.db'), { readonly: true });
    expect(db.reviews('s000003')).toHaveLength(2);
    db.close();
    const { json } = await getJson('/api/samples/s000003');
    expect(json.reviews).toHaveLength(2);
    expect(json.sample.instances.length).toBeGreaterThan(0);
    expect(json.sample.files.find((f: { kind: string }) => f.kind === 'image').url).toBe('/files/images/s000003.png');
    const { json: tiles } = await getJson(`/api/samples?q=${encodeURIComponent('review:approved')}`);
    expect(tiles.samples.map((s: { id: string }) => s.id)).toEqual(['s000003']);
  });

  it('makes thumbnails once, in a cache folder the manifest ignores', async () => {
    const r = await request('GET', '/api/samples/s000002/thumb.webp');
    expect(r.status).toBe(200);
    expect(r.type).toBe('image/webp');
    const meta = await sharp(r.body).metadata();
    expect([meta.width, meta.height]).toEqual([SIZE, SIZE]);
    const cache = path.join(tmp.dir, '.exoray-cache', 'thumbs');
    expect(readdirSync(cache)).toHaveLength(1);
    expect((await request('GET', '/api/samples/s000002/thumb.webp')).body.equals(r.body)).toBe(true);
    expect(readdirSync(cache)).toHaveLength(1);
    expect(listDatasetFiles(tmp.dir).some((f) => f.path.startsWith('.exoray-cache'))).toBe(false);
    // An image that is missing is a 404 with a message, not a crash.
    rmSync(path.join(tmp.dir, 'images', 's000039.png'));
    const missing = await request('GET', '/api/samples/s000039/thumb.webp');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).error).toMatch(/images\/s000039.png" does not exist/);
  });

  it('renders the optical view through the injected renderer, 503 without one', async () => {
    const r = await request('GET', '/api/samples/s000001/optical.png');
    expect(r.status).toBe(200);
    expect(r.type).toBe('image/png');
    expect(opticalCalls).toBe(1);
    const bare = await startServer({ dir: tmp.dir, port: 0 });
    try {
      const res = await fetch(new URL('/api/samples/s000001/optical.png', bare.url));
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: string }).error).toMatch(/no optical renderer/);
    } finally {
      await bare.close();
    }
  });

  it('keeps answering after all of that', async () => {
    expect((await getJson('/api/meta')).json).toMatchObject({ samples: 40, optical: true });
    expect(logged).toEqual([]);
  });

  it('refuses a folder without a dataset', async () => {
    const empty = mkdtempSync(path.join(tmp.dir, 'empty-'));
    await expect(startServer({ dir: empty })).rejects.toThrow(/holds no dataset/);
  });
});
