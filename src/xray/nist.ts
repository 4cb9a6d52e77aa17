/**
 * NIST SRD 126 mass attenuation tables: a pure parser for one table, and an I/O
 * loader for the whole data directory (element tables, compound tables and the
 * element/compound property lists).
 *
 * Energies are converted to keV on parse: the files are in MeV although their
 * header says "meV", and the rest of exoray works in keV.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExorayError } from '../core/errors.js';

/** One attenuation table. Energies are non-decreasing; an energy repeated marks an absorption edge. */
export interface NistTable {
  /** Photon energy, keV. */
  energyKeV: Float64Array;
  /** Mass attenuation coefficient mu/rho, cm^2/g. */
  muRho: Float64Array;
  /** Mass energy-absorption coefficient mu_en/rho, cm^2/g. */
  muEnRho: Float64Array;
  /** Where the table came from (file name), for error messages. */
  source: string;
}

export interface ElementInfo {
  z: number;
  symbol: string;
  name: string;
  /** Z/A, mol/g. */
  zOverA: number;
  /** Standard atomic weight, g/mol, derived as Z / (Z/A). */
  atomicWeight: number;
  /** Mean excitation energy I, eV. */
  meanExcitationEv: number;
  /** Density of the element in its standard state, g/cm^3. */
  density: number;
}

export interface CompoundInfo {
  /** Key used for the table file (`compounds/<key>.csv`): lower case, spaces as underscores. */
  key: string;
  title: string;
  /** Density as listed in compounds.csv. Some are wrong (cortical bone); material files carry their own. */
  density: number;
}

export interface NistData {
  /** Directory the data was read from. */
  dir: string;
  elementsBySymbol: Map<string, NistTable>;
  elementsByZ: Map<number, NistTable>;
  /** Compound tables keyed by file base name, e.g. "water", "calcium_fluoride". */
  compounds: Map<string, NistTable>;
  /** Element properties by symbol, only for elements that have a table. */
  elementInfo: Map<string, ElementInfo>;
  symbolToZ: Map<string, number>;
  compoundInfo: Map<string, CompoundInfo>;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parse the text of one NIST table (`elements/zNN.csv` or `compounds/NAME.csv`).
 * Lines starting with '#' and blank lines are skipped; one non-numeric header row
 * before the data is tolerated. Every data row must be `energy_MeV,mu_rho,mu_en_rho`
 * with positive values (they are interpolated in log space) and energies must not
 * decrease.
 */
export function parseNistTable(text: string, sourceName: string): NistTable {
  const energy: number[] = [];
  const mu: number[] = [];
  const muEn: number[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let headerSeen = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    const where = `${sourceName} line ${i + 1}`;
    if (!headerSeen && energy.length === 0 && cells.length > 0 && !NUMBER.test(cells[0]!)) {
      headerSeen = true;
      continue;
    }
    if (cells.length < 3) {
      throw nistError(`${where}: expected 3 columns (energy MeV, mu/rho, mu_en/rho), got ${cells.length}: "${line}"`);
    }
    const values = cells.slice(0, 3).map((c) => (NUMBER.test(c) ? Number(c) : NaN));
    const names = ['energy', 'mu/rho', 'mu_en/rho'];
    for (let k = 0; k < 3; k++) {
      if (!Number.isFinite(values[k]!) || values[k]! <= 0) {
        throw nistError(`${where}: ${names[k]} "${cells[k]}" is not a positive number`);
      }
    }
    const eKeV = values[0]! * 1000;
    if (energy.length > 0 && eKeV < energy[energy.length - 1]!) {
      throw nistError(`${where}: energy ${cells[0]} MeV is lower than the previous row; rows must be in increasing energy`);
    }
    energy.push(eKeV);
    mu.push(values[1]!);
    muEn.push(values[2]!);
  }
  if (energy.length < 2) {
    throw nistError(`${sourceName}: needs at least 2 data rows, found ${energy.length}`);
  }
  return {
    energyKeV: Float64Array.from(energy),
    muRho: Float64Array.from(mu),
    muEnRho: Float64Array.from(muEn),
    source: sourceName,
  };
}

/** Split one CSV line, honouring double quotes (compound titles contain commas). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** Parse `elements.csv` (z,symbol,name,zovera,i,density,...). Pure. */
export function parseElementList(text: string, sourceName: string): ElementInfo[] {
  return dataRows(text).slice(1).map(({ cells, lineNo }) => {
    const where = `${sourceName} line ${lineNo}`;
    const [zs, symbol, name, zovera, iev, dens] = cells;
    const z = Number(zs);
    const zOverA = Number(zovera);
    if (!Number.isInteger(z) || z < 1 || !symbol || !(zOverA > 0)) {
      throw nistError(`${where}: expected "z,symbol,name,zovera,i,density", got "${cells.join(',')}"`);
    }
    return {
      z,
      symbol,
      name: name ?? symbol,
      zOverA,
      atomicWeight: z / zOverA,
      meanExcitationEv: Number(iev),
      density: Number(dens),
    };
  });
}

/** Parse `compounds.csv` (symbol,name,density). Pure. */
export function parseCompoundList(text: string, sourceName: string): CompoundInfo[] {
  return dataRows(text).slice(1).map(({ cells, lineNo }) => {
    const [symbol, title, dens] = cells;
    const density = Number(dens);
    if (!symbol || !(density > 0)) {
      throw nistError(`${sourceName} line ${lineNo}: expected "symbol,name,density", got "${cells.join(',')}"`);
    }
    return { key: compoundKey(symbol), title: title ?? symbol, density };
  });
}

/** "calcium fluoride" -> "calcium_fluoride", the table file's base name. */
export function compoundKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, '_');
}

function dataRows(text: string): { cells: string[]; lineNo: number }[] {
  const rows: { cells: string[]; lineNo: number }[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() !== '' && !line.startsWith('#')) rows.push({ cells: splitCsvLine(line), lineNo: i + 1 });
    });
  return rows;
}

function nistError(message: string): ExorayError {
  return new ExorayError('E_NIST_DATA', message);
}

import { packageRoot } from '../core/paths.js';

export { packageRoot };

/**
 * Where the NIST data lives: an explicit `dir`, else env EXORAY_NIST_DIR, else the
 * copy shipped in `<package>/assets/nist-xray`, else the shared checkout at
 * `<package>/../shared/data/nist-xray`. The shipped copy comes before the shared
 * one so a fresh clone behaves the same as the development tree.
 */
export function resolveNistDir(dir?: string): string {
  if (dir !== undefined) return checkDir(resolve(dir), 'the directory passed in');
  const env = process.env['EXORAY_NIST_DIR'];
  if (env !== undefined && env !== '') return checkDir(resolve(env), 'EXORAY_NIST_DIR');
  const root = packageRoot();
  const candidates = [join(root, 'assets', 'nist-xray'), resolve(root, '..', 'shared', 'data', 'nist-xray')];
  for (const c of candidates) if (existsSync(join(c, 'elements.csv'))) return c;
  throw nistError(`NIST data not found; looked in ${candidates.join(' and ')}. Set EXORAY_NIST_DIR to a directory holding elements.csv, elements/ and compounds/.`);
}

function checkDir(dir: string, what: string): string {
  if (!existsSync(join(dir, 'elements.csv'))) {
    throw nistError(`NIST data directory ${dir} (from ${what}) has no elements.csv; it must hold elements.csv, elements/zNN.csv and compounds/*.csv`);
  }
  return dir;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ExorayError('E_NIST_DATA', `cannot read NIST file ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Load every element table (elements/zNN.csv for each element listed in
 * elements.csv that has one), every compound table and the property lists.
 */
export function loadNistData(dir?: string): NistData {
  const root = resolveNistDir(dir);
  const infoList = parseElementList(readText(join(root, 'elements.csv')), join(root, 'elements.csv'));
  const elementsBySymbol = new Map<string, NistTable>();
  const elementsByZ = new Map<number, NistTable>();
  const elementInfo = new Map<string, ElementInfo>();
  const symbolToZ = new Map<string, number>();
  for (const info of infoList) {
    const file = join(root, 'elements', `z${String(info.z).padStart(2, '0')}.csv`);
    if (!existsSync(file)) continue; // elements.csv lists a few transuranics NIST has no table for
    const table = parseNistTable(readText(file), file);
    elementsBySymbol.set(info.symbol, table);
    elementsByZ.set(info.z, table);
    elementInfo.set(info.symbol, info);
    symbolToZ.set(info.symbol, info.z);
  }
  if (elementsBySymbol.size === 0) throw nistError(`${join(root, 'elements')}: no element tables found`);

  const compoundInfo = new Map<string, CompoundInfo>();
  const listPath = join(root, 'compounds.csv');
  if (existsSync(listPath)) {
    for (const c of parseCompoundList(readText(listPath), listPath)) compoundInfo.set(c.key, c);
  }
  const compounds = new Map<string, NistTable>();
  const cdir = join(root, 'compounds');
  if (existsSync(cdir)) {
    for (const name of readdirSync(cdir).sort()) {
      if (!name.endsWith('.csv')) continue;
      const file = join(cdir, name);
      compounds.set(name.slice(0, -4), parseNistTable(readText(file), file));
    }
  }
  return { dir: root, elementsBySymbol, elementsByZ, compounds, elementInfo, symbolToZ, compoundInfo };
}
