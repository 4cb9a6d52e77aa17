import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/db/query.js';
import { composeQuery, DEFAULT_STATE, parseState, serialiseState } from '../../src/review/page/state.js';

describe('review page state', () => {
  it('round-trips through the URL', () => {
    const state = {
      ...DEFAULT_STATE,
      q: 'species:stag* "red knee"',
      filters: { preset: 'parcel', review: 'none', animals: '2' },
      visMin: 0.1,
      visMax: 0.5,
      page: 3,
      sample: 's000042',
      index: 187,
      layer: 'high',
      overlays: false,
    };
    expect(parseState(serialiseState(state))).toEqual(state);
  });

  it('leaves defaults out of the URL and ignores nonsense in it', () => {
    expect(serialiseState(DEFAULT_STATE)).toBe('');
    const s = parseState('?page=-4&i=abc&tab=nope&vmin=x&species=');
    expect(s).toEqual(DEFAULT_STATE);
  });

  it('composes the search and the filters into one valid query', () => {
    const q = composeQuery({ q: ' python ', filters: { species: 'stag-beetle', container: 'cardboard box', animals: '3' }, visMin: 0.2, visMax: null });
    expect(q).toBe('python species:stag-beetle container:"cardboard box" animals=3 visibility>=0.2');
    expect(() => compileQuery(q)).not.toThrow();
    expect(composeQuery({ q: '', filters: {}, visMin: null, visMax: null })).toBe('');
  });
});
