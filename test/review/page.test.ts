/**
 * The review page in real headless Chromium against a served synthetic dataset:
 * gallery, search, facet filter, a verdict by keyboard that survives a reload,
 * overlay toggles that change what is drawn, and query errors shown in the page.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, findChromium } from '../../src/render/chromium.js';
import { startServer, type ReviewServer } from '../../src/review/server.js';
import { tempDir } from '../helpers/tmp.js';
import { makeFixtureDataset } from './fixture.js';

const COUNT = 30;
const tmp = tempDir('exoray-review-page-');
let server: ReviewServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  await makeFixtureDataset(tmp.dir, COUNT);
  server = await startServer({ dir: tmp.dir, port: 0 });
  browser = await puppeteer.launch({ executablePath: findChromium().path, headless: true, args: chromiumArgs(), pipe: true, protocolTimeout: 180_000 });
  page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  await page.setViewport({ width: 1280, height: 800 });
  await page.evaluateOnNewDocument(() => localStorage.setItem('exoray.reviewer', 'tester'));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  tmp.cleanup();
});

/** Waits until the page has drawn the view for the current URL (the page clears data-ready when it starts drawing). */
async function settled(): Promise<void> {
  await page.waitForSelector('body[data-ready]');
}

async function goto(search = ''): Promise<void> {
  await page.goto(`${server.url}${search}`, { waitUntil: 'load' });
  await settled();
}

const tileIds = () => page.$$eval('a.tile', (tiles) => tiles.map((t) => (t as HTMLElement).dataset.id!));
const param = (name: string) => new URL(page.url()).searchParams.get(name);

/** Pixels of the overlay canvas with any opacity. */
const overlayPixels = () =>
  page.$eval('#overlay', (c) => {
    const canvas = c as HTMLCanvasElement;
    if (canvas.hidden) return 0;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]) n++;
    return n;
  });

describe('review page', () => {
  it('shows the gallery with every sample and its facets', async () => {
    await goto();
    expect(await tileIds()).toHaveLength(COUNT);
    expect(await page.$eval('#total', (e) => e.textContent)).toBe(String(COUNT));
    await page.waitForSelector('#facets button[data-facet="species"]');
    const caption = await page.$eval('a.tile .caption', (e) => e.textContent);
    expect(caption).toMatch(/s000000 · parcel/);
  }, 120_000);

  it('narrows the gallery with a search, kept in the URL', async () => {
    await page.click('#q');
    await page.keyboard.type('preset:suitcase');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('q') === 'preset:suitcase');
    await settled();
    const ids = await tileIds();
    expect(ids.length).toBe(COUNT / 3);
    const metas = await page.$$eval('a.tile .meta', (m) => m.map((e) => e.textContent));
    expect(metas.every((m) => m!.includes('suitcase'))).toBe(true);
  }, 120_000);

  it('filters by a facet, and the filter survives a reload', async () => {
    await goto();
    const facet = await page.waitForSelector('#facets button[data-facet="split"][data-value="val"]');
    const count = Number(await facet!.$eval('.count', (e) => e.textContent));
    await facet!.click();
    await page.waitForFunction(() => new URL(location.href).searchParams.get('split') === 'val');
    await settled();
    expect(await tileIds()).toHaveLength(count);
    await page.reload({ waitUntil: 'load' });
    await settled();
    expect(param('split')).toBe('val');
    expect(await tileIds()).toHaveLength(count);
    await page.waitForSelector('#facets button.active[data-facet="split"][data-value="val"]');
  }, 120_000);

  it('saves a verdict given by keyboard, which survives a reload', async () => {
    await goto();
    const [first] = await tileIds();
    await page.click(`a.tile[data-id="${first}"]`);
    await page.waitForSelector('#overlay');
    await settled();
    expect(param('sample')).toBe(first);
    await page.select('#reason', 'label-wrong');
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    await page.keyboard.press('r');
    await page.waitForSelector('#judge-status[data-saved="rejected"]');
    await page.reload({ waitUntil: 'load' });
    await settled();
    const history = await page.$eval('#history li[data-verdict="rejected"]', (e) => e.textContent);
    expect(history).toMatch(/label-wrong/);
    expect(history).toMatch(/tester/);
    // j goes to the next sample of the results, k back to this one, Escape back to the gallery, where the tile shows the verdict.
    await page.keyboard.press('j');
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('sample') !== id, {}, first);
    await settled();
    expect(param('i')).toBe('1');
    await page.keyboard.press('k');
    await page.waitForFunction((id) => new URL(location.href).searchParams.get('sample') === id, {}, first);
    await settled();
    await page.keyboard.press('Escape');
    await page.waitForSelector(`a.tile.verdict-rejected[data-id="${first}"]`);
  }, 120_000);

  it('changes what is drawn when overlays are toggled', async () => {
    await goto('?sample=s000002&i=2');
    await page.waitForSelector('#overlay');
    const withNames = await overlayPixels();
    // Text antialiasing can change once fonts settle: compare exact counts without the names.
    await page.click('input[name="names"]');
    const all = await overlayPixels();
    expect(all).toBeGreaterThan(50);
    expect(withNames).toBeGreaterThan(all);
    await page.keyboard.press('o');
    expect(await overlayPixels()).toBe(0);
    expect(param('ov')).toBe('0');
    await page.click('#toggle-overlays');
    expect(await overlayPixels()).toBe(all);
    // Without masks only boxes, contours and names remain: fewer pixels, but some.
    await page.click('input[name="masks"]');
    const withoutMasks = await overlayPixels();
    expect(withoutMasks).toBeGreaterThan(0);
    expect(withoutMasks).toBeLessThan(all);
    await page.click('input[name="masks"]');
    expect(await overlayPixels()).toBe(all);
    await page.click('input[name="names"]');
    // The image layer toggles swap the picture under the labels.
    await page.click('button[data-layer="high"]');
    expect(await page.$eval('.stage img', (i) => (i as HTMLImageElement).src)).toMatch(/raw\/s000002-high\.png$/);
    expect(param('layer')).toBe('high');
  }, 120_000);

  it('shows a bad query with a caret under the bad token', async () => {
    await goto('?q=species%3A');
    const error = await page.$eval('#query-error', (e) => ({ hidden: (e as HTMLElement).hidden, text: e.textContent }));
    expect(error.hidden).toBe(false);
    expect(error.text).toMatch(/needs a value[\s\S]*\^/);
  }, 120_000);

  it('draws the stats page', async () => {
    await goto('?tab=stats');
    expect(await page.$eval('#stats-summary', (e) => e.textContent)).toMatch(new RegExp(`${COUNT} samples`));
    expect(await page.$$eval('svg.chart', (c) => c.length)).toBeGreaterThanOrEqual(6);
  }, 120_000);
});
