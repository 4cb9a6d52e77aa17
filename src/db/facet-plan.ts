/**
 * A query (query.ts) answered with the facet bitmaps: the samples matching each term as a
 * bitmap, ANDed. Every term keeps the meaning its SQL has (compileTerms); values are matched
 * against the stored keys in SQL, so `=`, LIKE (with its ASCII case folding) and number
 * comparisons behave alike.
 *
 * Some terms have no bitmap (area, length, ids, seeds, reviewers...), a visibility bound inside
 * a bucket (facet-values.ts) is only known to the bucket, and two animal terms must hold for one
 * and the same animal, which per-sample bitmaps cannot tell (visibility bounds alone excepted:
 * their buckets are of one animal). The plan is then a superset of the matches, marked
 * inexact: the caller tests its samples with the query's SQL, or uses SQL alone.
 */
import type Database from 'better-sqlite3';
import { Bitmap } from './bitmap.js';
import { keyFromSql } from './facet-bits.js';
import type { FacetIndex } from './facet-index.js';
import { VIS_BUCKETS, bucketMatch, type FacetKey } from './facet-values.js';
import { ftsPhrase, textPattern, usesFullText, valueMatch, type QueryTerm } from './query.js';

export interface BitsPlan {
  /** The matching samples (exact) or a superset of them (not exact). */
  bits: Bitmap;
  exact: boolean;
}

/** Query fields kept as bitmaps, and the facet that holds them. */
const SAMPLE_FACET: Record<string, string> = { preset: 'preset', container: 'container', split: 'split', status: 'status', animals: 'animal_count', review: 'verdict' };
const ANIMAL_FACET: Record<string, string> = { species: 'species', difficulty: 'difficulty', view: 'view' };
const TAXONOMY = new Set(['family', 'order', 'class']);

type Term = Extract<QueryTerm, { kind: 'field' }>;

/** The SQL test of a term's value against a column, and its parameter. */
function condition(term: Term, column: string): { sql: string; param: string | number } {
  if (term.field.kind === 'number') return { sql: `${column} ${term.op === ':' ? '=' : term.op} ?`, param: Number(term.value) };
  const { like, param } = valueMatch(term.value);
  return { sql: like ? `${column} LIKE ? ESCAPE '\\'` : `${column} = ?`, param };
}

export class FacetPlanner {
  constructor(
    private readonly conn: Database.Database,
    private readonly index: FacetIndex,
  ) {}

  plan(terms: readonly QueryTerm[]): BitsPlan {
    const bits = this.index.universe();
    let exact = true;
    const animal = terms.filter((t): t is Term => t.kind === 'field' && t.field.instance && !t.negate);
    const bounds = animal.filter((t) => t.name === 'visibility');
    // Visibility bounds alone are one range, which an animal's bucket answers for that animal.
    const range = bounds.length > 0 && bounds.length === animal.length ? this.visibility(bounds) : undefined;
    const animalTerms = range ? 1 : animal.length;
    if (range) {
      if (!range.exact) exact = false;
      bits.and(range.bits);
    }
    for (const term of terms) {
      if (range && bounds.includes(term as Term)) continue;
      const r = term.kind === 'text' ? this.text(term.text, term.negate) : this.field(term);
      if (!r) {
        exact = false;
        continue;
      }
      if (!r.exact) exact = false;
      bits.and(r.bits);
    }
    // Two animal terms hold for one animal together; each bitmap only says "some animal".
    if (animalTerms > 1) exact = false;
    return { bits, exact };
  }

  /** Keys of a facet (level 1, NULL left out: no comparison matches it) passing a test, or failing it. */
  private keys(facet: string, test: { sql: string; param: string | number } | null, negate = false): FacetKey[] {
    if (!test) return this.index.keys(facet);
    return this.index.keys(facet, { sql: negate ? `NOT (${test.sql})` : test.sql, param: test.param });
  }

  private field(term: Term): BitsPlan | null {
    const { name, negate } = term;
    const sampleFacet = SAMPLE_FACET[name];
    if (sampleFacet === 'verdict') {
      if (term.value === 'none') {
        const reviewed = this.index.union('verdict', this.keys('verdict', null));
        return { bits: negate ? reviewed : this.index.universe().andNot(reviewed), exact: true };
      }
      // An unreviewed sample matches neither review:x nor -review:x.
      return { bits: this.index.union('verdict', this.keys('verdict', condition(term, 'k'), negate)), exact: true };
    }
    if (sampleFacet) {
      // NOT (column = x) leaves out NULL columns too: the complement among non-NULL keys.
      return { bits: this.index.union(sampleFacet, this.keys(sampleFacet, condition(term, 'k'), negate)), exact: true };
    }
    let matched: Bitmap;
    let exact = true;
    const animalFacet = ANIMAL_FACET[name];
    if (animalFacet) {
      matched = this.index.union(animalFacet, this.keys(animalFacet, condition(term, 'k')));
    } else if (TAXONOMY.has(name)) {
      const t = condition(term, term.field.column);
      const ids = this.conn.prepare(`SELECT sp.id FROM species sp WHERE ${t.sql}`).pluck().all(t.param) as string[];
      matched = this.index.union('species', ids);
    } else if (name === 'visibility') {
      const r = this.visibility([term]);
      matched = r.bits;
      exact = r.exact;
    } else if (name === 'scientific') {
      const r = this.byScientificName(condition(term, 'scientific_name'));
      matched = this.index.union('species', r.matching);
      exact = r.partly.size === 0;
    } else {
      return null;
    }
    if (!negate) return { bits: matched, exact };
    // "-species:x": no animal matches. The complement of a superset is no superset.
    return exact ? { bits: this.index.universe().andNot(matched), exact: true } : null;
  }

  /**
   * Samples with an animal whose visibility passes every bound: the buckets no bound rules out.
   * Exact when each of those buckets passes every bound whole.
   */
  private visibility(bounds: readonly Term[]): BitsPlan {
    const keys: number[] = [];
    let exact = true;
    for (let k = 0; k <= VIS_BUCKETS; k++) {
      const m = bounds.map((t) => bucketMatch(k, t.op, Number(t.value)));
      if (m.includes('none')) continue;
      keys.push(k);
      if (m.includes('some')) exact = false;
    }
    return { bits: this.index.union('visibility', keys), exact };
  }

  /**
   * Species whose animals carry a matching scientific name, and those of them that also carry a
   * name that does not match (a catalog gives one name per species; a changed catalog may leave
   * two): for those, a species bitmap is only a superset.
   */
  private byScientificName(test: { sql: string; param: string | number }): { matching: Set<string>; partly: Set<string> } {
    const rows = this.conn.prepare(`SELECT species, (${test.sql}) AS m FROM species_names WHERE n > 0`).all(test.param) as Array<{ species: string; m: number }>;
    const matching = new Set(rows.filter((r) => r.m).map((r) => r.species));
    const partly = new Set(rows.filter((r) => !r.m && matching.has(r.species)).map((r) => r.species));
    return { matching, partly };
  }

  private text(text: string, negate: boolean): BitsPlan | null {
    const p = textPattern(text);
    const long = usesFullText(text);
    const c = this.conn;
    const species = new Set<string>([
      ...((long
        ? c.prepare('SELECT id FROM species WHERE rowid IN (SELECT rowid FROM species_fts WHERE species_fts MATCH ?)').pluck().all(ftsPhrase(text))
        : c.prepare("SELECT id FROM species WHERE search_text LIKE ? ESCAPE '\\'").pluck().all(p)) as string[]),
      ...(c.prepare("SELECT species FROM species_names WHERE species LIKE ? ESCAPE '\\'").pluck().all(p) as string[]),
    ]);
    const names = this.byScientificName({ sql: "scientific_name LIKE ? ESCAPE '\\'", param: p });
    const bits = this.index.union('species', new Set([...species, ...names.matching]));
    // A species matched through some of its animals' names only is a superset, unless its
    // id or catalog names match it whole.
    const exact = [...names.partly].every((s) => species.has(s));
    bits.or(this.index.union('preset', this.keys('preset', { sql: "k LIKE ? ESCAPE '\\'", param: p })));
    // Each review carries its sample's key (schema version 10): no lookup of samples by text id.
    const notes = (
      long
        ? c.prepare('SELECT sample_sk FROM reviews WHERE id IN (SELECT rowid FROM review_fts WHERE review_fts MATCH ?) AND sample_sk IS NOT NULL').pluck().all(ftsPhrase(text))
        : c.prepare("SELECT sample_sk FROM reviews WHERE note LIKE ? ESCAPE '\\' AND sample_sk IS NOT NULL").pluck().all(p)
    ) as number[];
    bits.or(Bitmap.of(bits.size, notes));
    if (!negate) return { bits, exact };
    return exact ? { bits: this.index.universe().andNot(bits), exact: true } : null;
  }
}
