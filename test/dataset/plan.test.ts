import { beforeAll, describe, expect, it } from 'vitest';
import { SpeciesLibrary } from '../../src/dataset/species-library.js';
import { makePlan, parsePresetList, planScene, presetFor } from '../../src/dataset/plan.js';

let species: SpeciesLibrary;
beforeAll(async () => {
  species = await SpeciesLibrary.load();
});

describe('run planning', () => {
  it('mixes presets by weight, each sample from its own seed', () => {
    const plan = makePlan(species, 7, { presets: parsePresetList('parcel:3,reptile-box:1'), size: 64 });
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) counts.set(presetFor(plan, i).name, (counts.get(presetFor(plan, i).name) ?? 0) + 1);
    expect(counts.get('parcel')! / 2000).toBeGreaterThan(0.71);
    expect(counts.get('parcel')! / 2000).toBeLessThan(0.79);
    // A sample's preset and scene do not depend on which other samples are made (resume, shards).
    expect(JSON.stringify(planScene(plan, 123))).toBe(JSON.stringify(planScene(makePlan(species, 7, { presets: parsePresetList('parcel:3,reptile-box:1'), size: 64 }), 123)));
  });

  it('filters species; refuses a filter that leaves a preset nothing to place', () => {
    const plan = makePlan(species, 1, { presets: parsePresetList('reptile-box'), species: ['ball-python'], size: 64 });
    for (let i = 0; i < 30; i++) {
      for (const o of planScene(plan, i).objects.filter((x) => x.role === 'animal')) expect(o.kind).toBe('ball-python');
    }
    expect(() => makePlan(species, 1, { presets: parsePresetList('parcel'), species: ['ball-python'] })).toThrow(/none of which is in --species ball-python/);
    expect(() => makePlan(species, 1, { presets: parsePresetList('parcel'), species: ['dodo'] })).toThrow(/"dodo" is not in the catalog/);
  });

  it('parses preset lists and refuses bad weights', () => {
    expect(parsePresetList('parcel')).toEqual([{ name: 'parcel', weight: 1 }]);
    expect(parsePresetList('a:2, b:0.5')).toEqual([{ name: 'a', weight: 2 }, { name: 'b', weight: 0.5 }]);
    expect(() => parsePresetList('a:0')).toThrow(/positive number/);
  });
});
