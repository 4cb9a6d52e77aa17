/**
 * `exoray species add` as a function: checks the id and the mapping first, imports the
 * model, writes the normalised GLB and the catalog entry. Every check that can fail
 * runs before the first write, so a refused import leaves the catalog untouched.
 * Node-only (file I/O).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import yaml from 'js-yaml';
import { ExorayError } from '../../core/errors.js';
import { defaultMaterialsDir } from '../../xray/materials.js';
import { BODY_PLANS, type BodyPlan, type CitesAppendix, type SpeciesEntry, type SpeciesOrientation } from '../catalog.js';
import { writeSpeciesGlb } from '../glb.js';
import { parseJointLimits, type JointLimitSettings } from './rig-import.js';
import { addSpecies, checkFreeId, readRawCatalog, sha256Hex } from './catalog-store.js';
import { importModel, type ImportReport } from './import-model.js';
import { parseMaterialMapping, type MaterialMapping } from './material-map.js';
import type { SourceUnit } from './normalise.js';
import { readSourceModel } from './source.js';
import { validateSource, type SourceValidation } from './validate-source.js';

export interface AddSpeciesOptions {
  file: string;
  catalogDir: string;
  id: string;
  scientificName: string;
  commonName?: string;
  sizeMm?: { min: number; max: number };
  taxonomy?: { class?: string; order?: string; family?: string };
  cites?: CitesAppendix | null;
  bodyPlan?: BodyPlan;
  orientation?: SpeciesOrientation;
  tags?: string[];
  /** A JSON or YAML file mapping glTF material/mesh names to exoray material ids. */
  materialsFile?: string;
  maxTriangles: number;
  maxBytes: number;
  up: 'y' | 'z';
  unit: SourceUnit;
  /** Exoray material ids; default the files in assets/materials. */
  knownMaterials?: readonly string[];
  /** Also run the Khronos glTF validator on the source and report what it finds. */
  validate?: boolean;
  /** Cap openings larger than small holes when the cap does not fold (default true). */
  capOpenings?: boolean;
  /** Leave out parts that cannot be made closed volumes, reporting them, instead of refusing the model. */
  skipUnrepairable?: boolean;
  /** Joint limits of a skinned model: degrees on every axis of every joint (default 20). */
  jointLimitDeg?: number;
  /** A JSON or YAML file of joint limits and roles by joint name (see import/rig-import.ts). */
  jointLimitsFile?: string;
}

export interface AddSpeciesResult {
  entry: SpeciesEntry;
  report: ImportReport;
  /** How the body plan was chosen (it steers the material rules). */
  bodyPlanReason: string;
  glbBytes: number;
  /** The validator's findings on the source file (with `validate`). */
  validation?: SourceValidation;
}

/** Body plans by taxonomic class (lower case), for when --body-plan is not given. */
const PLAN_BY_CLASS: Record<string, BodyPlan> = {
  insecta: 'arthropod',
  arachnida: 'arthropod',
  chilopoda: 'arthropod',
  diplopoda: 'arthropod',
  malacostraca: 'arthropod',
  reptilia: 'reptile',
  amphibia: 'amphibian',
  aves: 'bird',
  actinopterygii: 'fish',
  chondrichthyes: 'fish',
  mammalia: 'mammal',
};

export function chooseBodyPlan(plan: BodyPlan | undefined, cls: string | undefined): { plan: BodyPlan; reason: string } {
  if (plan) return { plan, reason: 'given' };
  const byClass = cls ? PLAN_BY_CLASS[cls.toLowerCase()] : undefined;
  if (byClass) return { plan: byClass, reason: `from class ${cls}` };
  return { plan: 'arthropod', reason: `default (pass --body-plan, one of ${BODY_PLANS.join(', ')}, or a known --class)` };
}

export function knownMaterialIds(dir = defaultMaterialsDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

async function readMapping(file: string, known: readonly string[]): Promise<MaterialMapping> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ExorayError('E_USAGE', `Material mapping ${file} cannot be read (${(e as Error).message}); check the --materials path`, { cause: e });
  }
  let parsed: unknown;
  try {
    parsed = ['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? yaml.load(text) : JSON.parse(text);
  } catch (e) {
    throw new ExorayError('E_USAGE', `Material mapping ${file} is not valid ${extname(file) === '.json' ? 'JSON' : 'JSON or YAML'} (${(e as Error).message})`, { cause: e });
  }
  return parseMaterialMapping(parsed, file, known);
}

export async function addSpeciesFromFile(options: AddSpeciesOptions): Promise<AddSpeciesResult> {
  // Cheap refusals first: a duplicate id or a bad mapping should not wait for a big model to load.
  const raw = await readRawCatalog(options.catalogDir, true);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(options.id)) {
    throw new ExorayError('E_USAGE', `--id "${options.id}" must be kebab-case (a-z, 0-9, single dashes), e.g. "dynastes-hercules"`);
  }
  checkFreeId(raw, options.id);
  const known = options.knownMaterials ?? knownMaterialIds();
  const mapping = options.materialsFile ? await readMapping(options.materialsFile, known) : [];
  const { plan, reason } = chooseBodyPlan(options.bodyPlan, options.taxonomy?.class);

  const source = await readSourceModel(options.file, options.maxBytes);
  const validation = options.validate ? await validateSource(source.file, source.bytes, source.format) : undefined;
  const commonName = options.commonName ?? options.scientificName;
  let jointLimits: JointLimitSettings | undefined;
  if (options.jointLimitsFile) {
    const text = await readFile(options.jointLimitsFile, 'utf8').catch((e: Error) => {
      throw new ExorayError('E_USAGE', `Joint limits ${options.jointLimitsFile} cannot be read (${e.message}); check the --joint-limits path`, { cause: e });
    });
    let parsed: unknown;
    try {
      parsed = yaml.load(text);
    } catch (e) {
      throw new ExorayError('E_USAGE', `Joint limits ${options.jointLimitsFile} is not valid JSON or YAML (${(e as Error).message})`, { cause: e });
    }
    jointLimits = parseJointLimits(parsed, options.jointLimitsFile);
  }
  if (options.jointLimitDeg !== undefined) {
    if (!(options.jointLimitDeg >= 0 && options.jointLimitDeg < 90)) throw new ExorayError('E_USAGE', `--joint-limit must be degrees in [0, 90), got ${options.jointLimitDeg}`);
    jointLimits = { joints: jointLimits?.joints ?? {}, defaultDeg: options.jointLimitDeg };
  }
  const imported = await importModel(source.document, source.file, {
    ...(jointLimits ? { jointLimits } : {}),
    id: options.id,
    scientificName: options.scientificName,
    commonName,
    bodyPlan: plan,
    maxTriangles: options.maxTriangles,
    knownMaterials: known,
    mapping,
    up: options.up,
    unit: options.unit,
    ...(options.sizeMm ? { sizeMm: options.sizeMm } : {}),
    ...(options.capOpenings === false ? { repair: { capOpenings: false } } : {}),
    skipUnrepairable: options.skipUnrepairable ?? false,
  });
  imported.report.warnings.unshift(...source.warnings);
  const glb = await writeSpeciesGlb({ parts: imported.parts, skeleton: imported.skeleton }, imported.meta, imported.clips);
  // Nothing to pose (no skin, no morph targets): the entry says so.
  const rigid = !imported.skeleton && !imported.parts.some((p) => p.morphs);
  const length = imported.report.lengthMm;
  const entry = await addSpecies(
    options.catalogDir,
    {
      id: options.id,
      scientificName: options.scientificName,
      commonNames: { en: commonName },
      taxonomy: {
        class: options.taxonomy?.class ?? 'unknown',
        order: options.taxonomy?.order ?? 'unknown',
        family: options.taxonomy?.family ?? 'unknown',
      },
      cites: options.cites ?? null,
      sizeMm: options.sizeMm ?? { min: length, max: length },
      modelLengthMm: length,
      bodyPlan: plan,
      concealment: [],
      tags: options.tags ?? ['imported'],
      orientation: options.orientation ?? 'any',
      imported: { source: basename(source.file), sourceSha256: sha256Hex(source.bytes) },
      ...(rigid ? { rigid: true } : {}),
    },
    glb,
  );
  return { entry, report: imported.report, bodyPlanReason: reason, glbBytes: glb.byteLength, ...(validation ? { validation } : {}) };
}
