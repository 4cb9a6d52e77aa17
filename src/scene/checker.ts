/**
 * Field-by-field validation of parsed YAML, with errors that name the file, the line
 * (when the text is known) and the field.
 */
import { ExorayError } from '../core/errors.js';

export type Range = [number, number];

export class Checker {
  constructor(
    private readonly file: string,
    private readonly what = 'preset',
    /** Line of a field in the file's text, when the document was read from text. */
    private readonly lineOf: (field: string) => number | undefined = () => undefined,
  ) {}

  /** "file:line" (or just the file when the line is unknown), for messages about `field`. */
  where(field: string): string {
    const line = this.lineOf(field);
    return line === undefined ? this.file : `${this.file}:${line}`;
  }

  fail(field: string, message: string): never {
    throw new ExorayError('E_PRESET', `${this.what} ${this.where(field)}: field "${field}" ${message}`);
  }

  object(v: unknown, field: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, `must be a mapping, got ${JSON.stringify(v)}`);
    return v as Record<string, unknown>;
  }

  number(v: unknown, field: string, min = -Infinity, max = Infinity): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `must be a number, got ${JSON.stringify(v)}`);
    if (v < min || v > max) this.fail(field, `must be between ${min} and ${max}, got ${v}`);
    return v;
  }

  int(v: unknown, field: string, min: number, max: number): number {
    const n = this.number(v, field, min, max);
    if (!Number.isInteger(n)) this.fail(field, `must be a whole number, got ${n}`);
    return n;
  }

  string(v: unknown, field: string): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(field, `must be a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  }

  range(v: unknown, field: string, min: number, max: number, integer = false): Range {
    if (!Array.isArray(v) || v.length !== 2) this.fail(field, `must be a [min, max] pair, got ${JSON.stringify(v)}`);
    const a = integer ? this.int(v[0], `${field}[0]`, min, max) : this.number(v[0], `${field}[0]`, min, max);
    const b = integer ? this.int(v[1], `${field}[1]`, min, max) : this.number(v[1], `${field}[1]`, min, max);
    if (a > b) this.fail(field, `has min ${a} above max ${b}`);
    return [a, b];
  }

  /** Rejects keys outside `allowed`, so a misspelt option is an error rather than silently ignored. */
  knownKeys(obj: Record<string, unknown>, field: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      const at = field === '(root)' ? key : `${field}.${key}`;
      if (!allowed.includes(key)) this.fail(at, `is not a known field here; known: ${allowed.join(', ')}`);
    }
  }

  oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
    if (!allowed.includes(v as T)) this.fail(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  }
}

