/**
 * Builds what the browser and CLI tests run: the render page bundle and the
 * compiled CLI. Quick when nothing changed; always current, so a test never
 * runs against a stale build.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default async function setup(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { buildPage } = (await import(path.join(root, 'scripts/page-bundle.mjs'))) as { buildPage: () => Promise<void> };
  await buildPage();
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
