/**
 * `verify` on a real generated dataset: a pristine copy passes; each kind of
 * damage (a deleted or corrupted image, an edited COCO, YOLO or VOC label, a
 * tampered database, a stray file) is found, on a fresh copy each time, and
 * reported with the file and what differs.
 */
import { cpSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generate } from '../../src/dataset/generate.js';
import { MANIFEST_FILE, writeManifest } from '../../src/dataset/manifest.js';
import { formatVerifyReport, verifyDataset, type VerifyProblem, type VerifyReport } from '../../src/dataset/verify.js';
import * as verifyCommand from '../../src/cli/verify.js';
import type { CocoDataset } from '../../src/labels/coco.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('exoray-verify-');
const base = path.join(tmp.dir, 'base');
const seg = path.join(tmp.dir, 'seg');
let copies = 0;

beforeAll(async () => {
  await generate({ out: base, count: 4, seed: 3, size: 64, workers: 1, formats: ['coco', 'yolo', 'voc'] });
  // The generator does not write the manifest yet; the lead wires writeManifest into it.
  writeManifest(base);
  // Another layout: two views, polygon labels, order-level categories, overlays, three splits.
  await generate({
    out: seg,
    count: 3,
    seed: 5,
    size: 64,
    workers: 1,
    formats: ['coco', 'yolo-seg', 'voc'],
    labelLevel: 'order',
    views: ['top', 'side'],
    overlays: true,
    split: { train: 0.4, val: 0.3, test: 0.3 },
  });
  writeManifest(seg);
}, 240_000);
afterAll(() => tmp.cleanup());

/** A fresh copy of a generated dataset, to damage. */
function copy(from = base): string {
  const dir = path.join(tmp.dir, `copy${copies++}`);
  cpSync(from, dir, { recursive: true });
  return dir;
}

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');
const write = (dir: string, rel: string, text: string | Buffer) => writeFileSync(path.join(dir, rel), text);
const ofKind = (r: VerifyReport, kind: VerifyProblem['kind']) => r.problems.filter((p) => p.kind === kind);
/** The first label file (sorted) that holds at least one object. */
function firstWithObjects(dir: string, folder: string, test: (text: string) => boolean): string {
  const name = readdirSync(path.join(dir, folder))
    .sort()
    .find((f) => test(read(dir, `${folder}/${f}`)));
  expect(name).toBeDefined();
  return `${folder}/${name}`;
}

describe('verifyDataset', () => {
  it('passes a pristine dataset, counting what it checked', async () => {
    const dir = copy();
    for (const deep of [false, true]) {
      const report = await verifyDataset(dir, { deep });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.deep).toBe(deep);
      const coco = JSON.parse(read(dir, 'annotations/instances.json')) as CocoDataset;
      expect(coco.annotations.length).toBeGreaterThan(0);
      expect(report.checked.samples).toBe(4);
      expect(report.checked.instances).toBe(coco.annotations.length);
      // 4 samples x (image, low, high, grey) + every manifest entry, counted once.
      const manifest = JSON.parse(read(dir, MANIFEST_FILE)) as { files: unknown[] };
      expect(report.checked.files).toBe(manifest.files.length);
      expect(report.checked.files).toBeGreaterThanOrEqual(16 + 4 + 4 + 2);
      // COCO all + per split, 4 YOLO files, data.yaml, split lists, 4 VOC files.
      expect(report.checked.labels).toBeGreaterThanOrEqual(2 + 4 + 1 + 1 + 4 + 1);
      expect(formatVerifyReport(report)).toMatch(/OK: every file matches/);
    }
  });

  it('passes a two-view, yolo-seg, order-level dataset with overlays and checks its classes', async () => {
    const dir = copy(seg);
    const report = await verifyDataset(dir, { deep: true });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checked.samples).toBe(3);
    expect(readdirSync(path.join(dir, 'images')).some((f) => f.endsWith('-side.png'))).toBe(true);

    // A class id no longer matching the order-level category.
    const rel = firstWithObjects(dir, 'labels', (t) => t.trim() !== '');
    write(dir, rel, read(dir, rel).replace(/^0 /, '1 '));
    const broken = await verifyDataset(dir);
    expect(broken.ok).toBe(false);
    expect(ofKind(broken, 'label-mismatch')).toEqual([expect.objectContaining({ path: rel, message: expect.stringMatching(/line 1 has class 1 .* is class 0 \(Coleoptera\)/) })]);
  });

  it('finds a deleted image', async () => {
    const dir = copy();
    unlinkSync(path.join(dir, 'images/s000001.png'));
    const report = await verifyDataset(dir);
    expect(report.ok).toBe(false);
    expect(ofKind(report, 'missing-file')).toEqual([
      expect.objectContaining({ path: 'images/s000001.png', sampleId: 's000001', severity: 'error', message: expect.stringMatching(/images\/s000001\.png is missing; .*--overwrite/) }),
    ]);
    expect(report.problems.filter((p) => p.kind !== 'missing-file')).toEqual([]);
  });

  it('finds a corrupted image: its hash always, and with --deep that it does not decode', async () => {
    const dir = copy();
    const rel = 'images/s000002.png';
    const bytes = readFileSync(path.join(dir, rel));
    for (let i = 0; i < 4; i++) bytes[Math.floor(bytes.length / 2) + i] ^= 0xff;
    write(dir, rel, bytes);

    const quick = await verifyDataset(dir);
    expect(quick.ok).toBe(false);
    expect(ofKind(quick, 'hash-mismatch')).toEqual([expect.objectContaining({ path: rel, sampleId: 's000002', message: expect.stringMatching(/exoray\.db records/) })]);
    expect(ofKind(quick, 'unreadable-image')).toEqual([]);

    const deep = await verifyDataset(dir, { deep: true });
    expect(ofKind(deep, 'hash-mismatch').map((p) => p.path)).toEqual([rel]);
    expect(ofKind(deep, 'unreadable-image')).toEqual([expect.objectContaining({ path: rel, sampleId: 's000002', message: expect.stringMatching(/not a readable PNG: CRC of chunk IDAT/) })]);
    expect(formatVerifyReport(deep)).toMatch(/FAILED \(2 errors, 0 warnings\)/);
  });

  it('finds a truncated image without --deep', async () => {
    const dir = copy();
    const rel = 'raw/s000000-high.png';
    const bytes = readFileSync(path.join(dir, rel));
    write(dir, rel, bytes.subarray(0, bytes.length - 30));
    const report = await verifyDataset(dir);
    expect(ofKind(report, 'unreadable-image')).toEqual([expect.objectContaining({ path: rel, message: expect.stringMatching(/truncated|IEND/) })]);
  });

  it('finds an edited COCO box, naming the annotation and both boxes', async () => {
    const dir = copy();
    const coco = JSON.parse(read(dir, 'annotations/instances.json')) as CocoDataset;
    const ann = coco.annotations[0]!;
    const before = [...ann.bbox];
    ann.bbox[0] += 1;
    write(dir, 'annotations/instances.json', JSON.stringify(coco));
    const report = await verifyDataset(dir);
    expect(report.ok).toBe(false);
    const labels = ofKind(report, 'label-mismatch');
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.every((p) => p.path === 'annotations/instances.json')).toBe(true);
    expect(labels[0]!.message).toContain(`annotation 1 (sample ${String(coco.images[ann.image_id - 1]!.exoray_sample_id)}`);
    expect(labels[0]!.message).toContain(`bbox ${JSON.stringify(ann.bbox)} instead of ${JSON.stringify(before)}`);
    expect(labels[0]!.message).toMatch(/--resume/);
    // The manifest sees the edit too.
    expect(ofKind(report, 'hash-mismatch').map((p) => p.path)).toEqual(['annotations/instances.json']);
  });

  it('finds a COCO mask whose area was edited to match nothing, and a per-split file that lost an image', async () => {
    const dir = copy();
    const coco = JSON.parse(read(dir, 'annotations/instances.json')) as CocoDataset;
    coco.annotations[0]!.area += 3;
    write(dir, 'annotations/instances.json', JSON.stringify(coco));
    const splitFile = readdirSync(path.join(dir, 'annotations')).find((f) => /^instances_(train|val|test)\.json$/.test(f))!;
    const split = JSON.parse(read(dir, `annotations/${splitFile}`)) as CocoDataset;
    const dropped = split.images.pop()!;
    split.annotations = split.annotations.filter((a) => a.image_id !== dropped.id);
    write(dir, `annotations/${splitFile}`, JSON.stringify(split));
    const report = await verifyDataset(dir);
    const messages = ofKind(report, 'label-mismatch').map((p) => `${p.path}: ${p.message}`);
    expect(messages.some((m) => /instances\.json: .*not a valid COCO file: .*area .* is not the mask's pixel count/.test(m))).toBe(true);
    expect(messages.some((m) => m.includes(`has no image entry for ${dropped.file_name}`) && m.startsWith(`annotations/${splitFile}`))).toBe(true);
  });

  it('finds an edited YOLO line, naming the line and the box it should be', async () => {
    const dir = copy();
    const rel = firstWithObjects(dir, 'labels', (t) => t.trim() !== '');
    const lines = read(dir, rel).split('\n');
    const fields = lines[0]!.split(' ');
    fields[1] = (Number(fields[1]) + 0.05).toFixed(6);
    lines[0] = fields.join(' ');
    write(dir, rel, lines.join('\n'));
    const report = await verifyDataset(dir);
    expect(report.ok).toBe(false);
    expect(ofKind(report, 'label-mismatch')).toEqual([
      expect.objectContaining({ path: rel, sampleId: path.basename(rel, '.txt'), message: expect.stringMatching(/line 1 ".*" is not the box of .* in exoray\.db/) }),
    ]);
  });

  it('finds a YOLO file with a line too many, and a label file for an image that does not exist', async () => {
    const dir = copy();
    const rel = firstWithObjects(dir, 'labels', (t) => t.trim() !== '');
    write(dir, rel, `${read(dir, rel)}0 0.5 0.5 0.1 0.1\n`);
    write(dir, 'labels/s999999.txt', '0 0.5 0.5 0.1 0.1\n');
    const report = await verifyDataset(dir);
    const labels = ofKind(report, 'label-mismatch');
    expect(labels.find((p) => p.path === rel)?.message).toMatch(/has \d+ line\(s\) but exoray\.db has \d+ labelled animal/);
    expect(labels.find((p) => p.path === 'labels/s999999.txt')?.message).toMatch(/no image s999999\.png/);
    expect(ofKind(report, 'extra-file').map((p) => p.path)).toEqual(['labels/s999999.txt']);
  });

  it('finds an edited VOC box, with the corners it should have', async () => {
    const dir = copy();
    const rel = firstWithObjects(dir, 'voc/Annotations', (t) => t.includes('<object>'));
    write(dir, rel, read(dir, rel).replace(/<xmax>(\d+)<\/xmax>/, (_, v: string) => `<xmax>${Number(v) + 2}</xmax>`));
    const report = await verifyDataset(dir);
    expect(report.ok).toBe(false);
    expect(ofKind(report, 'label-mismatch')).toEqual([
      expect.objectContaining({ path: rel, message: expect.stringMatching(/object 1 \(.*\) has xmin \d+ ymin \d+ xmax \d+ ymax \d+, but its box in exoray\.db .* gives/) }),
    ]);
  });

  it('finds a YOLO split list and a VOC image set that lost an entry', async () => {
    const dir = copy();
    const list = ['train.txt', 'val.txt', 'test.txt'].find((f) => readdirSync(dir).includes(f))!;
    const lines = read(dir, list).trim().split('\n');
    write(dir, list, `${lines.slice(1).join('\n')}\n`);
    const vocList = `voc/ImageSets/Main/${list}`;
    write(dir, vocList, read(dir, vocList).replace(/^[^\n]*\n/, ''));
    const report = await verifyDataset(dir);
    const labels = ofKind(report, 'label-mismatch');
    expect(labels.find((p) => p.path === list)?.message).toContain(`lacks ${lines[0]}`);
    expect(labels.find((p) => p.path === vocList)?.message).toContain(`lacks ${path.basename(lines[0]!, '.png')}`);
  });

  it('reports a file the manifest does not list as a warning only', async () => {
    const dir = copy();
    write(dir, 'notes.txt', 'mine');
    const report = await verifyDataset(dir);
    expect(report.ok).toBe(true);
    expect(report.warnings).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'extra-file', severity: 'warning', path: 'notes.txt' })]);
    expect(formatVerifyReport(report)).toMatch(/OK with warnings/);
  });

  it('reports a missing or damaged manifest', async () => {
    const dir = copy();
    rmSync(path.join(dir, MANIFEST_FILE));
    const missing = await verifyDataset(dir);
    expect(missing.ok).toBe(false);
    expect(missing.problems).toEqual([expect.objectContaining({ kind: 'missing-file', path: MANIFEST_FILE })]);
    write(dir, MANIFEST_FILE, '{"version": 1, "files": [');
    const damaged = await verifyDataset(dir);
    expect(damaged.problems).toEqual([expect.objectContaining({ kind: 'invalid-manifest', path: MANIFEST_FILE, message: expect.stringMatching(/not JSON/) })]);
  });

  it('without the database, still checks every file against the manifest', async () => {
    const dir = copy();
    rmSync(path.join(dir, 'exoray.db'));
    rmSync(path.join(dir, 'exoray.db-wal'), { force: true });
    rmSync(path.join(dir, 'exoray.db-shm'), { force: true });
    unlinkSync(path.join(dir, 'grey/s000001.png'));
    write(dir, 'data.yaml', `${read(dir, 'data.yaml')}# edited\n`);
    const report = await verifyDataset(dir);
    expect(report.ok).toBe(false);
    expect(report.checked.samples).toBe(0);
    expect(ofKind(report, 'missing-file').map((p) => p.path).sort()).toEqual(['exoray.db', 'grey/s000001.png']);
    expect(ofKind(report, 'missing-file').find((p) => p.path === 'grey/s000001.png')?.message).toMatch(/listed in manifest\.json but missing/);
    expect(ofKind(report, 'hash-mismatch')).toEqual([
      expect.objectContaining({ path: 'data.yaml', message: expect.stringMatching(/data\.yaml is \d+ bytes but manifest\.json records \d+/) }),
    ]);
  });

  it('finds a database that disagrees with its files and with itself', async () => {
    const dir = copy();
    const db = new Database(path.join(dir, 'exoray.db'));
    db.prepare("UPDATE sample_files SET sha256 = ? WHERE sample_id = 's000003' AND kind = 'grey'").run('0'.repeat(64));
    const inst = db.prepare("SELECT id, bbox_w FROM instances WHERE bbox_x IS NOT NULL ORDER BY id LIMIT 1").get() as { id: number; bbox_w: number };
    db.prepare('UPDATE instances SET bbox_w = ? WHERE id = ?').run(inst.bbox_w + 1, inst.id);
    db.close();
    const report = await verifyDataset(dir);
    expect(report.ok).toBe(false);
    expect(ofKind(report, 'hash-mismatch')).toEqual([expect.objectContaining({ path: 'grey/s000003.png', sampleId: 's000003', message: expect.stringMatching(/exoray\.db records 000000000000/) })]);
    const db2 = ofKind(report, 'db-mismatch').map((p) => p.message);
    expect(db2.some((m) => /grey\/s000003\.png: manifest\.json records sha256 .* but exoray\.db records 000000000000/.test(m))).toBe(true);
    expect(db2.some((m) => /stores area \d+ and box .* but its mask decodes to/.test(m))).toBe(true);
    // Every label file now disagrees with the edited box.
    expect(new Set(ofKind(report, 'label-mismatch').map((p) => p.path!.split('/')[0]))).toEqual(new Set(['annotations', 'labels', 'voc']));
  });

  it('finds a run that did not complete', async () => {
    const dir = copy();
    const db = new Database(path.join(dir, 'exoray.db'));
    db.prepare("UPDATE runs SET status = 'interrupted'").run();
    db.close();
    const report = await verifyDataset(dir);
    expect(ofKind(report, 'db-mismatch')).toEqual([expect.objectContaining({ path: 'exoray.db', message: expect.stringMatching(/"interrupted", not completed.*--resume/) })]);
  });

  it('refuses a folder that is not a dataset', async () => {
    await expect(verifyDataset(path.join(tmp.dir, 'nothing-here'))).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/is not a folder/) });
    const empty = path.join(tmp.dir, 'empty');
    cpSync(path.join(base, 'voc'), empty, { recursive: true });
    await expect(verifyDataset(empty)).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/not an exoray dataset/) });
  });
});

describe('exoray verify (command module)', () => {
  afterEach(() => vi.restoreAllMocks());

  const run = async (dir: string, flags: { deep?: boolean; json?: boolean } = {}) => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    let error: unknown = null;
    try {
      await verifyCommand.handler({ dir, deep: flags.deep ?? false, json: flags.json ?? false });
    } catch (e) {
      error = e;
    }
    vi.restoreAllMocks();
    return { out, error };
  };

  it('prints a readable report and returns for a sound dataset; --json prints the report', async () => {
    expect(verifyCommand.command).toBe('verify <dir>');
    const dir = copy();
    const text = await run(dir);
    expect(text.error).toBeNull();
    expect(text.out).toMatch(/Checked .*: 4 samples/);
    const json = await run(dir, { json: true, deep: true });
    expect(json.error).toBeNull();
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, deep: true, problems: [], checked: { samples: 4 } });
  });

  it('prints the problems, then fails with E_OUTPUT (exit code 1) and a summary', async () => {
    const dir = copy();
    unlinkSync(path.join(dir, 'images/s000000.png'));
    const r = await run(dir);
    expect(r.out).toMatch(/FAILED \(1 error, 0 warnings\)/);
    expect(r.out).toMatch(/missing-file \(1\):\n {4}images\/s000000\.png is missing/);
    expect(r.error).toMatchObject({ code: 'E_OUTPUT', exitCode: 1, message: expect.stringMatching(/has 1 problem \(1 missing-file\)/) });
  });
});
