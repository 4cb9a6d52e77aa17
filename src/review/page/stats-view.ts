/** The stats page: what the generator made and what reviewers think of it, for the current search and filters. */
import type { App } from './app.js';
import { barChart, stackedChart } from './charts.js';
import { api } from './client.js';
import { h } from './dom.js';
import { composeQuery } from './state.js';

const VERDICT_COLOURS: Record<string, string> = { approved: '#59a14f', rejected: '#e15759', flagged: '#edc948', none: '#bab0ac' };
const DIFFICULTY_COLOURS: Record<string, string> = { easy: '#59a14f', hard: '#f28e2b', hidden: '#e15759' };

export async function renderStats(app: App, root: HTMLElement): Promise<() => void> {
  const query = composeQuery(app.state);
  root.replaceChildren(h('p', { className: 'muted' }, 'Counting…'));
  let data;
  try {
    data = await api.stats(query);
    app.showError(null);
  } catch (e) {
    app.showError((e as Error).message);
    root.replaceChildren();
    return () => {};
  }
  const s = data.stats;
  const card = (title: string, sub: string, chart: Element) => h('section', { className: 'card' }, h('h3', {}, title, h('small', {}, ` ${sub}`)), chart);
  const reviewed = s.samples - (s.byVerdict.none ?? 0);
  root.replaceChildren(
    h(
      'div',
      { className: 'stats' },
      h(
        'p',
        { className: 'summary', id: 'stats-summary' },
        h('strong', {}, s.samples.toLocaleString('en')),
        ' samples, ',
        h('strong', {}, s.animals.toLocaleString('en')),
        ' animals',
        query ? ` matching ${query}` : '',
        ` · ${reviewed.toLocaleString('en')} reviewed`,
      ),
      h(
        'div',
        { className: 'cards' },
        card('Verdicts', 'latest per sample', barChart(s.byVerdict, (k) => VERDICT_COLOURS[k] ?? '#4e79a7')),
        card('Reasons by preset', 'latest reject / flag reasons', Object.keys(data.reasonsByPreset).length ? stackedChart(data.reasonsByPreset) : h('p', {}, 'No reasons given yet.')),
        card('Species', 'animals', barChart(s.bySpecies)),
        card('Difficulty', 'animals', barChart(s.byDifficulty, (k) => DIFFICULTY_COLOURS[k] ?? '#bab0ac')),
        card('Presets', 'samples', barChart(s.byPreset)),
        card('Containers', 'samples', barChart(s.byContainer)),
        card('Animals per sample', 'samples', barChart(s.animalsPerSample)),
        card('Splits', 'samples', barChart(s.bySplit)),
        card('Families', 'animals', barChart(s.byFamily)),
      ),
    ),
  );
  return () => {};
}
