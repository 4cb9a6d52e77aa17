/** Plain SVG bar charts for the stats page (no chart library): horizontal bars, one series or stacked. */
import { svg } from './dom.js';

const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
export const seriesColour = (i: number): string => COLOURS[i % COLOURS.length]!;

const ROW = 22;
const LABEL = 150;
const WIDTH = 520;

/** One bar per key; `colourOf` picks a bar's colour (e.g. by verdict). */
export function barChart(counts: Record<string, number>, colourOf: (key: string, i: number) => string = () => COLOURS[0]!): SVGSVGElement {
  const entries = Object.entries(counts);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const bars = WIDTH - LABEL - 60;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${Math.max(1, entries.length) * ROW + 4}`, class: 'chart', role: 'img' });
  entries.forEach(([key, n], i) => {
    const y = i * ROW + 2;
    const w = Math.max(1, (n / max) * bars);
    chart.append(
      svg('text', { x: LABEL - 8, y: y + 15, 'text-anchor': 'end', class: 'label' }, key.length > 22 ? `${key.slice(0, 21)}…` : key),
      svg('rect', { x: LABEL, y: y + 3, width: w, height: ROW - 6, rx: 3, fill: colourOf(key, i) }, svg('title', {}, `${key}: ${n}`)),
      svg('text', { x: LABEL + w + 6, y: y + 15, class: 'value' }, n.toLocaleString('en')),
    );
  });
  return chart;
}

/** One stacked bar per group (e.g. preset), segments by series (e.g. reject reason), with a legend. */
export function stackedChart(groups: Record<string, Record<string, number>>): SVGSVGElement {
  const series = [...new Set(Object.values(groups).flatMap((g) => Object.keys(g)))].sort();
  const rows = Object.entries(groups);
  const max = Math.max(1, ...rows.map(([, g]) => Object.values(g).reduce((a, b) => a + b, 0)));
  const bars = WIDTH - LABEL - 60;
  const legendRows = Math.ceil(series.length / 3);
  const height = rows.length * ROW + legendRows * 18 + 12;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${height}`, class: 'chart', role: 'img' });
  rows.forEach(([group, counts], i) => {
    const y = i * ROW + 2;
    let x = LABEL;
    let total = 0;
    chart.append(svg('text', { x: LABEL - 8, y: y + 15, 'text-anchor': 'end', class: 'label' }, group));
    series.forEach((name, k) => {
      const n = counts[name] ?? 0;
      if (!n) return;
      const w = (n / max) * bars;
      chart.append(svg('rect', { x, y: y + 3, width: w, height: ROW - 6, fill: seriesColour(k) }, svg('title', {}, `${group}, ${name}: ${n}`)));
      x += w;
      total += n;
    });
    chart.append(svg('text', { x: x + 6, y: y + 15, class: 'value' }, total ? total.toLocaleString('en') : 'none'));
  });
  series.forEach((name, k) => {
    const x = 10 + (k % 3) * 170;
    const y = rows.length * ROW + 14 + Math.floor(k / 3) * 18;
    chart.append(svg('rect', { x, y: y - 10, width: 12, height: 12, fill: seriesColour(k) }), svg('text', { x: x + 18, y, class: 'label' }, name));
  });
  return chart;
}
