/**
 * The import pipeline on a parsed glTF: bake to static parts, normalise the frame and
 * size, weld, repair, simplify over the triangle budget, map materials. Returns the
 * parts to store, the metadata to embed and a report of every decision. No file I/O
 * (the Document comes from source.ts; storing is catalog-store.ts's job).
 */
import { basename } from 'node:path';
import type { Document } from '@gltf-transform/core';
import type { ModelPart, Skeleton } from '../../core/types.js';
import type { AnimationClip } from '../rig/clips.js';
import { rigidSkin } from '../rig/weights.js';
import { DEFAULT_IMPORT_JOINT_LIMIT_DEG, importClips, importSkeleton, sourceVertices, transferMorphs, transferSkin, type JointLimitSettings } from './rig-import.js';
import { boundsOf, mergeMeshes, triangleCount, weldVertices } from '../../geometry/mesh.js';
import { validateClosedMesh } from '../../geometry/validate.js';
import { ExorayError } from '../../core/errors.js';
import type { BodyPlan } from '../catalog.js';
import type { JsonValue, ModelMeta } from '../glb.js';
import { compactVertices, weldNear } from './compact.js';
import { extractParts, skinsToJson, type SourcePart } from './extract.js';
import { joinOpenParts } from './join-open.js';
import { chooseMaterial, type MaterialChoice, type MaterialMapping } from './material-map.js';
import { normaliseModel, type NormaliseOptions } from './normalise.js';
import { repairMesh, type RepairOptions } from './repair.js';
import { simplifyToBudget } from './simplify.js';

/** Seam gaps below this share of the model's diagonal are welded shut (float rounding in exporters). */
const WELD_TOLERANCE = 1e-6;

export interface ImportOptions extends NormaliseOptions {
  id: string;
  scientificName: string;
  commonName: string;
  bodyPlan: BodyPlan;
  /** Triangle budget for the whole model. */
  maxTriangles: number;
  /** Exoray material ids (assets/materials). */
  knownMaterials: readonly string[];
  mapping?: MaterialMapping;
  repair?: RepairOptions;
  /** Leave out parts that repair refuses (reported in `leftOut`) instead of refusing the model. */
  skipUnrepairable?: boolean;
  /** Limits of the kept skeleton's joints (default: DEFAULT_IMPORT_JOINT_LIMIT_DEG on every axis). */
  jointLimits?: JointLimitSettings;
}

export interface PartReport extends MaterialChoice {
  trianglesIn: number;
  trianglesOut: number;
  repairs: string[];
  /** Error limit of the simplification (fraction of the part's radius), or null when not simplified. */
  simplifiedAtError: number | null;
  skinned: boolean;
  morphed: boolean;
}

export interface ImportReport {
  file: string;
  parts: PartReport[];
  /** Normalisation steps. */
  steps: string[];
  skipped: string[];
  /** What the import had to work around (broken looks, parts joined, parts left out). */
  warnings: string[];
  /** Parts left out because they cannot be made closed volumes (with skipUnrepairable). */
  leftOut: Array<{ part: string; triangles: number; reason: string }>;
  skins: number;
  joints: number;
  trianglesIn: number;
  trianglesOut: number;
  /** The budget asked for; trianglesOut stays above it only when no simplification kept the part closed. */
  maxTriangles: number;
  lengthMm: number;
  extentMm: [number, number, number];
}

export interface ImportedModel {
  parts: ModelPart[];
  /** The skins' joints, rebound at the baked rest pose; null when the file has no skin. */
  skeleton: Skeleton | null;
  /** Rotation channels of the file's animations, on the skeleton's joints. */
  clips: AnimationClip[];
  meta: ModelMeta;
  report: ImportReport;
}

/** Index of the member with the most triangles (the first on a tie). */
function largestMember(members: readonly SourcePart[]): number {
  let best = 0;
  members.forEach((m, i) => {
    if (triangleCount(m.mesh) > triangleCount(members[best]!.mesh)) best = i;
  });
  return best;
}

/** A part standing for joined members: their names, the largest member's glTF names, all their triangles. */
function joinedSource(members: readonly SourcePart[]): SourcePart {
  if (members.length === 1) return members[0]!;
  const lead = members[largestMember(members)]!;
  return {
    ...lead,
    name: members.map((m) => m.name).join('+'),
    mesh: mergeMeshes(members.map((m) => m.mesh)),
    skinned: members.some((m) => m.skinned),
    morphed: members.some((m) => m.morphed),
  };
}

/** Budget share of each part, proportional to its triangles (at least a tetrahedron's worth). */
function shares(counts: readonly number[], budget: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= budget) return [...counts];
  return counts.map((n) => Math.max(4, Math.floor((budget * n) / total)));
}

export async function importModel(document: Document, file: string, options: ImportOptions): Promise<ImportedModel> {
  const name = basename(file);
  const extracted = extractParts(document, file);
  const normalised = normaliseModel(
    extracted.parts.map((p) => p.mesh),
    options,
    file,
  );
  const diagonal = Math.hypot(...normalised.extentMm) / 1000;
  const warnings: string[] = [];
  // Parts that close each other (a body split per material) become one part first.
  const joins = joinOpenParts(extracted.parts.map((_, i) => compactVertices(weldVertices(normalised.meshes[i]!))));
  const sources = joins.groups.map((g) => joinedSource(g.map((i) => extracted.parts[i]!)));
  const choices = joins.groups.map((g, k) => {
    const members = g.map((i) => extracted.parts[i]!);
    const picks = members.map((m) => chooseMaterial(m, options.bodyPlan, options.knownMaterials, options.mapping));
    const lead = largestMember(members);
    const chosen = { ...picks[lead]!, part: sources[k]!.name };
    const differing = picks.filter((c) => c.material !== chosen.material);
    if (differing.length > 0) {
      warnings.push(`joined parts ${members.map((m, i) => `${m.name} (${picks[i]!.material})`).join(', ')} map to different materials; the joined part "${chosen.part}" takes ${chosen.material} from its largest member, ${members[lead]!.name}`);
    }
    return chosen;
  });
  const leftOut: ImportReport['leftOut'] = [];
  const repairedAll = sources.map((part, k) => {
    let welded = joins.meshes[k]!;
    const actions: string[] = [];
    const group = joins.groups[k]!;
    if (group.length > 1) {
      actions.push(`joined ${group.length} open parts (${group.map((i) => extracted.parts[i]!.name).join(', ')}) along ${joins.sharedEdges[k]} shared boundary edges`);
    }
    if (validateClosedMesh(welded).boundaryEdges > 0) {
      const tolerance = WELD_TOLERANCE * diagonal;
      const near = weldNear(welded, tolerance);
      if (near.merged > 0) {
        welded = near.mesh;
        actions.push(`welded ${near.merged} vertices closer than ${(tolerance * 1e6).toPrecision(2)} um (open seams)`);
      }
    }
    try {
      const result = repairMesh(welded, `${name}:${part.name}`, options.repair);
      return { ...result, actions: [...actions, ...result.actions] };
    } catch (e) {
      if (!options.skipUnrepairable || !(e instanceof ExorayError) || e.code !== 'E_MESH_INVALID') throw e;
      leftOut.push({ part: part.name, triangles: triangleCount(welded), reason: e.message });
      return null;
    }
  });
  const kept = repairedAll.flatMap((r, k) => (r ? [k] : []));
  if (kept.length === 0) {
    throw new ExorayError('E_MESH_INVALID', `Model file ${file}: no part can be made a closed outward-facing volume; the first: ${leftOut[0]?.reason ?? 'none'}`);
  }
  if (leftOut.length > 0) {
    const total = repairedAll.reduce((n, r, k) => n + (r ? triangleCount(r.mesh) : leftOut.find((l) => l.part === sources[k]!.name)!.triangles), 0);
    const dropped = leftOut.reduce((n, l) => n + l.triangles, 0);
    warnings.push(
      `left out ${leftOut.length} of ${sources.length} parts (${dropped} of ${total} triangles) that cannot be made closed volumes: ${leftOut.map((l) => l.part).join(', ')}`,
    );
  }
  const repaired = kept.map((k) => repairedAll[k]!);
  const keptSources = kept.map((k) => sources[k]!);
  const keptChoices = kept.map((k) => choices[k]!);
  const counts = repaired.map((r) => triangleCount(r.mesh));
  const budgets = shares(counts, options.maxTriangles);

  const parts: ModelPart[] = [];
  const reports: PartReport[] = [];
  for (let i = 0; i < keptSources.length; i++) {
    const source = keptSources[i]!;
    const where = `${name}:${source.name}`;
    const simplified = await simplifyToBudget(repaired[i]!.mesh, budgets[i]!, where, options.repair);
    const choice = keptChoices[i]!;
    parts.push({ name: source.name, material: choice.material, mesh: simplified.mesh });
    reports.push({
      ...choice,
      trianglesIn: triangleCount(source.mesh),
      trianglesOut: triangleCount(simplified.mesh),
      repairs: repaired[i]!.actions,
      simplifiedAtError: simplified.error,
      skinned: source.skinned,
      morphed: source.morphed,
    });
  }

  // Skins and morph targets follow each final vertex from the source vertex at its position.
  const limits = options.jointLimits ?? { defaultDeg: DEFAULT_IMPORT_JOINT_LIMIT_DEG, joints: {} };
  const rig = importSkeleton(extracted, normalised.matrix, limits, file);
  parts.forEach((part, i) => {
    const source = extracted.parts[i]!;
    if (!rig && !source.morphs) return;
    const map = sourceVertices(part.mesh, normalised.meshes[i]!.positions);
    if (rig) {
      // An unskinned mesh of a skinned model moves with the joint it hangs from (or the first root).
      part.skin = source.skin ? transferSkin(map, source.skin, rig.indexOf) : rigidSkin(part.mesh, source.parentJoint >= 0 ? rig.indexOf[source.parentJoint]! : 0).skin;
    }
    if (source.morphs) part.morphs = transferMorphs(map, source.morphs, normalised.matrix);
  });
  const clips = rig ? importClips(document, extracted, rig) : [];

  const b = boundsOf(parts.map((p) => p.mesh));
  const extentMm = [0, 1, 2].map((k) => Math.round((b.max[k]! - b.min[k]!) * 1e6) / 1e3) as [number, number, number];
  const report: ImportReport = {
    file,
    parts: reports,
    steps: normalised.steps,
    skipped: extracted.skipped,
    warnings,
    leftOut,
    skins: extracted.skins.length,
    joints: extracted.skins.reduce((n, s) => n + s.joints.length, 0),
    trianglesIn: reports.reduce((n, r) => n + r.trianglesIn, 0),
    trianglesOut: reports.reduce((n, r) => n + r.trianglesOut, 0),
    maxTriangles: options.maxTriangles,
    lengthMm: extentMm[2],
    extentMm,
  };
  const meta: ModelMeta = {
    id: options.id,
    scientificName: options.scientificName,
    commonName: options.commonName,
    importedFrom: name,
    units: 'm',
    up: '+Y',
    forward: '+Z',
    // The source-to-model matrix, so the skeletons below can be posed in this frame later.
    sourceToModel: normalised.matrix,
    skins: skinsToJson(extracted.skins),
    morphTargetsBaked: reports.some((r) => r.morphed),
    // Kept for posing: the skeleton (glTF skin) and morph targets of the stored model, and its clips.
    posable: { joints: rig?.skeleton.joints.length ?? 0, morphTargets: parts.reduce((n, p) => n + (p.morphs?.deltas.length ?? 0), 0), clips: clips.map((c) => c.name) },
    materials: reports.map((r) => ({ part: r.part, material: r.material, reason: r.reason })) as JsonValue,
  };
  return { parts, skeleton: rig?.skeleton ?? null, clips, meta, report };
}
