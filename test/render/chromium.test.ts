import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../src/render/chromium.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('exoray-chromium-');
afterAll(() => tmp.cleanup());

function fakeBrowser(rel: string): string {
  const p = path.join(tmp.dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, '#!/bin/sh\n', { mode: 0o755 });
  return p;
}

describe('findChromium', () => {
  const option = fakeBrowser('opt/chrome');
  const exoray = fakeBrowser('exoray/chrome');
  const pptr = fakeBrowser('pptr/chrome');
  const system = fakeBrowser('usr/bin/chromium');
  const cached = fakeBrowser('cache/chrome/linux-120.0/chrome-linux64/chrome');
  const cacheDir = path.join(tmp.dir, 'cache');
  const none = path.join(tmp.dir, 'empty');

  it('looks in the documented order', () => {
    const env = { EXORAY_CHROMIUM: exoray, PUPPETEER_EXECUTABLE_PATH: pptr };
    expect(findChromium({ explicit: option, env, systemPaths: [system], puppeteerCacheDir: cacheDir })).toEqual({ path: option, source: 'option' });
    expect(findChromium({ env, systemPaths: [system], puppeteerCacheDir: cacheDir }).source).toBe('EXORAY_CHROMIUM');
    expect(findChromium({ env: { PUPPETEER_EXECUTABLE_PATH: pptr }, systemPaths: [system], puppeteerCacheDir: cacheDir }).source).toBe('PUPPETEER_EXECUTABLE_PATH');
    expect(findChromium({ env: {}, systemPaths: [system], puppeteerCacheDir: cacheDir })).toEqual({ path: system, source: 'system' });
    expect(findChromium({ env: {}, systemPaths: [], puppeteerCacheDir: cacheDir })).toEqual({ path: cached, source: 'puppeteer-cache' });
  });

  it('says how to install one when none is found', () => {
    expect(() => findChromium({ env: {}, systemPaths: [], puppeteerCacheDir: none })).toThrow(/apt-get install -y chromium/);
  });

  it('refuses an explicit path that does not exist, naming it', () => {
    expect(() => findChromium({ env: { EXORAY_CHROMIUM: '/no/such/chrome' }, systemPaths: [system] })).toThrow(/EXORAY_CHROMIUM points to "\/no\/such\/chrome"/);
  });
});
