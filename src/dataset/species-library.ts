/**
 * The species a run can place: catalog entries with their models loaded once.
 * It is the renderer's asset source (model geometry by id) and gives the
 * sampler what it needs (labels, real sizes, model bounds).
 */
import { ExorayError } from '../core/errors.js';
import type { AnimalPose, ModelPart, Quat, Skeleton, SpeciesModel } from '../core/types.js';
import type { SpeciesForScene } from '../scene/sampler.js';
import { loadCatalog, loadSpeciesRigged, type SpeciesEntry } from '../species/catalog.js';
import { poseRigOf, type PoseRig } from '../species/rig/pose-rig.js';
import { posePart, skinMatrices } from '../species/rig/skinning.js';
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
    private readonly models: Map<string, SpeciesModel>,
  ) {}

  /** Pose rigs, made when first asked for (a run that only reads the catalog never needs them). */
  private readonly rigs = new Map<string, PoseRig>();

  /**
   * Reads the catalog and every model once; a broken catalog or model fails here, before any
   * rendering. Also readies the physics engine the scene sampler places them with.
   */
  static async load(dir?: string): Promise<SpeciesLibrary> {
    await initPhysics();
    const catalog = await loadCatalog(dir);
    const models = new Map<string, SpeciesModel>();
    for (const entry of catalog.species) models.set(entry.id, await loadSpeciesRigged(entry));
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
    const model = this.models.get(id);
    if (!model) this.get(id); // throws the helpful error
    return model!.parts;
  }

  /** The model's skeleton, null for a rigid model. */
  skeleton(id: string): Skeleton | null {
    const model = this.models.get(id);
    if (!model) this.get(id);
    return model!.skeleton;
  }

  /** The model's parts in a pose (as stored without one): what the renderer draws for that animal. */
  posedParts(id: string, pose?: AnimalPose): ModelPart[] {
    const parts = this.parts(id);
    if (!pose) return parts;
    const skeleton = this.skeleton(id);
    const matrices = skeleton ? skinMatrices(skeleton, pose.joints as Quat[]) : null;
    return parts.map((part, i) => ({ ...part, mesh: posePart(part, matrices, pose.morphWeights?.[i]) }));
  }

  /** What posing the species needs (skeleton, joint boxes, morph targets, clips). */
  rig(id: string): PoseRig {
    let rig = this.rigs.get(id);
    if (!rig) {
      const model = this.models.get(id);
      if (!model) this.get(id);
      rig = poseRigOf(model!, model!.clips ?? []);
      this.rigs.set(id, rig);
    }
    return rig;
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
      ...(this.rig(e.id).skeleton || this.rig(e.id).morphTargets.some((n) => n > 0) ? { rig: this.rig(e.id) } : {}),
    }));
    return [...this.scenes];
  }
}
