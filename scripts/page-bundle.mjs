import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles src/render/page/main.ts and the review page (src/review/page/) for the browser. Also used by the test set-up. */
export async function buildPage() {
  await Promise.all([buildRenderPage(), buildReviewPage()]);
}

async function buildReviewPage() {
  await build({
    // The page imports its stylesheet, so esbuild writes review.css next to review.js.
    entryPoints: { review: path.join(root, 'src/review/page/main.ts') },
    outdir: path.join(root, 'dist/review/assets'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    minify: true,
    logLevel: 'warning',
  });
}

async function buildRenderPage() {
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
