/**
 * `exoray scene sample` and `exoray scene preview` as a user runs them: the
 * compiled binary in a child process.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { makePlan, planScene } from '../../src/dataset/plan.js';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { tempDir } from '../helpers/tmp.js';

const bin = path.join(packageRoot(), 'dist', 'cli', 'main.js');
const tmp = tempDir('exoray-scene-cli-');
/** Each test starts the CLI several times (and a browser for preview): minutes on a loaded machine. */
const SLOW = 300_000;
afterAll(() => tmp.cleanup());

function exoray(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('exoray scene sample', () => {
  it('--json prints the SceneDescription generate makes for that sample: same per seed, different across seeds', async () => {
    const a = exoray(['scene', 'sample', 'parcel', '--seed', '7', '--json']);
    expect(a.code).toBe(0);
    const scene = JSON.parse(a.stdout);
    expect(scene).toMatchObject({ version: 1, preset: 'parcel' });
    expect(scene.objects.filter((o: { role: string }) => o.role === 'container')).toHaveLength(1);
    expect(scene.objects.some((o: { role: string }) => o.role === 'animal')).toBe(true);
    expect(exoray(['scene', 'sample', 'parcel', '--seed', '7', '--json']).stdout).toBe(a.stdout);
    expect(JSON.parse(exoray(['scene', 'sample', 'parcel', '--seed', '8', '--json']).stdout)).not.toEqual(scene);
    // The very scene `generate --preset parcel --seed 7` renders for s000000, and --index picks another sample.
    const plan = makePlan(await SpeciesLibrary.load(), 7, { presets: [{ name: 'parcel', weight: 1 }] });
    expect(scene).toEqual(JSON.parse(JSON.stringify(planScene(plan, 0))));
    expect(JSON.parse(exoray(['scene', 'sample', 'parcel', '--seed', '7', '--index', '3', '--json']).stdout)).toEqual(JSON.parse(JSON.stringify(planScene(plan, 3))));
  }, SLOW);

  it('without --json prints a summary a person can read; overrides apply', () => {
    const r = exoray(['scene', 'sample', 'parcel', '--seed', '7', '--size', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^preset parcel, scene seed \d+/);
    expect(r.stdout).toMatch(/200 x 200 px/);
    expect(r.stdout).toMatch(/container\s+container\s+cardboard/);
    expect(r.stdout).toMatch(/animal-0\s+animal\s+Dorcus titanus \(Giant stag beetle\)/);
  }, SLOW);

  it('a bad preset or seed exits 2 with a message that says what to do', () => {
    const r = exoray(['scene', 'sample', 'suitcase-of-dreams', '--seed', '1', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/preset: "suitcase-of-dreams" not found .*Known presets: .*parcel.*\[E_PRESET\]/);
    const seed = exoray(['scene', 'sample', 'parcel', '--seed', '-3']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--seed must be a whole number from 0 to 4294967295, got -3/);
    expect(exoray(['scene']).code).toBe(2);
  }, SLOW);
});

describe('exoray scene preview', () => {
  it('writes the optical top and perspective views, the X-ray image and the scene', async () => {
    const out = path.join(tmp.dir, 'preview');
    const r = exoray(['scene', 'preview', 'parcel', '--seed', '7', '--size', '128', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const { files } = JSON.parse(r.stdout);
    for (const kind of ['optical', 'perspective', 'xray']) {
      const meta = await sharp(files[kind]).metadata();
      expect([kind, meta.format, meta.channels]).toEqual([kind, 'png', 3]);
      if (kind !== 'perspective') expect([meta.width, meta.height]).toEqual([128, 128]);
    }
    const scene = JSON.parse(readFileSync(files.scene, 'utf8'));
    expect(scene).toEqual(JSON.parse(exoray(['scene', 'sample', 'parcel', '--seed', '7', '--size', '128', '--json']).stdout));
  }, SLOW);

  it('a bad preset exits 2 before starting a browser', () => {
    const r = exoray(['scene', 'preview', 'nope', '--out', path.join(tmp.dir, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\[E_PRESET\]/);
  }, SLOW);
});
