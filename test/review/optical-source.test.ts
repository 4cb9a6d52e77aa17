/** The review server's optical view with the real renderer: started on first use, with the dataset's catalog. */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { generate } from '../../src/dataset/generate.js';
import { openDatabase } from '../../src/db/database.js';
import { lazyOpticalSource } from '../../src/review/optical-source.js';
import { RequestError } from '../../src/review/request-error.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('exoray-optical-source-');
afterAll(() => tmp.cleanup());

describe('lazyOpticalSource', () => {
  it('renders a stored sample as an optical PNG of its size, and says 503 when no browser starts', async () => {
    const out = path.join(tmp.dir, 'data');
    await generate({ out, count: 1, seed: 3, size: 96, workers: 1, effects: false });
    const db = openDatabase(path.join(out, 'exoray.db'), { readonly: true });
    const sample = db.getSample(db.listSamples()[0]!.id)!;
    db.close();

    const source = lazyOpticalSource(path.join(out, 'exoray.db'));
    try {
      const png = await source.render(sample.scene, { width: sample.width, height: sample.height });
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 96, 96]);
      const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      expect(new Set(data).size).toBeGreaterThan(10); // a picture, not a flat fill
    } finally {
      await source.close();
    }

    const broken = lazyOpticalSource(path.join(out, 'exoray.db'), { chromium: path.join(tmp.dir, 'no-such-chromium') });
    const e = await broken.render(sample.scene, { width: 32, height: 32 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RequestError);
    expect((e as RequestError).status).toBe(503);
    expect((e as RequestError).message).toMatch(/optical renderer could not start/);
    await broken.close();
  }, 180_000);
});
