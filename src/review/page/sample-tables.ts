/** The sample's tables: parameters (a summary of its SceneDescription), labelled instances, review history. */
import type { StoredReview } from '../../db/database.js';
import type { SampleResponse } from '../api-types.js';
import { h } from './dom.js';
import { instanceColour } from './overlay.js';

type Sample = SampleResponse['sample'];

const row = (k: string, v: string | number | null | undefined) => h('tr', {}, h('th', {}, k), h('td', {}, v === null || v === undefined || v === '' ? '—' : String(v)));

export function parametersTable(s: Sample): HTMLElement {
  const sc = s.scanner;
  const byRole = (role: string) => s.objects.filter((o) => o.role === role);
  const clutter = byRole('clutter')
    .map((o) => o.kind)
    .reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
  return h(
    'table',
    { className: 'kv', id: 'parameters' },
    row('Sample', `${s.id} (run ${s.runId}, #${s.sampleIndex})`),
    row('Preset', s.preset),
    row('Seed', s.seed),
    row('Split', s.split),
    row('Image', `${s.width} × ${s.height} px`),
    row('Scanner', `${sc.geometry} beam, ${sc.spectral ? `${sc.spectral.kVp} kVp dual-energy` : `${sc.effectiveEnergyKeV} keV`}, views ${(sc.views ?? ['top']).join(' + ')}`),
    row('Container', `${s.containerKind ?? 'none'}${byRole('container')[0] ? ` (${byRole('container')[0]!.materials.join(', ')})` : ''}`),
    row('Clutter', Object.entries(clutter).map(([k, n]) => (n > 1 ? `${k} × ${n}` : k)).join(', ') || 'none'),
    row('Animals', s.animalCount),
    row('Render', s.renderMs === null ? null : `${Math.round(s.renderMs)} ms`),
    row('Created', s.createdAt.replace('T', ' ').slice(0, 19)),
  );
}

export function instancesTable(s: Sample, view: string): HTMLElement {
  const list = s.instances.filter((i) => i.view === view);
  return h(
    'table',
    { className: 'grid-table', id: 'instances' },
    h('thead', {}, h('tr', {}, ...['#', 'Species', 'Box x, y, w, h', 'Area', 'Vis.', 'Difficulty'].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      ...list.map((inst, k) =>
        h(
          'tr',
          {},
          h('td', {}, h('span', { className: 'swatch', style: `background:${instanceColour(k)}` }), String(k + 1)),
          h('td', { title: `${inst.scientificName}, ${Math.round(inst.lengthMm)} mm` }, inst.species),
          h('td', {}, inst.bbox ? inst.bbox.map((v) => Math.round(v)).join(', ') : 'outside'),
          h('td', {}, inst.maskArea.toLocaleString('en')),
          h('td', {}, inst.visibility === null ? '—' : inst.visibility.toFixed(2)),
          h('td', {}, inst.difficulty ? h('span', { className: `difficulty d-${inst.difficulty}` }, inst.difficulty) : '—'),
        ),
      ),
    ),
  );
}

export function historyList(reviews: readonly StoredReview[]): HTMLElement {
  if (reviews.length === 0) return h('p', { className: 'muted', id: 'history' }, 'Not reviewed yet.');
  return h(
    'ol',
    { className: 'history', id: 'history', reversed: true },
    ...[...reviews].reverse().map((r) =>
      h(
        'li',
        { 'data-verdict': r.verdict },
        h('span', { className: `badge v-${r.verdict}` }, r.verdict),
        r.reason ? ` ${r.reason}` : '',
        h('span', { className: 'muted' }, ` · ${r.reviewer} · ${r.createdAt.replace('T', ' ').slice(0, 16)}`),
        r.note ? h('div', { className: 'note' }, r.note) : '',
      ),
    ),
  );
}
