/**
 * The procedural arthropod and myriapod models built into assets/species/ (appended to
 * PROCEDURAL_MODELS in build-assets.ts). Each draws the catalog entry of the same id.
 */
import { ANT_COLONY_DEFAULTS, buildAntColony } from './ant-colony.js';
import type { ProceduralModel } from './build-assets.js';
import { buildCentipedeModel, CENTIPEDE_DEFAULTS } from './centipede.js';
import { buildMillipedeModel, MILLIPEDE_DEFAULTS } from './millipede.js';
import { buildRhinoBeetleModel, RHINO_BEETLE_DEFAULTS } from './rhino-beetle.js';
import { buildScorpionModel, SCORPION_DEFAULTS } from './scorpion.js';
import { buildStickInsectModel, STICK_INSECT_DEFAULTS } from './stick-insect.js';
import { buildTarantulaModel, TARANTULA_DEFAULTS } from './tarantula.js';

const frame = { units: 'm', forward: '+Z', up: '+Y' } as const;

export const ARTHROPOD_MODELS: readonly ProceduralModel[] = [
  {
    id: 'hercules-beetle',
    file: 'hercules-beetle.glb',
    meta: { id: 'hercules-beetle', scientificName: 'Dynastes hercules', commonName: 'Hercules beetle', builder: 'buildRhinoBeetle', params: { ...RHINO_BEETLE_DEFAULTS }, ...frame },
    build: () => buildRhinoBeetleModel(),
  },
  {
    id: 'giant-centipede',
    file: 'giant-centipede.glb',
    meta: { id: 'giant-centipede', scientificName: 'Scolopendra subspinipes', commonName: 'Giant centipede', builder: 'buildCentipede', params: { ...CENTIPEDE_DEFAULTS }, ...frame },
    build: () => buildCentipedeModel(),
  },
  {
    id: 'red-knee-tarantula',
    file: 'red-knee-tarantula.glb',
    meta: { id: 'red-knee-tarantula', scientificName: 'Brachypelma hamorii', commonName: 'Mexican red-knee tarantula', builder: 'buildTarantula', params: { ...TARANTULA_DEFAULTS }, ...frame },
    build: () => buildTarantulaModel(),
  },
  {
    id: 'emperor-scorpion',
    file: 'emperor-scorpion.glb',
    meta: { id: 'emperor-scorpion', scientificName: 'Pandinus imperator', commonName: 'Emperor scorpion', builder: 'buildScorpion', params: { ...SCORPION_DEFAULTS }, ...frame },
    build: () => buildScorpionModel(),
  },
  {
    id: 'giant-african-millipede',
    file: 'giant-african-millipede.glb',
    meta: { id: 'giant-african-millipede', scientificName: 'Archispirostreptus gigas', commonName: 'Giant African millipede', builder: 'buildMillipede', params: { ...MILLIPEDE_DEFAULTS }, ...frame },
    build: () => buildMillipedeModel(),
  },
  {
    id: 'jungle-nymph',
    file: 'jungle-nymph.glb',
    meta: { id: 'jungle-nymph', scientificName: 'Heteropteryx dilatata', commonName: 'Jungle nymph stick insect', builder: 'buildStickInsect', params: { ...STICK_INSECT_DEFAULTS }, ...frame },
    build: () => buildStickInsectModel(),
  },
  {
    id: 'harvester-ant-colony',
    file: 'harvester-ant-colony.glb',
    meta: {
      id: 'harvester-ant-colony',
      scientificName: 'Messor barbarus',
      commonName: 'Harvester ant colony in a test tube',
      builder: 'buildAntColony',
      params: { ...ANT_COLONY_DEFAULTS },
      units: 'm',
      forward: '+Z: the tube axis, closed end (water) at -Z, mouth at +Z',
      up: '+Y',
    },
    build: () => ({ parts: buildAntColony(), skeleton: null }),
  },
];
