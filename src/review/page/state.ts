/**
 * The page's state, all of it in the URL so a view can be shared and reloaded:
 * the search text, facet filters, the gallery page, the open sample and how it
 * is shown. Pure functions, tested without a browser.
 */

export const FACETS = ['species', 'family', 'preset', 'container', 'difficulty', 'split', 'review', 'animals'] as const;
export type Facet = (typeof FACETS)[number];

export type Tab = 'gallery' | 'stats';

export interface PageState {
  tab: Tab;
  /** Free query-language text from the search box. */
  q: string;
  filters: Partial<Record<Facet, string>>;
  /** Visibility range filter, 0..1. */
  visMin: number | null;
  visMax: number | null;
  /** 0-based gallery page. */
  page: number;
  /** The open sample and its position in the results (for next/previous). */
  sample: string | null;
  index: number;
  view: string;
  layer: string;
  overlays: boolean;
}

export const DEFAULT_STATE: PageState = {
  tab: 'gallery',
  q: '',
  filters: {},
  visMin: null,
  visMax: null,
  page: 0,
  sample: null,
  index: 0,
  view: 'top',
  layer: 'image',
  overlays: true,
};

const num = (s: string | null): number | null => {
  if (s === null || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

const wholeNumber = (s: string | null): number => {
  const n = num(s);
  return n !== null && n >= 0 ? Math.floor(n) : 0;
};

export function parseState(search: string): PageState {
  const p = new URLSearchParams(search);
  const filters: PageState['filters'] = {};
  for (const f of FACETS) {
    const v = p.get(f);
    if (v) filters[f] = v;
  }
  return {
    tab: p.get('tab') === 'stats' ? 'stats' : 'gallery',
    q: p.get('q') ?? '',
    filters,
    visMin: num(p.get('vmin')),
    visMax: num(p.get('vmax')),
    page: wholeNumber(p.get('page')),
    sample: p.get('sample') || null,
    index: wholeNumber(p.get('i')),
    view: p.get('view') || 'top',
    layer: p.get('layer') || 'image',
    overlays: p.get('ov') !== '0',
  };
}

/** The URL search string of a state; defaults are left out so URLs stay short. */
export function serialiseState(s: PageState): string {
  const p = new URLSearchParams();
  if (s.tab !== 'gallery') p.set('tab', s.tab);
  if (s.q) p.set('q', s.q);
  for (const f of FACETS) if (s.filters[f]) p.set(f, s.filters[f]!);
  if (s.visMin !== null) p.set('vmin', String(s.visMin));
  if (s.visMax !== null) p.set('vmax', String(s.visMax));
  if (s.page) p.set('page', String(s.page));
  if (s.sample) {
    p.set('sample', s.sample);
    p.set('i', String(s.index));
    if (s.view !== 'top') p.set('view', s.view);
    if (s.layer !== 'image') p.set('layer', s.layer);
    if (!s.overlays) p.set('ov', '0');
  }
  const text = p.toString();
  return text ? `?${text}` : '';
}

/** A value as one query-language term value (quoted when it holds spaces or quotes are needed). */
function quote(value: string): string {
  return /^[^\s"]+$/.test(value) ? value : `"${value.replace(/"/g, '')}"`;
}

/** The search text and the facet filters as one expression of the query language (src/db/query.ts). */
export function composeQuery(s: Pick<PageState, 'q' | 'filters' | 'visMin' | 'visMax'>): string {
  const terms: string[] = [];
  if (s.q.trim()) terms.push(s.q.trim());
  for (const f of FACETS) {
    const v = s.filters[f];
    if (!v) continue;
    terms.push(f === 'animals' ? `animals=${Number(v)}` : `${f}:${quote(v)}`);
  }
  if (s.visMin !== null) terms.push(`visibility>=${s.visMin}`);
  if (s.visMax !== null) terms.push(`visibility<=${s.visMax}`);
  return terms.join(' ');
}
