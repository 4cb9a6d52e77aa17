import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { compileQuery } from '../../src/db/query.js';
import { searchSamples } from '../../src/db/search.js';
import { datasetStats } from '../../src/db/stats.js';
import { exportCsv } from '../../src/db/csv-export.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeSample, RUN, tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

function dataset() {
  const db = openDatabase(join(tmp.dir, `q-${Math.floor(performance.now() * 1000)}.db`));
  const run = db.startRun(RUN);
  const records = Array.from({ length: 10 }, (_, i) => makeSample(i, run));
  // Vary what the queries filter on: visibility and difficulty of the first animal.
  records.forEach((r, i) => {
    r.instances[0]!.visibility = i / 10;
    r.instances[0]!.difficulty = i / 10 >= 0.4 ? 'easy' : i / 10 >= 0.15 ? 'hard' : 'hidden';
  });
  records[3]!.scene.preset = 'reptile-box';
  db.insertSamples(records);
  db.upsertSpecies([
    { id: 'stag-beetle', scientificName: 'Lucanus cervus', commonNames: { en: 'Stag beetle', zh: '欧洲深山锹甲' }, taxonomy: { class: 'Insecta', order: 'Coleoptera', family: 'Lucanidae' }, cites: null, tags: ['beetle'] },
    { id: 'tarantula', scientificName: 'Brachypelma hamorii', commonNames: { en: 'Mexican red-knee tarantula', zh: '墨西哥红膝头' }, taxonomy: { class: 'Arachnida', order: 'Araneae', family: 'Theraphosidae' }, cites: 'II', tags: ['spider'] },
  ]);
  return db;
}

describe('query language', () => {
  const db = dataset();
  const ids = (q: string) => searchSamples(db, q, { limit: 100 }).samples.map((s) => s.id);

  it('filters by sample and animal fields, numbers and wildcards', () => {
    expect(ids('')).toHaveLength(10);
    expect(ids('split:train')).toEqual(['s000000', 's000002', 's000004', 's000006', 's000008']);
    expect(ids('preset:reptile*')).toEqual(['s000003']);
    expect(ids('species:stag* visibility<0.3')).toEqual(['s000000', 's000001', 's000002']);
    expect(ids('difficulty:hidden')).toEqual(['s000000', 's000001']);
    expect(ids('animals>=2 split:val -preset:reptile-box')).toEqual(['s000001', 's000005', 's000007', 's000009']);
    expect(ids('"brachypelma"')).toHaveLength(10);
    expect(ids('-species:tarantula')).toEqual([]);
    expect(searchSamples(db, 'split:train', { limit: 2 })).toMatchObject({ total: 5 });
  });

  it('searches every name of a species, in any language, and its taxonomy', () => {
    expect(ids('"red-knee"')).toHaveLength(10);
    expect(ids('深山锹甲')).toHaveLength(10);
    expect(ids('family:Lucanidae visibility>=0.8')).toEqual(['s000008', 's000009']);
    expect(ids('order:Aranea* -family:Lucanidae')).toEqual([]);
    expect(ids('"no such animal"')).toEqual([]);
  });

  it('animal fields apply to one and the same animal', () => {
    // The tarantula has no visibility; the beetle has: "tarantula with visibility<0.3" matches nothing.
    expect(ids('species:tarantula visibility<0.3')).toEqual([]);
  });

  it('never puts values into the SQL text', () => {
    const q = compileQuery(`species:"x'; DROP TABLE samples; --" split:train`);
    expect(q.where).not.toContain('DROP');
    expect(q.params).toContain("x'; DROP TABLE samples; --");
    expect(ids(`species:"x'; DROP TABLE samples; --"`)).toEqual([]);
    expect(ids('')).toHaveLength(10);
  });

  it('points at the offending token', () => {
    expect(() => compileQuery('split:train colour:red')).toThrow(/unknown field "colour"[\s\S]*\n {2}split:train colour:red\n {14}\^{6}/);
    expect(() => compileQuery('visibility<low')).toThrow(/"low" is not a number/);
    expect(() => compileQuery('species>3')).toThrow(/species is text/);
    expect(() => compileQuery('"open')).toThrow(/unclosed quote/);
  });
});

describe('stats', () => {
  it('counts the samples matching a query by species, difficulty, split and preset', () => {
    const db = dataset();
    const all = datasetStats(db);
    expect(all.samples).toBe(10);
    expect(all.animals).toBe(20);
    expect(all.bySpecies).toEqual({ 'stag-beetle': 10, tarantula: 10 });
    expect(all.bySplit).toEqual({ train: 5, val: 5 });
    expect(all.byPreset).toEqual({ parcel: 9, 'reptile-box': 1 });
    expect(Object.values(all.byFamily).reduce((a, b) => a + b, 0)).toBe(all.animals);
    expect(Object.values(all.byContainer).reduce((a, b) => a + b, 0)).toBe(all.samples);
    const hidden = datasetStats(db, 'difficulty:hidden');
    expect(hidden.samples).toBe(2);
    expect(hidden.byDifficulty).toEqual({ '(none)': 2, hidden: 2 });
    db.close();
  });
});

describe('CSV export', () => {
  it('writes every main table with a header and one line per row, quoting what needs it', () => {
    const db = dataset();
    const out = join(tmp.dir, 'csv');
    const files = exportCsv(db, out, (file, chunks) => writeFileSync(file, [...chunks].join('')));
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(['runs.csv', 'samples.csv', 'instances.csv', 'objects.csv', 'sample_files.csv']);
    const samples = readFileSync(join(out, 'samples.csv'), 'utf8').trim().split('\n');
    expect(samples).toHaveLength(11);
    expect(samples[0]!.split(',')[0]).toBe('id');
    const instances = readFileSync(join(out, 'instances.csv'), 'utf8');
    // RLE JSON holds quotes and commas: quoted, with quotes doubled.
    expect(instances).toMatch(/,"\{""size"":\[6,8\],""counts"":""[^"]*""\}",/);
    db.close();
  });
});

describe('reviews', () => {
  it('are an append-only history; the latest verdict counts in queries and stats; notes are searchable', () => {
    const db = dataset();
    db.addReview({ sampleId: 's000001', verdict: 'rejected', reason: 'interpenetration', note: 'legs through the phone', reviewer: 'ana' });
    db.addReview({ sampleId: 's000001', verdict: 'approved', note: 'looked again: fine', reviewer: 'ana' });
    db.addReview({ sampleId: 's000002', verdict: 'flagged', reason: 'label-wrong', note: '', reviewer: 'bo' });
    expect(db.reviews('s000001').map((r) => r.verdict)).toEqual(['rejected', 'approved']);
    const q = (e: string) => searchSamples(db, e).samples.map((s) => s.id);
    expect(q('review:approved')).toEqual(['s000001']);
    expect(q('review:flagged reviewer:bo')).toEqual(['s000002']);
    expect(q('review:none')).toHaveLength(8);
    expect(q('"through the phone"')).toEqual(['s000001']);
    const stats = datasetStats(db);
    expect(stats.byVerdict).toEqual({ approved: 1, flagged: 1, none: 8 });
    expect(stats.byReason).toEqual({ 'label-wrong': 1 });
    expect(() => db.connection.prepare("UPDATE reviews SET verdict = 'approved'").run()).toThrow(/append-only/);
    expect(() => db.connection.prepare('DELETE FROM reviews').run()).toThrow(/append-only/);
    expect(() => db.addReview({ sampleId: 's999999', verdict: 'approved', reviewer: 'x' })).toThrow(/no sample "s999999"/);
    db.close();
  });
});
