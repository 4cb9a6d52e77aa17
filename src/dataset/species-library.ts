/**
 * The species a run can place: catalog entries with their models loaded once.
 * It is the renderer's asset source (model geometry by id) and gives the
 * sampler what it needs (labels, real sizes, model bounds).
 */
import { ExorayError } from '../core/errors.js';
import type { ModelPart } from '../core/types.js';
import type { SpeciesForScene } from '../scene/sampler.js';
import { loadCatalog, loadSpeciesModel, type SpeciesEntry } from '../species/catalog.js';
import type { AssetSource } from '../render/renderer.js';
import { initPhysics } from '../scene/physics/engine.js';
import { speciesHulls } from '../scene/physics/species-hulls.js';

function bounds(parts: ModelPart[]): SpeciesForScene['bounds'] {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const p of parts) {
    const pos = p.mesh.positions;
    for (let i = 0; i < pos.length; i += 3) {
      for (let k = 0; k < 3; k++) {
        const v = pos[i + k]!;
        if (v < min[k]!) min[k] = v;
        if (v > max[k]!) max[k] = v;
      }
    }
  }
  return { min, max };
}

export class SpeciesLibrary implements AssetSource {
  /** What the sampler gets, computed once (bounds and collision hulls walk every vertex). */
  private scenes: SpeciesForScene[] | null = null;

  private constructor(
    private readonly catalog: SpeciesEntry[],
    private readonly models: Map<string, ModelPart[]>,
  ) {}

  /**
   * Reads the catalog and every model once; a broken catalog or model fails here, before any
   * rendering. Also readies the physics engine the scene sampler places them with.
   */
  static async load(dir?: string): Promise<SpeciesLibrary> {
    await initPhysics();
    const catalog = await loadCatalog(dir);
    const models = new Map<string, ModelPart[]>();
    for (const entry of catalog.species) models.set(entry.id, await loadSpeciesModel(entry));
    return new SpeciesLibrary(catalog.species, models);
  }

  entries(): SpeciesEntry[] {
    return [...this.catalog];
  }

  ids(): string[] {
    return this.catalog.map((e) => e.id);
  }

  get(id: string): SpeciesEntry {
    const entry = this.catalog.find((e) => e.id === id);
    if (!entry) {
      throw new ExorayError('E_ASSET', `species: "${id}" is not in the catalog; known species: ${this.ids().join(', ')}.`);
    }
    return entry;
  }

  parts(id: string): ModelPart[] {
    const parts = this.models.get(id);
    if (!parts) this.get(id); // throws the helpful error
    return parts!;
  }

  materialIds(): string[] {
    return [...new Set(this.catalog.flatMap((e) => this.parts(e.id).map((p) => p.material)))];
  }

  forScenes(): SpeciesForScene[] {
    this.scenes ??= this.catalog.map((e) => ({
      id: e.id,
      scientificName: e.scientificName,
      commonName: e.commonNames.en,
      sizeMm: e.sizeMm,
      modelLengthMm: e.modelLengthMm,
      bounds: bounds(this.parts(e.id)),
      orientation: e.orientation,
      materials: [...new Set(this.parts(e.id).map((p) => p.material))],
      hulls: speciesHulls(this.parts(e.id)),
    }));
    return [...this.scenes];
  }
}
