/**
 * The dataset report on a real (small) dataset: its counts and histograms
 * against the database, the HTML page (also opened in headless Chromium), the
 * contact sheet's size, determinism and labels, and the `report` command.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import puppeteer from 'puppeteer-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generate } from '../../src/dataset/generate.js';
import { openDatabase, type SimulationDb } from '../../src/db/database.js';
import { computeReport, niceBinWidth, writeReport, type Histogram, type ReportData, type ReportFiles } from '../../src/dataset/report.js';
import { compactCount, escapeHtml, formatCount, renderReportHtml } from '../../src/dataset/report-html.js';
import { contactSheet, pickSamples, resampleBox, resampleMask, sheetLayout } from '../../src/dataset/contact-sheet.js';
import * as reportCommand from '../../src/cli/report.js';
import { OVERLAY_COLOURS } from '../../src/labels/overlay.js';
import { findChromium } from '../../src/render/chromium.js';
import { isExorayError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/tmp.js';

const COUNT = 6;
const SIZE = 96;
const THUMB = 192;
const SHEET_SEED = 3;

let tmp: ReturnType<typeof tempDir>;
let out: string;
let db: SimulationDb;
let raw: Database.Database;
let files: ReportFiles;

beforeAll(async () => {
  tmp = tempDir('exoray-report-');
  out = path.join(tmp.dir, 'data');
  await generate({ out, count: COUNT, seed: 5, size: SIZE, workers: 1 });
  db = openDatabase(path.join(out, 'exoray.db'), { readonly: true });
  raw = new Database(path.join(out, 'exoray.db'), { readonly: true });
  files = await writeReport(out, db, { seed: SHEET_SEED });
}, 240_000);

afterAll(() => {
  db?.close();
  raw?.close();
  tmp?.cleanup();
});

const scalar = (sql: string, ...params: unknown[]) => (raw.prepare(sql).get(...params) as { n: number }).n;
const grouped = (sql: string) => Object.fromEntries((raw.prepare(sql).all() as Array<{ k: string | null; n: number }>).map((r) => [r.k ?? 'unassigned', r.n]));
const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
const binSum = (h: Histogram) => sum(h.bins.map((b) => b.count));

describe('computeReport', () => {
  it('counts what the database holds', () => {
    const d = files.data;
    const samples = scalar('SELECT count(*) AS n FROM samples');
    const instances = scalar('SELECT count(*) AS n FROM instances');
    expect(samples).toBe(COUNT);
    expect(instances).toBeGreaterThan(0);
    expect(d.generatedFrom).toEqual({ samples, instances, images: COUNT, runs: 1 });
    expect(d.counts.bySpecies).toEqual(grouped('SELECT species AS k, count(*) AS n FROM instances GROUP BY species'));
    expect(sum(Object.values(d.counts.bySpecies))).toBe(instances);
    expect(d.counts.bySplit).toEqual(grouped('SELECT split AS k, count(*) AS n FROM samples GROUP BY split'));
    expect(sum(Object.values(d.counts.bySplit))).toBe(samples);
    expect(d.counts.byPreset).toEqual({ parcel: samples });
    expect(d.counts.byDifficulty).toEqual(grouped('SELECT difficulty AS k, count(*) AS n FROM instances GROUP BY difficulty'));
    expect(sum(Object.values(d.counts.byDifficulty))).toBe(instances);
    expect(d.counts.byView).toEqual({ top: instances });
    expect(d.counts.byContainer).toEqual(grouped('SELECT container_kind AS k, count(*) AS n FROM samples GROUP BY container_kind'));
    // Splits in train, val, test order, with their labels.
    const order = ['train', 'val', 'test', 'unassigned'];
    expect(d.splits.map((s) => order.indexOf(s.split))).toEqual([...d.splits.map((s) => order.indexOf(s.split))].sort((a, b) => a - b));
    for (const s of d.splits) {
      expect(s.instances).toBe(scalar('SELECT count(*) AS n FROM instances i JOIN samples s ON s.id = i.sample_id WHERE s.split = ?', s.split));
    }
    expect(sum(d.splits.map((s) => s.instances))).toBe(instances);
    // Per species: samples holding it and the mean visibility.
    for (const s of d.species) {
      expect(s.samples).toBe(scalar('SELECT count(DISTINCT sample_id) AS n FROM instances WHERE species = ?', s.species));
      const mean = (raw.prepare('SELECT avg(visibility) AS v FROM instances WHERE species = ?').get(s.species) as { v: number }).v;
      expect(s.meanVisibility).toBeCloseTo(mean, 4);
      expect(s.scientificName.length).toBeGreaterThan(0);
    }
    expect(d.scanners).toEqual([expect.objectContaining({ width: SIZE, height: SIZE, geometry: 'fan', kVp: 160, views: ['top'], effects: true, samples })]);
    expect(d.runs).toEqual([expect.objectContaining({ id: 1, preset: 'parcel', seed: 5, status: 'completed', samples, requested: COUNT })]);
  });

  it('bins every value once, in the bin it belongs to', () => {
    const { boxSizePx, visibility, animalsPerImage, clutterPerImage } = files.data.histograms;
    const instances = files.data.generatedFrom.instances;
    for (const h of [boxSizePx, visibility]) {
      expect(binSum(h)).toBe(h.total);
      expect(h.total + h.missing).toBe(instances);
    }
    for (const h of [animalsPerImage, clutterPerImage]) {
      expect(binSum(h)).toBe(COUNT);
      expect(h.total).toBe(COUNT);
    }
    expect(visibility.bins).toHaveLength(10);
    // Recount from the rows, independently of the SQL binning.
    const rows = raw.prepare('SELECT bbox_w, bbox_h, visibility FROM instances').all() as Array<{ bbox_w: number | null; bbox_h: number | null; visibility: number | null }>;
    const inBin = (h: Histogram, v: number) => h.bins.findIndex((b, i) => v >= b.lo - 1e-9 && (v < b.hi - 1e-9 || (i === h.bins.length - 1 && v <= b.hi + 1e-9)));
    const expectBins = (h: Histogram, values: number[]) => {
      const counts = h.bins.map(() => 0);
      for (const v of values) {
        const b = inBin(h, v);
        expect(b, `value ${v} outside ${h.title}'s bins`).toBeGreaterThanOrEqual(0);
        counts[b]++;
      }
      expect(h.bins.map((b) => b.count)).toEqual(counts);
    };
    expectBins(boxSizePx, rows.filter((r) => r.bbox_w !== null).map((r) => Math.sqrt(r.bbox_w! * r.bbox_h!)));
    expectBins(visibility, rows.filter((r) => r.visibility !== null).map((r) => r.visibility!));
    for (const h of [boxSizePx, visibility]) for (let i = 1; i < h.bins.length; i++) expect(h.bins[i].lo).toBeCloseTo(h.bins[i - 1].hi, 9);
    const perValue = (column: string) => raw.prepare(`SELECT ${column} AS v, count(*) AS n FROM samples GROUP BY v`).all() as Array<{ v: number; n: number }>;
    for (const [h, column] of [[animalsPerImage, 'animal_count'], [clutterPerImage, 'clutter_count']] as const) {
      for (const { v, n } of perValue(column)) expect(h.bins.find((b) => b.lo <= v && v <= b.hi)?.count).toBe(n);
      expect(h.stats!.max).toBe(scalar(`SELECT max(${column}) AS n FROM samples`));
    }
  });

  it('is a pure function of the database (no date unless one is passed)', () => {
    const again = computeReport(db);
    expect(JSON.stringify(again)).toBe(JSON.stringify(computeReport(db)));
    expect(again).not.toHaveProperty('generatedAt');
    expect(computeReport(db, { generatedAt: '2030-01-02T03:04:05Z' }).generatedAt).toBe('2030-01-02T03:04:05Z');
    // The written JSON is the returned data: the statistics plus the contact sheet.
    const written = JSON.parse(readFileSync(files.json, 'utf8')) as ReportData;
    expect(written).toEqual(files.data);
    const { contactSheet: sheet, ...stats } = written;
    expect(stats).toEqual(again);
    expect(sheet?.samples.map((s) => s.id)).toHaveLength(COUNT);
  });

  it('reports an empty dataset without failing', async () => {
    const empty = tempDir('exoray-report-empty-');
    const edb = openDatabase(path.join(empty.dir, 'exoray.db'));
    try {
      const written = await writeReport(empty.dir, edb, { seed: 1 });
      expect(written.contactSheet).toBeNull();
      expect(written.data.generatedFrom).toEqual({ samples: 0, instances: 0, images: 0, runs: 0 });
      for (const h of Object.values(written.data.histograms)) expect(h).toMatchObject({ bins: [], total: 0, stats: null });
      const html = readFileSync(written.html, 'utf8');
      expect(html).toContain('No samples to show');
      expect(html.match(/<svg /g)).toHaveLength(4);
      expect(existsSync(path.join(empty.dir, 'report', 'contact-sheet.png'))).toBe(false);
    } finally {
      edb.close();
      empty.cleanup();
    }
  });

  it('chooses bin widths of 1, 2 or 5 times a power of ten', () => {
    expect(niceBinWidth(23.4, 75.9, 16)).toBe(5);
    expect(niceBinWidth(0, 1000, 16)).toBe(100);
    expect(niceBinWidth(3, 3, 16)).toBeGreaterThan(0);
    for (const [lo, hi] of [[0.2, 0.9], [1, 3000], [17, 18], [100, 40000]]) {
      const w = niceBinWidth(lo, hi, 16);
      expect(Math.floor(hi / w) - Math.floor(lo / w) + 1).toBeLessThanOrEqual(16);
      expect([1, 2, 5]).toContain(Math.round(w / 10 ** Math.floor(Math.log10(w))));
    }
  });
});

describe('report.html', () => {
  it('is one offline page with every species, a chart per histogram and the contact sheet', () => {
    const html = readFileSync(files.html, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const species of Object.keys(files.data.counts.bySpecies)) expect(html).toContain(escapeHtml(species));
    for (const s of files.data.species) expect(html).toContain(escapeHtml(s.scientificName));
    const keys = Object.keys(files.data.histograms);
    expect(keys).toHaveLength(4);
    expect(html.match(/<svg /g)).toHaveLength(keys.length);
    for (const key of keys) expect(html).toMatch(new RegExp(`id="chart-${key}"[^]*?<svg `));
    expect(html).toContain('src="contact-sheet.png"');
    for (const s of files.data.contactSheet!.samples) expect(html).toContain(s.id);
    for (const split of Object.keys(files.data.counts.bySplit)) expect(html).toContain(`<td>${split}</td>`);
    // Nothing from outside: no scripts, no stylesheets or fonts to fetch, no URLs.
    expect(html).not.toMatch(/<script|<link|@import|url\(|https?:/i);
  });

  it('escapes every text it prints', () => {
    const evil = '<img src=x onerror="alert(1)">&';
    const data = structuredClone(files.data);
    data.counts.bySpecies = { [evil]: 1 };
    data.species = [{ ...data.species[0], species: evil, scientificName: `${evil}'` }];
    data.histograms.boxSizePx.title = evil;
    data.histograms.boxSizePx.bins[0].label = evil;
    data.runs[0].preset = evil;
    data.contactSheet!.samples[0].labels = [{ species: evil, difficulty: evil, visibility: 0.5, colour: '#ff0000', hasBox: true }];
    const html = renderReportHtml(data, { contactSheet: `${evil}.png`, chosen: data.contactSheet!.samples.map((s) => s.id), title: evil });
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('onerror="');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;');
    expect(escapeHtml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&#39;');
  });

  it('formats numbers the same on every machine', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(12345.5)).toBe('12,345.5');
    expect(compactCount(999)).toBe('999');
    expect(compactCount(5432)).toBe('5.4k');
    expect(compactCount(30155)).toBe('30k');
    expect(compactCount(1_234_567)).toBe('1.2M');
  });

  it('renders in headless Chromium with its contact sheet and charts, loading nothing else', async () => {
    const browser = await puppeteer.launch({ executablePath: findChromium().path, args: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1200, height: 900 });
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      await page.goto(`file://${files.html}`, { waitUntil: 'load' });
      const reportUrl = `file://${path.dirname(files.html)}/`;
      expect(requested.every((u) => u.startsWith(reportUrl))).toBe(true);
      const layout = await page.evaluate(() => ({
        images: Array.from(document.images, (i) => ({ src: i.getAttribute('src'), width: i.naturalWidth, height: i.naturalHeight })),
        charts: Array.from(document.querySelectorAll('figure.chart svg'), (s) => s.getBoundingClientRect().width),
        bars: document.querySelectorAll('figure.chart svg rect').length,
        overflow: document.documentElement.scrollWidth > window.innerWidth,
        tags: document.querySelectorAll('.sheet-frame .tag').length,
      }));
      const sheet = sheetLayout(COUNT, THUMB);
      expect(layout.images).toEqual([{ src: 'contact-sheet.png', width: sheet.width, height: sheet.height }]);
      expect(layout.charts).toHaveLength(4);
      for (const w of layout.charts) expect(w).toBeGreaterThan(300);
      expect(layout.bars).toBe(sum(Object.values(files.data.histograms).map((h) => h.bins.length)));
      expect(layout.overflow).toBe(false);
      expect(layout.tags).toBe(COUNT);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('contact sheet', () => {
  const sheetFile = () => path.join(out, 'report', 'contact-sheet.png');

  it('tiles the chosen samples at the thumbnail size', async () => {
    // 6 samples: 3 columns, 2 rows of 192 px tiles with 4 px between them.
    expect(await sharp(sheetFile()).metadata()).toMatchObject({ format: 'png', width: 3 * THUMB + 2 * 4, height: 2 * THUMB + 4 });
    expect(files.contactSheet).toBe(sheetFile());
    const all = (raw.prepare('SELECT id FROM samples ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
    expect(files.data.contactSheet!.samples.map((s) => s.id)).toEqual(all);
    expect(files.data.contactSheet).toMatchObject({ file: 'contact-sheet.png', seed: SHEET_SEED, columns: 3, rows: 2, thumb: THUMB });
  });

  it('is the same for the same seed, and the seed decides the pick', async () => {
    const again = path.join(tmp.dir, 'again.png');
    expect(await contactSheet(out, db, { seed: SHEET_SEED, file: again })).toEqual(files.data.contactSheet!.samples.map((s) => s.id));
    expect(readFileSync(again).equals(readFileSync(sheetFile()))).toBe(true);
    const picks = new Set(Array.from({ length: 8 }, (_, seed) => pickSamples(db, 3, seed).join(',')));
    expect(picks.size).toBeGreaterThan(1);
    expect(pickSamples(db, 3, 7)).toEqual(pickSamples(db, 3, 7));
    expect(pickSamples(db, 3, 7)).toHaveLength(3);
    // A pick of fewer samples comes from the same ranking: its samples are among a larger pick's.
    expect(pickSamples(db, 5, 7)).toEqual(expect.arrayContaining(pickSamples(db, 3, 7)));
    const small = path.join(tmp.dir, 'small.png');
    const ids = await contactSheet(out, db, { seed: 7, count: 3, thumb: 64, file: small });
    expect(ids).toEqual(pickSamples(db, 3, 7));
    expect(await sharp(small).metadata()).toMatchObject({ width: 2 * 64 + 4, height: 2 * 64 + 4 });
  });

  it('draws each label on its animal: the pixels that change are the masks and boxes', async () => {
    const plainFile = path.join(tmp.dir, 'plain.png');
    const ids = await contactSheet(out, db, { seed: SHEET_SEED, labels: false, file: plainFile });
    const labelled = await sharp(sheetFile()).raw().toBuffer({ resolveWithObject: true });
    const plain = await sharp(plainFile).raw().toBuffer();
    const { width, channels } = labelled.info;
    expect(channels).toBe(3);
    const scale = THUMB / SIZE; // 96 px images on 192 px tiles: every label pixel becomes 2 x 2
    let checked = 0;
    ids.forEach((id, k) => {
      const left = (k % 3) * (THUMB + 4);
      const top = Math.floor(k / 3) * (THUMB + 4);
      const boxes = (raw.prepare("SELECT bbox_x AS x, bbox_y AS y, bbox_w AS w, bbox_h AS h FROM instances WHERE sample_id = ? AND view = 'top' AND bbox_x IS NOT NULL ORDER BY instance_index").all(id) as Array<{ x: number; y: number; w: number; h: number }>).map(
        (b) => ({ x0: b.x * scale - 1, y0: b.y * scale - 1, x1: (b.x + b.w) * scale, y1: (b.y + b.h) * scale }),
      );
      const changedIn = boxes.map(() => 0);
      let changedOutside = 0;
      for (let y = 0; y < THUMB; y++) {
        for (let x = 0; x < THUMB; x++) {
          const p = ((top + y) * width + left + x) * 3;
          if (labelled.data[p] === plain[p] && labelled.data[p + 1] === plain[p + 1] && labelled.data[p + 2] === plain[p + 2]) continue;
          const inside = boxes.map((b) => x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1);
          inside.forEach((v, i) => v && changedIn[i]++);
          if (!inside.some(Boolean)) changedOutside++;
        }
      }
      expect(changedOutside, `${id}: changed pixels outside every label box`).toBe(0);
      for (const n of changedIn) expect(n, `${id}: a label box with nothing drawn`).toBeGreaterThan(0);
      // The last label is drawn last: its box corner has its colour (when the corner is on the tile).
      const last = boxes.length - 1;
      if (last >= 0 && boxes[last].x0 >= 0 && boxes[last].y0 >= 0) {
        const p = ((top + boxes[last].y0) * width + left + boxes[last].x0) * 3;
        expect([...labelled.data.subarray(p, p + 3)]).toEqual([...OVERLAY_COLOURS[last % OVERLAY_COLOURS.length]]);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(0);
  });

  it('resamples masks and boxes so that they cover every pixel they touch', () => {
    const mask = new Uint8Array(10 * 10);
    mask[3 * 10 + 4] = 1; // one pixel at (4, 3)
    const up = resampleMask(mask, 10, 10, 20, 20);
    expect([...up].reduce((a, b) => a + b, 0)).toBe(4);
    expect(up[6 * 20 + 8] && up[7 * 20 + 9]).toBe(1);
    const down = resampleMask(mask, 10, 10, 4, 4);
    expect([...down].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(down[1 * 4 + 1]).toBe(1); // 4 * 0.4 = 1.6, 3 * 0.4 = 1.2
    expect(resampleBox([4, 3, 1, 1], 10, 10, 20, 20)).toEqual([8, 6, 2, 2]);
    expect(resampleBox([0, 0, 10, 10], 10, 10, 4, 4)).toEqual([0, 0, 4, 4]);
  });

  it('shows a missing image as a blank tile instead of failing', async () => {
    const elsewhere = tempDir('exoray-report-missing-');
    try {
      const file = path.join(elsewhere.dir, 'sheet.png');
      const ids = await contactSheet(elsewhere.dir, db, { seed: 1, count: 2, thumb: 32, file });
      expect(ids).toHaveLength(2);
      const { data } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
      expect([...data.subarray(0, 3)]).toEqual([90, 20, 20]);
    } finally {
      elsewhere.cleanup();
    }
  });
});

describe('exoray report <dir>', () => {
  it('writes the report of a dataset folder and prints it as JSON with --json', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await reportCommand.handler({ dir: out, count: 4, thumb: 64, json: true });
      const printed = JSON.parse(write.mock.calls.map((c) => String(c[0])).join('')) as ReportData;
      expect(printed.generatedFrom).toEqual(files.data.generatedFrom);
      // The seed defaults to the dataset's run seed.
      expect(printed.contactSheet).toMatchObject({ seed: 5, thumb: 64 });
      expect(printed.contactSheet!.samples.map((s) => s.id)).toEqual(pickSamples(db, 4, 5));
      write.mockClear();
      await reportCommand.handler({ dir: out, count: 16, thumb: THUMB, json: false });
      expect(write.mock.calls.map((c) => String(c[0])).join('')).toContain(path.join(out, 'report', 'report.html'));
    } finally {
      write.mockRestore();
    }
    expect(reportCommand.command).toBe('report <dir>');
  });

  it('says when the folder holds no dataset', async () => {
    const err = await reportCommand.handler({ dir: tmp.dir, count: 16, thumb: THUMB, json: false }).catch((e: unknown) => e);
    expect(isExorayError(err) && err.code).toBe('E_USAGE');
    expect((err as Error).message).toContain('exoray.db');
  });
});
