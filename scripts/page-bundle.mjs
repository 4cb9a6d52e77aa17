import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles src/render/page/main.ts for the browser. Also used by the test set-up. */
export async function buildPage() {
  await build({
    entryPoints: [path.join(root, 'src/render/page/main.ts')],
    outfile: path.join(root, 'dist/render/page/page.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
  });
}
