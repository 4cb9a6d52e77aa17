/**
 * The gallery's API on 100,000 samples: first page, a deep page, a filtered
 * search, a sample and a verdict. Times are printed (the figures in
 * docs/REVIEW.md), not asserted: this machine's load varies too much.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ReviewServer } from '../../src/review/server.js';
import { tempDir } from '../helpers/tmp.js';
import { makeFixtureDataset } from './fixture.js';

const COUNT = 100_000;
const tmp = tempDir('exoray-review-scale-');
let server: ReviewServer;

async function timed(p: string, init?: RequestInit): Promise<{ ms: number; status: number; json: any }> {
  const t0 = performance.now();
  const res = await fetch(new URL(p, server.url), init);
  const json = await res.json();
  return { ms: performance.now() - t0, status: res.status, json };
}

beforeAll(async () => {
  const t0 = performance.now();
  await makeFixtureDataset(tmp.dir, COUNT, 0);
  console.log(`review scale: built ${COUNT} samples in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  server = await startServer({ dir: tmp.dir, port: 0 });
}, 600_000);
afterAll(async () => {
  await server?.close();
  tmp.cleanup();
});

describe(`review API on ${COUNT.toLocaleString('en')} samples`, () => {
  it('pages, searches, opens and judges', async () => {
    const first = await timed('/api/samples?limit=60');
    expect(first.json.total).toBe(COUNT);
    expect(first.json.samples).toHaveLength(60);
    const deep = await timed(`/api/samples?limit=60&offset=${COUNT - 60}`);
    expect(deep.json.samples.at(-1).id).toBe('s099999');
    const filtered = await timed(`/api/samples?limit=60&q=${encodeURIComponent('species:tarantula split:val preset:suitcase')}`);
    expect(filtered.json.total).toBeGreaterThan(0);
    expect(filtered.json.samples.every((s: { preset: string; split: string; species: string[] }) => s.preset === 'suitcase' && s.split === 'val' && s.species.includes('tarantula'))).toBe(true);
    const one = await timed('/api/samples/s054321');
    expect(one.json.sample.id).toBe('s054321');
    const verdict = await timed('/api/samples/s054321/reviews', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ verdict: 'flagged', reason: 'implausible-pose', reviewer: 'scale' }),
    });
    expect(verdict.status).toBe(201);
    const next = await timed(`/api/samples?limit=1&offset=54322`);
    expect(next.json.samples[0].id).toBe('s054322');
    const facets = await timed('/api/facets');
    expect(facets.json.stats.samples).toBe(COUNT);
    console.log(
      `review scale (ms): first page ${first.ms.toFixed(0)}, last page ${deep.ms.toFixed(0)}, filtered ${filtered.ms.toFixed(0)}, ` +
        `sample ${one.ms.toFixed(0)}, verdict ${verdict.ms.toFixed(0)}, next ${next.ms.toFixed(0)}, facets ${facets.ms.toFixed(0)}`,
    );
  });
});
