/**
 * The scaling figure of docs/BENCHMARKS.md as a self-contained SVG: one panel per
 * axis of work (x: the work, y: milliseconds per image), one line per measured
 * quantity. Pure: same data, same bytes.
 */

export interface ScalingSeries {
  name: string;
  /** Points in increasing x. */
  points: Array<[number, number]>;
}

export interface ScalingPanel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ScalingSeries[];
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
const PANEL_W = 360;
const PANEL_H = 240;
const MARGIN = { left: 58, right: 14, top: 30, bottom: 44 };

function niceStep(span: number, ticks: number): number {
  const raw = span / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function formatTick(v: number): string {
  if (Math.abs(v) >= 1000) return `${Math.round(v / 1000)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function panelSvg(panel: ScalingPanel, ox: number, oy: number): string {
  const xs = panel.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = panel.series.flatMap((s) => s.points.map((p) => p[1]));
  if (xs.length === 0) throw new RangeError(`scaling plot: panel "${panel.title}" has no points`);
  const xMax = Math.max(...xs);
  const xMin = Math.min(0, ...xs);
  const yStep = niceStep(Math.max(...ys, 1), 4);
  const yMax = Math.ceil(Math.max(...ys, 1) / yStep) * yStep;
  // Counts (workers, animals) get whole-number ticks.
  const xStep = xs.every(Number.isInteger) ? Math.max(1, niceStep(xMax - xMin || 1, 4)) : niceStep(xMax - xMin || 1, 4);
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => ox + MARGIN.left + ((x - xMin) / (xMax - xMin || 1)) * w;
  const py = (y: number) => oy + MARGIN.top + h - (y / yMax) * h;
  const parts: string[] = [];
  parts.push(`<text x="${ox + PANEL_W / 2}" y="${oy + 18}" text-anchor="middle" font-weight="bold">${escapeXml(panel.title)}</text>`);
  for (let y = 0; y <= yMax + 1e-9; y += yStep) {
    parts.push(`<line x1="${px(xMin)}" y1="${py(y)}" x2="${px(xMax)}" y2="${py(y)}" stroke="#ddd"/>`);
    parts.push(`<text x="${px(xMin) - 6}" y="${py(y) + 4}" text-anchor="end">${formatTick(y)}</text>`);
  }
  for (let x = Math.ceil(xMin / xStep) * xStep; x <= xMax + 1e-9; x += xStep) {
    parts.push(`<text x="${px(x)}" y="${py(0) + 16}" text-anchor="middle">${formatTick(x)}</text>`);
  }
  parts.push(`<line x1="${px(xMin)}" y1="${py(0)}" x2="${px(xMax)}" y2="${py(0)}" stroke="#333"/>`);
  parts.push(`<line x1="${px(xMin)}" y1="${py(0)}" x2="${px(xMin)}" y2="${py(yMax)}" stroke="#333"/>`);
  parts.push(`<text x="${ox + MARGIN.left + w / 2}" y="${oy + PANEL_H - 8}" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`);
  parts.push(
    `<text transform="translate(${ox + 14},${oy + MARGIN.top + h / 2}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
  );
  panel.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const pts = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts}"/>`);
    for (const [x, y] of s.points) parts.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${colour}"/>`);
    parts.push(
      `<text x="${px(xMin) + 8}" y="${oy + MARGIN.top + 12 + 14 * i}" fill="${colour}">${escapeXml(s.name)}</text>`,
    );
  });
  return parts.join('\n');
}

/** Panels laid out two per row. */
export function scalingSvg(panels: readonly ScalingPanel[], caption: string): string {
  const cols = 2;
  const rows = Math.ceil(panels.length / cols);
  const width = cols * PANEL_W;
  const height = rows * PANEL_H + 28;
  const body = panels.map((p, i) => panelSvg(p, (i % cols) * PANEL_W, Math.floor(i / cols) * PANEL_H)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    body,
    `<text x="${width / 2}" y="${height - 10}" text-anchor="middle" fill="#555">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
