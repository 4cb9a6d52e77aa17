/**
 * Chemical formulas -> element mass fractions, for the mixture rule.
 *
 * Supported: element symbols with optional (decimal) counts ("C8H13NO5",
 * "LiCoO2", "Fe0.7Cr0.2"), parenthesised groups with a count ("Ca3(PO4)2"),
 * and adducts joined by '·' or '*' with an optional leading count
 * ("CuSO4·5H2O"; '.' is not a separator because it is the decimal point). Polymers are written as their repeat unit ("C2H4").
 * Atomic weights are passed in so this module stays pure; exoray derives them
 * from NIST's Z/A (see nist.ts).
 */
import { ExorayError } from '../core/errors.js';

/** Element symbol -> atom count. */
export type AtomCounts = Map<string, number>;

/** Parse a formula into atom counts. Throws E_MATERIAL naming the formula and the position of the problem. */
export function parseFormula(formula: string): AtomCounts {
  const text = formula.replace(/\s+/g, '');
  if (text === '') throw formulaError(formula, 'is empty');
  const total: AtomCounts = new Map();
  for (const part of text.split(/[·*]/)) {
    if (part === '') throw formulaError(formula, 'has an empty part around a "·" or "*"');
    const lead = /^(\d+(?:\.\d+)?)/.exec(part);
    const mult = lead ? Number(lead[1]) : 1;
    const body = lead ? part.slice(lead[1]!.length) : part;
    const parser = new Parser(body, formula);
    const counts = parser.group();
    if (parser.pos !== body.length) throw formulaError(formula, `has an unexpected "${body[parser.pos]}"`);
    for (const [el, n] of counts) total.set(el, (total.get(el) ?? 0) + n * mult);
  }
  return total;
}

class Parser {
  pos = 0;
  constructor(
    private readonly s: string,
    private readonly formula: string,
  ) {}

  group(): AtomCounts {
    const counts: AtomCounts = new Map();
    const add = (el: string, n: number) => counts.set(el, (counts.get(el) ?? 0) + n);
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos]!;
      if (ch === '(' || ch === '[') {
        this.pos++;
        const inner = this.group();
        const close = ch === '(' ? ')' : ']';
        if (this.s[this.pos] !== close) throw formulaError(this.formula, `has an unclosed "${ch}"`);
        this.pos++;
        const n = this.count();
        for (const [el, k] of inner) add(el, k * n);
      } else if (ch === ')' || ch === ']') {
        if (counts.size === 0) throw formulaError(this.formula, 'has an empty group "()"');
        return counts;
      } else if (/[A-Z]/.test(ch)) {
        let sym = ch;
        this.pos++;
        while (this.pos < this.s.length && /[a-z]/.test(this.s[this.pos]!)) sym += this.s[this.pos++];
        add(sym, this.count());
      } else {
        throw formulaError(this.formula, `has an unexpected "${ch}" at position ${this.pos + 1}`);
      }
    }
    return counts;
  }

  private count(): number {
    const m = /^\d+(?:\.\d+)?/.exec(this.s.slice(this.pos));
    if (!m) return 1;
    this.pos += m[0].length;
    const n = Number(m[0]);
    if (!(n > 0)) throw formulaError(this.formula, `has a zero count "${m[0]}"`);
    return n;
  }
}

/**
 * Element mass fractions (summing to 1) of a formula. `atomicWeight` returns
 * g/mol for a symbol, or undefined for an unknown symbol (which is an error).
 */
export function formulaMassFractions(
  formula: string,
  atomicWeight: (symbol: string) => number | undefined,
): Map<string, number> {
  const counts = parseFormula(formula);
  const mass = new Map<string, number>();
  let total = 0;
  for (const [el, n] of counts) {
    const a = atomicWeight(el);
    if (a === undefined) throw formulaError(formula, `contains "${el}", which is not a known element symbol`);
    mass.set(el, n * a);
    total += n * a;
  }
  for (const [el, m] of mass) mass.set(el, m / total);
  return mass;
}

/** Molar mass, g/mol. */
export function molarMass(formula: string, atomicWeight: (symbol: string) => number | undefined): number {
  let total = 0;
  for (const [el, n] of parseFormula(formula)) {
    const a = atomicWeight(el);
    if (a === undefined) throw formulaError(formula, `contains "${el}", which is not a known element symbol`);
    total += n * a;
  }
  return total;
}

function formulaError(formula: string, problem: string): ExorayError {
  return new ExorayError('E_MATERIAL', `chemical formula "${formula}" ${problem}`);
}
