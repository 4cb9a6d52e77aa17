import { describe, expect, it } from 'vitest';
import { scalingSvg } from '../../src/bench/scaling-plot.js';

describe('scaling figure', () => {
  const panels = [
    { title: 'Image size', xLabel: 'pixels', yLabel: 'ms', series: [{ name: 'render', points: [[256, 40], [512, 90], [1024, 330]] as Array<[number, number]> }] },
    {
      title: 'Animals & <things>',
      xLabel: 'animals',
      yLabel: 'ms',
      series: [
        { name: 'render', points: [[1, 100], [2, 110]] as Array<[number, number]> },
        { name: 'geometry', points: [[1, 40], [2, 45]] as Array<[number, number]> },
      ],
    },
  ];

  it('draws one polyline per series with one vertex per point, in increasing x', () => {
    const svg = scalingSvg(panels, 'caption');
    const lines = [...svg.matchAll(/<polyline [^>]*points="([^"]+)"/g)].map((m) => m[1]!.split(' ').map((p) => p.split(',').map(Number)));
    expect(lines.map((l) => l.length)).toEqual([3, 2, 2]);
    for (const l of lines) for (let i = 1; i < l.length; i++) expect(l[i]![0]).toBeGreaterThan(l[i - 1]![0]!);
    // Larger times sit higher in the picture (smaller SVG y).
    expect(lines[0]![2]![1]).toBeLessThan(lines[0]![0]![1]!);
  });

  it('is deterministic and escapes text', () => {
    const a = scalingSvg(panels, 'x < y');
    expect(scalingSvg(panels, 'x < y')).toBe(a);
    expect(a).toContain('Animals &amp; &lt;things&gt;');
    expect(a).toContain('x &lt; y');
    expect(a.startsWith('<svg')).toBe(true);
  });

  it('refuses an empty panel', () => {
    expect(() => scalingSvg([{ title: 'empty', xLabel: '', yLabel: '', series: [] }], '')).toThrow(/no points/);
  });
});
