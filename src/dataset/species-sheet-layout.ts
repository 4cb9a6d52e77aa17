/**
 * Where everything goes on the species sheet: one card per species (a caption,
 * then its pictures side by side), cards in a grid under a header, and the text
 * of it all as one SVG that sharp draws over the pictures. Pure.
 */

export interface SheetCaption {
  scientificName: string;
  commonName: string;
  /** Second line: size, taxonomy, CITES. */
  details: string;
}

export interface SpeciesSheetLayout {
  width: number;
  height: number;
  panel: number;
  panelsPerCard: number;
  columns: number;
  /** Top-left of card k's first picture; picture j is `panel + GAP` further right each. */
  picture(k: number, j: number): { left: number; top: number };
}

const PAD = 16;
const GAP = 6;
const CARD_GAP = 20;
const HEADER = 44;
const CAPTION = 46;

export function speciesSheetLayout(cards: number, panel: number, panelsPerCard: number, columns: number): SpeciesSheetLayout {
  const cols = Math.max(1, Math.min(columns, cards));
  const rows = Math.max(1, Math.ceil(cards / cols));
  const cardWidth = panelsPerCard * panel + (panelsPerCard - 1) * GAP;
  const cardHeight = CAPTION + panel;
  const origin = (k: number) => ({
    left: PAD + (k % cols) * (cardWidth + CARD_GAP),
    top: PAD + HEADER + Math.floor(k / cols) * (cardHeight + CARD_GAP),
  });
  return {
    width: 2 * PAD + cols * cardWidth + (cols - 1) * CARD_GAP,
    height: 2 * PAD + HEADER + rows * cardHeight + (rows - 1) * CARD_GAP,
    panel,
    panelsPerCard,
    columns: cols,
    picture: (k, j) => {
      const o = origin(k);
      return { left: o.left + j * (panel + GAP), top: o.top + CAPTION };
    },
  };
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** All the sheet's text: the title, the column headings and each card's caption. */
export function sheetTextSvg(layout: SpeciesSheetLayout, title: string, panelTitles: readonly string[], captions: readonly SheetCaption[]): string {
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" xml:space="preserve" width="${layout.width}" height="${layout.height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">`,
    `<text x="${PAD}" y="${PAD + 18}" font-size="20" font-weight="bold" fill="#f1f1f3">${escapeXml(title)}</text>`,
  ];
  const headingTop = PAD + 38;
  for (let c = 0; c < layout.columns; c++) {
    panelTitles.forEach((t, j) => {
      const { left } = layout.picture(c, j);
      parts.push(`<text x="${left + layout.panel / 2}" y="${headingTop}" font-size="13" text-anchor="middle" fill="#a9abb3">${escapeXml(t)}</text>`);
    });
  }
  captions.forEach((cap, k) => {
    const { left, top } = layout.picture(k, 0);
    parts.push(
      `<text x="${left}" y="${top - 28}" font-size="16" fill="#f1f1f3"><tspan font-style="italic">${escapeXml(cap.scientificName)}</tspan>` +
        `<tspan fill="#c9cbd2"> · ${escapeXml(cap.commonName)}</tspan></text>`,
      `<text x="${left}" y="${top - 9}" font-size="12" fill="#9a9ca5">${escapeXml(cap.details)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
