import { describe, expect, it } from 'vitest';
import { maskBBox } from '../../src/labels/mask.js';
import { escapeXml, parseVocBoxes, vocXml, type VocImage } from '../../src/labels/voc.js';
import { maskFromRows } from './helpers.js';

const label = expect.objectContaining({ code: 'E_LABEL' });

function image(overrides: Partial<VocImage> = {}): VocImage {
  return {
    folder: 'images',
    filename: 's000001.png',
    width: 64,
    height: 48,
    depth: 3,
    objects: [
      { name: 'stag-beetle', bbox: [10, 5, 20, 8], truncated: false, difficult: false, extra: { visibility: 0.42, object_id: 'animal-0' } },
      { name: 'ball-python', bbox: [0, 0, 64, 48], truncated: true, difficult: true },
    ],
    ...overrides,
  };
}

/** Checks that tags nest and close in order: enough for our own flat output to count as well-formed. */
function expectWellFormed(xml: string): void {
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]);
  }
  expect(stack).toEqual([]);
  // Outside tags only text and entities: no raw '<', '>' or bare '&'.
  for (const text of xml.split(/<[^>]*>/)) {
    expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos);)/);
  }
}

describe('vocXml', () => {
  it('writes VOC fields with 1-based inclusive corners (xmin = x+1, xmax = x+w)', () => {
    const xml = vocXml(image());
    expectWellFormed(xml);
    expect(xml.startsWith('<annotation>\n')).toBe(true);
    expect(xml.endsWith('</annotation>\n')).toBe(true);
    expect(xml).toContain('<segmented>0</segmented>');
    expect(xml).toMatch(/<size>\s*<width>64<\/width>\s*<height>48<\/height>\s*<depth>3<\/depth>\s*<\/size>/);
    expect(xml).toMatch(/<name>stag-beetle<\/name>[\s\S]*?<truncated>0<\/truncated>\s*<difficult>0<\/difficult>\s*<bndbox>\s*<xmin>11<\/xmin>\s*<ymin>6<\/ymin>\s*<xmax>30<\/xmax>\s*<ymax>13<\/ymax>/);
    // A box covering the whole image is 1 1 W H in VOC.
    expect(xml).toMatch(/<name>ball-python<\/name>[\s\S]*?<truncated>1<\/truncated>\s*<difficult>1<\/difficult>\s*<bndbox>\s*<xmin>1<\/xmin>\s*<ymin>1<\/ymin>\s*<xmax>64<\/xmax>\s*<ymax>48<\/ymax>/);
    // Extra fields follow the box, in sorted order.
    expect(xml).toMatch(/<\/bndbox>\s*<object_id>animal-0<\/object_id>\s*<visibility>0.42<\/visibility>\s*<\/object>/);
  });

  it('is deterministic: extra key order does not change the text', () => {
    const withExtra = (extra: Record<string, number>) => vocXml(image({ objects: [{ name: 'a', bbox: [0, 0, 1, 1], truncated: false, difficult: false, extra }] }));
    expect(withExtra({ b: 1, a: 2 })).toBe(withExtra({ a: 2, b: 1 }));
  });

  it('escapes markup characters in names, file names and extra values', () => {
    const xml = vocXml(
      image({
        folder: 'a&b',
        filename: '<odd> "name".png',
        objects: [{ name: "Tom's & <Jerry>", bbox: [1, 1, 2, 2], truncated: false, difficult: false, extra: { note: 'x < y & z' } }],
      }),
    );
    expectWellFormed(xml);
    expect(xml).toContain('<folder>a&amp;b</folder>');
    expect(xml).toContain('<filename>&lt;odd&gt; &quot;name&quot;.png</filename>');
    expect(xml).toContain('<name>Tom&apos;s &amp; &lt;Jerry&gt;</name>');
    const parsed = parseVocBoxes(xml);
    expect(parsed.folder).toBe('a&b');
    expect(parsed.filename).toBe('<odd> "name".png');
    expect(parsed.objects[0].name).toBe("Tom's & <Jerry>");
    expect(escapeXml('&&')).toBe('&amp;&amp;');
  });

  it('rejects boxes outside the image, fractional boxes, and text XML cannot hold', () => {
    const one = (bbox: [number, number, number, number]) => image({ objects: [{ name: 'a', bbox, truncated: false, difficult: false }] });
    expect(() => vocXml(one([60, 0, 5, 5]))).toThrow(label);
    expect(() => vocXml(one([-1, 0, 5, 5]))).toThrow(label);
    expect(() => vocXml(one([0, 44, 5, 5]))).toThrow(/inside the 64x48 image/);
    expect(() => vocXml(one([1.5, 0, 5, 5]))).toThrow(label);
    expect(() => vocXml(one([1, 0, 0, 5]))).toThrow(label);
    expect(vocXml(one([59, 43, 5, 5]))).toContain('<xmax>64</xmax>');
    expect(() => vocXml(image({ filename: 'bad\u0001.png' }))).toThrow(/control character/);
    expect(() => vocXml(image({ depth: 0 }))).toThrow(label);
    const extra = (key: string) => image({ objects: [{ name: 'a', bbox: [0, 0, 1, 1], truncated: false, difficult: false, extra: { [key]: 1 } }] });
    expect(() => vocXml(extra('bad key'))).toThrow(/extra field "bad key"/);
    expect(() => vocXml(extra('bndbox'))).toThrow(label);
  });
});

describe('parseVocBoxes', () => {
  it('reads back what vocXml writes, boxes converted to [x, y, w, h]', () => {
    const input = image();
    const parsed = parseVocBoxes(vocXml(input));
    expect(parsed).toMatchObject({ folder: 'images', filename: 's000001.png', width: 64, height: 48, depth: 3, segmented: 0 });
    expect(parsed.objects.map((o) => [o.name, o.bbox, o.truncated, o.difficult])).toEqual(input.objects.map((o) => [o.name, o.bbox, o.truncated, o.difficult]));
    expect(parsed.objects[0]).toMatchObject({ xmin: 11, ymin: 6, xmax: 30, ymax: 13 });
  });

  it('round-trips the box of a mask exactly', () => {
    const { mask, width, height } = maskFromRows(['000000', '001110', '001110', '000000']);
    const bbox = maskBBox(mask, width, height)!;
    const xml = vocXml({ folder: '', filename: 'm.png', width, height, depth: 1, objects: [{ name: 'a', bbox, truncated: false, difficult: false }] });
    expect(parseVocBoxes(xml).objects[0].bbox).toEqual(bbox);
  });

  it('reads a devkit-style file, ignoring person-layout parts wherever they stand', () => {
    const xml = `<annotation>
  <folder>VOC2012</folder><filename>2007_000032.jpg</filename>
  <source><database>The VOC2007 Database</database></source>
  <size><width>500</width><height>281</height><depth>3</depth></size>
  <segmented>1</segmented>
  <object>
    <part><name>head</name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></part>
    <name>person</name><pose>Frontal</pose><truncated>1</truncated><difficult>0</difficult>
    <bndbox><xmin>195</xmin><ymin>180</ymin><xmax>213</xmax><ymax>229</ymax></bndbox>
  </object>
</annotation>`;
    const parsed = parseVocBoxes(xml);
    expect(parsed).toMatchObject({ filename: '2007_000032.jpg', width: 500, height: 281, segmented: 1 });
    expect(parsed.objects).toEqual([
      { name: 'person', bbox: [194, 179, 19, 50], xmin: 195, ymin: 180, xmax: 213, ymax: 229, truncated: true, difficult: false },
    ]);
  });

  it('rejects files that are not VOC annotations', () => {
    expect(() => parseVocBoxes('<foo/>')).toThrow(label);
    expect(() => parseVocBoxes('<annotation><filename>a</filename></annotation>')).toThrow(/<size>/);
    expect(() => parseVocBoxes('<annotation><filename>a</filename><size><width>1</width><height>1</height></size><object><name>x</name></object></annotation>')).toThrow(/no <bndbox>/);
    expect(() =>
      parseVocBoxes('<annotation><filename>a</filename><size><width>1</width><height>1</height></size><object><name>x</name><bndbox><xmin>a</xmin><ymin>1</ymin><xmax>1</xmax><ymax>1</ymax></bndbox></object></annotation>'),
    ).toThrow(/not a number/);
  });
});
