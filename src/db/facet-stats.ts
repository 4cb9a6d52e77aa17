/**
 * The figures of stats.ts for a set of samples given as a bitmap: every facet count is
 * |set AND bitmap(value)|, animal counts sum that over the levels (facet-values.ts), and the
 * visibility figures come from facet_vis. Cost: one pass over the stored bitmaps (about 12 MB
 * at a million samples) whatever the number of matching samples.
 *
 * Keys are ordered as the SQL of stats.ts orders them (SQLite's order: NULL, numbers, text by
 * bytes), so both ways give the same objects, key order included.
 */
import type Database from 'better-sqlite3';
import type { Bitmap } from './bitmap.js';
import type { FacetIndex } from './facet-index.js';
import type { FacetKey } from './facet-values.js';
import type { Stats } from './stats.js';

/** SQLite's ORDER BY for the values facets take: NULL first, numbers, then text by UTF-8 bytes. */
export function compareKeys(a: FacetKey, b: FacetKey): number {
  const rank = (k: FacetKey) => (k === null ? 0 : typeof k === 'number' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a === null || b === null) return 0;
  if (typeof a === 'number') return a - (b as number);
  return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string));
}

type Counts = Map<FacetKey, number>;

/** As stats.ts's toRecord: NULL is '(none)'; zero counts are left out (GROUP BY has no such group). */
function record(counts: Counts, order: 'key' | 'count'): Record<string, number> {
  const entries = [...counts].filter(([, n]) => n > 0);
  entries.sort(order === 'key' ? (x, y) => compareKeys(x[0], y[0]) : (x, y) => y[1] - x[1] || compareKeys(x[0], y[0]));
  return Object.fromEntries(entries.map(([k, n]) => [String(k ?? '(none)'), n]));
}

function add(m: Counts, k: FacetKey, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

export function bitmapStats(conn: Database.Database, index: FacetIndex, set: Bitmap): Stats {
  const by = new Map<string, Counts>();
  for (const v of index.counts(set)) {
    const n = v.n;
    let m = by.get(v.facet);
    if (!m) by.set(v.facet, (m = new Map()));
    // Animal facets: level k counts the samples with at least k such animals; their sum is the animals.
    add(m, v.key, n);
  }
  const get = (facet: string) => by.get(facet) ?? new Map<FacetKey, number>();
  const samples = set.count();
  const species = get('species');
  const families: Counts = new Map();
  const familyOf = new Map(conn.prepare('SELECT id, family FROM species').raw().all() as Array<[string, string | null]>);
  for (const [s, n] of species) if (n > 0) add(families, familyOf.get(s as string) ?? null, n);
  const verdicts = get('verdict');
  const reviewed = [...verdicts.values()].reduce((a, b) => a + b, 0);
  // As SQL's coalesce(verdict, 'none') ordered as text: 'none' among the verdicts.
  if (samples - reviewed > 0) add(verdicts, 'none', samples - reviewed);
  const vis = index.visibility(set);
  return {
    samples,
    animals: [...species.values()].reduce((a, b) => a + b, 0),
    bySpecies: record(species, 'count'),
    byFamily: record(families, 'count'),
    byContainer: record(get('container'), 'count'),
    byDifficulty: record(get('difficulty'), 'key'),
    byView: record(get('view'), 'key'),
    byPreset: record(get('preset'), 'count'),
    bySplit: record(get('split'), 'key'),
    animalsPerSample: record(get('animal_count'), 'key'),
    byVerdict: record(verdicts, 'key'),
    byReason: record(get('reason'), 'count'),
    visibility: { mean: vis.n > 0 ? vis.sum / 1e9 / vis.n : null, min: vis.min, max: vis.max },
  };
}
