/** The gallery: facet filters, then one page of thumbnails with species, preset, difficulty and verdict on each. */
import type { GalleryItem } from '../api-types.js';
import { PAGE_SIZE, type App } from './app.js';
import { api } from './client.js';
import { h, isTyping } from './dom.js';
import { renderFacets } from './facets.js';
import { rememberPage } from './results.js';
import { composeQuery, serialiseState } from './state.js';

export async function renderGallery(app: App, root: HTMLElement): Promise<() => void> {
  const query = composeQuery(app.state);
  const facetsBox = h('aside', { className: 'facets loading' }, 'Counting…');
  const grid = h('div', { className: 'grid', id: 'grid' });
  const head = h('div', { className: 'results-head' });
  const pager = h('nav', { className: 'pager' });
  root.replaceChildren(h('div', { className: 'gallery' }, facetsBox, h('section', { className: 'results' }, head, grid, pager)));

  // Facet counts take longer on large datasets: the thumbnails do not wait for them.
  api
    .facets(query)
    .then((f) => facetsBox.replaceWith(renderFacets(app, f.stats)))
    .catch((e: Error) => (facetsBox.textContent = e.message));

  let page;
  try {
    page = await api.samples(query, app.state.page * PAGE_SIZE, PAGE_SIZE);
    app.showError(null);
  } catch (e) {
    app.showError((e as Error).message);
    head.textContent = 'No results: fix the query above.';
    return () => {};
  }
  rememberPage(query, page.offset, page.samples.map((s) => s.id));
  // A capped count ("10,000+") is a lower bound: the pager goes on while pages come full.
  const more = page.capped === true && page.samples.length === PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE), more ? app.state.page + 2 : 0);
  const first = page.total === 0 ? 0 : page.offset + 1;
  head.append(
    h('strong', { id: 'total', title: page.capped ? 'counted up to here: there are at least this many' : '' }, `${page.total.toLocaleString('en')}${page.capped ? '+' : ''}`),
    ` samples${query ? ` match ${query}` : ''}`,
    page.total ? h('span', { className: 'muted' }, ` · showing ${first}–${page.offset + page.samples.length}`) : '',
  );
  page.samples.forEach((s, k) => grid.append(tile(app, s, page.offset + k)));
  if (page.samples.length === 0) grid.append(h('p', { className: 'empty' }, 'Nothing matches. Remove a filter or change the search.'));

  const go = (p: number) => app.navigate({ page: p }, true);
  pager.append(
    h('button', { type: 'button', disabled: app.state.page === 0, onclick: () => go(app.state.page - 1) }, '← Previous'),
    h('span', {}, `Page ${app.state.page + 1} of ${pages.toLocaleString('en')}${page.capped ? '+' : ''}`),
    h('button', { type: 'button', disabled: app.state.page + 1 >= pages, onclick: () => go(app.state.page + 1) }, 'Next →'),
  );

  // j/k and the arrow keys move between tiles; Enter opens one.
  const onKey = (e: KeyboardEvent) => {
    if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    const tiles = Array.from(grid.querySelectorAll<HTMLAnchorElement>('a.tile'));
    if (tiles.length === 0) return;
    const at = tiles.indexOf(document.activeElement as HTMLAnchorElement);
    const step = { j: 1, ArrowRight: 1, k: -1, ArrowLeft: -1 }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    const next = at < 0 ? 0 : at + step;
    if (next >= tiles.length && app.state.page + 1 < pages) go(app.state.page + 1);
    else if (next < 0 && app.state.page > 0) go(app.state.page - 1);
    else tiles[Math.max(0, Math.min(tiles.length - 1, next))]!.focus();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}

function tile(app: App, s: GalleryItem, index: number): HTMLElement {
  const target = { ...app.state, sample: s.id, index };
  return h(
    'a',
    {
      className: `tile verdict-${s.verdict ?? 'none'}`,
      href: `/${serialiseState(target)}`,
      'data-id': s.id,
      onclick: (e: MouseEvent) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        app.navigate({ sample: s.id, index }, true);
      },
    },
    h('img', { src: s.thumb, alt: `${s.id}: ${s.species.join(', ')}`, loading: 'lazy', width: 256, height: 256 }),
    h('span', { className: `badge verdict`, title: s.reason ?? '' }, s.verdict ?? 'unreviewed'),
    h(
      'span',
      { className: 'caption' },
      h('span', { className: 'species' }, s.species.join(', ') || 'no animal'),
      h(
        'span',
        { className: 'meta' },
        `${s.id} · ${s.preset}`,
        s.difficulty ? h('span', { className: `difficulty d-${s.difficulty}` }, s.difficulty) : '',
      ),
    ),
  );
}
