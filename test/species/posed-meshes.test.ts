/**
 * Posed meshes stay valid: for 40 sampled poses per species (the first 40 of the 300 that
 * `npm run bench:poses` measures, same seeds), every part of the catalog model skinned on
 * the CPU is still closed and outward, its volume within the bound measured for that body
 * plan, and at most a sliver of its triangles turned over (folds in blended flesh).
 *
 * Measured over 300 poses (docs/SPECIES.md): arthropods and myriapods move every part
 * rigidly (0.00 %); chelonians 0.13 %; gecko 1.2 %, frog 1.5 %, parrot chick 4.0 % (body);
 * stretched python 1.8 %, coiled python 4.3 % (ribs and vertebrae, which follow the flesh's
 * blended transform and shrink with it); live seahorse 1.1 % (body tube; rings, vertebrae and
 * head rigid, the dorsal fin one blended transform).
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog, loadSpeciesRigged } from '../../src/species/catalog.js';
import { measurePoses } from '../../src/scene/pose-quality.js';
import { DEFAULT_POSE_SETTINGS } from '../../src/scene/pose.js';

/** Largest |V_posed / V_rest - 1| allowed per species: the 300-pose figure, rounded up. */
const VOLUME_BOUND: Record<string, number> = {
  'ball-python': 0.05,
  'ball-python-stretched': 0.02,
  'leopard-gecko': 0.015,
  'dyeing-poison-frog': 0.02,
  'grey-parrot-chick': 0.045,
  'star-tortoise': 0.002,
  'red-eared-slider-hatchling': 0.002,
  'spotted-seahorse': 0.012,
};
/** Parts moved rigidly keep their volume up to float32 rounding. */
const RIGID_BOUND = 1e-5;

const catalog = loadCatalog();

describe('posed meshes', () => {
  it.each(catalog.species.filter((e) => !e.rigid).map((e) => e.id))('%s: 40 poses keep every part closed, outward and its volume within bound', async (id) => {
    const model = await loadSpeciesRigged(catalog.species.find((e) => e.id === id)!);
    const q = measurePoses(model, DEFAULT_POSE_SETTINGS, 40, 1);
    expect(q.poses).toBe(40);
    expect(q.openPoses).toBe(0);
    expect(q.limitViolations).toBe(0);
    expect(q.worstVolumeChange, `${q.worstPart} in a ${q.worstPosture} pose`).toBeLessThanOrEqual(VOLUME_BOUND[id] ?? RIGID_BOUND);
    expect(q.worstFlipped, q.worstFlippedPart).toBeLessThan(0.015);
  });
});
