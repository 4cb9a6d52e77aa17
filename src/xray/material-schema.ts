/**
 * The material file format (`assets/materials/<id>.json`) and its validation.
 * Pure: takes parsed JSON, returns a typed definition or throws E_MATERIAL
 * naming the file and the field, so a user editing a file can fix it.
 *
 * Checks that need the NIST data (element symbols, compound names) or the
 * other materials (mixture components, cycles) live in composition.ts.
 */
import { ExorayError } from '../core/errors.js';

export type MaterialClass = 'organic' | 'inorganic' | 'metal';
export const MATERIAL_CLASSES: readonly MaterialClass[] = ['organic', 'inorganic', 'metal'];

/**
 * How a material is made up. Exactly one form per file:
 * - `formula`: one chemical formula ("C8H13NO5").
 * - `massFractions`: element symbol -> mass fraction.
 * - `formulaMassFractions`: chemical formula -> mass fraction (oxide glasses, polymer blends).
 * - `nist`: a NIST compound table by file name (`compounds/<name>.csv`), used as is.
 * - `mixture`: other material id -> mass fraction.
 * All fraction maps must sum to 1 within FRACTION_TOLERANCE; they are then renormalised to exactly 1.
 */
export type Composition =
  | { formula: string }
  | { massFractions: Record<string, number> }
  | { formulaMassFractions: Record<string, number> }
  | { nist: string }
  | { mixture: Record<string, number> };

export interface MaterialDef {
  id: string;
  name: string;
  /** Bulk density as modelled, g/cm^3 (a box wall of corrugated board, not cellulose fibre). */
  density: number;
  densitySource: string;
  composition: Composition;
  class: MaterialClass;
  notes: string;
  /** File the definition came from (or a caller-supplied name), for error messages. */
  source: string;
}

export const FRACTION_TOLERANCE = 1e-3;
const ID_PATTERN = /^[a-z0-9][a-z0-9_]*$/;
const TOP_LEVEL = new Set(['id', 'name', 'density', 'densitySource', 'composition', 'class', 'notes']);
const COMPOSITION_KINDS = ['formula', 'massFractions', 'formulaMassFractions', 'nist', 'mixture'] as const;

/**
 * Validate one parsed material file. `expectedId` (the file's base name) must
 * equal the `id` field, so that `assets/materials/<id>.json` is the only place a
 * material can come from.
 */
export function parseMaterialDef(json: unknown, source: string, expectedId?: string): MaterialDef {
  const fail = (field: string, problem: string): never => {
    throw new ExorayError('E_MATERIAL', `${source}: field "${field}" ${problem}`);
  };
  if (!isRecord(json)) throw new ExorayError('E_MATERIAL', `${source}: must be a JSON object`);
  for (const key of Object.keys(json)) {
    if (!TOP_LEVEL.has(key)) fail(key, `is not a material field (allowed: ${[...TOP_LEVEL].join(', ')})`);
  }
  const id = json['id'];
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) fail('id', 'must be a string of lower-case letters, digits and "_"');
  if (expectedId !== undefined && id !== expectedId) fail('id', `is "${String(id)}" but the file is named ${expectedId}.json; they must match`);
  const name = json['name'];
  if (typeof name !== 'string' || name.trim() === '') fail('name', 'must be a non-empty string');
  const density = json['density'];
  if (typeof density !== 'number' || !Number.isFinite(density) || density <= 0) {
    fail('density', `must be a positive number in g/cm^3, got ${JSON.stringify(density)}`);
  }
  const densitySource = json['densitySource'];
  if (typeof densitySource !== 'string' || densitySource.trim() === '') fail('densitySource', 'must say where the density comes from');
  const cls = json['class'];
  if (typeof cls !== 'string' || !(MATERIAL_CLASSES as readonly string[]).includes(cls)) {
    fail('class', `must be one of ${MATERIAL_CLASSES.join(', ')}, got ${JSON.stringify(cls)}`);
  }
  const notes = json['notes'] ?? '';
  if (typeof notes !== 'string') fail('notes', 'must be a string');
  return {
    id: id as string,
    name: name as string,
    density: density as number,
    densitySource: densitySource as string,
    composition: parseComposition(json['composition'], fail),
    class: cls as MaterialClass,
    notes: notes as string,
    source,
  };
}

function parseComposition(value: unknown, fail: (field: string, problem: string) => never): Composition {
  if (!isRecord(value)) return fail('composition', `must be an object with one of ${COMPOSITION_KINDS.join(', ')}`);
  const keys = Object.keys(value);
  if (keys.length !== 1 || !(COMPOSITION_KINDS as readonly string[]).includes(keys[0]!)) {
    return fail('composition', `must have exactly one of ${COMPOSITION_KINDS.join(', ')}; has ${keys.length ? keys.join(', ') : 'none'}`);
  }
  const kind = keys[0] as (typeof COMPOSITION_KINDS)[number];
  const field = `composition.${kind}`;
  const v = value[kind];
  switch (kind) {
    case 'formula':
    case 'nist':
      if (typeof v !== 'string' || v.trim() === '') return fail(field, 'must be a non-empty string');
      return kind === 'formula' ? { formula: v } : { nist: v };
    case 'massFractions':
      return { massFractions: parseFractions(v, field, fail) };
    case 'formulaMassFractions':
      return { formulaMassFractions: parseFractions(v, field, fail) };
    case 'mixture':
      return { mixture: parseFractions(v, field, fail) };
  }
}

/** A map of positive fractions summing to 1 within tolerance, renormalised to exactly 1. */
function parseFractions(
  v: unknown,
  field: string,
  fail: (field: string, problem: string) => never,
): Record<string, number> {
  if (!isRecord(v) || Object.keys(v).length === 0) return fail(field, 'must be a non-empty object of name -> mass fraction');
  let sum = 0;
  for (const [k, f] of Object.entries(v)) {
    if (typeof f !== 'number' || !Number.isFinite(f) || f <= 0 || f > 1) {
      fail(`${field}.${k}`, `must be a mass fraction in (0, 1], got ${JSON.stringify(f)}`);
    }
    sum += f as number;
  }
  if (Math.abs(sum - 1) > FRACTION_TOLERANCE) {
    fail(field, `fractions sum to ${+sum.toFixed(6)}; they must sum to 1 within ${FRACTION_TOLERANCE}`);
  }
  const out: Record<string, number> = {};
  for (const [k, f] of Object.entries(v)) out[k] = (f as number) / sum;
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
