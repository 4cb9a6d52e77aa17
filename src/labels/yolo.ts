/**
 * YOLO label text (Ultralytics layout): one .txt per image, one line per object,
 * class ids from 0, coordinates normalised by the image size to [0, 1] with 6
 * decimals; and the data.yaml that names the classes. Pure: the caller writes.
 *
 * Detection:    "class cx cy w h"
 * Segmentation: "class x1 y1 x2 y2 ..." (one ring per object, no holes)
 *
 * Coordinates past the image border are clamped to it, since Ultralytics drops
 * labels with values outside [0, 1]; an object left with no area is an error,
 * because a label for nothing teaches the detector to see nothing.
 */
import { ExorayError } from '../core/errors.js';
import type { BBox } from './mask.js';
import { signedArea } from './polygon.js';

export interface YoloBoxInstance {
  /** 0-based class id. */
  classIndex: number;
  /** [x, y, w, h] in pixels from the top-left. */
  bbox: BBox;
}

export interface YoloPolygonInstance {
  classIndex: number;
  /** One ring of [x, y] pixel-corner points (the largest component's outline), at least 3 points. */
  polygon: number[][];
}

export interface YoloDataYamlInput {
  /**
   * Dataset root; train/val/test are relative to it. Omit it to mean the folder of
   * data.yaml itself: Ultralytics resolves a relative `path` against its own
   * datasets folder, but a missing one against the file's folder.
   */
  path?: string;
  train: string;
  val: string;
  /** Omitted from the file when undefined. */
  test?: string;
  /** Class names by id, from 0. */
  names: readonly string[];
}

function fail(message: string): never {
  throw new ExorayError('E_LABEL', `labels/yolo: ${message}`);
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
const num = (v: number) => v.toFixed(6);

function checkImage(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    fail(`image size ${width}x${height} must be positive integers.`);
  }
}

function checkClass(classIndex: number, i: number, classCount: number | undefined): void {
  if (!Number.isInteger(classIndex) || classIndex < 0) fail(`object ${i}: class ${classIndex} must be an integer >= 0 (YOLO class ids start at 0).`);
  if (classCount !== undefined && classIndex >= classCount) {
    fail(`object ${i}: class ${classIndex} is out of range; data.yaml names ${classCount} classes (0 to ${classCount - 1}).`);
  }
}

function lines(parts: string[]): string {
  return parts.length === 0 ? '' : `${parts.join('\n')}\n`;
}

/** Detection label file text; `classCount`, when given, bounds the class ids. Empty string for no objects. */
export function yoloDetectionLines(instances: readonly YoloBoxInstance[], width: number, height: number, classCount?: number): string {
  checkImage(width, height);
  return lines(
    instances.map((inst, i) => {
      checkClass(inst.classIndex, i, classCount);
      const b = inst.bbox;
      if (!Array.isArray(b) || b.length !== 4 || !b.every(Number.isFinite) || b[2] < 0 || b[3] < 0) {
        fail(`object ${i}: bbox ${JSON.stringify(b)} must be [x, y, w, h] with finite numbers and w, h >= 0.`);
      }
      const x0 = clamp01(b[0] / width);
      const y0 = clamp01(b[1] / height);
      const x1 = clamp01((b[0] + b[2]) / width);
      const y1 = clamp01((b[1] + b[3]) / height);
      if (x1 <= x0 || y1 <= y0) fail(`object ${i}: bbox ${JSON.stringify(b)} has no area inside the ${width}x${height} image.`);
      return [inst.classIndex, num((x0 + x1) / 2), num((y0 + y1) / 2), num(x1 - x0), num(y1 - y0)].join(' ');
    }),
  );
}

/** Segmentation label file text; `classCount`, when given, bounds the class ids. */
export function yoloSegmentationLines(instances: readonly YoloPolygonInstance[], width: number, height: number, classCount?: number): string {
  checkImage(width, height);
  return lines(
    instances.map((inst, i) => {
      checkClass(inst.classIndex, i, classCount);
      const poly = inst.polygon;
      if (!Array.isArray(poly) || poly.length < 3) fail(`object ${i}: a polygon needs at least 3 points, got ${Array.isArray(poly) ? poly.length : typeof poly}.`);
      const points = poly.map((p, k) => {
        if (!Array.isArray(p) || p.length !== 2 || !p.every(Number.isFinite)) fail(`object ${i}: point ${k} ${JSON.stringify(p)} must be [x, y] with finite numbers.`);
        return [clamp01(p[0] / width), clamp01(p[1] / height)];
      });
      if (signedArea(points) === 0) fail(`object ${i}: the polygon has no area inside the ${width}x${height} image.`);
      return [String(inst.classIndex), ...points.flatMap(([x, y]) => [num(x), num(y)])].join(' ');
    }),
  );
}

// Plain YAML scalars that a YAML reader would turn into something other than this string.
const YAML_SPECIAL = /^(?:~|null|true|false|yes|no|on|off|y|n|[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|[-+]?\.(?:inf|nan)|0x[0-9a-f]+|0o[0-7]+)$/i;

/** A YAML scalar: plain when that reads back as the same string, else double-quoted (JSON strings are valid YAML). */
function yamlString(s: string): string {
  return /^[A-Za-z0-9_./][A-Za-z0-9 _./()+-]*$/.test(s) && !/ $/.test(s) && !YAML_SPECIAL.test(s) ? s : JSON.stringify(s);
}

/** The Ultralytics data.yaml: dataset root, split folders (or list files), and `names` as an id mapping. */
export function yoloDataYaml(input: YoloDataYamlInput): string {
  const { names } = input;
  if (names.length === 0) fail('data.yaml needs at least one class name.');
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (typeof name !== 'string' || name.trim() === '') fail(`class ${i} has an empty name.`);
    const first = seen.get(name);
    if (first !== undefined) fail(`classes ${first} and ${i} are both named "${name}"; class names must be unique.`);
    seen.set(name, i);
  });
  for (const key of ['path', 'train', 'val', 'test'] as const) {
    if ((key === 'test' || key === 'path') && input[key] === undefined) continue;
    if (typeof input[key] !== 'string' || input[key] === '') fail(`data.yaml "${key}" must be a non-empty string.`);
  }
  const out = [...(input.path === undefined ? [] : [`path: ${yamlString(input.path)}`]), `train: ${yamlString(input.train)}`, `val: ${yamlString(input.val)}`];
  if (input.test !== undefined) out.push(`test: ${yamlString(input.test)}`);
  out.push('names:', ...names.map((name, i) => `  ${i}: ${yamlString(name)}`));
  return `${out.join('\n')}\n`;
}
