/**
 * One sample, large: zoom and pan, pseudo-colour / low / high / grey per view,
 * label overlays drawn from the stored masks, the optical render on demand, its
 * tables, and judging with the keyboard (j/k next/previous, a/r/f approve,
 * reject, flag, o overlays, Escape back to the gallery).
 */
import type { SampleResponse } from '../api-types.js';
import type { App } from './app.js';
import { api } from './client.js';
import { h, isTyping } from './dom.js';
import { drawOverlay, type OverlayLayers } from './overlay.js';
import { historyList, instancesTable, parametersTable } from './sample-tables.js';
import { sampleAt } from './results.js';
import { composeQuery } from './state.js';
import { attachZoom } from './zoom.js';

const LAYER_NAMES: Record<string, string> = { image: 'Pseudo-colour', low: 'Low', high: 'High', grey: 'Grey' };
const LAYERS_KEY = 'exoray.review.layers';

function savedLayers(): OverlayLayers {
  const fallback = { boxes: true, masks: true, contours: true, names: true };
  try {
    return { ...fallback, ...(JSON.parse(localStorage.getItem(LAYERS_KEY) ?? '{}') as Partial<OverlayLayers>) };
  } catch {
    return fallback;
  }
}

export async function renderSample(app: App, root: HTMLElement): Promise<() => void> {
  const id = app.state.sample!;
  let data: SampleResponse;
  try {
    data = await api.sample(id);
  } catch (e) {
    root.replaceChildren(h('p', { className: 'empty' }, (e as Error).message, ' ', h('a', { href: '/', 'data-nav': 'gallery' }, 'Back to the gallery')));
    return () => {};
  }
  const s = data.sample;
  const query = composeQuery(app.state);
  const views = [...new Set(s.files.map((f) => f.view))];
  const view = views.includes(app.state.view as never) ? app.state.view : 'top';
  const files = s.files.filter((f) => f.view === view && f.kind in LAYER_NAMES);
  const layer = files.find((f) => f.kind === app.state.layer) ?? files.find((f) => f.kind === 'image') ?? files[0];
  const instances = s.instances.filter((i) => i.view === view);
  const layers = savedLayers();

  // ---- viewer ----
  const img = h('img', { src: layer?.url ?? `/files/${s.imagePath}`, width: s.width, height: s.height, alt: `${s.id} ${layer?.kind ?? 'image'}`, draggable: 'false' });
  const canvas = h('canvas', { id: 'overlay', width: s.width, height: s.height });
  const redraw = () => {
    canvas.hidden = !app.state.overlays;
    drawOverlay(canvas, app.state.overlays ? instances : [], layers);
  };
  const stage = h('div', { className: 'stage' }, img, canvas);
  const viewport = h('div', { className: 'viewport', id: 'viewport' }, stage);

  const toggleButton = (label: string, active: boolean, onclick: () => void, extra: Record<string, string> = {}) =>
    h('button', { type: 'button', className: active ? 'toggle active' : 'toggle', onclick, ...extra }, label);
  const layerCheck = (key: keyof OverlayLayers, label: string) =>
    h(
      'label',
      { className: 'check' },
      h('input', {
        type: 'checkbox',
        name: key,
        checked: layers[key],
        onchange: (e: Event) => {
          layers[key] = (e.target as HTMLInputElement).checked;
          localStorage.setItem(LAYERS_KEY, JSON.stringify(layers));
          redraw();
        },
      }),
      label,
    );

  const position = h('span', { className: 'muted', id: 'position' }, `#${app.state.index + 1}`);
  const toolbar = h(
    'div',
    { className: 'toolbar' },
    h('button', { type: 'button', onclick: () => app.navigate({ sample: null }, true), title: 'Back to the gallery (Escape)' }, '←'),
    h('button', { type: 'button', id: 'prev', onclick: () => void step(-1), title: 'Previous (k, ←)' }, '‹'),
    position,
    h('button', { type: 'button', id: 'next', onclick: () => void step(1), title: 'Next (j, →)' }, '›'),
    h('span', { className: 'sep' }),
    ...(views.length > 1 ? views.map((v) => toggleButton(v, v === view, () => app.navigate({ view: v }), { 'data-view': v })) : []),
    ...files.map((f) => toggleButton(LAYER_NAMES[f.kind]!, f === layer, () => showLayer(f.kind), { 'data-layer': f.kind })),
    h('span', { className: 'sep' }),
    toggleButton('Overlays', app.state.overlays, () => toggleOverlays(), { id: 'toggle-overlays', title: 'Show or hide the labels (o)' }),
    layerCheck('boxes', 'boxes'),
    layerCheck('masks', 'masks'),
    layerCheck('contours', 'contours'),
    layerCheck('names', 'names'),
    h('span', { className: 'sep' }),
    h('button', { type: 'button', onclick: () => zoom.fit(), title: 'Fit the image (0, or double-click); zoom with the wheel or + and -, pan by dragging' }, 'Fit'),
  );

  // ---- side panel ----
  const reason = h('select', { id: 'reason', name: 'reason' }, h('option', { value: '' }, 'Reason (for reject / flag)…'), ...app.meta.reasons.map((r) => h('option', { value: r.id }, r.label)));
  const note = h('textarea', { id: 'note', name: 'note', rows: 2, placeholder: 'Note (optional)', maxlength: 4000 });
  const status = h('p', { className: 'status', id: 'judge-status', role: 'status' });
  const historyBox = h('div', {}, historyList(data.reviews));
  const latest = data.reviews.at(-1);
  const verdictButton = (verdict: string, label: string, key: string) =>
    h('button', { type: 'button', className: `verdict-btn v-${verdict}${latest?.verdict === verdict ? ' current' : ''}`, 'data-verdict': verdict, onclick: () => void judge(verdict) }, label, h('kbd', {}, key));
  const optical = h('div', { className: 'optical', id: 'optical' });
  const panel = h(
    'aside',
    { className: 'panel' },
    h('h2', {}, s.id, h('span', { className: 'muted' }, ` ${s.preset}`)),
    h('section', { className: 'judge' }, h('div', { className: 'verdicts' }, verdictButton('approved', 'Approve', 'a'), verdictButton('rejected', 'Reject', 'r'), verdictButton('flagged', 'Flag', 'f')), reason, note, status),
    h('h3', {}, 'Animals', h('small', {}, ` ${view} view`)),
    instancesTable(s, view),
    h('h3', {}, 'Review history'),
    historyBox,
    h('h3', {}, 'Scene'),
    parametersTable(s),
    h('h3', {}, 'Optical view'),
    h('button', { type: 'button', id: 'optical-button', onclick: () => void showOptical() }, app.meta.optical ? 'Render what is inside the bag' : 'Optical render (not available)'),
    optical,
  );
  root.replaceChildren(h('div', { className: 'sample-view' }, h('section', { className: 'viewer' }, toolbar, viewport), panel));
  const zoom = attachZoom(viewport, stage, { width: s.width, height: s.height });
  redraw();

  // Layers and overlays change in place: the zoom stays where the reviewer put it.
  function showLayer(kind: string): void {
    const f = files.find((x) => x.kind === kind);
    if (!f) return;
    app.update({ layer: kind });
    img.src = f.url;
    toolbar.querySelectorAll<HTMLElement>('[data-layer]').forEach((b) => b.classList.toggle('active', b.dataset.layer === kind));
  }

  function toggleOverlays(): void {
    app.update({ overlays: !app.state.overlays });
    toolbar.querySelector('#toggle-overlays')!.classList.toggle('active', app.state.overlays);
    redraw();
  }

  async function step(delta: number): Promise<void> {
    const index = app.state.index + delta;
    if (index < 0) return;
    try {
      const target = await sampleAt(query, index);
      if (target) app.navigate({ sample: target, index }, true);
      else status.textContent = 'That was the last sample of this search.';
    } catch (e) {
      status.textContent = (e as Error).message;
    }
  }

  async function judge(verdict: string): Promise<void> {
    const reviewer = await app.reviewer();
    if (!reviewer) return;
    status.textContent = 'Saving…';
    try {
      const saved = await api.review(s.id, { verdict, reason: reason.value || null, note: note.value, reviewer });
      historyBox.replaceChildren(historyList(saved.reviews));
      status.textContent = `Saved: ${verdict}${reason.value ? ` (${reason.value})` : ''}.`;
      status.dataset.saved = verdict;
      root.querySelectorAll('.verdict-btn').forEach((b) => b.classList.toggle('current', (b as HTMLElement).dataset.verdict === verdict));
    } catch (e) {
      status.textContent = `Not saved: ${(e as Error).message}`;
    }
  }

  async function showOptical(): Promise<void> {
    optical.replaceChildren(h('p', { className: 'muted' }, 'Rendering…'));
    const res = await fetch(`/api/samples/${encodeURIComponent(s.id)}/optical.png`);
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      optical.replaceChildren(h('p', { className: 'muted' }, body.error ?? `${res.status} ${res.statusText}`));
      return;
    }
    optical.replaceChildren(h('img', { src: URL.createObjectURL(await res.blob()), alt: `optical render of ${s.id}` }));
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (isTyping(e.target)) {
      if (e.key === 'Escape') (e.target as HTMLElement).blur();
      return;
    }
    const actions: Record<string, () => void> = {
      j: () => void step(1),
      ArrowRight: () => void step(1),
      k: () => void step(-1),
      ArrowLeft: () => void step(-1),
      a: () => void judge('approved'),
      r: () => void judge('rejected'),
      f: () => void judge('flagged'),
      o: () => toggleOverlays(),
      '+': () => zoom.zoomBy(1.25),
      '=': () => zoom.zoomBy(1.25),
      '-': () => zoom.zoomBy(0.8),
      '0': () => zoom.fit(),
      Escape: () => app.navigate({ sample: null }, true),
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };
  document.addEventListener('keydown', onKey);
  return () => {
    document.removeEventListener('keydown', onKey);
    zoom.destroy();
  };
}
