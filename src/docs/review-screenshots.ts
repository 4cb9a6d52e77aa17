/**
 * `npm run figures:review -- DATASET_DIR [SAMPLE_ID]`: screenshots of the review page for the
 * docs (docs/images/review-gallery.png, review-sample.png), taken with headless
 * Chromium against `exoray serve` on a dataset folder. Make the dataset with
 * `exoray generate --count 24 --seed 1 --out /tmp/review-demo --overlays`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { packageRoot } from '../core/paths.js';
import { chromiumArgs, findChromium } from '../render/chromium.js';
import { startServer } from '../review/server.js';
import { lazyOpticalSource } from '../review/optical-source.js';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node dist/docs/review-screenshots.js DATASET_DIR [SAMPLE_ID]');
  const out = path.join(packageRoot(), 'docs', 'images');
  mkdirSync(out, { recursive: true });
  const optical = lazyOpticalSource(path.join(dir, 'exoray.db'));
  const server = await startServer({ dir, port: 0, optical: optical.render });
  const browser = await puppeteer.launch({ executablePath: findChromium().path, headless: true, args: chromiumArgs(), pipe: true });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 900, deviceScaleFactor: 1 });
    await page.evaluateOnNewDocument(() => localStorage.setItem('exoray.reviewer', 'docs'));
    const ready = async () => {
      await page.waitForSelector('body[data-ready]');
      await page.waitForNetworkIdle({ idleTime: 300 });
    };
    await page.goto(server.url, { waitUntil: 'load' });
    await ready();
    await page.waitForSelector('#facets');
    await page.screenshot({ path: path.join(out, 'review-gallery.png') });
    const ids = await page.$$eval('a.tile', (tiles) => tiles.map((a) => (a as HTMLAnchorElement).dataset.id!));
    const chosen = process.argv[3] ?? ids[0]!;
    await page.goto(`${server.url}?sample=${encodeURIComponent(chosen)}&i=${Math.max(0, ids.indexOf(chosen))}`, { waitUntil: 'load' });
    await ready();
    // With the optical view open, as a reviewer checking what is in the bag sees it.
    await page.click('#optical-button');
    await page.waitForSelector('#optical img', { timeout: 120_000 });
    await page.evaluate(() => document.querySelector('#optical img')?.scrollIntoView());
    await page.waitForNetworkIdle({ idleTime: 300 });
    await page.screenshot({ path: path.join(out, 'review-sample.png') });
    await page.goto(`${server.url}?tab=stats`, { waitUntil: 'load' });
    await ready();
    await page.screenshot({ path: path.join(out, 'review-stats.png') });
    process.stdout.write(`Wrote review-gallery.png, review-sample.png and review-stats.png to ${out}\n`);
  } finally {
    await browser.close();
    await server.close();
    await optical.close();
  }
}

await main();
