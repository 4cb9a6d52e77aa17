import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { openDatabase } from '../../src/db/database.js';
import { compileQuery } from '../../src/db/query.js';
import { searchSamples } from '../../src/db/search.js';
import { makeSample, RUN, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** 300 samples: splits, species and visibilities drawn from a seeded Rng; some reviewed. */
function dataset() {
  const db = openDatabase(join(tmp.dir, 'search.db'));
  const run = db.startRun(RUN);
  const rng = new Rng(21);
  const records = Array.from({ length: 300 }, (_, i) => {
    const r = makeSample(i, run);
    r.split = rng.pick(['train', 'train', 'train', 'val', 'test']);
    r.instances[0]!.species = rng.pick(['stag-beetle', 'ball-python', 'rhino-beetle']);
    r.instances[0]!.visibility = Math.round(rng.next() * 100) / 100;
    return r;
  });
  db.insertSamples(records);
  for (let i = 0; i < 300; i += 7) db.addReview({ sampleId: records[i]!.id, verdict: i % 2 ? 'approved' : 'rejected', reviewer: 'ana' });
  return db;
}

describe('searchSamples', () => {
  const db = dataset();
  /** Every match, sorted, straight from the compiled SQL: the reference for pages and totals. */
  const reference = (q: string) => {
    const { where, params } = compileQuery(q);
    return db.connection.prepare(`SELECT s.id FROM samples s WHERE ${where} ORDER BY s.run_id, s.sample_index`).pluck().all(...params) as string[];
  };
  const queries = [
    '',
    'split:val',
    'species:stag-beetle split:val',
    'species:*beetle visibility<0.2',
    'species:ball-python -split:train',
    'review:approved',
    '-review:rejected species:rhino-beetle',
    '"beetle" split:test',
    'visibility>=0.99',
    'species:no-such-animal',
  ];

  it('pages through the same samples whichever way it walks (bitmaps; SQL in order, or gathering the matches)', () => {
    for (const q of queries) {
      const all = reference(q);
      for (const sqlOnly of [false, true]) {
        for (const [limit, offset] of [[100, 0], [10, 0], [7, 3], [50, 250], [5, all.length - 2]] as const) {
          const result = searchSamples(db, q, { limit, offset: Math.max(0, offset), sqlOnly });
          expect(result.total, q).toBe(all.length);
          expect(result.samples.map((s) => s.id), `${q} ${limit}/${offset}`).toEqual(all.slice(Math.max(0, offset), Math.max(0, offset) + limit));
          expect(result.capped).toBeUndefined();
        }
      }
    }
  });

  it('free text finds animals by the species and scientific names stored with them, and presets', () => {
    // No catalog in this database: names are matched through species_names, then by index.
    const bySpecies = (prefix: string) =>
      db.connection.prepare("SELECT DISTINCT sample_id FROM instances WHERE species LIKE ? ORDER BY sample_id").pluck().all(`${prefix}%`);
    expect(reference('"ball-py"')).toEqual(bySpecies('ball-py'));
    expect(reference('"rhino"')).toEqual(bySpecies('rhino'));
    // Every sample's second animal is a tarantula (Brachypelma hamorii).
    expect(reference('hamorii')).toHaveLength(300);
    expect(reference('parc')).toHaveLength(300);
    expect(reference('"no such name"')).toEqual([]);
  });

  it('counts up to a limit when asked and counting is expensive, and says so', () => {
    const all = reference('split:train');
    expect(all.length).toBeGreaterThan(50);
    // The bitmaps count exactly whatever the limit.
    expect(searchSamples(db, 'split:train', { limit: 10, countUpTo: 50 })).toMatchObject({ total: all.length, via: 'bitmaps' });
    // SQL stops counting there.
    const capped = searchSamples(db, 'split:train', { limit: 10, countUpTo: 50, sqlOnly: true });
    expect(capped).toMatchObject({ total: 50, capped: true, via: 'sql' });
    expect(capped.samples.map((s) => s.id)).toEqual(all.slice(0, 10));
    // Free text is tested sample by sample when the count stops early.
    const beetles = reference('"beetle"');
    expect(beetles.length).toBeGreaterThan(20);
    const text = searchSamples(db, '"beetle"', { limit: 5, countUpTo: 20, sqlOnly: true });
    expect(text).toMatchObject({ total: 20, capped: true });
    expect(text.samples.map((s) => s.id)).toEqual(beetles.slice(0, 5));
    // Below the limit the count is exact and not marked.
    const exact = searchSamples(db, 'split:val species:stag-beetle', { countUpTo: 1000, sqlOnly: true });
    expect(exact.total).toBe(reference('split:val species:stag-beetle').length);
    expect(exact.capped).toBeUndefined();
  });

  it('the latest verdict decides review:x, and an unreviewed sample matches neither review:x nor -review:x', () => {
    const approved = reference('review:approved');
    const notApproved = reference('-review:approved');
    const none = reference('review:none');
    expect(approved.length).toBeGreaterThan(0);
    expect(approved.length + notApproved.length + none.length).toBe(300);
    expect(reference('-review:none')).toEqual([...approved, ...notApproved].sort());
    db.addReview({ sampleId: approved[0]!, verdict: 'flagged', reviewer: 'bo' });
    expect(reference('review:approved')).toEqual(approved.slice(1));
    expect(searchSamples(db, 'review:flagged reviewer:bo').samples.map((s) => s.id)).toEqual([approved[0]]);
  });
});
