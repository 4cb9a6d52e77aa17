/**
 * What `species list` and `species inspect` show: each entry with the state of its model
 * file (hash as recorded, changed, missing), and for inspect the model's parts,
 * materials, triangles, size and stored metadata (skeleton joints included).
 * Node-only (reads the model files).
 */
import { readFile } from 'node:fs/promises';
import { boundsOf, triangleCount } from '../../geometry/mesh.js';
import { validateClosedMesh } from '../../geometry/validate.js';
import { ExorayError } from '../../core/errors.js';
import type { SpeciesEntry } from '../catalog.js';
import { readModelGlb, readModelMeta } from '../glb.js';
import { modelHashStatus, readRawCatalog, type HashStatus } from './catalog-store.js';

export interface ListedSpecies {
  id: string;
  scientificName: string;
  commonName: string;
  sizeMm: { min: number; max: number };
  model: string;
  source: 'bundled' | 'imported';
  hash: HashStatus;
}

export interface InspectedPart {
  name: string;
  material: string;
  triangles: number;
  vertices: number;
  closedOutward: boolean;
}

export interface InspectedSpecies {
  entry: Omit<SpeciesEntry, 'modelPath'>;
  modelPath: string;
  hash: { status: HashStatus; recorded: string | null; actual: string | null };
  parts: InspectedPart[];
  materials: string[];
  triangles: number;
  /** Model extent (x, y, z) in mm, as stored (before scaling to a sampled size). */
  extentMm: [number, number, number];
  /** Joints per skin kept for posing, from the model's metadata. */
  skins: Array<{ name: string; joints: number }>;
  meta: Record<string, unknown>;
}

export async function listSpecies(dir: string): Promise<{ file: string; species: ListedSpecies[] }> {
  const raw = await readRawCatalog(dir);
  const species = await Promise.all(
    raw.catalog.species.map(async (e): Promise<ListedSpecies> => ({
      id: e.id,
      scientificName: e.scientificName,
      commonName: e.commonNames.en,
      sizeMm: e.sizeMm,
      model: e.model,
      source: e.imported ? 'imported' : 'bundled',
      hash: (await modelHashStatus(e)).status,
    })),
  );
  return { file: raw.file, species };
}

export async function inspectSpecies(dir: string, id: string): Promise<InspectedSpecies> {
  const raw = await readRawCatalog(dir);
  const entry = raw.catalog.species.find((s) => s.id === id);
  if (!entry) {
    throw new ExorayError('E_USAGE', `Species "${id}" is not in ${raw.file}; known: ${raw.catalog.species.map((s) => s.id).join(', ') || '(none)'}`);
  }
  const hash = await modelHashStatus(entry);
  if (hash.status === 'missing') {
    throw new ExorayError('E_ASSET', `Model of species "${id}" (${entry.modelPath}) is missing; re-import it or run \`exoray species remove ${id}\``);
  }
  const bytes = await readFile(entry.modelPath);
  const parts = await readModelGlb(bytes, entry.modelPath);
  const meta = await readModelMeta(bytes, entry.modelPath);
  const b = boundsOf(parts.map((p) => p.mesh));
  const skins = Array.isArray(meta.skins)
    ? (meta.skins as Array<{ name?: unknown; joints?: unknown }>).map((s) => ({ name: String(s.name ?? ''), joints: Array.isArray(s.joints) ? s.joints.length : 0 }))
    : [];
  const { modelPath, ...rest } = entry;
  return {
    entry: rest,
    modelPath,
    hash: { status: hash.status, recorded: entry.sha256 ?? null, actual: hash.actual },
    parts: parts.map((p) => ({
      name: p.name,
      material: p.material,
      triangles: triangleCount(p.mesh),
      vertices: p.mesh.positions.length / 3,
      closedOutward: validateClosedMesh(p.mesh, p.name).outward,
    })),
    materials: [...new Set(parts.map((p) => p.material))].sort(),
    triangles: parts.reduce((n, p) => n + triangleCount(p.mesh), 0),
    extentMm: [0, 1, 2].map((k) => Math.round((b.max[k]! - b.min[k]!) * 1e6) / 1e3) as [number, number, number],
    skins,
    meta,
  };
}
