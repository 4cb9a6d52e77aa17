import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { sampleTiles } from '../../src/db/tiles.js';
import { fixtureRecord } from '../review/fixture.js';
import { tempDir } from './helpers.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('sampleTiles', () => {
  it('gives each sample its species, hardest difficulty and latest verdict', () => {
    const db = openDatabase(path.join(tmp.dir, 'tiles.db'));
    const runId = db.startRun({ toolVersion: 't', preset: 'p', seed: 1 });
    const records = Array.from({ length: 6 }, (_, i) => fixtureRecord(i, runId));
    db.insertSamples(records);
    db.addReview({ sampleId: 's000001', verdict: 'approved', reviewer: 'a' });
    db.addReview({ sampleId: 's000001', verdict: 'rejected', reason: 'label-wrong', reviewer: 'b' });
    const tiles = sampleTiles(db, ['s000000', 's000001', 's000099']);
    expect(Object.keys(tiles).sort()).toEqual(['s000000', 's000001', 's000099']);
    for (const id of ['s000000', 's000001']) {
      const r = records.find((x) => x.id === id)!;
      expect(tiles[id]!.species.sort()).toEqual([...new Set(r.instances.map((i) => i.species))].sort());
      const rank = ['easy', 'hard', 'hidden'];
      const hardest = r.instances.map((i) => i.difficulty!).sort((a, b) => rank.indexOf(b) - rank.indexOf(a))[0];
      expect(tiles[id]!.difficulty).toBe(hardest);
    }
    expect(tiles.s000001).toMatchObject({ verdict: 'rejected', reason: 'label-wrong' });
    expect(tiles.s000000!.verdict).toBeNull();
    expect(tiles.s000099).toEqual({ species: [], difficulty: null, verdict: null, reason: null });
    expect(sampleTiles(db, [])).toEqual({});
    db.close();
  });
});
