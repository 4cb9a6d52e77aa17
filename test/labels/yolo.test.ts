import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { maskBBox } from '../../src/labels/mask.js';
import { largestRing, maskToPolygons } from '../../src/labels/polygon.js';
import { yoloDataYaml, yoloDetectionLines, yoloSegmentationLines } from '../../src/labels/yolo.js';
import { maskFromRows } from './helpers.js';

const label = expect.objectContaining({ code: 'E_LABEL' });

/** Parses label text back into numbers, checking the shape every line must have. */
function parseLines(text: string): number[][] {
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((line) => {
      const [cls, ...coords] = line.split(' ');
      expect(cls).toMatch(/^\d+$/);
      for (const c of coords) {
        expect(c).toMatch(/^[01]\.\d{6}$/);
        expect(Number(c)).toBeGreaterThanOrEqual(0);
        expect(Number(c)).toBeLessThanOrEqual(1);
      }
      return [Number(cls), ...coords.map(Number)];
    });
}

describe('yoloDetectionLines', () => {
  it('writes "class cx cy w h" normalised by the image size, 6 decimals, one line per object', () => {
    const text = yoloDetectionLines(
      [
        { classIndex: 0, bbox: [10, 20, 30, 40] },
        { classIndex: 2, bbox: [0, 0, 200, 100] },
      ],
      200,
      100,
    );
    expect(text).toBe('0 0.125000 0.400000 0.150000 0.400000\n2 0.500000 0.500000 1.000000 1.000000\n');
    expect(parseLines(text)).toHaveLength(2);
  });

  it('is empty for an image without objects', () => {
    expect(yoloDetectionLines([], 64, 64)).toBe('');
  });

  it('round-trips a mask box to pixels within rounding', () => {
    const W = 37;
    const H = 23;
    const { mask } = maskFromRows(Array.from({ length: H }, (_, y) => Array.from({ length: W }, (_, x) => (x > 4 && x < 31 && y > 2 && y < 19 ? '1' : '0')).join('')));
    const box = maskBBox(mask, W, H)!;
    const [[, cx, cy, w, h]] = parseLines(yoloDetectionLines([{ classIndex: 1, bbox: box }], W, H));
    expect((cx - w / 2) * W).toBeCloseTo(box[0], 4);
    expect((cy - h / 2) * H).toBeCloseTo(box[1], 4);
    expect(w * W).toBeCloseTo(box[2], 4);
    expect(h * H).toBeCloseTo(box[3], 4);
  });

  it('clamps a box that reaches past the border to the image', () => {
    expect(yoloDetectionLines([{ classIndex: 0, bbox: [-10, 90, 40, 20] }], 100, 100)).toBe('0 0.150000 0.950000 0.300000 0.100000\n');
  });

  it('rejects boxes with nothing inside the image, bad numbers, and bad classes', () => {
    expect(() => yoloDetectionLines([{ classIndex: 0, bbox: [120, 10, 5, 5] }], 100, 100)).toThrow(label);
    expect(() => yoloDetectionLines([{ classIndex: 0, bbox: [10, 10, 0, 5] }], 100, 100)).toThrow(label);
    expect(() => yoloDetectionLines([{ classIndex: 0, bbox: [10, 10, -5, 5] }], 100, 100)).toThrow(/w, h >= 0/);
    expect(() => yoloDetectionLines([{ classIndex: 0, bbox: [10, NaN, 5, 5] }], 100, 100)).toThrow(label);
    expect(() => yoloDetectionLines([{ classIndex: -1, bbox: [10, 10, 5, 5] }], 100, 100)).toThrow(/class -1/);
    expect(() => yoloDetectionLines([{ classIndex: 1.5, bbox: [10, 10, 5, 5] }], 100, 100)).toThrow(label);
    expect(() => yoloDetectionLines([{ classIndex: 3, bbox: [10, 10, 5, 5] }], 100, 100, 3)).toThrow(/class 3 is out of range.*3 classes/);
    expect(yoloDetectionLines([{ classIndex: 2, bbox: [10, 10, 5, 5] }], 100, 100, 3)).toMatch(/^2 /);
    expect(() => yoloDetectionLines([], 0, 100)).toThrow(label);
  });
});

describe('yoloSegmentationLines', () => {
  it('writes "class x1 y1 x2 y2 ..." normalised', () => {
    const text = yoloSegmentationLines([{ classIndex: 1, polygon: [[2, 1], [6, 1], [6, 4], [2, 4]] }], 8, 5);
    expect(text).toBe('1 0.250000 0.200000 0.750000 0.200000 0.750000 0.800000 0.250000 0.800000\n');
  });

  it('writes the largest outline of a mask with every point inside [0, 1]', () => {
    const { mask, width, height } = maskFromRows(['1100000000', '1100111110', '0000111110', '0000111110', '0000000000']);
    const ring = largestRing(maskToPolygons(mask, width, height))!;
    const [line] = parseLines(yoloSegmentationLines([{ classIndex: 0, polygon: ring }], width, height));
    expect(line.slice(1)).toEqual([0.4, 0.2, 0.9, 0.2, 0.9, 0.8, 0.4, 0.8]);
  });

  it('clamps points past the border and rejects polygons that are too short, flat or out of range', () => {
    expect(yoloSegmentationLines([{ classIndex: 0, polygon: [[-1, 0], [11, 0], [5, 12]] }], 10, 10)).toBe('0 0.000000 0.000000 1.000000 0.000000 0.500000 1.000000\n');
    expect(() => yoloSegmentationLines([{ classIndex: 0, polygon: [[0, 0], [1, 1]] }], 10, 10)).toThrow(/at least 3 points/);
    expect(() => yoloSegmentationLines([{ classIndex: 0, polygon: [[0, 0], [1, 1], [2, 2]] }], 10, 10)).toThrow(/no area/);
    expect(() => yoloSegmentationLines([{ classIndex: 0, polygon: [[0, 0], [1, Infinity], [2, 0]] }], 10, 10)).toThrow(label);
    expect(() => yoloSegmentationLines([{ classIndex: 5, polygon: [[0, 0], [4, 0], [0, 4]] }], 10, 10, 5)).toThrow(/out of range/);
  });
});

describe('yoloDataYaml', () => {
  it('writes the Ultralytics layout with names as an id mapping', () => {
    const text = yoloDataYaml({ path: '/data/exoray', train: 'images/train', val: 'images/val', test: 'images/test', names: ['stag-beetle', 'ball-python'] });
    expect(text).toBe(
      ['path: /data/exoray', 'train: images/train', 'val: images/val', 'test: images/test', 'names:', '  0: stag-beetle', '  1: ball-python', ''].join('\n'),
    );
    expect(yaml.load(text)).toEqual({
      path: '/data/exoray',
      train: 'images/train',
      val: 'images/val',
      test: 'images/test',
      names: { 0: 'stag-beetle', 1: 'ball-python' },
    });
  });

  it('quotes names a YAML reader would otherwise change, and omits a missing test split', () => {
    const names = ['yes', '1e3', 'null', 'a: b', '#tag', ' padded', "it's", 'x"y', 'Lucanidae (stag)'];
    const text = yoloDataYaml({ path: 'C:\\data\\x y', train: 'train.txt', val: 'val.txt', names });
    const data = yaml.load(text) as Record<string, unknown>;
    expect(data).toEqual({ path: 'C:\\data\\x y', train: 'train.txt', val: 'val.txt', names: Object.fromEntries(names.map((n, i) => [i, n])) });
    // PyYAML (YAML 1.1, what Ultralytics reads with) turns a plain yes into True.
    expect(text).toContain('  0: "yes"\n');
    expect(text).toContain('  8: Lucanidae (stag)\n');
    expect(text).not.toContain('test:');
  });

  it('rejects no names, empty names and duplicates', () => {
    const base = { path: '.', train: 'a', val: 'b' };
    expect(() => yoloDataYaml({ ...base, names: [] })).toThrow(label);
    expect(() => yoloDataYaml({ ...base, names: ['a', ''] })).toThrow(/class 1 has an empty name/);
    expect(() => yoloDataYaml({ ...base, names: ['a', 'b', 'a'] })).toThrow(/classes 0 and 2 are both named "a"/);
    expect(() => yoloDataYaml({ ...base, train: '', names: ['a'] })).toThrow(/"train"/);
  });
});
