/**
 * Builds the procedural species models into assets/species/ and records each model's
 * length in catalog.json. Run after changing a builder:
 *   npx tsc -p tsconfig.build.json && node dist/species/build-assets.js
 * A test compares the committed GLBs with fresh builds, so a changed builder without a
 * rebuild fails CI.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SpeciesModel } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { boundsOf } from '../geometry/mesh.js';
import { assertClosedOutward } from '../geometry/validate.js';
import { buildStagBeetleModel, STAG_BEETLE_DEFAULTS } from './beetle.js';
import { defaultSpeciesDir } from './catalog.js';
import { buildLeopardGeckoModel, LEOPARD_GECKO_DEFAULTS } from './gecko.js';
import { buildDartFrogModel, DART_FROG_DEFAULTS } from './frog.js';
import { buildParrotEgg, PARROT_EGG_DEFAULTS } from './parrot-egg.js';
import { buildParrotChickModel, PARROT_CHICK_DEFAULTS } from './parrot-chick.js';
import { buildSliderHatchlingModel, buildStarTortoiseModel, SLIDER_HATCHLING_DEFAULTS, STAR_TORTOISE_DEFAULTS } from './chelonians.js';
import { BALL_PYTHON_DEFAULTS, buildBallPythonModel } from './snake.js';
import { buildSeahorse, buildSeahorseModel, DRIED_SEAHORSE_DEFAULTS, SEAHORSE_DEFAULTS } from './seahorse.js';
import { ARTHROPOD_MODELS } from './arthropod-models.js';
import { writeSpeciesGlb, type ModelMeta } from './glb.js';
import { checkSkeleton } from './rig/glb-skin.js';
import { checkSkins } from './rig/check.js';

export interface ProceduralModel {
  /** Catalog id of the species this model draws. */
  id: string;
  /** File name in the species directory. */
  file: string;
  meta: ModelMeta;
  /** The parts and skeleton (null: a rigid model, declared `rigid: true` in the catalog). */
  build: () => SpeciesModel;
}

export const PROCEDURAL_MODELS: readonly ProceduralModel[] = [
  {
    id: 'stag-beetle',
    file: 'stag-beetle.glb',
    meta: {
      id: 'stag-beetle',
      scientificName: 'Dorcus titanus',
      commonName: 'Giant stag beetle',
      builder: 'buildStagBeetle',
      params: { ...STAG_BEETLE_DEFAULTS },
      units: 'm',
      forward: '+Z',
      up: '+Y',
    },
    build: () => buildStagBeetleModel(),
  },
  {
    // Coiled, as ball pythons are usually shipped (in cloth bags): the catalog's sizeMm is
    // therefore the coil's diameter (its Z extent), not the snake's length.
    id: 'ball-python',
    file: 'ball-python.glb',
    meta: {
      id: 'ball-python',
      scientificName: 'Python regius',
      commonName: 'Ball python',
      builder: 'buildBallPython',
      params: { ...BALL_PYTHON_DEFAULTS },
      units: 'm',
      forward: 'coiled flat in the XZ plane, head in the centre',
      up: '+Y',
    },
    build: () => buildBallPythonModel(),
  },
  ...ARTHROPOD_MODELS,
  {
    id: 'leopard-gecko',
    file: 'leopard-gecko.glb',
    meta: {
      id: 'leopard-gecko',
      scientificName: 'Eublepharis macularius',
      commonName: 'Leopard gecko',
      builder: 'buildLeopardGecko',
      params: { ...LEOPARD_GECKO_DEFAULTS },
      units: 'm',
      forward: '+Z',
      up: '+Y',
    },
    build: () => buildLeopardGeckoModel(),
  },
  {
    // The catalog's sizeMm is the carapace length range times modelLengthMm / 200 (head and tail stick out).
    id: 'star-tortoise',
    file: 'star-tortoise.glb',
    meta: {
      id: 'star-tortoise',
      scientificName: 'Geochelone elegans',
      commonName: 'Indian star tortoise',
      builder: 'buildStarTortoise',
      params: { ...STAR_TORTOISE_DEFAULTS },
      units: 'm',
      forward: '+Z',
      up: '+Y',
    },
    build: () => buildStarTortoiseModel(),
  },
  {
    id: 'red-eared-slider-hatchling',
    file: 'red-eared-slider-hatchling.glb',
    meta: {
      id: 'red-eared-slider-hatchling',
      scientificName: 'Trachemys scripta elegans',
      commonName: 'Red-eared slider (hatchling)',
      builder: 'buildSliderHatchling',
      params: { ...SLIDER_HATCHLING_DEFAULTS },
      units: 'm',
      forward: '+Z',
      up: '+Y',
    },
    build: () => buildSliderHatchlingModel(),
  },
  {
    id: 'dyeing-poison-frog',
    file: 'dyeing-poison-frog.glb',
    meta: {
      id: 'dyeing-poison-frog',
      scientificName: 'Dendrobates tinctorius',
      commonName: 'Dyeing poison frog',
      builder: 'buildDartFrog',
      params: { ...DART_FROG_DEFAULTS },
      units: 'm',
      forward: '+Z',
      up: '+Y',
    },
    build: () => buildDartFrogModel(),
  },
  {
    id: 'grey-parrot-egg',
    file: 'grey-parrot-egg.glb',
    meta: {
      id: 'grey-parrot-egg',
      scientificName: 'Psittacus erithacus',
      commonName: 'Grey parrot (egg)',
      builder: 'buildParrotEgg',
      params: { ...PARROT_EGG_DEFAULTS },
      units: 'm',
      forward: 'long axis along Z, blunt end towards +Z',
      up: '+Y',
    },
    build: () => ({ parts: buildParrotEgg(), skeleton: null }),
  },
  {
    // A second pose of the ball python (see the catalog entry's notes), a little coarser to
    // stay under 30k triangles; sizeMm is then the snake's total length.
    id: 'ball-python-stretched',
    file: 'ball-python-stretched.glb',
    meta: {
      id: 'ball-python-stretched',
      scientificName: 'Python regius',
      commonName: 'Ball python (stretched)',
      builder: 'buildBallPython',
      params: { ...BALL_PYTHON_DEFAULTS, pose: 'stretched', detail: 0.8 },
      units: 'm',
      forward: '+Z',
      up: '+Y',
    },
    build: () => buildBallPythonModel({ pose: 'stretched', detail: 0.8 }),
  },
  {
    id: 'grey-parrot-chick',
    file: 'grey-parrot-chick.glb',
    meta: {
      id: 'grey-parrot-chick',
      scientificName: 'Psittacus erithacus',
      commonName: 'Grey parrot (chick)',
      builder: 'buildParrotChick',
      params: { ...PARROT_CHICK_DEFAULTS },
      units: 'm',
      forward: '+Z',
      up: '+Y',
    },
    build: () => buildParrotChickModel(),
  },
  {
    // Lying on its side (+Y lateral): sizeMm is the curled height (the model's Z extent),
    // the standard height range times modelLengthMm / 150 (see the catalog entry's notes).
    id: 'spotted-seahorse',
    file: 'spotted-seahorse.glb',
    meta: {
      id: 'spotted-seahorse',
      scientificName: 'Hippocampus kuda',
      commonName: 'Spotted seahorse',
      builder: 'buildSeahorse',
      params: { ...SEAHORSE_DEFAULTS },
      units: 'm',
      forward: '+X (snout and belly); coronet towards -Z; lying on its side',
      up: '+Y (lateral)',
    },
    build: () => buildSeahorseModel(),
  },
  {
    id: 'spotted-seahorse-dried',
    file: 'spotted-seahorse-dried.glb',
    meta: {
      id: 'spotted-seahorse-dried',
      scientificName: 'Hippocampus kuda',
      commonName: 'Spotted seahorse (dried)',
      builder: 'buildSeahorse',
      params: { ...DRIED_SEAHORSE_DEFAULTS },
      units: 'm',
      forward: '+X (snout and belly); coronet towards -Z; lying on its side',
      up: '+Y (lateral)',
    },
    // Dried specimens are stiff: no skeleton, declared rigid.
    build: () => ({ parts: buildSeahorse(DRIED_SEAHORSE_DEFAULTS), skeleton: null }),
  },
];

export interface BuiltModel {
  id: string;
  file: string;
  bytes: Uint8Array;
  /** Extent along Z in mm, rounded to 1 um. */
  modelLengthMm: number;
  triangles: number;
  /** Skeleton joints (0 for a rigid model). */
  joints: number;
}

/** Builds one model in memory (validated, not written). */
export async function buildModel(model: ProceduralModel): Promise<BuiltModel> {
  const built = model.build();
  const { parts, skeleton } = built;
  let triangles = 0;
  for (const p of parts) triangles += assertClosedOutward(p.mesh, `${model.file}:${p.name}`).triangles;
  if (skeleton) {
    checkSkeleton(skeleton, model.file);
    checkSkins(built, model.file);
  }
  const b = boundsOf(parts.map((p) => p.mesh));
  const modelLengthMm = Math.round((b.max[2] - b.min[2]) * 1e6) / 1e3;
  return { id: model.id, file: model.file, bytes: await writeSpeciesGlb(built, model.meta), modelLengthMm, triangles, joints: skeleton?.joints.length ?? 0 };
}

/** Builds every procedural model into `dir` and updates modelLengthMm in its catalog.json. */
export async function buildSpeciesAssets(dir: string = defaultSpeciesDir()): Promise<BuiltModel[]> {
  const catalogFile = join(dir, 'catalog.json');
  const catalog = JSON.parse(await readFile(catalogFile, 'utf8')) as { species?: Array<Record<string, unknown>> };
  const built: BuiltModel[] = [];
  for (const model of PROCEDURAL_MODELS) {
    const result = await buildModel(model);
    const entry = catalog.species?.find((s) => s.id === model.id);
    if (!entry) {
      throw new ExorayError('E_ASSET', `build-assets: ${catalogFile} has no species "${model.id}"; add its entry before building its model`);
    }
    entry.model = model.file;
    entry.modelLengthMm = result.modelLengthMm;
    // A model without a skeleton says so: it is posed only by its placement.
    if (result.joints === 0) entry.rigid = true;
    else delete entry.rigid;
    await writeFile(join(dir, model.file), result.bytes);
    built.push(result);
  }
  await writeFile(catalogFile, `${JSON.stringify(catalog, null, 2)}\n`, 'utf8');
  return built;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  buildSpeciesAssets(process.argv[2]).then(
    (built) => {
      for (const b of built) console.log(`${b.file}: ${b.bytes.byteLength} bytes, ${b.triangles} triangles, ${b.joints} joints, ${b.modelLengthMm} mm along Z`);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
