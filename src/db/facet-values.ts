/**
 * Which facet bitmaps a sample belongs to, and its visibility figures: the one definition that
 * the insert path, the rebuild from the tables and the reader's patches all use, so that the
 * three cannot disagree. Pure computation, no I/O.
 *
 * A bitmap is named by (facet, key, level):
 * - sample facets (level 1): `samples` (key ''), `preset`, `container`, `split`, `status`,
 *   `animal_count`, and the latest review's `verdict` and `reason` (none when unreviewed);
 * - animal facets: `species`, `difficulty`, `view` at level k hold the samples with at least k
 *   animals of that key, so that the animals of a set of samples S with key x number
 *   sum over k of |S AND bitmap(x, k)|: exact animal counts from sample bitmaps.
 * A NULL value (no container, no split, no difficulty) has the key null (stored as x'').
 */

export type FacetKey = string | number | null;

export interface FacetValue {
  facet: string;
  key: FacetKey;
  level: number;
}

/** The facets of samples (level 1 only). */
export const SAMPLE_FACETS = ['samples', 'preset', 'container', 'split', 'status', 'animal_count', 'verdict', 'reason'] as const;
/** The facets of animals (levels: at least k animals). */
export const ANIMAL_FACETS = ['species', 'difficulty', 'view'] as const;

/** A sample's faceted columns, as the tables hold them. */
export interface SampleFacetRow {
  preset: string;
  container_kind: string | null;
  split: string | null;
  status: string;
  animal_count: number;
  verdict: string | null;
  reason: string | null;
}

export interface AnimalFacetRow {
  species: string;
  difficulty: string | null;
  view: string;
  visibility: number | null;
}

/**
 * A sample's measured visibilities: how many, their sum in units of 1e-9 (an integer, as
 * facet_counts keeps it: exact whatever the order of addition), lowest and highest.
 */
export interface VisibilityFigures {
  n: number;
  sum: number;
  min: number;
  max: number;
}

export const valueId = (facet: string, key: FacetKey, level: number): string => `${facet}\u0000${key === null ? '\u0001' : `${typeof key}:${key}`}\u0000${level}`;

export function facetValuesOf(sample: SampleFacetRow, animals: readonly AnimalFacetRow[]): FacetValue[] {
  const values: FacetValue[] = [
    { facet: 'samples', key: '', level: 1 },
    { facet: 'preset', key: sample.preset, level: 1 },
    { facet: 'container', key: sample.container_kind, level: 1 },
    { facet: 'split', key: sample.split, level: 1 },
    { facet: 'status', key: sample.status, level: 1 },
    { facet: 'animal_count', key: sample.animal_count, level: 1 },
  ];
  if (sample.verdict !== null) values.push({ facet: 'verdict', key: sample.verdict, level: 1 });
  if (sample.reason !== null && sample.verdict !== null) values.push({ facet: 'reason', key: sample.reason, level: 1 });
  if (animals.length === 0) return values;
  for (const facet of ANIMAL_FACETS) {
    // Levels 1..k for a key that k animals of the sample have.
    const seen = new Map<FacetKey, number>();
    for (const a of animals) {
      const key = facet === 'species' ? a.species : facet === 'difficulty' ? a.difficulty : a.view;
      const level = (seen.get(key) ?? 0) + 1;
      seen.set(key, level);
      values.push({ facet, key, level });
    }
  }
  return values;
}

export function visibilityOf(animals: readonly AnimalFacetRow[]): VisibilityFigures | null {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const a of animals) {
    const v = a.visibility;
    if (v === null) continue;
    n++;
    // As SQL round() and FacetTally: half away from zero (visibility is never negative).
    sum += Math.round(v * 1e9);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return n === 0 ? null : { n, sum, min, max };
}
