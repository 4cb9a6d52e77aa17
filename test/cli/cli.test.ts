/**
 * The CLI as a user runs it: the compiled binary in a child process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { tempDir } from '../helpers/tmp.js';

const root = packageRoot();
const bin = path.join(root, 'dist', 'cli', 'main.js');
const tmp = tempDir('exoray-cli-');
afterAll(() => tmp.cleanup());

function exoray(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('exoray CLI', () => {
  it('generates a few labelled images end to end and says where they went', () => {
    const out = path.join(tmp.dir, 'run');
    const r = exoray(['generate', '--count', '3', '--seed', '2', '--size', '128', '--out', out]);
    expect(r.stderr).toMatch(/3\/3/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(out);
    expect(r.stdout).toMatch(/Generated 3 samples/);
    expect(readdirSync(path.join(out, 'images'))).toHaveLength(3);
    const coco = JSON.parse(readFileSync(path.join(out, 'annotations', 'instances.json'), 'utf8'));
    expect(coco.images).toHaveLength(3);
    expect(existsSync(path.join(out, 'exoray.db'))).toBe(true);
  });

  it('query finds samples with the search language, and names a bad field', () => {
    const out = path.join(tmp.dir, 'run');
    const all = exoray(['query', '', '--in', out, '--json']);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout).total).toBe(3);
    const some = exoray(['query', 'species:stag* split:train', '--in', out, '--csv']);
    expect(some.code).toBe(0);
    expect(some.stdout.split('\n')[0]).toBe('id,preset,split,animalCount,clutterCount,containerKind,imagePath');
    const bad = exoray(['query', 'colour:red', '--in', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown field "colour"/);
    // A verdict recorded from the command line is found by the query language and counted by stats.
    expect(exoray(['review', 's000002', '--in', out, '--verdict', 'rejected', '--reason', 'label-wrong', '--reviewer', 'ci']).code).toBe(0);
    expect(JSON.parse(exoray(['query', 'review:rejected', '--in', out, '--json']).stdout).samples.map((x: { id: string }) => x.id)).toEqual(['s000002']);
    expect(JSON.parse(exoray(['stats', '--in', out, '--json']).stdout).byVerdict).toEqual({ none: 2, rejected: 1 });
  });

  it('render reproduces a stored sample from its SceneDescription: same labels, same raw image', () => {
    const out = path.join(tmp.dir, 'run');
    const r = exoray(['render', 's000001', '--in', out, '--json', '--out', path.join(tmp.dir, 'again')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sampleId: 's000001', sameScanner: true, labelsIdentical: true, maxRawDifference: 0 });
    const other = exoray(['render', 's000001', '--in', out, '--scanner', 'dual-energy-140kv', '--out', path.join(tmp.dir, 'other')]);
    expect(other.code).toBe(0);
    expect(existsSync(path.join(tmp.dir, 'other', 'raw', 's000001-high.png'))).toBe(true);
    expect(exoray(['render', 's999999', '--in', out]).stderr).toMatch(/no sample "s999999"/);
  });

  it('export writes a new, verifiable dataset of the matching samples only', () => {
    const from = path.join(tmp.dir, 'run');
    const to = path.join(tmp.dir, 'subset');
    const expected = JSON.parse(exoray(['query', 'species:stag*', '--in', from, '--json']).stdout).total as number;
    const r = exoray(['export', '--in', from, '--where', 'species:stag*', '--format', 'coco,voc', '--out', to]);
    expect(r.code).toBe(0);
    expect(JSON.parse(exoray(['query', '', '--in', to, '--json']).stdout).total).toBe(expected);
    expect(existsSync(path.join(to, 'voc', 'Annotations'))).toBe(true);
    expect(exoray(['verify', to]).code).toBe(0);
    const none = exoray(['export', '--in', from, '--where', 'species:dodo', '--out', path.join(tmp.dir, 'none')]);
    expect(none.code).toBe(2);
    expect(existsSync(path.join(tmp.dir, 'none'))).toBe(false);
  });

  it('--json prints a machine-readable summary', () => {
    const out = path.join(tmp.dir, 'json');
    const r = exoray(['generate', '-n', '1', '--size', '64', '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ count: 1, out });
  });

  it('--views top,side renders both projections, each with its own labels; --scanner picks the instrument', () => {
    const out = path.join(tmp.dir, 'views');
    const r = exoray(['generate', '-n', '2', '--size', '96', '--views', 'top,side', '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(out, 'images')).sort()).toEqual(['s000000-side.png', 's000000.png', 's000001-side.png', 's000001.png']);
    const coco = JSON.parse(readFileSync(path.join(out, 'annotations', 'instances.json'), 'utf8'));
    expect(coco.images.map((i: { exoray_view: string }) => i.exoray_view)).toEqual(['top', 'side', 'top', 'side']);
    const perView = (v: string) => coco.annotations.filter((a: { image_id: number }) => coco.images[a.image_id - 1].exoray_view === v).length;
    expect(perView('side')).toBe(perView('top'));

    const mono = path.join(tmp.dir, 'mono');
    expect(exoray(['generate', '-n', '1', '--size', '64', '--scanner', 'ideal-mono-60kev', '--no-effects', '--out', mono]).code).toBe(0);
    expect(readdirSync(path.join(mono, 'raw'))).toEqual(['s000000-high.png']);

    const bad = exoray(['generate', '--views', 'side', '--out', path.join(tmp.dir, 'badviews')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--views must be "top" or "top,side"/);
  });

  it('verify, report and merge work from the command line', () => {
    const a = path.join(tmp.dir, 'shard-a');
    const b = path.join(tmp.dir, 'shard-b');
    expect(exoray(['generate', '-n', '4', '--size', '64', '--shard', '0/2', '--out', a]).code).toBe(0);
    expect(exoray(['generate', '-n', '4', '--size', '64', '--out', b], { EXORAY_SHARD: '1/2' }).code).toBe(0);
    expect(readdirSync(path.join(a, 'images')).sort()).toEqual(['s000000.png', 's000002.png']);
    expect(readdirSync(path.join(b, 'images')).sort()).toEqual(['s000001.png', 's000003.png']);
    const merged = path.join(tmp.dir, 'merged');
    const m = exoray(['merge', merged, a, b]);
    expect(m.code).toBe(0);
    expect(readdirSync(path.join(merged, 'images'))).toHaveLength(4);
    const ok = exoray(['verify', merged]);
    expect(ok.code).toBe(0);
    const report = exoray(['report', merged]);
    expect(report.code).toBe(0);
    expect(existsSync(path.join(merged, 'report', 'report.html'))).toBe(true);
    rmSync(path.join(merged, 'raw', 's000002-low.png'));
    const bad = exoray(['verify', merged]);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/s000002-low\.png/);
  });

  it('has --help on every command and --version', () => {
    const top = exoray(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('generate');
    for (const cmd of ['verify', 'report', 'merge']) expect(exoray([cmd, '--help']).code).toBe(0);
    const gen = exoray(['generate', '--help']);
    expect(gen.code).toBe(0);
    for (const opt of ['--count', '--seed', '--out', '--preset', '--chromium']) expect(gen.stdout).toContain(opt);
    const version = exoray(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });

  it('bad input gives a clear message and a non-zero exit, and writes nothing', () => {
    const out = path.join(tmp.dir, 'bad');
    const count = exoray(['generate', '--count', '0', '--out', out]);
    expect(count.code).toBe(2);
    expect(count.stderr).toMatch(/--count must be a whole number/);
    const preset = exoray(['generate', '--preset', 'no-such-preset', '--out', out]);
    expect(preset.code).toBe(2);
    expect(preset.stderr).toMatch(/preset: "no-such-preset" not found.*parcel/);
    const unknown = exoray(['generate', '--colour', 'red']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown argument/);
    expect(existsSync(out)).toBe(false);
  });

  it('a missing browser names the path and how to install one', () => {
    const r = exoray(['generate', '--count', '1', '--out', path.join(tmp.dir, 'nobrowser'), '--chromium', '/nonexistent/chrome']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--chromium points to "\/nonexistent\/chrome"/);
    expect(r.stderr).toContain('E_CHROMIUM_NOT_FOUND');
  });
});
