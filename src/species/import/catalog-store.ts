/**
 * Changes to a species catalog directory: adding an imported model (its GLB, then its
 * entry) and removing an entry, each file written to a temporary name and renamed, so a
 * failure leaves catalog.json as it was. The raw JSON of other entries is kept as is.
 * Node-only (file I/O).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExorayError } from '../../core/errors.js';
import { defaultSpeciesDir, parseCatalog, type SpeciesCatalog, type SpeciesEntry } from '../catalog.js';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `--catalog DIR`, else $EXORAY_CATALOG, else the bundled assets/species. */
export function resolveCatalogDir(option?: string): string {
  const dir = option ?? (process.env.EXORAY_CATALOG || undefined);
  return resolve(dir ?? defaultSpeciesDir());
}

export interface RawCatalog {
  file: string;
  /** The parsed JSON, other top-level keys and entries untouched. */
  json: { species: Array<Record<string, unknown>>; [key: string]: unknown };
  catalog: SpeciesCatalog;
  exists: boolean;
}

/** Reads `<dir>/catalog.json`; a missing file is an empty catalog when `allowMissing`. */
export async function readRawCatalog(dir: string, allowMissing = false): Promise<RawCatalog> {
  const file = join(dir, 'catalog.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && allowMissing) {
      const json = { version: 1, species: [] };
      return { file, json, catalog: parseCatalog(json, file), exists: false };
    }
    throw new ExorayError('E_USAGE', `Species catalog ${file} cannot be read (${(e as Error).message}); pass an existing catalog directory with --catalog`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ExorayError('E_ASSET', `Species catalog ${file} is not valid JSON (${(e as Error).message}); fix or restore it`, { cause: e });
  }
  const catalog = parseCatalog(json, file);
  return { file, json: json as RawCatalog['json'], catalog, exists: true };
}

async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (cause) {
    await unlink(tmp).catch(() => undefined);
    throw new ExorayError('E_OUTPUT', `Cannot write ${file}: ${(cause as Error).message} (is the disk full or the folder read-only?)`, { cause });
  }
}

function catalogText(json: RawCatalog['json']): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Refuses an id already in the catalog, or a model file name already taken in the directory. */
export function checkFreeId(raw: RawCatalog, id: string): string {
  if (raw.catalog.species.some((s) => s.id === id)) {
    throw new ExorayError('E_USAGE', `Species "${id}" is already in ${raw.file}; choose another --id or run \`exoray species remove ${id}\` first`);
  }
  const model = `${id}.glb`;
  if (raw.catalog.species.some((s) => s.model === model) || existsSync(join(raw.catalog.dir, model))) {
    throw new ExorayError('E_USAGE', `A model file ${join(raw.catalog.dir, model)} already exists and would be overwritten; move it away or choose another --id`);
  }
  return model;
}

/**
 * Adds an entry (without `model`, `sha256`: they are filled in here) and writes its GLB.
 * The new entry is validated with the whole catalog before anything is written.
 */
export async function addSpecies(dir: string, entry: Record<string, unknown> & { id: string }, glb: Uint8Array): Promise<SpeciesEntry> {
  const raw = await readRawCatalog(dir, true);
  const model = checkFreeId(raw, entry.id);
  const full = { ...entry, model, sha256: sha256Hex(glb) };
  const json = { ...raw.json, species: [...raw.json.species, full] };
  const parsed = parseCatalog(json, raw.file);
  await mkdir(dir, { recursive: true });
  const modelFile = join(dir, model);
  await writeAtomic(modelFile, glb);
  try {
    await writeAtomic(raw.file, catalogText(json));
  } catch (e) {
    await unlink(modelFile).catch(() => undefined);
    throw e;
  }
  return parsed.species.at(-1)!;
}

export interface Removed {
  entry: SpeciesEntry;
  /** The model file, when it was deleted (only imported models no other entry uses). */
  deletedModel: string | null;
}

/** Removes an entry; its model file is deleted only when the catalog imported it and no other entry uses it. */
export async function removeSpecies(dir: string, id: string): Promise<Removed> {
  const raw = await readRawCatalog(dir);
  const entry = raw.catalog.species.find((s) => s.id === id);
  if (!entry) {
    throw new ExorayError('E_USAGE', `Species "${id}" is not in ${raw.file}; known: ${raw.catalog.species.map((s) => s.id).join(', ') || '(none)'}`);
  }
  const json = { ...raw.json, species: raw.json.species.filter((s) => s.id !== id) };
  await writeAtomic(raw.file, catalogText(json));
  const shared = raw.catalog.species.some((s) => s.id !== id && s.modelPath === entry.modelPath);
  if (entry.imported && !shared && existsSync(entry.modelPath)) {
    await unlink(entry.modelPath);
    return { entry, deletedModel: entry.modelPath };
  }
  return { entry, deletedModel: null };
}

export type HashStatus = 'ok' | 'changed' | 'missing' | 'unrecorded';

/** Compares an entry's model file with its recorded sha256. */
export async function modelHashStatus(entry: SpeciesEntry): Promise<{ status: HashStatus; actual: string | null }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(entry.modelPath);
  } catch {
    return { status: 'missing', actual: null };
  }
  const actual = sha256Hex(bytes);
  if (!entry.sha256) return { status: 'unrecorded', actual };
  return { status: actual === entry.sha256 ? 'ok' : 'changed', actual };
}
