/**
 * Finds a Chromium to drive. exoray never downloads a browser: it uses one that
 * is installed, in this order: an explicit path (--chromium / EXORAY_CHROMIUM),
 * PUPPETEER_EXECUTABLE_PATH, the usual system locations, puppeteer's own cache.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ExorayError } from '../core/errors.js';

export const SYSTEM_CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export interface ChromiumLookup {
  explicit?: string;
  env?: NodeJS.ProcessEnv;
  systemPaths?: string[];
  puppeteerCacheDir?: string;
}

export interface ChromiumFound {
  path: string;
  source: 'option' | 'EXORAY_CHROMIUM' | 'PUPPETEER_EXECUTABLE_PATH' | 'system' | 'puppeteer-cache';
}

function isExecutableFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Newest chrome or chrome-headless-shell under puppeteer's cache (~/.cache/puppeteer by default). */
function findInPuppeteerCache(cacheDir: string): string | undefined {
  const candidates: string[] = [];
  for (const product of ['chrome', 'chrome-headless-shell']) {
    const dir = path.join(cacheDir, product);
    if (!existsSync(dir)) continue;
    for (const version of readdirSync(dir).sort().reverse()) {
      for (const rel of [
        'chrome-linux64/chrome',
        'chrome-headless-shell-linux64/chrome-headless-shell',
        'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
        'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
      ]) {
        candidates.push(path.join(dir, version, rel));
      }
    }
  }
  return candidates.find(isExecutableFile);
}

export function findChromium(lookup: ChromiumLookup = {}): ChromiumFound {
  const env = lookup.env ?? process.env;
  const explicit: Array<[string | undefined, ChromiumFound['source']]> = [
    [lookup.explicit, 'option'],
    [env.EXORAY_CHROMIUM, 'EXORAY_CHROMIUM'],
    [env.PUPPETEER_EXECUTABLE_PATH, 'PUPPETEER_EXECUTABLE_PATH'],
  ];
  for (const [p, source] of explicit) {
    if (!p) continue;
    if (!isExecutableFile(p)) {
      throw new ExorayError(
        'E_CHROMIUM_NOT_FOUND',
        `browser: ${source === 'option' ? '--chromium' : source} points to "${p}", which is not a file. ` +
          `Give the path of a Chromium or Chrome executable, or unset it to search the usual places.`,
      );
    }
    return { path: p, source };
  }
  for (const p of lookup.systemPaths ?? SYSTEM_CHROMIUM_PATHS) {
    if (isExecutableFile(p)) return { path: p, source: 'system' };
  }
  const cacheDir = lookup.puppeteerCacheDir ?? env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer');
  const cached = findInPuppeteerCache(cacheDir);
  if (cached) return { path: cached, source: 'puppeteer-cache' };
  throw new ExorayError(
    'E_CHROMIUM_NOT_FOUND',
    'browser: no Chromium found (looked at --chromium, EXORAY_CHROMIUM, PUPPETEER_EXECUTABLE_PATH, ' +
      `${(lookup.systemPaths ?? SYSTEM_CHROMIUM_PATHS).join(', ')} and ${cacheDir}). ` +
      'Install one (Debian/Ubuntu: `sudo apt-get install -y chromium`; or run scripts/setup.sh), ' +
      'or point EXORAY_CHROMIUM at an existing Chromium/Chrome executable.',
  );
}

/** Flags that work without a GPU (SwiftShader) and without network; a GPU is used where Chromium finds one. */
export function chromiumArgs(options: { gpu?: boolean } = {}): string[] {
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--no-first-run',
    '--mute-audio',
    '--disable-dev-shm-usage',
    '--hide-scrollbars',
  ];
  if (options.gpu) {
    args.push('--enable-gpu', '--ignore-gpu-blocklist', '--use-angle=vulkan', '--enable-features=Vulkan');
  } else {
    args.push('--use-angle=swiftshader', '--enable-unsafe-swiftshader');
  }
  return args;
}
