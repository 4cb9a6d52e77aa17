/**
 * Resolving material compositions into weighted NIST tables, and the mixture
 * rule mu/rho = sum_i w_i (mu/rho)_i. Pure: works from parsed tables.
 *
 * A material reduces to "terms": element tables and NIST compound tables with
 * mass fractions summing to 1. NIST compound tables are kept whole (their
 * elemental makeup is not in the data), so a material that uses one has no
 * element fractions; everything else also reports element mass fractions
 * (useful for effective-Z estimates).
 */
import { ExorayError } from '../core/errors.js';
import { formulaMassFractions } from './formula.js';
import { interpolateTable, type NistColumn } from './interpolate.js';
import type { MaterialDef } from './material-schema.js';
import type { ElementInfo, NistTable } from './nist.js';

/** The parts of NistData the pure material code needs. */
export interface AttenuationTables {
  elementsBySymbol: Map<string, NistTable>;
  compounds: Map<string, NistTable>;
  elementInfo: Map<string, ElementInfo>;
}

export interface AttenuationTerm {
  kind: 'element' | 'compound';
  /** Element symbol or NIST compound key. */
  key: string;
  /** Mass fraction of this term in the material. */
  fraction: number;
}

export interface Material extends MaterialDef {
  /** Weighted tables, sorted by kind then key, fractions summing to 1. */
  terms: AttenuationTerm[];
  /** Element symbol -> mass fraction, or null when a NIST compound table is part of the material. */
  elementFractions: Map<string, number> | null;
}

/**
 * Resolve every definition. Throws E_MATERIAL (naming the file and field) for
 * unknown elements, unknown NIST compounds, unknown mixture components, duplicate
 * ids and mixture cycles.
 */
export function resolveMaterials(defs: MaterialDef[], tables: AttenuationTables): Map<string, Material> {
  const byId = new Map<string, MaterialDef>();
  for (const d of defs) {
    const prev = byId.get(d.id);
    if (prev) throw new ExorayError('E_MATERIAL', `${d.source}: field "id": "${d.id}" is already defined by ${prev.source}`);
    byId.set(d.id, d);
  }
  const done = new Map<string, Map<string, number>>();
  const visiting: string[] = [];
  const weight = (sym: string) => (tables.elementsBySymbol.has(sym) ? tables.elementInfo.get(sym)?.atomicWeight : undefined);

  // Terms are keyed "element:Fe" / "compound:water" so the two kinds never collide.
  const termsOf = (id: string): Map<string, number> => {
    const cached = done.get(id);
    if (cached) return cached;
    const def = byId.get(id)!;
    if (visiting.includes(id)) {
      const cycle = [...visiting.slice(visiting.indexOf(id)), id].join(' -> ');
      throw new ExorayError('E_MATERIAL', `${def.source}: field "composition.mixture": mixture cycle ${cycle}`);
    }
    visiting.push(id);
    const out = new Map<string, number>();
    const add = (key: string, w: number) => out.set(key, (out.get(key) ?? 0) + w);
    const c = def.composition;
    const fail = (field: string, problem: string): never => {
      throw new ExorayError('E_MATERIAL', `${def.source}: field "${field}" ${problem}`);
    };
    const addFormula = (formula: string, w: number, field: string) => {
      let fractions: Map<string, number>;
      try {
        fractions = formulaMassFractions(formula, weight);
      } catch (e) {
        return fail(field, (e as Error).message);
      }
      for (const [el, f] of fractions) add(`element:${el}`, w * f);
    };
    if ('formula' in c) addFormula(c.formula, 1, 'composition.formula');
    else if ('formulaMassFractions' in c) {
      for (const [f, w] of Object.entries(c.formulaMassFractions)) addFormula(f, w, `composition.formulaMassFractions.${f}`);
    } else if ('massFractions' in c) {
      for (const [el, w] of Object.entries(c.massFractions)) {
        if (weight(el) === undefined) fail(`composition.massFractions.${el}`, `"${el}" is not an element symbol with a NIST table (use e.g. "H", "Fe")`);
        add(`element:${el}`, w);
      }
    } else if ('nist' in c) {
      if (!tables.compounds.has(c.nist)) {
        fail('composition.nist', `"${c.nist}" is not a NIST compound table; known: ${[...tables.compounds.keys()].join(', ')}`);
      }
      add(`compound:${c.nist}`, 1);
    } else {
      for (const [other, w] of Object.entries(c.mixture)) {
        if (!byId.has(other)) fail(`composition.mixture.${other}`, `"${other}" is not a known material id (add assets/materials/${other}.json)`);
        for (const [key, f] of termsOf(other)) add(key, w * f);
      }
    }
    visiting.pop();
    done.set(id, out);
    return out;
  };

  const result = new Map<string, Material>();
  for (const def of defs) {
    const raw = termsOf(def.id);
    const terms: AttenuationTerm[] = [...raw]
      .map(([k, fraction]) => {
        const [kind, key] = k.split(':') as ['element' | 'compound', string];
        return { kind, key, fraction };
      })
      .sort((a, b) => (a.kind === b.kind ? a.key.localeCompare(b.key) : a.kind === 'element' ? -1 : 1));
    const elementFractions = terms.every((t) => t.kind === 'element')
      ? new Map(terms.map((t) => [t.key, t.fraction]))
      : null;
    result.set(def.id, { ...def, terms, elementFractions });
  }
  return result;
}

/** Mixture rule: sum_i w_i (mu/rho)_i at one energy, cm^2/g. */
export function mixtureMassAttenuation(
  terms: readonly AttenuationTerm[],
  tables: Pick<AttenuationTables, 'elementsBySymbol' | 'compounds'>,
  keV: number,
  column: NistColumn = 'muRho',
): number {
  let sum = 0;
  for (const t of terms) {
    const table = t.kind === 'element' ? tables.elementsBySymbol.get(t.key) : tables.compounds.get(t.key);
    if (!table) throw new ExorayError('E_NIST_DATA', `no NIST ${t.kind} table for "${t.key}"`);
    sum += t.fraction * interpolateTable(table, keV, column);
  }
  return sum;
}

/** Element mass fractions of one formula, using NIST atomic weights (A = Z / (Z/A)). */
export function formulaElementFractions(formula: string, tables: Pick<AttenuationTables, 'elementInfo'>): Map<string, number> {
  return formulaMassFractions(formula, (s) => tables.elementInfo.get(s)?.atomicWeight);
}
