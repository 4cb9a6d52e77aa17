/**
 * Pascal VOC annotation XML, one file per image, as the VOC devkit, torchvision's
 * VOCDetection and labelImg read it. Pure: the caller writes the text.
 *
 * Boxes: VOC counts pixels from 1 and its xmax/ymax are inclusive (the devkit
 * subtracts 1 on load and adds 1 to widths). Our box [x, y, w, h] covers the
 * 0-based pixels x .. x+w-1, so
 *   xmin = x + 1, ymin = y + 1, xmax = x + w, ymax = y + h
 * and back: x = xmin - 1, w = xmax - xmin + 1. A full W x H image is 1 1 W H.
 *
 * No XML declaration: without one XML is UTF-8, which is what we write, and
 * lxml refuses to parse a Python str that carries an encoding declaration.
 */
import { ExorayError } from '../core/errors.js';
import type { BBox } from './mask.js';

export interface VocObject {
  name: string;
  /** [x, y, w, h] in whole pixels from the top-left, inside the image. */
  bbox: BBox;
  /** The object extends past the image border. */
  truncated: boolean;
  /** VOC's evaluators ignore difficult objects (neither hit nor miss). */
  difficult: boolean;
  /** Extra child elements after <bndbox>, in sorted key order, e.g. { visibility: 0.42 }. */
  extra?: Record<string, string | number | boolean>;
}

export interface VocImage {
  folder: string;
  filename: string;
  width: number;
  height: number;
  /** Channels: 3 for the pseudo-colour image, 1 for greyscale. */
  depth: number;
  objects: readonly VocObject[];
}

export interface VocParsedObject {
  name: string;
  /** Converted back to [x, y, w, h]. */
  bbox: BBox;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  truncated: boolean;
  difficult: boolean;
}

export interface VocParsed {
  folder: string;
  filename: string;
  width: number;
  height: number;
  depth: number;
  segmented: number;
  objects: VocParsedObject[];
}

function fail(message: string): never {
  throw new ExorayError('E_LABEL', `labels/voc: ${message}`);
}

// Characters XML 1.0 cannot carry at all, escaped or not.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const STANDARD_CHILDREN = new Set(['name', 'pose', 'truncated', 'difficult', 'bndbox']);

export function escapeXml(text: string): string {
  if (INVALID_XML.test(text)) fail(`${JSON.stringify(text)} contains a control character that XML cannot hold.`);
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function positiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v <= 0) fail(`${what} ${v} must be a positive integer.`);
  return v;
}

/** VOC XML for one image; throws E_LABEL for boxes outside the image or names XML cannot hold. */
export function vocXml(image: VocImage): string {
  const width = positiveInt(image.width, 'image width');
  const height = positiveInt(image.height, 'image height');
  const depth = positiveInt(image.depth, 'image depth');
  if (image.filename === '') fail('filename must not be empty.');
  const out = [
    '<annotation>',
    `\t<folder>${escapeXml(image.folder)}</folder>`,
    `\t<filename>${escapeXml(image.filename)}</filename>`,
    '\t<size>',
    `\t\t<width>${width}</width>`,
    `\t\t<height>${height}</height>`,
    `\t\t<depth>${depth}</depth>`,
    '\t</size>',
    '\t<segmented>0</segmented>',
  ];
  image.objects.forEach((o, i) => {
    const where = `object ${i} ("${o.name}") in ${image.filename}`;
    if (o.name.trim() === '') fail(`object ${i} in ${image.filename} has an empty name.`);
    const [x, y, w, h] = o.bbox;
    if (![x, y, w, h].every(Number.isInteger) || w < 1 || h < 1 || x < 0 || y < 0 || x + w > width || y + h > height) {
      fail(`${where}: bbox ${JSON.stringify(o.bbox)} must be whole pixels [x, y, w, h] with w, h >= 1 inside the ${width}x${height} image.`);
    }
    out.push(
      '\t<object>',
      `\t\t<name>${escapeXml(o.name)}</name>`,
      '\t\t<pose>Unspecified</pose>',
      `\t\t<truncated>${o.truncated ? 1 : 0}</truncated>`,
      `\t\t<difficult>${o.difficult ? 1 : 0}</difficult>`,
      '\t\t<bndbox>',
      `\t\t\t<xmin>${x + 1}</xmin>`,
      `\t\t\t<ymin>${y + 1}</ymin>`,
      `\t\t\t<xmax>${x + w}</xmax>`,
      `\t\t\t<ymax>${y + h}</ymax>`,
      '\t\t</bndbox>',
    );
    for (const key of Object.keys(o.extra ?? {}).sort()) {
      const value = o.extra![key];
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key) || /^xml/i.test(key) || STANDARD_CHILDREN.has(key)) {
        fail(`${where}: extra field "${key}" is not a usable XML element name (letters, digits, _ . -; not a standard VOC field).`);
      }
      if (typeof value === 'number' && !Number.isFinite(value)) fail(`${where}: extra field "${key}" is ${value}; write finite numbers only.`);
      out.push(`\t\t<${key}>${escapeXml(String(value))}</${key}>`);
    }
    out.push('\t</object>');
  });
  out.push('</annotation>');
  return `${out.join('\n')}\n`;
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e]!;
  });
}

function textOf(xml: string, tag: string, where: string): string {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!m) fail(`${where} has no <${tag}>.`);
  return unescapeXml(m[1].trim());
}

function numberOf(xml: string, tag: string, where: string): number {
  const text = textOf(xml, tag, where);
  const v = Number(text);
  if (text === '' || !Number.isFinite(v)) fail(`${where}: <${tag}> is ${JSON.stringify(text)}, not a number.`);
  return v;
}

/**
 * Reads back what vocXml writes (and ordinary VOC files): image size and the
 * objects' boxes. Not a general XML parser: no CDATA, no comments inside elements.
 */
export function parseVocBoxes(xml: string): VocParsed {
  const root = /<annotation(?:\s[^>]*)?>([\s\S]*)<\/annotation>/.exec(xml);
  if (!root) fail('no <annotation> element; this is not a VOC annotation file.');
  const body = root[1].replace(/<!--[\s\S]*?-->/g, '');
  const head = body.replace(/<object>[\s\S]*?<\/object>/g, '');
  const size = /<size>([\s\S]*?)<\/size>/.exec(head)?.[1] ?? fail('no <size> element.');
  const objects: VocParsedObject[] = [];
  for (const m of body.matchAll(/<object>([\s\S]*?)<\/object>/g)) {
    const where = `object ${objects.length}`;
    // Person-layout <part>s carry their own name and box; the object's are outside them.
    const obj = m[1].replace(/<part>[\s\S]*?<\/part>/g, '');
    const box = /<bndbox>([\s\S]*?)<\/bndbox>/.exec(obj)?.[1] ?? fail(`${where} has no <bndbox>.`);
    const [xmin, ymin, xmax, ymax] = (['xmin', 'ymin', 'xmax', 'ymax'] as const).map((t) => numberOf(box, t, where));
    const flag = (tag: string) => new RegExp(`<${tag}>`).test(obj) && numberOf(obj, tag, where) !== 0;
    objects.push({
      name: textOf(obj, 'name', where),
      bbox: [xmin - 1, ymin - 1, xmax - xmin + 1, ymax - ymin + 1],
      xmin,
      ymin,
      xmax,
      ymax,
      truncated: flag('truncated'),
      difficult: flag('difficult'),
    });
  }
  return {
    folder: /<folder>/.test(head) ? textOf(head, 'folder', 'annotation') : '',
    filename: textOf(head, 'filename', 'annotation'),
    width: numberOf(size, 'width', 'size'),
    height: numberOf(size, 'height', 'size'),
    depth: /<depth>/.test(size) ? numberOf(size, 'depth', 'size') : 0,
    segmented: /<segmented>/.test(head) ? numberOf(head, 'segmented', 'annotation') : 0,
    objects,
  };
}
