/** The facet filters beside the gallery: each value with its count; a click filters, a second click clears. */
import type { Stats } from '../../db/stats.js';
import type { App } from './app.js';
import { h } from './dom.js';
import type { Facet } from './state.js';

const GROUPS: Array<{ facet: Facet; title: string; counts: (s: Stats) => Record<string, number>; unit: string }> = [
  { facet: 'review', title: 'Verdict', counts: (s) => s.byVerdict, unit: 'samples' },
  { facet: 'species', title: 'Species', counts: (s) => s.bySpecies, unit: 'animals' },
  { facet: 'family', title: 'Family', counts: (s) => s.byFamily, unit: 'animals' },
  { facet: 'preset', title: 'Preset', counts: (s) => s.byPreset, unit: 'samples' },
  { facet: 'container', title: 'Container', counts: (s) => s.byContainer, unit: 'samples' },
  { facet: 'difficulty', title: 'Difficulty', counts: (s) => s.byDifficulty, unit: 'animals' },
  { facet: 'split', title: 'Split', counts: (s) => s.bySplit, unit: 'samples' },
  { facet: 'animals', title: 'Animals per sample', counts: (s) => s.animalsPerSample, unit: 'samples' },
];

export function renderFacets(app: App, stats: Stats): HTMLElement {
  const { filters } = app.state;
  const box = h('aside', { className: 'facets', id: 'facets' });
  for (const g of GROUPS) {
    const counts = g.counts(stats);
    const entries = Object.entries(counts).filter(([k]) => k !== '(none)');
    if (entries.length === 0 && !filters[g.facet]) continue;
    const list = h('ul');
    for (const [value, n] of entries) {
      const active = filters[g.facet] === value;
      list.append(
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              className: active ? 'facet active' : 'facet',
              'data-facet': g.facet,
              'data-value': value,
              title: `${n} ${g.unit}`,
              onclick: () => app.navigate({ filters: { ...filters, [g.facet]: active ? undefined : value }, page: 0 }, true),
            },
            h('span', { className: 'facet-name' }, value),
            h('span', { className: 'count' }, n.toLocaleString('en')),
          ),
        ),
      );
    }
    box.append(h('section', {}, h('h3', {}, g.title, h('small', {}, ` ${g.unit}`)), list));
  }
  box.append(visibilityRange(app, stats));
  return box;
}

function visibilityRange(app: App, stats: Stats): HTMLElement {
  const { visMin, visMax } = app.state;
  const field = (name: string, value: number | null, placeholder: string) =>
    h('input', { type: 'number', name, min: 0, max: 1, step: 0.05, value: value ?? '', placeholder });
  const form = h(
    'form',
    {
      className: 'range',
      id: 'visibility-range',
      onsubmit: (e: Event) => {
        e.preventDefault();
        const data = new FormData(e.target as HTMLFormElement);
        const read = (k: string) => (String(data.get(k) ?? '') === '' ? null : Math.min(1, Math.max(0, Number(data.get(k)))));
        app.navigate({ visMin: read('vmin'), visMax: read('vmax'), page: 0 }, true);
      },
    },
    field('vmin', visMin, 'min'),
    h('span', {}, '–'),
    field('vmax', visMax, 'max'),
    h('button', { type: 'submit' }, 'Apply'),
  );
  const v = stats.visibility;
  const span = v.min === null ? 'no measured animals' : `${v.min.toFixed(2)} – ${v.max!.toFixed(2)}, mean ${v.mean!.toFixed(2)}`;
  return h('section', {}, h('h3', {}, 'Visibility', h('small', {}, ` ${span}`)), form);
}
