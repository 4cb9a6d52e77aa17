/**
 * The species catalog (assets/species/catalog.json): what animals exist, their names and
 * sizes, and which GLB model draws each. Node-only (file I/O).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelPart, SpeciesModel } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { assertClosedOutward } from '../geometry/validate.js';
import { readSpeciesGlb } from './glb.js';
import { checkSkins } from './rig/check.js';

export const BODY_PLANS = ['arthropod', 'reptile', 'amphibian', 'bird', 'fish', 'mammal', 'egg'] as const;
export type BodyPlan = (typeof BODY_PLANS)[number];
export const CITES_APPENDICES = ['I', 'II', 'III'] as const;
export type CitesAppendix = (typeof CITES_APPENDICES)[number];

export const SPECIES_ORIENTATIONS = ['any', 'flat'] as const;
export type SpeciesOrientation = (typeof SPECIES_ORIENTATIONS)[number];

export interface SpeciesEntry {
  /** Stable kebab-case id, used as SceneObject.kind and in labels. */
  id: string;
  scientificName: string;
  /** Common names by language code; "en" is required. */
  commonNames: { en: string; [lang: string]: string };
  taxonomy: { class: string; order: string; family: string };
  /** CITES appendix, or null when not listed. */
  cites: CitesAppendix | null;
  /** Adult size range to sample from (body length in mm, as the species is usually measured). */
  sizeMm: { min: number; max: number };
  /** Model file name, relative to the catalog directory. */
  model: string;
  /** Extent of the model along Z in mm: sample size / modelLengthMm is the scale to apply. */
  modelLengthMm: number;
  bodyPlan: BodyPlan;
  /** How the animal is typically hidden (packing vocabulary for scene presets). */
  concealment: string[];
  tags: string[];
  /** Other scientific names (older combinations) for search. */
  synonyms?: string[];
  /**
   * How the model may be turned when placed: 'any' (a beetle lands any way up) or
   * 'flat' (a coiled snake rests on its belly: turned about the vertical, tilted a little).
   */
  orientation: SpeciesOrientation;
  /**
   * Another entry's id whose label category this one shares: a second model (a pose) of
   * the same species, e.g. a stretched python, labels as the species, not as a new class.
   */
  labelAs?: string;
  /** sha256 (hex) of the model file as recorded when it was written, so a changed file is noticed. */
  sha256?: string;
  /** Set by `exoray species add`: the catalog owns the model file (removing the entry deletes it). */
  imported?: { source: string; sourceSha256: string };
  /**
   * The model has no skeleton and is posed only by its placement (an egg, a test tube of
   * ants). Declared so that a model which lost its skin is noticed, not silently rigid.
   */
  rigid?: boolean;
  /** Absolute path of the model, resolved when the catalog is loaded. */
  modelPath: string;
}

export interface SpeciesCatalog {
  /** Absolute path of catalog.json. */
  file: string;
  dir: string;
  species: SpeciesEntry[];
}

const PACKAGE_NAME = 'exoray';

function packageRootFrom(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
      } catch {
        // An unreadable package.json further down is not ours; keep walking up.
      }
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The exoray package root: walks up from this module (src/ or dist/), then from the
 * working directory (for bundled copies of this code living elsewhere).
 */
export function findPackageRoot(): string {
  const root = packageRootFrom(dirname(fileURLToPath(import.meta.url))) ?? packageRootFrom(process.cwd());
  if (!root) {
    throw new ExorayError('E_ASSET', `Cannot find the ${PACKAGE_NAME} package root (a package.json named "${PACKAGE_NAME}") above this module or the working directory; pass the species directory explicitly`);
  }
  return root;
}

export function defaultSpeciesDir(): string {
  return join(findPackageRoot(), 'assets', 'species');
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates parsed catalog JSON; errors name the file, the entry and the field. */
export function parseCatalog(json: unknown, file: string): SpeciesCatalog {
  const dir = dirname(file);
  const fail = (where: string, msg: string): never => {
    throw new ExorayError('E_ASSET', `Species catalog ${file}: ${where}: ${msg}`);
  };
  if (!isObj(json) || !Array.isArray(json.species)) fail('top level', 'must be an object with a "species" array');
  const list = (json as Obj).species as unknown[];
  const ids = new Set<string>();
  const species = list.map((raw, i): SpeciesEntry => {
    const label = isObj(raw) && typeof raw.id === 'string' ? `species[${i}] ("${raw.id}")` : `species[${i}]`;
    if (!isObj(raw)) return fail(label, 'must be an object');
    const bad = (field: string, want: string, got: unknown): never =>
      fail(label, `field "${field}" must be ${want}, got ${JSON.stringify(got)}`);
    const str = (o: Obj, field: string, path = field): string => {
      const v = o[field];
      return typeof v === 'string' && v.trim() !== '' ? v : bad(path, 'a non-empty string', v);
    };
    const num = (o: Obj, field: string, path: string): number => {
      const v = o[field];
      return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : bad(path, 'a positive number', v);
    };
    const strList = (field: string, optional = false): string[] | undefined => {
      const v = raw[field];
      if (v === undefined && optional) return undefined;
      if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s !== '')) return bad(field, 'an array of non-empty strings', v);
      return v as string[];
    };
    const sub = (field: string): Obj => (isObj(raw[field]) ? (raw[field] as Obj) : bad(field, 'an object', raw[field]));

    const id = str(raw, 'id');
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) bad('id', 'kebab-case (a-z, 0-9, single dashes)', id);
    if (ids.has(id)) fail(label, `duplicate id "${id}"`);
    ids.add(id);
    const names = sub('commonNames');
    for (const [lang, v] of Object.entries(names)) {
      if (typeof v !== 'string' || v === '') bad(`commonNames.${lang}`, 'a non-empty string', v);
    }
    str(names, 'en', 'commonNames.en');
    const tax = sub('taxonomy');
    const taxonomy = { class: str(tax, 'class', 'taxonomy.class'), order: str(tax, 'order', 'taxonomy.order'), family: str(tax, 'family', 'taxonomy.family') };
    const cites = raw.cites;
    if (cites !== null && !(CITES_APPENDICES as readonly unknown[]).includes(cites)) bad('cites', 'null or one of "I", "II", "III"', cites);
    const size = sub('sizeMm');
    const sizeMm = { min: num(size, 'min', 'sizeMm.min'), max: num(size, 'max', 'sizeMm.max') };
    if (sizeMm.min > sizeMm.max) bad('sizeMm', 'a range with min <= max', size);
    const model = str(raw, 'model');
    const bodyPlan = raw.bodyPlan;
    if (!(BODY_PLANS as readonly unknown[]).includes(bodyPlan)) bad('bodyPlan', `one of ${BODY_PLANS.join(', ')}`, bodyPlan);
    const synonyms = strList('synonyms', true);
    const sha256 = raw.sha256;
    if (sha256 !== undefined && !(typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256))) bad('sha256', '64 lower-case hex digits', sha256);
    let imported: SpeciesEntry['imported'];
    if (raw.imported !== undefined) {
      const imp = sub('imported');
      const sourceSha256 = str(imp, 'sourceSha256', 'imported.sourceSha256');
      if (!/^[0-9a-f]{64}$/.test(sourceSha256)) bad('imported.sourceSha256', '64 lower-case hex digits', sourceSha256);
      imported = { source: str(imp, 'source', 'imported.source'), sourceSha256 };
    }
    const labelAs = raw.labelAs;
    if (labelAs !== undefined && !(typeof labelAs === 'string' && labelAs.length > 0 && labelAs !== id)) bad('labelAs', "another species' id", labelAs);
    const rigid = raw.rigid;
    if (rigid !== undefined && typeof rigid !== 'boolean') bad('rigid', 'true or false', rigid);
    const orientation = raw.orientation ?? 'any';
    if (!(SPECIES_ORIENTATIONS as readonly unknown[]).includes(orientation)) bad('orientation', `one of ${SPECIES_ORIENTATIONS.join(', ')}`, orientation);
    return {
      id,
      scientificName: str(raw, 'scientificName'),
      commonNames: names as SpeciesEntry['commonNames'],
      taxonomy,
      cites: cites as CitesAppendix | null,
      sizeMm,
      model,
      modelLengthMm: num(raw, 'modelLengthMm', 'modelLengthMm'),
      bodyPlan: bodyPlan as BodyPlan,
      concealment: strList('concealment')!,
      tags: strList('tags')!,
      ...(synonyms ? { synonyms } : {}),
      orientation: orientation as SpeciesOrientation,
      ...(labelAs !== undefined ? { labelAs: labelAs as string } : {}),
      ...(sha256 !== undefined ? { sha256: sha256 as string } : {}),
      ...(imported ? { imported } : {}),
      ...(rigid === true ? { rigid: true } : {}),
      modelPath: resolve(dir, model),
    };
  });
  for (const entry of species) {
    const target = entry.labelAs === undefined ? undefined : species.find((s) => s.id === entry.labelAs);
    if (entry.labelAs !== undefined && (!target || target.labelAs !== undefined)) {
      fail(`species "${entry.id}"`, `field "labelAs" must name another species of the catalog that has no labelAs itself, got ${JSON.stringify(entry.labelAs)}`);
    }
  }
  return { file, dir, species };
}

/**
 * Reads and validates `<dir>/catalog.json` (default: the package's assets/species).
 * Synchronous: the catalog is a small file read once at start-up, before any sampling.
 */
export function loadCatalog(dir: string = defaultSpeciesDir()): SpeciesCatalog {
  const file = resolve(dir, 'catalog.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ExorayError('E_ASSET', `Species catalog ${file} cannot be read (${(e as Error).message}); check the species directory`, { cause: e });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ExorayError('E_ASSET', `Species catalog ${file} is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  return parseCatalog(json, file);
}

/** Looks a species up by id, with an error listing the known ids. */
export function findSpecies(catalog: SpeciesCatalog, id: string): SpeciesEntry {
  const entry = catalog.species.find((s) => s.id === id);
  if (!entry) {
    throw new ExorayError('E_ASSET', `Species "${id}" is not in ${catalog.file}; known: ${catalog.species.map((s) => s.id).join(', ')}`);
  }
  return entry;
}

const modelCache = new Map<string, Promise<SpeciesModel>>();

/**
 * Loads an entry's model parts, each checked closed and outward (refused otherwise: the
 * X-ray path lengths would be wrong). Cached per file; callers must not mutate the parts.
 */
export async function loadSpeciesModel(entry: SpeciesEntry): Promise<ModelPart[]> {
  return (await loadSpeciesRigged(entry)).parts;
}

/** loadSpeciesModel with the skeleton (null for a rigid model); an entry declared rigid must have none. */
export function loadSpeciesRigged(entry: SpeciesEntry): Promise<SpeciesModel> {
  let cached = modelCache.get(entry.modelPath);
  if (!cached) {
    cached = (async () => {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(entry.modelPath);
      } catch (e) {
        throw new ExorayError(
          'E_ASSET',
          `Model of species "${entry.id}" (${entry.modelPath}) cannot be read (${(e as Error).message}); rebuild procedural models with \`node dist/species/build-assets.js\``,
          { cause: e },
        );
      }
      const model = await readSpeciesGlb(bytes, entry.modelPath);
      for (const p of model.parts) assertClosedOutward(p.mesh, `${entry.model}:${p.name}`);
      checkSkins(model, entry.model);
      // A model without a skeleton loads as rigid; the bundled catalog declares every such model
      // `rigid: true` (a test holds it to that), imported ones get it from `species add`.
      if (model.skeleton && entry.rigid) {
        throw new ExorayError('E_ASSET', `Species "${entry.id}": the catalog entry says "rigid": true but its model ${entry.model} has a skeleton of ${model.skeleton.joints.length} joints; remove "rigid"`);
      }
      return model;
    })();
    modelCache.set(entry.modelPath, cached);
    // A failed load is not cached, so a fixed file is picked up on the next call.
    cached.catch(() => modelCache.delete(entry.modelPath));
  }
  return cached;
}

/**
 * Loads the models of every entry (in parallel), keyed by species id: lets callers that
 * need parts synchronously later (samplers, asset sources) load them all up front.
 */
export async function loadSpeciesModels(catalog: SpeciesCatalog): Promise<Map<string, ModelPart[]>> {
  const loaded = await Promise.all(catalog.species.map(async (e) => [e.id, await loadSpeciesModel(e)] as const));
  return new Map(loaded);
}

/** Forgets cached models (after rebuilding assets in the same process). */
export function clearSpeciesModelCache(): void {
  modelCache.clear();
}
