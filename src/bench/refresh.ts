/**
 * `npm run bench:refresh -- --samples 10000`: how long `exoray refresh` takes to
 * find that a dataset is current (the target: under 2 s at 10,000 samples).
 *
 * It refreshes a real two-species dataset of one sample per species, then grows it
 * to the wanted size by copying those rows in SQL under the ids refresh would
 * give (rendering 10,000 images would take an hour and measure nothing more: the
 * no-op path reads the target, the catalog and the database, never the images).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { recountFacets } from '../db/facets.js';
import { refresh } from '../dataset/refresh.js';
import { refreshSampleId } from '../dataset/refresh-plan.js';

const SAMPLE_COPY =
  'run_id, seed, preset, split, width, height, scanner_json, container_kind, clutter_count, animal_count, scene_json, image_path, raw_path, ' +
  'image_sha256, raw_sha256, render_ms, created_at, status, target_species, model_sha256';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const target = (perSpecies: number) => `presets: parcel:1,reptile-box:1
samplesPerSpecies: ${perSpecies}
species: [stag-beetle, ball-python]
seed: 1
scanner: { size: 64, effects: false }
formats: [coco]
`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: '10000' }, runs: { type: 'string', default: '7' } } });
  const total = Number(values.samples);
  const perSpecies = Math.ceil(total / 2);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'exoray-bench-refresh-'));
  try {
    const data = path.join(dir, 'data');
    writeFileSync(path.join(dir, 'small.yaml'), target(1));
    await refresh({ dir: data, target: path.join(dir, 'small.yaml'), workers: 1 });

    const db = new Database(path.join(data, 'exoray.db'));
    const seeds = db.prepare('SELECT id, target_species AS species, model_sha256 AS sha FROM samples').all() as Array<{ id: string; species: string; sha: string }>;
    const copy = db.transaction(() => {
      let index = seeds.length;
      for (const s of seeds) {
        for (let k = 1; k < perSpecies; k++) {
          const id = refreshSampleId(s.species, k, s.sha);
          db.prepare(
            `INSERT INTO samples (id, sample_index, ${SAMPLE_COPY}) SELECT ?, ?, ${SAMPLE_COPY} FROM samples WHERE id = ?`,
          ).run(id, index++, s.id);
          db.prepare(
            `INSERT INTO instances (sample_id, view, instance_index, object_id, species, scientific_name, bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility, difficulty)
             SELECT ?, view, instance_index, object_id, species, scientific_name, bbox_x, bbox_y, bbox_w, bbox_h, mask_area, mask_rle, length_mm, visibility, difficulty FROM instances WHERE sample_id = ?`,
          ).run(id, s.id);
        }
      }
    });
    copy();
    // Rows inserted with SQL: the counts and bitmaps kept for queries are counted again.
    recountFacets(db);
    const stored = (db.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n;
    // The last run recorded samplesPerSpecies 1; the grown target is what the copies now match.
    const run = db.prepare('SELECT id, options_json FROM runs ORDER BY id DESC LIMIT 1').get() as { id: number; options_json: string };
    db.prepare('UPDATE runs SET options_json = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(run.options_json), samplesPerSpecies: perSpecies }), run.id);
    db.close();
    writeFileSync(path.join(data, 'target.yaml'), target(perSpecies));

    const times: number[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const t0 = performance.now();
      const s = await refresh({ dir: data });
      times.push(performance.now() - t0);
      if (s.outcome !== 'nothing-to-do') throw new Error(`bench: expected nothing to do, got ${JSON.stringify({ added: s.added, superseded: s.superseded, retired: s.retired, exports: s.exportsReason })}`);
    }
    process.stdout.write(
      `refresh with nothing to do, ${stored} samples of 2 species: median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, ${times.length} runs; target < 2000 ms)\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:refresh failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
