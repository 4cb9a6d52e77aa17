/** `exoray species sheet`: every species of the catalog on one labelled sheet. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { speciesSheetLayout } from '../../src/dataset/species-sheet-layout.js';
import { tempDir } from '../helpers/tmp.js';

const bin = path.join(packageRoot(), 'dist', 'cli', 'main.js');
const tmp = tempDir('exoray-sheet-cli-');
/** Three renders per species of a growing catalog, on a machine that may be loaded. */
const SLOW = 600_000;
afterAll(() => tmp.cleanup());

function exoray(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: SLOW });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('exoray species sheet', () => {
  it('draws every species of the catalog, three pictures each', async () => {
    const ids = (await SpeciesLibrary.load()).ids();
    const file = path.join(tmp.dir, 'sheet', 'species.png');
    const r = exoray(['species', 'sheet', '--out', file, '--size', '96', '--columns', '3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.species).toEqual(ids);
    const layout = speciesSheetLayout(ids.length, 96, 3, 3);
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([layout.width, layout.height]);
    // Every picture holds an image, not one flat colour (every pixel: a stretched snake is thin at 96 px).
    for (let k = 0; k < ids.length; k++) {
      for (let j = 0; j < 3; j++) {
        const { left, top } = layout.picture(k, j);
        const seen = new Set<number>();
        for (let y = top; y < top + 96; y++) {
          for (let x = left; x < left + 96; x++) {
            const i = (y * info.width + x) * info.channels;
            seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
          }
        }
        expect(seen.size, `species ${ids[k]} picture ${j}`).toBeGreaterThan(20);
      }
    }
  }, SLOW);

  it('draws the species of another catalog (--catalog)', async () => {
    const own = path.join(tmp.dir, 'own');
    const spider = path.join(packageRoot(), 'test', 'fixtures', 'public', 'spider', 'spider.glb');
    const add = exoray(['species', 'add', spider, '--id', 'spider', '--name', 'Araneae sp.', '--size-mm', '60-90', '--class', 'Arachnida', '--catalog', own]);
    expect(add.code).toBe(0);
    const file = path.join(tmp.dir, 'own.png');
    const r = exoray(['species', 'sheet', '--catalog', own, '--out', file, '--size', '96', '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).species).toEqual(['spider']);
    const layout = speciesSheetLayout(1, 96, 3, 2);
    const meta = await sharp(file).metadata();
    expect([meta.width, meta.height]).toEqual([layout.width, layout.height]);
  }, SLOW);

  it('refuses a bad size', () => {
    const r = exoray(['species', 'sheet', '--out', path.join(tmp.dir, 'x.png'), '--size', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--size must be a whole number of pixels from 64 to 1024, got 5/);
  }, SLOW);
});
