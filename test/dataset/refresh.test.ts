/**
 * Refresh, end to end on a small dataset with a catalog made by the test: adding a
 * species makes only its samples; changing a model supersedes and remakes its
 * samples; removing one retires them; a second refresh does nothing; a dry run
 * plans exactly what the real run then does; a stopped refresh is continued.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { refresh } from '../../src/dataset/refresh.js';
import { verifyDataset } from '../../src/dataset/verify.js';
import { exportSubset } from '../../src/dataset/subset.js';
import { main } from '../../src/cli/app.js';
import { defaultSpeciesDir } from '../../src/species/catalog.js';
import { ellipsoid } from '../../src/geometry/primitives.js';
import { finishParts } from '../../src/species/body-parts.js';
import { writeModelGlb } from '../../src/species/glb.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('exoray-refresh-');
afterAll(() => tmp.cleanup());

const TARGET = `# test target
presets: parcel
samplesPerSpecies: 2
seed: 5
split: 50/50/0
scanner: { size: 64, effects: false }
formats: [coco, yolo]
`;

/** A catalog folder holding the bundled stag beetle only. */
function makeCatalog(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const bundled = JSON.parse(readFileSync(path.join(defaultSpeciesDir(), 'catalog.json'), 'utf8'));
  const beetle = bundled.species.find((s: { id: string }) => s.id === 'stag-beetle');
  copyFileSync(path.join(defaultSpeciesDir(), beetle.model), path.join(dir, beetle.model));
  writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify({ version: 1, species: [beetle] }, null, 2));
}

/** Adds (or replaces) a test species: a shelled ellipsoid "isopod" whose width is the model's parameter. */
async function putIsopod(dir: string, width: number): Promise<void> {
  const parts = finishParts([{ name: 'body', mesh: ellipsoid([width, 0.004, 0.012], 24), kind: 'shell', minRadius: 0.004 }], {
    length: 0.024,
    wall: 0.0004,
    hardMaterial: 'chitin',
    softMaterial: 'soft_tissue',
  });
  const bytes = await writeModelGlb(parts, { id: 'test-isopod', scientificName: 'Armadillidium testum', commonName: 'Test pill bug', params: { width } });
  writeFileSync(path.join(dir, 'test-isopod.glb'), bytes);
  const catalog = JSON.parse(readFileSync(path.join(dir, 'catalog.json'), 'utf8'));
  catalog.species = catalog.species.filter((s: { id: string }) => s.id !== 'test-isopod');
  catalog.species.push({
    id: 'test-isopod',
    scientificName: 'Armadillidium testum',
    commonNames: { en: 'Test pill bug' },
    taxonomy: { class: 'Malacostraca', order: 'Isopoda', family: 'Armadillidiidae' },
    cites: null,
    sizeMm: { min: 15, max: 20 },
    model: 'test-isopod.glb',
    modelLengthMm: 24,
    bodyPlan: 'arthropod',
    concealment: ['small-box'],
    tags: ['test'],
    orientation: 'any',
  });
  writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify(catalog, null, 2));
}

function removeSpecies(dir: string, id: string): void {
  const catalog = JSON.parse(readFileSync(path.join(dir, 'catalog.json'), 'utf8'));
  catalog.species = catalog.species.filter((s: { id: string }) => s.id !== id);
  writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify(catalog, null, 2));
}

interface Row {
  id: string;
  status: string;
  target_species: string;
  seed: number;
  image_sha256: string;
  split: string;
  scene_json: string;
}

function rows(dir: string): Row[] {
  const db = new Database(path.join(dir, 'exoray.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, status, target_species, seed, image_sha256, split, scene_json FROM samples ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

function cocoImages(dir: string): string[] {
  const coco = JSON.parse(readFileSync(path.join(dir, 'annotations', 'instances.json'), 'utf8')) as { images: Array<{ exoray_sample_id: string }> };
  return coco.images.map((i) => i.exoray_sample_id).sort();
}

const catalogDir = path.join(tmp.dir, 'catalog');
const data = path.join(tmp.dir, 'data');
const targetFile = path.join(tmp.dir, 'target.yaml');

beforeAll(() => {
  makeCatalog(catalogDir);
  writeFileSync(targetFile, TARGET);
});

describe('exoray refresh', () => {
  let beetles: Row[] = [];

  it('makes a dataset from a target: samplesPerSpecies samples of each catalog species', async () => {
    const s = await refresh({ dir: data, target: targetFile, catalog: catalogDir, workers: 1 });
    expect(s.outcome).toBe('changed');
    expect(s.added).toBe(2);
    beetles = rows(data);
    expect(beetles.map((r) => r.id)).toEqual([expect.stringMatching(/^stag-beetle-00000-[0-9a-f]{8}$/), expect.stringMatching(/^stag-beetle-00001-/)]);
    expect(beetles.every((r) => r.status === 'active' && r.target_species === 'stag-beetle')).toBe(true);
    expect(readFileSync(path.join(data, 'target.yaml'), 'utf8')).toBe(TARGET);
    expect(cocoImages(data)).toEqual(beetles.map((r) => r.id));
    expect((await verifyDataset(data)).problems).toEqual([]);
  }, 180_000);

  it('does nothing the second time, and says so', async () => {
    const before = readFileSync(path.join(data, 'manifest.json'));
    const s = await refresh({ dir: data, catalog: catalogDir, workers: 1 });
    expect(s.outcome).toBe('nothing-to-do');
    expect(s.added + s.superseded + s.retired + s.reactivated).toBe(0);
    expect(s.exports).toBe(false);
    expect(readFileSync(path.join(data, 'manifest.json')).equals(before)).toBe(true);
    expect(rows(data)).toEqual(beetles);
  });

  it('adds a new species: a dry run plans exactly its samples, the run makes them and leaves the others byte-identical', async () => {
    await putIsopod(catalogDir, 0.007);
    const plan = await refresh({ dir: data, catalog: catalogDir, dryRun: true });
    expect(plan.outcome).toBe('changed');
    expect(plan.species.map((sp) => [sp.species, sp.state, sp.add, sp.supersede])).toEqual([
      ['stag-beetle', 'unchanged', 0, 0],
      ['test-isopod', 'new', 2, 0],
    ]);
    expect(rows(data)).toEqual(beetles); // a dry run writes nothing

    const s = await refresh({ dir: data, catalog: catalogDir, workers: 1 });
    expect([s.added, s.superseded, s.retired]).toEqual([plan.added, plan.superseded, plan.retired]);
    const after = rows(data);
    expect(after.filter((r) => r.target_species === 'stag-beetle')).toEqual(beetles);
    const isopods = after.filter((r) => r.target_species === 'test-isopod');
    expect(isopods).toHaveLength(2);
    for (const r of isopods) {
      const scene = JSON.parse(r.scene_json) as { objects: Array<{ role: string; kind: string }> };
      const animals = scene.objects.filter((o) => o.role === 'animal');
      expect(animals.length).toBeGreaterThan(0);
      expect(animals.every((o) => o.kind === 'test-isopod')).toBe(true);
    }
    expect(cocoImages(data)).toEqual(after.map((r) => r.id).sort());
    expect((await verifyDataset(data)).problems).toEqual([]);
  }, 180_000);

  it('supersedes and remakes the samples of a changed model, keeping the old ones out of the exports', async () => {
    const old = rows(data).filter((r) => r.target_species === 'test-isopod');
    await putIsopod(catalogDir, 0.009);
    const plan = await refresh({ dir: data, catalog: catalogDir, dryRun: true });
    expect(plan.species.find((sp) => sp.species === 'test-isopod')).toMatchObject({ state: 'changed', add: 2, supersede: 2 });
    const s = await refresh({ dir: data, catalog: catalogDir, workers: 1 });
    expect([s.added, s.superseded]).toEqual([2, 2]);
    const after = rows(data);
    expect(after.filter((r) => r.target_species === 'stag-beetle')).toEqual(beetles);
    const superseded = after.filter((r) => r.status === 'superseded');
    expect(superseded.map((r) => r.id)).toEqual(old.map((r) => r.id));
    const remade = after.filter((r) => r.target_species === 'test-isopod' && r.status === 'active');
    // Same scenes (seed and split stay with species and index), new model, new ids.
    expect(remade.map((r) => [r.seed, r.split])).toEqual(old.map((r) => [r.seed, r.split]));
    expect(remade.map((r) => r.id)).not.toEqual(old.map((r) => r.id));
    for (const r of superseded) expect(existsSync(path.join(data, 'images', `${r.id}.png`))).toBe(true);
    expect(cocoImages(data)).toEqual([...beetles, ...remade].map((r) => r.id).sort());
    const yoloTrain = readFileSync(path.join(data, 'train.txt'), 'utf8') + readFileSync(path.join(data, 'val.txt'), 'utf8');
    for (const r of superseded) expect(yoloTrain).not.toContain(r.id);
    expect((await verifyDataset(data)).problems).toEqual([]);
    // Exports take the active samples, unless the query asks for a status.
    const active = await exportSubset(data, path.join(tmp.dir, 'export-active'), { where: '', formats: ['coco'], labelLevel: 'species' });
    expect(active.samples).toBe(4);
    const oldExport = await exportSubset(data, path.join(tmp.dir, 'export-old'), { where: 'status:superseded', formats: ['coco'], labelLevel: 'species' });
    expect(oldExport.samples).toBe(2);
    expect(cocoImages(path.join(tmp.dir, 'export-old'))).toEqual(superseded.map((r) => r.id));
    expect((await verifyDataset(path.join(tmp.dir, 'export-active'))).problems).toEqual([]);
  }, 180_000);

  it('retires the samples of a species removed from the catalog, and brings them back when it returns', async () => {
    removeSpecies(catalogDir, 'test-isopod');
    const s = await refresh({ dir: data, catalog: catalogDir, workers: 1 });
    expect(s.retired).toBe(2);
    expect(s.species.find((sp) => sp.species === 'test-isopod')?.state).toBe('removed');
    expect(cocoImages(data)).toEqual(beetles.map((r) => r.id));
    expect(rows(data).filter((r) => r.status === 'retired')).toHaveLength(2);

    await putIsopod(catalogDir, 0.009);
    const back = await refresh({ dir: data, catalog: catalogDir, workers: 1 });
    expect([back.added, back.reactivated]).toEqual([0, 2]);
    expect(rows(data).filter((r) => r.status === 'active')).toHaveLength(4);
  }, 180_000);

  it('continues a stopped refresh: nothing lost, nothing duplicated', async () => {
    const stopped = path.join(tmp.dir, 'stopped');
    const whole = path.join(tmp.dir, 'whole');
    await refresh({ dir: whole, target: targetFile, catalog: catalogDir, workers: 1 });
    const abort = new AbortController();
    const first = refresh({
      dir: stopped,
      target: targetFile,
      catalog: catalogDir,
      workers: 1,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done === 1) abort.abort();
      },
    });
    await expect(first).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
    expect(rows(stopped)).toHaveLength(1);
    const plan = await refresh({ dir: stopped, catalog: catalogDir, dryRun: true });
    expect(plan.added).toBe(3);
    await refresh({ dir: stopped, catalog: catalogDir, workers: 1 });
    const strip = (r: Row[]) => r.map(({ id, status, seed, image_sha256, split }) => ({ id, status, seed, image_sha256, split }));
    expect(strip(rows(stopped))).toEqual(strip(rows(whole)));
    expect(cocoImages(stopped)).toEqual(cocoImages(whole));
    expect((await verifyDataset(stopped)).problems).toEqual([]);
  }, 300_000);

  it('refuses a target that would change every sample, and a folder made by generate', async () => {
    const changed = path.join(tmp.dir, 'changed-target.yaml');
    writeFileSync(changed, TARGET.replace('seed: 5', 'seed: 6'));
    const e = await refresh({ dir: data, target: changed, catalog: catalogDir }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ExorayError);
    expect((e as ExorayError).message).toMatch(/changes seed .*new dataset in another folder/);
    expect(readFileSync(path.join(data, 'target.yaml'), 'utf8')).toBe(TARGET);
  });
});

describe('exoray refresh (CLI)', () => {
  it('exits 3 with "Nothing to do" when current, and prints a JSON plan with --dry-run --json', async () => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    let code: number;
    let dry: number;
    try {
      code = await main(['refresh', data, '--catalog', catalogDir]);
      dry = await main(['refresh', data, '--catalog', catalogDir, '--dry-run', '--json']);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(3);
    expect(out[0]).toMatch(/^Nothing to do: /);
    expect(dry).toBe(3);
    const json = JSON.parse(out[1]!) as { outcome: string; species: Array<{ species: string; add: number }> };
    expect(json.outcome).toBe('nothing-to-do');
    expect(json.species.map((s) => s.species)).toEqual(['stag-beetle', 'test-isopod']);
  });

  it('names a missing target and a bad field with exit 2', async () => {
    const bad = path.join(tmp.dir, 'bad.yaml');
    writeFileSync(bad, 'presets: parcel\nsamplesPerSpecies: many\n');
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
    let missing: number;
    let wrong: number;
    try {
      missing = await main(['refresh', path.join(tmp.dir, 'nowhere'), '--catalog', catalogDir]);
      wrong = await main(['refresh', path.join(tmp.dir, 'new'), '--target', bad, '--catalog', catalogDir]);
    } finally {
      process.stderr.write = write;
    }
    expect(missing).toBe(2);
    expect(err[0]).toMatch(/nowhere does not exist/);
    expect(wrong).toBe(2);
    expect(err[1]).toMatch(/bad\.yaml: field "samplesPerSpecies" must be a number/);
    expect(existsSync(path.join(tmp.dir, 'new'))).toBe(false);
  });
});
