/**
 * The dataset report as one self-contained HTML page: tables of counts, an
 * inline SVG bar chart per histogram and the contact sheet. No scripts, no
 * external fonts, styles or images other than the contact sheet next to it,
 * so it opens offline from the dataset folder. Every text is HTML-escaped.
 */
import { sheetLayout, tileOrigin, type SheetLayout, type SheetSample } from './contact-sheet.js';
import type { Histogram, ReportData } from './report.js';

export interface RenderReportOptions {
  /** Contact sheet file, relative to the HTML page (e.g. 'contact-sheet.png'); omit for none. */
  contactSheet?: string;
  /** Sample ids on the contact sheet, in tile order (row by row). */
  chosen?: readonly string[];
  /** Page title (default "exoray dataset report"). */
  title?: string;
}

/** Escapes text for HTML content and (double- or single-quoted) attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const esc = escapeHtml;

/** 12345 -> "12,345" (fixed format, independent of the machine's locale). */
export function formatCount(n: number): string {
  const [int, frac] = String(n).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

function formatNumber(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return formatCount(Number(v.toFixed(digits)));
}

/** Visibility to two decimals, rounded down so that it reads on the same side of a difficulty threshold (0.3996 is "0.39", hard). */
function floor2(v: number): string {
  return (Math.floor(v * 100 + 1e-9) / 100).toFixed(2);
}

function percent(n: number, total: number): string {
  return total > 0 ? `${((100 * n) / total).toFixed(1)} %` : '–';
}

const STYLE = `
:root { --fg: #1d2330; --muted: #5c6473; --line: #e3e6ec; --bg: #f6f7f9; --card: #fff; --accent: #2f6db5; --accent-soft: #dbe7f5; }
* { box-sizing: border-box; }
html { background: var(--bg); }
body { margin: 0; color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 19px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 8px; }
p { margin: 0 0 10px; }
.sub, .note, figcaption { color: var(--muted); font-size: 13px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .label { color: var(--muted); font-size: 13px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(380px, 100%), 1fr)); gap: 16px; align-items: start; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; overflow-x: auto; }
.wide { grid-column: 1 / -1; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; }
tr:last-child td { border-bottom: none; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.share { width: 30%; min-width: 140px; }
.bar { display: flex; align-items: center; gap: 8px; }
.bar .track { flex: 1; min-width: 64px; height: 8px; border-radius: 4px; background: var(--accent-soft); overflow: hidden; }
.bar .fill { display: block; height: 100%; background: var(--accent); min-width: 1px; }
.bar .pct { min-width: 4.2em; text-align: right; font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
em.sci { color: var(--muted); }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(440px, 100%), 1fr)); gap: 16px; }
figure { margin: 0; }
figure.chart svg { display: block; width: 100%; height: auto; }
figure.chart figcaption { margin-top: 4px; }
.sheet-frame { position: relative; display: inline-block; max-width: 100%; line-height: 0; border-radius: 6px; overflow: hidden; background: #18181b; }
.sheet-frame img { display: block; max-width: 100%; height: auto; }
.sheet-frame .tag { position: absolute; margin: 4px; padding: 1px 6px; border-radius: 4px; background: rgba(0, 0, 0, 0.62); color: #fff; font-size: 12px; line-height: 1.5; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; border: 1px solid rgba(0, 0, 0, 0.25); }
.labels { display: flex; flex-wrap: wrap; gap: 4px 14px; }
.nowrap { white-space: nowrap; }
.empty { color: var(--muted); font-style: italic; }
@media (max-width: 720px) { .sheet-frame .tag { font-size: 10px; padding: 0 4px; margin: 2px; } .sheet-frame .tag .id { display: none; } }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
`;

/** The report page. `options.contactSheet` and `options.chosen` place the contact sheet (see writeReport). */
export function renderReportHtml(data: ReportData, options: RenderReportOptions = {}): string {
  const title = options.title ?? 'exoray dataset report';
  const presets = Object.keys(data.counts.byPreset);
  const sub = [
    `${esc(data.tool.name)} ${esc(data.tool.version)}`,
    presets.length > 0 ? `preset${presets.length > 1 ? 's' : ''} ${presets.map((p) => `<code>${esc(p)}</code>`).join(', ')}` : null,
    data.generatedAt ? `generated ${esc(data.generatedAt)}` : null,
  ].filter((s) => s !== null);
  const body = [
    `<header><h1>${esc(title)}</h1><p class="sub">${sub.join(' · ')}</p></header>`,
    summaryCards(data),
    countsSection(data),
    chartsSection(data),
    sheetSection(data, options),
    scannersSection(data),
    runsSection(data),
    `<footer>Counts are per label (one per animal and view) unless they say images. Made by ${esc(data.tool.name)} ${esc(data.tool.version)} from the dataset's database; report.json holds the same numbers.</footer>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function summaryCards(data: ReportData): string {
  const g = data.generatedFrom;
  const cards: Array<[string, number]> = [
    ['samples', g.samples],
    ['labels', g.instances],
    ['images', g.images],
    ['species', data.species.length],
    ['runs', g.runs],
  ];
  return `<section class="cards">${cards
    .map(([label, value]) => `<div class="card"><div class="value">${esc(formatCount(value))}</div><div class="label">${esc(label)}</div></div>`)
    .join('')}</section>`;
}

function shareCell(n: number, total: number): string {
  const pct = total > 0 ? (100 * n) / total : 0;
  return `<td class="share"><div class="bar"><span class="track"><span class="fill" style="width:${pct.toFixed(1)}%"></span></span><span class="pct">${esc(percent(n, total))}</span></div></td>`;
}

function table(head: Array<string | [string, 'num']>, rows: string[][]): string {
  const th = head.map((h) => (Array.isArray(h) ? `<th class="num">${esc(h[0])}</th>` : `<th>${esc(h)}</th>`)).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}

const td = (text: unknown) => `<td>${esc(text)}</td>`;
const tdNum = (text: string) => `<td class="num">${esc(text)}</td>`;

/** A table of a count record: name, count, share of the total. */
function countTable(heading: string, what: string, counts: Record<string, number>, total: number): string {
  const entries = Object.entries(counts);
  const rows = entries.map(([k, n]) => [td(k), tdNum(formatCount(n)), shareCell(n, total)]);
  const content = entries.length > 0 ? table([heading, [what, 'num'], 'share'], rows) : `<p class="empty">none</p>`;
  return `<div class="panel"><h3>${esc(heading[0].toUpperCase() + heading.slice(1))}</h3>${content}</div>`;
}

function countsSection(data: ReportData): string {
  const { samples, instances } = data.generatedFrom;
  const species =
    data.species.length > 0
      ? table(
          ['species', 'scientific name', ['labels', 'num'], 'share', ['samples', 'num'], ['mean visibility', 'num'], ['mean box, px', 'num']],
          data.species.map((s) => [
            td(s.species),
            `<td><em class="sci">${esc(s.scientificName)}</em></td>`,
            tdNum(formatCount(s.instances)),
            shareCell(s.instances, instances),
            tdNum(formatCount(s.samples)),
            tdNum(formatNumber(s.meanVisibility, 3)),
            tdNum(formatNumber(s.meanBoxPx, 1)),
          ]),
        )
      : `<p class="empty">no labels</p>`;
  const splits =
    data.splits.length > 0
      ? table(
          ['split', ['samples', 'num'], 'share', ['labels', 'num']],
          data.splits.map((s) => [td(s.split), tdNum(formatCount(s.samples)), shareCell(s.samples, samples), tdNum(formatCount(s.instances))]),
        )
      : `<p class="empty">no samples</p>`;
  return [
    '<section><h2>Counts</h2><div class="grid">',
    `<div class="panel wide"><h3>Species</h3>${species}</div>`,
    `<div class="panel"><h3>Splits</h3>${splits}</div>`,
    countTable('difficulty', 'labels', data.counts.byDifficulty, instances),
    countTable('preset', 'samples', data.counts.byPreset, samples),
    countTable('view', 'labels', data.counts.byView, instances),
    countTable('container', 'samples', data.counts.byContainer, samples),
    '</div></section>',
  ].join('\n');
}

// ---- charts ---------------------------------------------------------------------

/** A step of 1, 2 or 5 times a power of ten that splits [0, max] into about `ticks` parts. */
function niceStep(max: number, ticks: number, integer: boolean): number {
  if (max <= 0) return 1;
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  return integer ? Math.max(1, Math.round(step)) : step;
}

function trimNumber(v: number): string {
  return String(Number(v.toFixed(6)));
}

const CHART = { width: 560, height: 250, right: 16, top: 26, bottom: 54 };
/** Rough width of a digit or letter at the 11 px tick font, for spacing labels. */
const CHAR_PX = 6.4;

/** 30155 -> "30k", 5432 -> "5.4k", 1234567 -> "1.2M": for bar values where the full number does not fit. */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  const [div, unit] = n < 999_500 ? [1e3, 'k'] : [1e6, 'M'];
  const v = n / div;
  return `${v < 9.95 ? Number(v.toFixed(1)) : Math.round(v)}${unit}`;
}

/** An inline SVG bar chart of a histogram, with axes, tick labels, axis titles and the count on each bar. */
export function histogramSvg(h: Histogram, id: string): string {
  const { width: W, height: H, right, bottom } = CHART;
  // Reference lines get a row of their own for their labels, above the bar values.
  const markers = h.kind === 'continuous' && h.markers && h.markers.length > 0 ? h.markers : [];
  const top = markers.length > 0 ? CHART.top + 16 : CHART.top;
  const maxCount = h.bins.length > 0 ? Math.max(...h.bins.map((b) => b.count)) : 0;
  const step = niceStep(maxCount, 4, true);
  const yMax = Math.max(step, Math.ceil(maxCount / step) * step);
  // Room on the left for the widest y tick label and the rotated axis title.
  const left = Math.round(Math.max(44, 30 + formatCount(yMax).length * CHAR_PX));
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const x0 = left;
  const y0 = top + plotH;
  const parts: string[] = [];
  const titleId = `${id}-title`;
  parts.push(
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${esc(titleId)}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" font-size="11" fill="#1d2330">`,
    `<title id="${esc(titleId)}">${esc(`${h.title}: ${h.bins.map((b) => `${b.label}: ${b.count}`).join(', ')}`)}</title>`,
  );
  // Axis titles.
  parts.push(`<text x="${x0 + plotW / 2}" y="${H - 8}" text-anchor="middle" fill="#5c6473" font-size="12">${esc(h.xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#5c6473" font-size="12">${esc(h.yLabel)}</text>`);
  if (h.bins.length === 0) {
    parts.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + plotW}" y2="${y0}" stroke="#9aa1ad"/>`);
    parts.push(`<text x="${x0 + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle" fill="#5c6473" font-size="13">no data</text>`);
    parts.push('</svg>');
    return parts.join('');
  }
  const yOf = (v: number) => y0 - (v / yMax) * plotH;
  // Grid lines and y tick labels.
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    const y = yOf(v);
    parts.push(`<line x1="${x0}" y1="${y.toFixed(1)}" x2="${x0 + plotW}" y2="${y.toFixed(1)}" stroke="${v === 0 ? '#9aa1ad' : '#e3e6ec'}"/>`);
    parts.push(`<text x="${x0 - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" fill="#5c6473">${esc(formatCount(v))}</text>`);
  }
  const n = h.bins.length;
  const slot = plotW / n;
  // Bars keep a small gap, and stay slim when there are only a few.
  const pad = Math.max(Math.min(slot * 0.12, 6), (slot - 64) / 2);
  // Reference lines (difficulty thresholds), placed on the continuous axis, labelled above the plot.
  if (markers.length > 0) {
    const lo = h.bins[0].lo;
    const hi = h.bins[h.bins.length - 1].hi;
    for (const m of markers) {
      if (m.at < lo || m.at > hi) continue;
      const x = x0 + ((m.at - lo) / (hi - lo)) * plotW;
      parts.push(`<line x1="${x.toFixed(1)}" y1="${CHART.top - 8}" x2="${x.toFixed(1)}" y2="${y0}" stroke="#c2410c" stroke-dasharray="4 3"/>`);
      parts.push(`<text x="${(x + 4).toFixed(1)}" y="${CHART.top - 10}" fill="#c2410c" font-size="11">${esc(m.label)}</text>`);
    }
  }
  // Bars with their counts on top.
  h.bins.forEach((b, i) => {
    const x = x0 + i * slot + pad;
    const y = yOf(b.count);
    const bw = Math.max(1, slot - 2 * pad);
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${bw.toFixed(1)}" height="${(y0 - y).toFixed(1)}" fill="#2f6db5" rx="1.5"><title>${esc(`${b.label}: ${formatCount(b.count)}`)}</title></rect>`,
    );
    // The full count when it fits over the bar, else a compact one (30k), else none (the tooltip has it).
    const fits = [
      { text: formatCount(b.count), size: 10.5 },
      { text: compactCount(b.count), size: 9.5 },
    ].find((l) => slot >= l.text.length * l.size * 0.6 + 2);
    if (fits) {
      parts.push(
        `<text x="${(x0 + (i + 0.5) * slot).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="${fits.size}" fill="${b.count === 0 ? '#9aa1ad' : '#1d2330'}">${esc(fits.text)}</text>`,
      );
    }
  });
  // x tick labels: bin edges for intervals, bin names for whole values; thinned to stay readable.
  if (h.kind === 'continuous') {
    const edges = [h.bins[0].lo, ...h.bins.map((b) => b.hi)];
    const longest = Math.max(...edges.map((e) => trimNumber(e).length));
    const every = Math.max(1, Math.ceil((longest * CHAR_PX + 8) / slot));
    edges.forEach((e, i) => {
      if (i % every !== 0 && i !== edges.length - 1) return;
      if (i === edges.length - 1 && i % every !== 0 && slot * (i % every) < longest * CHAR_PX + 8) return;
      const x = x0 + i * slot;
      parts.push(`<line x1="${x.toFixed(1)}" y1="${y0}" x2="${x.toFixed(1)}" y2="${y0 + 4}" stroke="#9aa1ad"/>`);
      parts.push(`<text x="${x.toFixed(1)}" y="${y0 + 16}" text-anchor="middle" fill="#5c6473">${esc(trimNumber(e))}</text>`);
    });
  } else {
    const longest = Math.max(...h.bins.map((b) => b.label.length));
    const every = Math.max(1, Math.ceil((longest * CHAR_PX + 6) / slot));
    h.bins.forEach((b, i) => {
      if (i % every !== 0) return;
      parts.push(`<text x="${(x0 + (i + 0.5) * slot).toFixed(1)}" y="${y0 + 16}" text-anchor="middle" fill="#5c6473">${esc(b.label)}</text>`);
    });
  }
  parts.push('</svg>');
  return parts.join('');
}

function histogramCaption(h: Histogram): string {
  const bits = [`n = ${formatCount(h.total)} ${h.yLabel}`];
  if (h.stats) bits.push(`mean ${formatNumber(h.stats.mean, 2)}`, `min ${formatNumber(h.stats.min, 2)}`, `max ${formatNumber(h.stats.max, 2)}`);
  if (h.missing > 0) bits.push(`${formatCount(h.missing)} without a value`);
  return bits.join(' · ');
}

function chartsSection(data: ReportData): string {
  const charts = (Object.entries(data.histograms) as Array<[string, Histogram]>).map(
    ([key, h]) =>
      `<figure class="chart panel" id="chart-${esc(key)}"><h3>${esc(h.title)}</h3>${histogramSvg(h, `chart-${key}`)}<figcaption>${esc(histogramCaption(h))}</figcaption></figure>`,
  );
  return `<section><h2>Distributions</h2><div class="charts">${charts.join('\n')}</div></section>`;
}

// ---- contact sheet ------------------------------------------------------------

function sheetSection(data: ReportData, options: RenderReportOptions): string {
  const chosen = options.chosen ?? data.contactSheet?.samples.map((s) => s.id) ?? [];
  const file = options.contactSheet ?? data.contactSheet?.file;
  if (!file || chosen.length === 0) {
    return `<section><h2>Contact sheet</h2><p class="empty">No samples to show.</p></section>`;
  }
  const info = data.contactSheet;
  const layout: SheetLayout =
    info && info.samples.length === chosen.length ? info : sheetLayout(chosen.length, info?.thumb ?? 192, info?.gap);
  const details = new Map<string, SheetSample>((info?.samples ?? []).map((s) => [s.id, s]));
  // Each tile's number (the row of the table below) and sample id; narrow screens keep only the number.
  const tags = chosen.map((id, k) => {
    const { left, top } = tileOrigin(layout, k);
    return `<span class="tag" style="left:${((100 * left) / layout.width).toFixed(3)}%;top:${((100 * top) / layout.height).toFixed(3)}%">${k + 1}<span class="id"> · ${esc(id)}</span></span>`;
  });
  const rows = chosen.map((id, k) => {
    const s = details.get(id);
    const labels = s
      ? s.labels.length > 0
        ? `<div class="labels">${s.labels
            .map(
              (l) =>
                `<span><span class="swatch" style="background:${/^#[0-9a-f]{6}$/i.test(l.colour) ? l.colour : '#888888'}"></span>${esc(l.species)}${
                  l.difficulty ? ` · ${esc(l.difficulty)}` : ''
                }${l.visibility !== null ? ` (${esc(floor2(l.visibility))})` : ''}${l.hasBox ? '' : ' · outside the image'}</span>`,
            )
            .join('')}</div>`
        : '<span class="empty">no animals</span>'
      : '';
    return [
      tdNum(String(k + 1)),
      `<td><code>${esc(id)}</code>${s && !s.imageFound ? ' <span class="empty">(image missing)</span>' : ''}</td>`,
      td(s?.split ?? ''),
      `<td class="nowrap">${s ? esc(`${s.width} × ${s.height}`) : ''}</td>`,
      `<td>${labels}</td>`,
    ];
  });
  const seed = info ? ` (seed ${esc(info.seed)})` : '';
  return [
    '<section><h2>Contact sheet</h2>',
    `<figure class="sheet"><div class="sheet-frame"><img src="${esc(file)}" width="${layout.width}" height="${layout.height}" alt="${esc(
      `Contact sheet of ${chosen.length} samples with their labels drawn on: ${chosen.join(', ')}`,
    )}">${tags.join('')}</div>`,
    `<figcaption>${esc(
      `${chosen.length} randomly chosen samples, top view, with each label's amodal mask tinted, its contour and its box drawn in the label's colour (listed below).`,
    )}${seed}</figcaption></figure>`,
    `<div class="panel" style="margin-top:12px">${table([['#', 'num'], 'sample', 'split', 'size, px', 'labels (difficulty, visibility)'], rows)}</div>`,
    '</section>',
  ].join('\n');
}

// ---- scanners and runs ------------------------------------------------------------

function scannersSection(data: ReportData): string {
  if (data.scanners.length === 0) return '';
  const rows = data.scanners.map((s) => [
    td(s.kVp !== null ? `dual-energy ${s.kVp} kV` : `monochromatic ${s.effectiveEnergyKeV ?? '?'} keV`),
    td(s.geometry),
    td(`${s.width} × ${s.height}`),
    td(s.views.join(', ')),
    td(s.effects ? (s.photonsPerPixel !== null ? `on (${formatCount(s.photonsPerPixel)} photons/px)` : 'on (noiseless)') : 'off'),
    tdNum(formatCount(s.samples)),
  ]);
  return `<section><h2>Scanners</h2><div class="panel">${table(['scanner', 'beam', 'image, px', 'views', 'detector effects', ['samples', 'num']], rows)}</div></section>`;
}

function runsSection(data: ReportData): string {
  if (data.runs.length === 0) return '';
  const rows = data.runs.map((r) => [
    tdNum(String(r.id)),
    `<td><code>${esc(r.preset)}</code></td>`,
    tdNum(String(r.seed)),
    td(r.scanner ?? 'preset’s'),
    td(r.shard ? `${r.shard.index + 1} of ${r.shard.count}` : '–'),
    td(r.status),
    tdNum(r.requested === null ? formatCount(r.samples) : `${formatCount(r.samples)} / ${formatCount(r.requested)}`),
    td(r.toolVersion),
  ]);
  return `<section><h2>Runs</h2><div class="panel">${table(
    [['run', 'num'], 'preset', ['seed', 'num'], 'scanner', 'shard', 'status', ['samples', 'num'], 'exoray'],
    rows,
  )}</div></section>`;
}
