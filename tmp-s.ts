import { loadPreset } from './src/scene/preset.js';
import { sampleScene } from './src/scene/sampler.js';
import { SpeciesLibrary } from './src/dataset/species-library.js';
const lib = await SpeciesLibrary.load();
const sp = lib.forScenes();
for (const name of ['small-parcel','large-parcel','padded-envelope','postal-bag','hard-suitcase','soft-suitcase','backpack','carry-on-trolley']) {
  const p = loadPreset(name);
  let t0 = performance.now(); let fill = 0, clutter = 0, animals = 0, neg = 0, fails = 0, mats = 0;
  const N = 100;
  for (let s = 0; s < N; s++) {
    try {
      const sc = sampleScene(p, sp, s);
      const r = sc.randomisation!;
      fill += r.clutterFill; clutter += r.clutterCount; animals += r.animalCount; neg += r.negative ? 1 : 0;
      const m = new Set<string>(); for (const o of sc.objects) for (const pt of o.parts) if (pt.shape.type !== 'asset') m.add(pt.material); else lib.parts(o.kind).forEach(x => m.add(x.material));
      mats = Math.max(mats, m.size);
    } catch (e) { fails++; if (fails < 3) console.log(name, s, (e as Error).message); }
  }
  console.log(name, 'ms/scene', ((performance.now()-t0)/N).toFixed(1), 'fill', (fill/N).toFixed(3), 'clutter', (clutter/N).toFixed(1), 'animals', (animals/N).toFixed(2), 'neg', neg, 'fails', fails, 'maxMaterials', mats);
}
