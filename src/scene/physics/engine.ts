/**
 * The physics engine: Rapier, in its cross-platform deterministic WebAssembly build
 * (the same inputs give bit-identical results on every machine, which the dataset's
 * byte-for-byte reproducibility needs). The WebAssembly is embedded in the package,
 * so nothing is downloaded; it is compiled once per process by initPhysics() (about
 * 0.15 s), after which everything is synchronous, as the scene sampler is.
 */
import RAPIER from '@dimforge/rapier3d-deterministic-compat';
import { ExorayError } from '../../core/errors.js';

export type Rapier = typeof RAPIER;

let ready: Promise<void> | null = null;
let loaded = false;

/** Compiles the engine once per process; later calls return the same promise. */
export function initPhysics(): Promise<void> {
  ready ??= RAPIER.init().then(() => {
    loaded = true;
  });
  return ready;
}

export function physicsReady(): boolean {
  return loaded;
}

/** The engine, once initPhysics() has finished. */
export function rapier(): Rapier {
  if (!loaded) {
    throw new ExorayError(
      'E_PHYSICS',
      'physics: the engine is not initialised; await initPhysics() (src/scene/physics/engine.ts) once before sampling scenes (SpeciesLibrary.load() does it), or use a preset with "placement: boxes".',
    );
  }
  return RAPIER;
}
