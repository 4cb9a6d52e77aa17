/** Layout and text of the species sheet, without rendering. */
import { describe, expect, it } from 'vitest';
import { escapeXml, sheetTextSvg, speciesSheetLayout } from '../../src/dataset/species-sheet-layout.js';

describe('species sheet layout', () => {
  it('puts every picture of every card on the sheet, none overlapping', () => {
    for (const [cards, columns] of [[1, 2], [2, 2], [5, 2], [14, 3], [7, 8]] as const) {
      const layout = speciesSheetLayout(cards, 100, 3, columns);
      const boxes: Array<{ left: number; top: number }> = [];
      for (let k = 0; k < cards; k++) for (let j = 0; j < 3; j++) boxes.push(layout.picture(k, j));
      for (const b of boxes) {
        expect(b.left >= 0 && b.top >= 0 && b.left + 100 <= layout.width && b.top + 100 <= layout.height).toBe(true);
      }
      for (let a = 0; a < boxes.length; a++) {
        for (let b = a + 1; b < boxes.length; b++) {
          const apart = Math.abs(boxes[a]!.left - boxes[b]!.left) >= 100 || Math.abs(boxes[a]!.top - boxes[b]!.top) >= 100;
          expect(apart).toBe(true);
        }
      }
      expect(layout.columns).toBe(Math.min(columns, cards));
    }
  });

  it('writes names as text, escaped, one caption per card', () => {
    const layout = speciesSheetLayout(2, 64, 3, 2);
    const svg = sheetTextSvg(layout, 'Sheet <2>', ['a', 'b', 'c'], [
      { scientificName: 'Dorcus titanus', commonName: 'Giant stag beetle', details: '60 mm' },
      { scientificName: 'Python regius', commonName: "Royal & ball python", details: 'CITES II' },
    ]);
    expect(svg).toContain('Dorcus titanus');
    expect(svg).toContain('Royal &amp; ball python');
    expect(svg).toContain('Sheet &lt;2&gt;');
    expect(svg.match(/font-style="italic"/g)).toHaveLength(2);
    expect(escapeXml(`"it's"`)).toBe('&quot;it&apos;s&quot;');
  });
});
