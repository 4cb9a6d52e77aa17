/**
 * The search language of the CLI and the review page, compiled to parameterised
 * SQL (values are never put into the SQL text):
 *
 *   species:stag* container:cardboard-box visibility<0.3 animals>=2 split:train "python"
 *
 * - `field:value` compares text; `*` in the value is a wildcard.
 * - `field<n`, `<=`, `>`, `>=`, `=` compare numbers.
 * - a bare word or a "quoted phrase" searches species ids, scientific names and presets.
 * - `-term` negates a term. Terms are ANDed.
 * Fields about animals (species, scientific, difficulty, visibility, view) apply to one
 * and the same animal: `species:x visibility<0.3` finds samples with a hidden x.
 */
import { ExorayError } from '../core/errors.js';
import { INSTANCE_KEYS } from './instance-key.js';

/**
 * The animals of sample `s` in instance_rows `i` (schema version 11): a range of ids, and the key
 * too, so that an index on (x, sample_sk) is probed once. With the range alone SQLite tested
 * each sample against every animal of the species from the species index (7.6 s for 100,000
 * samples).
 */
const OWN_ANIMALS = `i.sample_sk = s.rowid AND i.id BETWEEN s.rowid * ${INSTANCE_KEYS} AND s.rowid * ${INSTANCE_KEYS} + ${INSTANCE_KEYS - 1}`;

type FieldKind = 'text' | 'number';
export interface FieldDef {
  column: string;
  kind: FieldKind;
  /** Instance-level fields are tested on the same animal, together. */
  instance: boolean;
}

export const QUERY_FIELDS: Record<string, FieldDef> = {
  species: { column: 'i.species', kind: 'text', instance: true },
  scientific: { column: 'i.scientific_name', kind: 'text', instance: true },
  difficulty: { column: 'i.difficulty', kind: 'text', instance: true },
  view: { column: 'i.view', kind: 'text', instance: true },
  visibility: { column: 'i.visibility', kind: 'number', instance: true },
  area: { column: 'i.mask_area', kind: 'number', instance: true },
  length: { column: 'i.length_mm', kind: 'number', instance: true },
  family: { column: 'sp.family', kind: 'text', instance: true },
  order: { column: 'sp."order"', kind: 'text', instance: true },
  class: { column: 'sp.class', kind: 'text', instance: true },
  id: { column: 's.id', kind: 'text', instance: false },
  // The latest verdict (kept per sample in sample_verdicts): tested there, through its index.
  review: { column: 'v.verdict', kind: 'text', instance: false },
  reviewer: { column: 'v.reviewer', kind: 'text', instance: false },
  preset: { column: 's.preset', kind: 'text', instance: false },
  container: { column: 's.container_kind', kind: 'text', instance: false },
  split: { column: 's.split', kind: 'text', instance: false },
  status: { column: 's.status', kind: 'text', instance: false },
  animals: { column: 's.animal_count', kind: 'number', instance: false },
  clutter: { column: 's.clutter_count', kind: 'number', instance: false },
  seed: { column: 's.seed', kind: 'number', instance: false },
  run: { column: 's.run_id', kind: 'number', instance: false },
  width: { column: 's.width', kind: 'number', instance: false },
  height: { column: 's.height', kind: 'number', instance: false },
};

interface Token {
  text: string;
  start: number;
  quoted: boolean;
  /** Characters of `text` before the first quote (a field name and operator, as in species:"a b"). */
  beforeQuote: number;
}

export interface CompiledQuery {
  /** SQL condition on samples `s` (and instances `i` inside EXISTS), or '1' for an empty query. */
  where: string;
  params: Array<string | number>;
}

function fail(query: string, at: number, length: number, message: string): never {
  const caret = `${' '.repeat(at)}${'^'.repeat(Math.max(1, length))}`;
  throw new ExorayError('E_USAGE', `query: ${message}\n  ${query}\n  ${caret}`);
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    if (/\s/.test(query[i]!)) {
      i++;
      continue;
    }
    const start = i;
    let text = '';
    let quoted = false;
    let beforeQuote = 0;
    while (i < query.length && !/\s/.test(query[i]!)) {
      if (query[i] === '"') {
        const end = query.indexOf('"', i + 1);
        if (end < 0) fail(query, i, query.length - i, 'unclosed quote; close it with "');
        if (!quoted) beforeQuote = text.length;
        text += query.slice(i + 1, end);
        quoted = true;
        i = end + 1;
      } else {
        text += query[i++];
      }
    }
    tokens.push({ text, start, quoted, beforeQuote });
  }
  return tokens;
}

/** `*` becomes SQL LIKE's `%`; LIKE's own wildcards in the value are escaped. */
function likePattern(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

export interface CompileOptions {
  /**
   * Test the animal terms per sample (EXISTS, correlated) instead of gathering every matching
   * animal first (IN): the faster form when samples are walked in order and only the first
   * page of many matches is wanted (see search.ts).
   */
  perSample?: boolean;
}

/** One parsed term of a query: free text, or a field compared with a value. */
export type QueryOp = ':' | '=' | '<' | '<=' | '>' | '>=';
export type QueryTerm =
  | { kind: 'text'; text: string; negate: boolean }
  | { kind: 'field'; name: string; field: FieldDef; op: QueryOp; value: string; negate: boolean };

/** Parses and checks a query (unknown fields, missing values, wrong operators), without compiling it. */
export function parseQuery(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  for (const token of tokenize(query)) {
    let text = token.text;
    let negate = false;
    if (!token.quoted && text.startsWith('-') && text.length > 1) {
      negate = true;
      text = text.slice(1);
    }
    // A quoted phrase is free text, unless a field and operator come before the quote.
    const fieldPart = token.quoted && token.beforeQuote === 0 ? null : /^([a-z]+)(:|<=|>=|<|>|=)(.*)$/s.exec(text);
    const m = fieldPart && (!token.quoted || fieldPart[1]!.length + fieldPart[2]!.length <= token.beforeQuote - (negate ? 1 : 0)) ? fieldPart : null;
    if (!m) {
      terms.push({ kind: 'text', text, negate });
      continue;
    }
    const [, name, op, value] = m as unknown as [string, string, QueryOp, string];
    const field = QUERY_FIELDS[name];
    if (!field) {
      fail(query, token.start + (negate ? 1 : 0), name.length, `unknown field "${name}"; fields: ${Object.keys(QUERY_FIELDS).join(', ')}`);
    }
    if (value === '') fail(query, token.start, token.text.length, `"${name}${op}" needs a value`);
    const isText = field.kind === 'text' || field.column.startsWith('sp.');
    if (isText && op !== ':' && op !== '=') fail(query, token.start, token.text.length, `${name} is text: use ${name}:value (with * as a wildcard)`);
    if (!isText && !Number.isFinite(Number(value))) {
      fail(query, token.start + token.text.length - value.length, value.length, `"${value}" is not a number (${name} is numeric)`);
    }
    terms.push({ kind: 'field', name, field, op, value, negate });
  }
  return terms;
}

/** The SQL LIKE pattern of a free-text term (a substring, in any case of ASCII letters). */
export const textPattern = (text: string): string => `%${likePattern(text)}%`;
/** Whether a free-text term is long enough for the trigram full-text tables (3 characters). */
export const usesFullText = (text: string): boolean => [...text].length >= 3;
/** The FTS5 phrase of a free-text term. */
export const ftsPhrase = (text: string): string => `"${text.replace(/"/g, '""')}"`;
/** A text field's value as SQL compares it: LIKE with this pattern when it has a wildcard, else =. */
export const valueMatch = (value: string): { like: boolean; param: string } =>
  value.includes('*') ? { like: true, param: likePattern(value) } : { like: false, param: value };

export function compileQuery(query: string, options: CompileOptions = {}): CompiledQuery {
  return compileTerms(parseQuery(query), options);
}

export function compileTerms(terms: readonly QueryTerm[], options: CompileOptions = {}): CompiledQuery {
  const sampleTerms: string[] = [];
  const instanceTerms: string[] = [];
  const sampleParams: Array<string | number> = [];
  const instanceParams: Array<string | number> = [];
  for (const term of terms) {
    let negate = term.negate;
    let sql: string;
    let params: Array<string | number>;
    let instance: boolean;
    if (term.kind === 'text') {
      // Free text: any name of the species (every language, synonyms), taxonomy, tags; and presets.
      // Full-text search (trigrams) from 3 characters; shorter terms by substring.
      const text = term.text;
      const p = textPattern(text);
      const long = usesFullText(text);
      const phrase = ftsPhrase(text);
      const catalogMatch = long
        ? 'SELECT id FROM species WHERE rowid IN (SELECT rowid FROM species_fts WHERE species_fts MATCH ?)'
        : "SELECT id FROM species WHERE search_text LIKE ? ESCAPE '\\'";
      const notesMatch = long
        ? 's.id IN (SELECT sample_id FROM reviews WHERE id IN (SELECT rowid FROM review_fts WHERE review_fts MATCH ?))'
        : "s.id IN (SELECT sample_id FROM reviews WHERE note LIKE ? ESCAPE '\\')";
      // A sample matches through one of its animals, its preset, or a review note. The term is
      // matched against the few species and presets first (species_names and facet_counts hold
      // those present), then animals and samples are looked up by index, not scanned.
      const bySpecies = `i.species IN (${catalogMatch} UNION SELECT species FROM species_names WHERE species LIKE ? ESCAPE '\\')`;
      const byName = "i.species IN (SELECT species FROM species_names WHERE scientific_name LIKE ? ESCAPE '\\') AND i.scientific_name LIKE ? ESCAPE '\\'";
      const animals = options.perSample
        ? `EXISTS (SELECT 1 FROM instance_rows i WHERE ${OWN_ANIMALS} AND (${bySpecies} OR (${byName})))`
        : `s.rowid IN (SELECT i.sample_sk FROM instance_rows i WHERE ${bySpecies} UNION SELECT i.sample_sk FROM instance_rows i WHERE ${byName})`;
      sql = `(${animals} OR s.preset IN (SELECT key FROM facet_counts WHERE facet = 'preset' AND key LIKE ? ESCAPE '\\') OR ${notesMatch})`;
      params = [long ? phrase : p, p, p, p, p, long ? phrase : p];
      instance = false;
    } else {
      const { name, field, op, value } = term;
      instance = field.instance;
      // Taxonomy lives in the species snapshot: compare there, for the animal's species.
      const taxonomy = field.column.startsWith('sp.');
      if (taxonomy) {
        const { like, param } = valueMatch(value);
        sql = `i.species IN (SELECT sp.id FROM species sp WHERE ${field.column} ${like ? "LIKE ? ESCAPE '\\'" : '= ?'})`;
        params = [param];
      } else if (field.kind === 'number') {
        const sqlOp = op === ':' ? '=' : op;
        sql = `${field.column} ${sqlOp} ?`;
        params = [Number(value)];
      } else {
        const { like, param } = valueMatch(value);
        const test = `${field.column} ${like ? "LIKE ? ESCAPE '\\'" : '= ?'}`;
        if (name === 'review' && value === 'none') {
          sql = `s.id ${negate ? '' : 'NOT '}IN (SELECT sample_id FROM sample_verdicts)`;
          params = [];
          negate = false;
        } else if (field.column.startsWith('v.')) {
          // An unreviewed sample has no verdict: it matches neither review:x nor -review:x.
          sql = `s.id IN (SELECT v.sample_id FROM sample_verdicts v WHERE ${negate ? `NOT (${test})` : test})`;
          params = [param];
          negate = false;
        } else {
          sql = test;
          params = [param];
        }
      }
    }
    if (instance && negate) {
      // "-species:x": no animal of the sample matches (not "some animal does not").
      sampleTerms.push(`s.rowid NOT IN (SELECT i.sample_sk FROM instance_rows i WHERE ${sql})`);
      sampleParams.push(...params);
    } else if (instance) {
      instanceTerms.push(sql);
      instanceParams.push(...params);
    } else {
      sampleTerms.push(negate ? `NOT (${sql})` : sql);
      sampleParams.push(...params);
    }
  }
  const parts = [...sampleTerms];
  if (instanceTerms.length > 0) {
    const terms = instanceTerms.join(' AND ');
    // IN over an uncorrelated subquery: SQLite evaluates it once (through instances' indexes)
    // instead of once per sample, which is what keeps counting large datasets fast.
    parts.push(options.perSample ? `EXISTS (SELECT 1 FROM instance_rows i WHERE ${OWN_ANIMALS} AND ${terms})` : `s.rowid IN (SELECT i.sample_sk FROM instance_rows i WHERE ${terms})`);
  }
  return { where: parts.length ? parts.join(' AND ') : '1', params: [...sampleParams, ...instanceParams] };
}
