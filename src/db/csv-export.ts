/** The main tables as CSV files (RFC 4180), for DuckDB, pandas or Spark. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SimulationDb } from './database.js';

export const EXPORT_TABLES = ['runs', 'samples', 'instances', 'objects', 'sample_files'] as const;

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes TABLE.csv for each table into `dir`; returns the files. Rows stream, so large tables fit. */
export function exportCsv(db: SimulationDb, dir: string, write: (file: string, chunks: Iterable<string>) => void): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const table of EXPORT_TABLES) {
    const statement = db.connection.prepare(`SELECT * FROM ${table}`);
    const columns = statement.columns().map((c) => c.name);
    const file = path.join(dir, `${table}.csv`);
    write(
      file,
      (function* () {
        yield `${columns.join(',')}\n`;
        for (const row of statement.iterate() as Iterable<Record<string, unknown>>) yield `${columns.map((c) => cell(row[c])).join(',')}\n`;
      })(),
    );
    files.push(file);
  }
  return files;
}
