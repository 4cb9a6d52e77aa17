/**
 * The material library: every `assets/materials/<id>.json`, resolved against the
 * NIST tables. Adding a material is adding a file; nothing here lists materials.
 *
 * `createMaterialLibrary` is pure (parsed definitions + parsed tables);
 * `loadMaterialLibrary` does the file I/O and calls it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExorayError } from '../core/errors.js';
import { mixtureMassAttenuation, resolveMaterials, type Material } from './composition.js';
import type { NistColumn } from './interpolate.js';
import { parseMaterialDef, type MaterialDef } from './material-schema.js';
import { loadNistData, packageRoot, type NistData } from './nist.js';

export interface MaterialLibrary {
  /** Sorted material ids. */
  ids(): string[];
  /** The resolved material; throws E_MATERIAL for an unknown id. */
  get(id: string): Material;
  has(id: string): boolean;
  /** mu/rho in cm^2/g at `keV`. */
  massAttenuation(id: string, keV: number): number;
  /** mu in 1/cm at `keV`: mu/rho times the material's bulk density. */
  linearAttenuation(id: string, keV: number): number;
  /** linearAttenuation for many energies (a spectrum's bins), 1/cm. */
  linearAttenuationMany(id: string, energiesKeV: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** mu_en/rho in cm^2/g (energy absorbed, e.g. in a detector layer). */
  massEnergyAbsorption(id: string, keV: number): number;
  /** The NIST tables the library was built from. */
  readonly nist: NistData;
}

export function createMaterialLibrary(defs: MaterialDef[], nist: NistData): MaterialLibrary {
  const materials = resolveMaterials(defs, nist);
  const sortedIds = [...materials.keys()].sort();
  const get = (id: string): Material => {
    const m = materials.get(id);
    if (!m) {
      throw new ExorayError(
        'E_MATERIAL',
        `unknown material "${id}". Known materials: ${sortedIds.join(', ')}. ` +
          `A material is added by adding assets/materials/${id}.json.`,
      );
    }
    return m;
  };
  const mass = (id: string, keV: number, column: NistColumn = 'muRho') =>
    mixtureMassAttenuation(get(id).terms, nist, keV, column);
  return {
    nist,
    ids: () => [...sortedIds],
    get,
    has: (id) => materials.has(id),
    massAttenuation: (id, keV) => mass(id, keV),
    linearAttenuation: (id, keV) => mass(id, keV) * get(id).density,
    linearAttenuationMany(id, energiesKeV, out = new Float64Array(energiesKeV.length)) {
      if (out.length !== energiesKeV.length) {
        throw new ExorayError('E_MATERIAL', `output length ${out.length} does not match ${energiesKeV.length} energies`);
      }
      const m = get(id);
      for (let k = 0; k < energiesKeV.length; k++) out[k] = mixtureMassAttenuation(m.terms, nist, energiesKeV[k]!) * m.density;
      return out;
    },
    massEnergyAbsorption: (id, keV) => mass(id, keV, 'muEnRho'),
  };
}

/** `<package>/assets/materials`. */
export function defaultMaterialsDir(): string {
  return join(packageRoot(), 'assets', 'materials');
}

/** Read and validate every `*.json` in a directory (file name = id). */
export function readMaterialDefs(dir: string): MaterialDef[] {
  const root = resolve(dir);
  if (!existsSync(root)) throw new ExorayError('E_MATERIAL', `material directory ${root} does not exist`);
  const files = readdirSync(root)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new ExorayError('E_MATERIAL', `material directory ${root} has no .json material files`);
  return files.map((f) => {
    const path = join(root, f);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new ExorayError('E_MATERIAL', `${path}: not valid JSON: ${(e as Error).message}`, { cause: e });
    }
    return parseMaterialDef(json, path, f.slice(0, -'.json'.length));
  });
}

export interface LoadMaterialOptions {
  /** Default `<package>/assets/materials`. */
  materialsDir?: string;
  /** Default: see resolveNistDir (EXORAY_NIST_DIR, assets/nist-xray, ../shared/data/nist-xray). */
  nistDir?: string;
  /** Already loaded tables, to avoid reading them twice. Overrides nistDir. */
  nist?: NistData;
}

export function loadMaterialLibrary(options: LoadMaterialOptions = {}): MaterialLibrary {
  const defs = readMaterialDefs(options.materialsDir ?? defaultMaterialsDir());
  return createMaterialLibrary(defs, options.nist ?? loadNistData(options.nistDir));
}
