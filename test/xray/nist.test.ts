import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isExorayError } from '../../src/core/errors.js';
import { loadNistData, parseNistTable, resolveNistDir, splitCsvLine } from '../../src/xray/nist.js';

const GOOD = `# Data Source: NIST
#
# energy, mu/rho, mu_en/rho
# meV, cm2/g, cm2/g
1.000e-03,9.085e+03,9.052e+03
7.112e-03,5.319e+01,5.133e+01
7.112e-03,4.076e+02,2.978e+02
2.000e+01,3.026e-02,2.210e-02
# end of file
`;

function expectError(fn: () => unknown, code: string, ...parts: (string | RegExp)[]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isExorayError(caught), `expected an ExorayError, got ${String(caught)}`).toBe(true);
  const err = caught as Error & { code: string };
  expect(err.code).toBe(code);
  for (const p of parts) expect(err.message).toMatch(p);
}

describe('parseNistTable', () => {
  it('reads MeV rows into keV, skipping comments and keeping edge duplicates', () => {
    const t = parseNistTable(GOOD, 'z26.csv');
    expect(Array.from(t.energyKeV)).toEqual([1, 7.112, 7.112, 20000]);
    expect(t.muRho[1]).toBe(53.19);
    expect(t.muRho[2]).toBe(407.6);
    expect(t.muEnRho[3]).toBe(0.0221);
    expect(t.source).toBe('z26.csv');
  });

  it('tolerates one uncommented header row and CRLF line ends', () => {
    const t = parseNistTable('energy,mu/rho,mu_en/rho\r\n1e-3,2,1\r\n2e-3,1,0.5\r\n', 'x.csv');
    expect(Array.from(t.energyKeV)).toEqual([1, 2]);
  });

  it('names the file and line of a malformed row', () => {
    const bad = GOOD.replace('7.112e-03,4.076e+02', '7.112e-03,abc');
    expectError(() => parseNistTable(bad, 'z26.csv'), 'E_NIST_DATA', 'z26.csv line 7', 'mu/rho', 'abc');
    expectError(() => parseNistTable(GOOD.replace('2.000e+01,3.026e-02,2.210e-02', '2.000e+01,3.026e-02'), 'f.csv'), 'E_NIST_DATA', 'f.csv line 8', '3 columns');
    expectError(() => parseNistTable(GOOD.replace('5.319e+01', '-5.319e+01'), 'f.csv'), 'E_NIST_DATA', 'line 6', 'positive');
    expectError(() => parseNistTable(GOOD.replace('2.000e+01', '5.000e-03'), 'f.csv'), 'E_NIST_DATA', 'line 8', 'increasing');
    expectError(() => parseNistTable('# nothing\n', 'empty.csv'), 'E_NIST_DATA', 'empty.csv', 'at least 2');
  });
});

describe('splitCsvLine', () => {
  it('keeps commas inside quotes', () => {
    expect(splitCsvLine('fricke,"Ferrous Sulfate, Standard Fricke",2.84')).toEqual(['fricke', 'Ferrous Sulfate, Standard Fricke', '2.84']);
  });
});

describe('loadNistData', () => {
  const data = loadNistData();

  it('loads all 92 element tables and the compound tables', () => {
    expect(data.elementsBySymbol.size).toBe(92);
    expect(data.elementsByZ.get(26)).toBe(data.elementsBySymbol.get('Fe'));
    expect(data.symbolToZ.get('U')).toBe(92);
    expect(data.compounds.size).toBeGreaterThanOrEqual(48);
    expect(data.compounds.has('water')).toBe(true);
    expect(data.compounds.has('calcium_fluoride')).toBe(true);
    expect(data.compoundInfo.get('calcium_fluoride')?.density).toBe(3.18);
    for (const t of data.elementsBySymbol.values()) {
      expect(t.energyKeV[0]).toBeCloseTo(1, 9);
      expect(t.energyKeV[t.energyKeV.length - 1]).toBeCloseTo(20000, 6);
    }
  });

  it('derives standard atomic weights from Z/A', () => {
    expect(data.elementInfo.get('H')!.atomicWeight).toBeCloseTo(1.008, 2);
    expect(data.elementInfo.get('O')!.atomicWeight).toBeCloseTo(15.999, 2);
    expect(data.elementInfo.get('Fe')!.atomicWeight).toBeCloseTo(55.845, 1);
    expect(data.elementInfo.get('Pb')!.atomicWeight).toBeCloseTo(207.2, 0);
  });

  it('reads the copy shipped in assets/nist-xray by default', () => {
    const saved = process.env['EXORAY_NIST_DIR'];
    delete process.env['EXORAY_NIST_DIR'];
    try {
      expect(resolveNistDir().replace(/\\/g, '/')).toMatch(/assets\/nist-xray$/);
    } finally {
      if (saved !== undefined) process.env['EXORAY_NIST_DIR'] = saved;
    }
  });
});

describe('resolveNistDir', () => {
  const saved = process.env['EXORAY_NIST_DIR'];
  afterEach(() => {
    if (saved === undefined) delete process.env['EXORAY_NIST_DIR'];
    else process.env['EXORAY_NIST_DIR'] = saved;
  });

  it('EXORAY_NIST_DIR overrides the default and is checked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exoray-nist-'));
    process.env['EXORAY_NIST_DIR'] = dir;
    expectError(() => resolveNistDir(), 'E_NIST_DATA', dir, 'EXORAY_NIST_DIR', 'elements.csv');
    writeFileSync(join(dir, 'elements.csv'), 'z,symbol,name,zovera,i,density\n1,H,Hydrogen,0.99212,19.2,8.38E-05\n');
    mkdirSync(join(dir, 'elements'));
    writeFileSync(join(dir, 'elements', 'z01.csv'), '1e-3,7.217,6.82\n2e-2,0.3695,0.0129\n');
    const d = loadNistData();
    expect(d.dir).toBe(dir);
    expect(d.elementsBySymbol.size).toBe(1);
    expect(d.compounds.size).toBe(0);
  });

  it('an explicit directory wins over the environment', () => {
    process.env['EXORAY_NIST_DIR'] = '/nonexistent/exoray';
    expect(() => resolveNistDir('/also/nonexistent')).toThrow(/\/also\/nonexistent/);
  });
});
