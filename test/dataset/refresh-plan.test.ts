import { describe, expect, it } from 'vitest';
import { ExorayError } from '../../src/core/errors.js';
import { planRefresh, refreshSampleId, refreshSampleIndex, type StoredRefreshSample } from '../../src/dataset/refresh-plan.js';
import { presetsFor } from '../../src/dataset/refresh-scene.js';
import { fixedSettings, parseTarget } from '../../src/dataset/target.js';
import type { Preset } from '../../src/scene/preset.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const stored = (species: string, k: number, sha: string, status: StoredRefreshSample['status'] = 'active'): StoredRefreshSample => ({
  id: refreshSampleId(species, k, sha),
  targetSpecies: species,
  modelSha256: sha,
  status,
});

describe('planRefresh', () => {
  it('plans every sample of a new dataset, species in id order', () => {
    const plan = planRefresh({ species: 'all', samplesPerSpecies: 2 }, [{ id: 'snake', sha256: A }, { id: 'beetle', sha256: B }], []);
    expect(plan.add.map((p) => p.id)).toEqual(['beetle-00000-bbbbbbbb', 'beetle-00001-bbbbbbbb', 'snake-00000-aaaaaaaa', 'snake-00001-aaaaaaaa']);
    expect(plan.species.map((s) => [s.species, s.state, s.add])).toEqual([['beetle', 'new', 2], ['snake', 'new', 2]]);
  });

  it('does nothing for a current dataset', () => {
    const plan = planRefresh({ species: 'all', samplesPerSpecies: 2 }, [{ id: 'beetle', sha256: A }], [stored('beetle', 0, A), stored('beetle', 1, A)]);
    expect([plan.add, plan.supersede, plan.retire, plan.reactivate]).toEqual([[], [], [], []]);
    expect(plan.species[0]!.state).toBe('unchanged');
  });

  it('supersedes the samples of a changed model and plans the same indices under the new hash', () => {
    const plan = planRefresh({ species: 'all', samplesPerSpecies: 2 }, [{ id: 'beetle', sha256: B }], [stored('beetle', 0, A), stored('beetle', 1, A)]);
    expect(plan.supersede).toEqual(['beetle-00000-aaaaaaaa', 'beetle-00001-aaaaaaaa']);
    expect(plan.add.map((p) => [p.k, p.sha256])).toEqual([[0, B], [1, B]]);
    expect(plan.species[0]!.state).toBe('changed');
  });

  it('reactivates earlier samples when a model returns to an earlier version', () => {
    const plan = planRefresh(
      { species: 'all', samplesPerSpecies: 1 },
      [{ id: 'beetle', sha256: A }],
      [stored('beetle', 0, A, 'superseded'), stored('beetle', 0, B)],
    );
    expect(plan).toMatchObject({ add: [], supersede: ['beetle-00000-bbbbbbbb'], reactivate: ['beetle-00000-aaaaaaaa'] });
  });

  it('grows and shrinks with samplesPerSpecies', () => {
    const grown = planRefresh({ species: 'all', samplesPerSpecies: 3 }, [{ id: 'beetle', sha256: A }], [stored('beetle', 0, A)]);
    expect(grown.add.map((p) => p.k)).toEqual([1, 2]);
    expect(grown.species[0]!.state).toBe('resized');
    const shrunk = planRefresh({ species: 'all', samplesPerSpecies: 1 }, [{ id: 'beetle', sha256: A }], [stored('beetle', 0, A), stored('beetle', 1, A)]);
    expect(shrunk.retire).toEqual(['beetle-00001-aaaaaaaa']);
  });

  it('retires the samples of species gone from the catalog or the target list, and only the active ones', () => {
    const state = [stored('beetle', 0, A), stored('gone', 0, A), stored('gone', 1, B, 'superseded'), stored('dropped', 0, A)];
    const plan = planRefresh({ species: ['beetle'], samplesPerSpecies: 1 }, [{ id: 'beetle', sha256: A }, { id: 'dropped', sha256: A }], state);
    expect(plan.retire).toEqual(['dropped-00000-aaaaaaaa', 'gone-00000-aaaaaaaa']);
    expect(plan.species.map((s) => [s.species, s.state])).toEqual([['beetle', 'unchanged'], ['dropped', 'removed'], ['gone', 'removed']]);
  });

  it('reads the index back from an id, and refuses ids it did not make', () => {
    expect(refreshSampleIndex(refreshSampleId('stag-beetle-2', 42, A))).toBe(42);
    expect(() => refreshSampleIndex('s000042')).toThrow(ExorayError);
  });
});

describe('presetsFor', () => {
  const preset = (name: string, species: string[]) => ({ preset: { name, animals: { species, count: [1, 1] } } as unknown as Preset, weight: 1 });
  it('prefers the presets that place the species, else all', () => {
    const all = [preset('parcel', ['beetle']), preset('reptile-box', ['snake'])];
    expect(presetsFor(all, 'snake').map((p) => p.preset.name)).toEqual(['reptile-box']);
    expect(presetsFor(all, 'frog').map((p) => p.preset.name)).toEqual(['parcel', 'reptile-box']);
  });
});

describe('target files', () => {
  it('reads presets as text or a list, with defaults', () => {
    const t = parseTarget({ presets: 'parcel:3,reptile-box:1', samplesPerSpecies: 10 }, 't.yaml');
    expect(t).toMatchObject({ presets: [{ name: 'parcel', weight: 3 }, { name: 'reptile-box', weight: 1 }], species: 'all', seed: 1, formats: ['coco'], labelLevel: 'species' });
    const u = parseTarget({ presets: ['parcel', { name: 'reptile-box', weight: 2 }], samplesPerSpecies: 1, split: '70/20/10', scanner: { size: 256, views: ['top', 'side'], effects: false } }, 't.yaml');
    expect(u.presets).toEqual([{ name: 'parcel', weight: 1 }, { name: 'reptile-box', weight: 2 }]);
    expect(u.split.train).toBeCloseTo(0.7);
    expect(u.scanner).toEqual({ size: 256, views: ['top', 'side'], effects: false });
  });

  it('names the file and the field that is wrong', () => {
    expect(() => parseTarget({ presets: 'parcel' }, 't.yaml')).toThrow(/target t\.yaml: field "samplesPerSpecies" must be a number/);
    expect(() => parseTarget({ presets: 'parcel', samplesPerSpecies: 1, sede: 3 }, 't.yaml')).toThrow(/field "sede" is not a target field/);
    expect(() => parseTarget({ presets: 'parcel', samplesPerSpecies: 1, split: '1/2' }, 't.yaml')).toThrow(/field "split" is wrong/);
    expect(() => parseTarget({ presets: 'parcel', samplesPerSpecies: 1, formats: ['coco', 'tfrecord'] }, 't.yaml')).toThrow(/formats\[1\]" must be one of/);
  });

  it('keeps count and species out of the settings a dataset keeps for life', () => {
    const a = parseTarget({ presets: 'parcel', samplesPerSpecies: 1 }, 't.yaml');
    const b = parseTarget({ presets: 'parcel', samplesPerSpecies: 50, species: ['x'], formats: ['yolo'] }, 't.yaml');
    expect(fixedSettings(a)).toEqual(fixedSettings(b));
    expect(fixedSettings(parseTarget({ presets: 'parcel', samplesPerSpecies: 1, seed: 2 }, 't.yaml'))).not.toEqual(fixedSettings(a));
  });
});
