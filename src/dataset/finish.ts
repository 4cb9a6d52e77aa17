/**
 * What every finished dataset gets, whoever made it (a run, a resumed run, a
 * merge of shards): label files from the database, the report, and last the
 * manifest of every file with its sha256 (so it covers the other two).
 */
import type { SimulationDb } from '../db/database.js';
import type { LabelLevel } from '../labels/categories.js';
import { writeLabelFiles, type LabelFormat } from './export.js';
import { writeManifest } from './manifest.js';
import { writeReport } from './report.js';
import type { SpeciesLibrary } from './species-library.js';

export interface FinishOptions {
  formats: readonly LabelFormat[];
  labelLevel: LabelLevel;
  runStartedAt?: string;
  /** Seed of the report's contact-sheet pick (the run seed). */
  seed: number;
}

export async function finishDataset(db: SimulationDb, out: string, species: SpeciesLibrary, o: FinishOptions): Promise<string[]> {
  const labelFiles = writeLabelFiles(db, out, species, o);
  await writeReport(out, db, { seed: o.seed });
  writeManifest(out);
  return labelFiles;
}
