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
 * - `visibility` (level 1): samples with an animal whose visibility is in a bucket (the value
 *   k/100, or the open interval between two such): visibility ranges of queries are unions of
 *   buckets, exact when the range's ends are multiples of 0.01 (the review page's steps are 0.05).
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

/**
 * Visibility buckets. With g = VIS_STEPS, key 2k holds the single value k/g and key 2k+1 the
 * open interval (k/g, (k+1)/g): a bound on any multiple of 1/g (<, <=, >, >= or =) then splits
 * no bucket, so such ranges are answered exactly.
 */
export const VIS_STEPS = 100;
export const VIS_BUCKETS = 2 * VIS_STEPS;

/** The bucket of a visibility in [0, 1], as the doubles compare. */
export function visibilityBucket(v: number): number {
  let k = Math.min(VIS_STEPS, Math.max(0, Math.floor(v * VIS_STEPS)));
  while (k > 0 && v < k / VIS_STEPS) k--;
  while (k < VIS_STEPS && v >= (k + 1) / VIS_STEPS) k++;
  return v === k / VIS_STEPS ? 2 * k : 2 * k + 1;
}

export type BucketMatch = 'all' | 'none' | 'some';

const passes = (v: number, op: string, t: number): boolean => (op === '<' ? v < t : op === '<=' ? v <= t : op === '>' ? v > t : op === '>=' ? v >= t : v === t);

/**
 * Whether every, no, or some visibility of a bucket passes `v op t` (op as in the query
 * language; ':' is '='). 'some' when it cannot be told from the bucket's ends.
 */
export function bucketMatch(bucket: number, op: string, t: number): BucketMatch {
  const k = bucket >> 1;
  if (bucket % 2 === 0) return passes(k / VIS_STEPS, op, t) ? 'all' : 'none';
  // The open interval (lo, hi): its values are above lo and below hi, neither end included.
  const lo = k / VIS_STEPS;
  const hi = (k + 1) / VIS_STEPS;
  switch (op) {
    case '<':
    case '<=':
      return hi <= t ? 'all' : lo >= t ? 'none' : 'some';
    case '>':
    case '>=':
      return lo >= t ? 'all' : hi <= t ? 'none' : 'some';
    default:
      return t <= lo || t >= hi ? 'none' : 'some';
  }
}

export const valueId = (facet: string, key: FacetKey, level: number): string => `${facet}\u0000${key === null ? '\u0001' : `${typeof key}:${key}`}\u0000${level}`;

/** Receives a sample's facet values one by one (see visitFacetValues). */
export type FacetVisitor = (facet: string, key: FacetKey, level: number) => void;

/** A sample's facet values as objects (for readers and the rebuild; the insert path visits them). */
export function facetValuesOf(sample: SampleFacetRow, animals: readonly AnimalFacetRow[]): FacetValue[] {
  const values: FacetValue[] = [];
  visitFacetValues(sample, animals, (facet, key, level) => values.push({ facet, key, level }));
  return values;
}

const animalKey = (a: AnimalFacetRow, facet: (typeof ANIMAL_FACETS)[number]): FacetKey => (facet === 'species' ? a.species : facet === 'difficulty' ? a.difficulty : a.view);

/**
 * The definition of a sample's facet values, each handed to `visit` once. No objects are made:
 * the insert path visits a million samples' values (a dozen or more each) straight into its
 * bitmaps.
 */
export function visitFacetValues(sample: SampleFacetRow, animals: readonly AnimalFacetRow[], visit: FacetVisitor): void {
  visit('samples', '', 1);
  visit('preset', sample.preset, 1);
  visit('container', sample.container_kind, 1);
  visit('split', sample.split, 1);
  visit('status', sample.status, 1);
  visit('animal_count', sample.animal_count, 1);
  if (sample.verdict !== null) visit('verdict', sample.verdict, 1);
  if (sample.reason !== null && sample.verdict !== null) visit('reason', sample.reason, 1);
  const n = animals.length;
  if (n === 0) return;
  if (n > 16) {
    // Many animals: counted in maps rather than by looking back over the earlier ones.
    const buckets = new Set<number>();
    for (const a of animals) if (a.visibility !== null) buckets.add(visibilityBucket(a.visibility));
    for (const k of buckets) visit('visibility', k, 1);
    for (const facet of ANIMAL_FACETS) {
      const seen = new Map<FacetKey, number>();
      for (const a of animals) {
        const key = animalKey(a, facet);
        const level = (seen.get(key) ?? 0) + 1;
        seen.set(key, level);
        visit(facet, key, level);
      }
    }
    return;
  }
  // Each distinct bucket once, in the order of first occurrence.
  for (let i = 0; i < n; i++) {
    const v = animals[i]!.visibility;
    if (v === null) continue;
    const bucket = visibilityBucket(v);
    let seen = false;
    for (let j = 0; j < i && !seen; j++) {
      const w = animals[j]!.visibility;
      seen = w !== null && visibilityBucket(w) === bucket;
    }
    if (!seen) visit('visibility', bucket, 1);
  }
  for (const facet of ANIMAL_FACETS) {
    // Levels 1..k for a key that k animals of the sample have.
    for (let i = 0; i < n; i++) {
      const key = animalKey(animals[i]!, facet);
      let level = 1;
      for (let j = 0; j < i; j++) if (animalKey(animals[j]!, facet) === key) level++;
      visit(facet, key, level);
    }
  }
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
