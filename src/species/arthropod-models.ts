/**
 * The procedural arthropod and myriapod models built into assets/species/ (appended to
 * PROCEDURAL_MODELS in build-assets.ts). Each draws the catalog entry of the same id.
 */
import type { ProceduralModel } from './build-assets.js';
import { buildCentipede, CENTIPEDE_DEFAULTS } from './centipede.js';
import { buildRhinoBeetle, RHINO_BEETLE_DEFAULTS } from './rhino-beetle.js';

const frame = { units: 'm', forward: '+Z', up: '+Y' } as const;

export const ARTHROPOD_MODELS: readonly ProceduralModel[] = [
  {
    id: 'hercules-beetle',
    file: 'hercules-beetle.glb',
    meta: { id: 'hercules-beetle', scientificName: 'Dynastes hercules', commonName: 'Hercules beetle', builder: 'buildRhinoBeetle', params: { ...RHINO_BEETLE_DEFAULTS }, ...frame },
    build: () => buildRhinoBeetle(),
  },
  {
    id: 'giant-centipede',
    file: 'giant-centipede.glb',
    meta: { id: 'giant-centipede', scientificName: 'Scolopendra subspinipes', commonName: 'Giant centipede', builder: 'buildCentipede', params: { ...CENTIPEDE_DEFAULTS }, ...frame },
    build: () => buildCentipede(),
  },
];
