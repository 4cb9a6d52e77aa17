/**
 * Characteristic emission lines (`emission_lines.csv`): a pure parser, a loader,
 * and the tungsten K lines a tube spectrum needs.
 *
 * The file is "energy [eV],z,transition,intensity,width [eV]" with a BOM and CRLF
 * line ends; transitions are Siegbahn names with Greek letters ("Kα1", "Kβ3") and
 * blended lines of light elements are quoted ("Kα1,2"). Intensities are relative
 * within one element's series (strongest line of the series = 100).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExorayError } from '../core/errors.js';
import { resolveNistDir, splitCsvLine } from './nist.js';

export interface EmissionLine {
  z: number;
  /** Siegbahn name as in the file, e.g. "Kα1"; "" where the file leaves it blank (one Ta row). */
  transition: string;
  energyKeV: number;
  /** Relative intensity within the element's series. */
  relativeIntensity: number;
  /** Natural line width in eV, null where the file leaves it blank. */
  widthEv: number | null;
}

export const TUNGSTEN_Z = 74;
/** Tungsten K absorption edge, keV (NIST SRD 126 element table z74: 69.525 keV). */
export const TUNGSTEN_K_EDGE_KEV = 69.525;

/** Parse the text of `emission_lines.csv`. Pure; errors name the source and line. */
export function parseEmissionLines(text: string, sourceName: string): EmissionLine[] {
  const out: EmissionLine[] = [];
  let headerSeen = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const cells = splitCsvLine(raw);
    if (!headerSeen) {
      headerSeen = true;
      if (!/^\s*energy/i.test(cells[0] ?? '')) {
        throw dataError(`${sourceName} line ${i + 1}: expected the header "energy [eV],z,transition,intensity,width [eV]", got "${raw}"`);
      }
      continue;
    }
    const [e, z, transition, intensity, width] = cells;
    const energyEv = Number(e);
    const zn = Number(z);
    const rel = Number(intensity);
    if (!(energyEv > 0) || !Number.isInteger(zn) || zn < 1 || transition === undefined || !(rel >= 0) || intensity === '') {
      throw dataError(`${sourceName} line ${i + 1}: expected "energy eV > 0, integer z, transition, intensity >= 0", got "${raw}"`);
    }
    const w = width === undefined || width === '' ? null : Number(width);
    if (w !== null && !(w >= 0)) throw dataError(`${sourceName} line ${i + 1}: width "${width}" is not a number >= 0`);
    out.push({ z: zn, transition, energyKeV: energyEv / 1000, relativeIntensity: rel, widthEv: w });
  }
  if (out.length === 0) throw dataError(`${sourceName}: no emission lines found`);
  return out;
}

/** Read `emission_lines.csv` from the NIST data directory (see resolveNistDir). */
export function loadEmissionLines(nistDir?: string): EmissionLine[] {
  const path = join(resolveNistDir(nistDir), 'emission_lines.csv');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ExorayError('E_NIST_DATA', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseEmissionLines(text, path);
}

/** The K-series lines of one element, by increasing energy. Throws E_NIST_DATA when there are none. */
export function kLines(lines: readonly EmissionLine[], z: number): EmissionLine[] {
  const k = lines.filter((l) => l.z === z && l.transition.startsWith('K') && l.relativeIntensity > 0);
  if (k.length === 0) throw dataError(`emission lines: no K lines for Z = ${z}`);
  return k.sort((a, b) => a.energyKeV - b.energyKeV);
}

/** Tungsten Kα2, Kα1, Kβ3, Kβ1, Kβ2 (57.98 to 69.07 keV in the NIST file). */
export function tungstenKLines(lines: readonly EmissionLine[]): EmissionLine[] {
  return kLines(lines, TUNGSTEN_Z);
}

function dataError(message: string): ExorayError {
  return new ExorayError('E_NIST_DATA', message);
}
