/** `exoray serve` as a user runs it: the compiled binary prints the URL, answers, and stops on SIGTERM. */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { makeFixtureDataset } from '../review/fixture.js';

const bin = path.join(packageRoot(), 'dist', 'cli', 'main.js');
const tmp = tempDir('exoray-cli-serve-');
beforeAll(() => makeFixtureDataset(tmp.dir, 3));
afterAll(() => tmp.cleanup());

describe('exoray serve', () => {
  it('prints a 127.0.0.1 URL that serves the dataset, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'serve', tmp.dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exoray serve exited with ${code} before printing a URL: ${stdout}`)));
    });
    const meta = (await (await fetch(new URL('/api/meta', url))).json()) as { samples: number };
    expect(meta.samples).toBe(3);
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('says how to fix a folder without a dataset and a bad port', () => {
    const none = spawnSync(process.execPath, [bin, 'serve', path.join(tmp.dir, 'images')], { encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/holds no dataset \(no exoray.db\)/);
    const port = spawnSync(process.execPath, [bin, 'serve', tmp.dir, '--port', '70000'], { encoding: 'utf8' });
    expect(port.status).toBe(2);
    expect(port.stderr).toMatch(/--port 70000 is not a port/);
  });
});
