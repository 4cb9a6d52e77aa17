/**
 * What a refresh must do, as a pure function of the target, the catalog (ids and
 * model hashes) and the samples already in the database.
 *
 * A refreshed dataset's samples are keyed by (species, k, model hash): sample k
 * of a species is made from a seed derived from (target seed, species, k) only,
 * so adding a species never changes another's samples, and a changed model
 * remakes the same scenes with the new model under new ids. The old samples are
 * superseded (kept, not exported); a species gone from the catalog has its
 * samples retired. A model changed back to an earlier version gets its earlier
 * samples back (reactivated) instead of new copies of them.
 */
import { ExorayError } from '../core/errors.js';
import type { SampleStatus } from '../db/records.js';

export interface CatalogModel {
  id: string;
  /** sha256 of the model file. */
  sha256: string;
}

export interface StoredRefreshSample {
  id: string;
  targetSpecies: string;
  modelSha256: string;
  status: SampleStatus;
}

export type SpeciesState = 'new' | 'changed' | 'resized' | 'unchanged' | 'removed';

export interface SpeciesPlan {
  species: string;
  state: SpeciesState;
  /** Current model hash (null for a species gone from the catalog). */
  sha256: string | null;
  add: number;
  supersede: number;
  retire: number;
  reactivate: number;
  /** Active samples once the refresh is done. */
  active: number;
}

export interface PlannedSample {
  id: string;
  species: string;
  k: number;
  sha256: string;
}

export interface RefreshPlan {
  species: SpeciesPlan[];
  /** In the order they are made and committed. */
  add: PlannedSample[];
  supersede: string[];
  retire: string[];
  reactivate: string[];
}

/** "stag-beetle-00012-1a2b3c4d": species, index within it, and the first 8 hex digits of the model hash. */
export function refreshSampleId(species: string, k: number, sha256: string): string {
  return `${species}-${String(k).padStart(5, '0')}-${sha256.slice(0, 8)}`;
}

/** The index within its species of a refreshed sample. */
export function refreshSampleIndex(id: string): number {
  const m = /-(\d{5,})-[0-9a-f]{8}$/.exec(id);
  if (!m) throw new ExorayError('E_DATABASE', `refresh: sample id "${id}" is not of the form <species>-<index>-<hash>; this database was not made by exoray refresh.`);
  return Number(m[1]);
}

/** The train/val/test key: a sample keeps its split when its species' model changes. */
export function refreshSplitKey(species: string, k: number): string {
  return `${species}-${k}`;
}

export function isEmptyPlan(plan: RefreshPlan): boolean {
  return plan.add.length + plan.supersede.length + plan.retire.length + plan.reactivate.length === 0;
}

export function planRefresh(
  target: { species: 'all' | readonly string[]; samplesPerSpecies: number },
  catalog: readonly CatalogModel[],
  stored: readonly StoredRefreshSample[],
): RefreshPlan {
  const models = new Map(catalog.map((m) => [m.id, m.sha256]));
  const wanted = (target.species === 'all' ? [...models.keys()] : target.species.filter((id) => models.has(id))).sort();
  const bySpecies = new Map<string, StoredRefreshSample[]>();
  for (const s of stored) {
    const list = bySpecies.get(s.targetSpecies) ?? [];
    list.push(s);
    bySpecies.set(s.targetSpecies, list);
  }
  const plan: RefreshPlan = { species: [], add: [], supersede: [], retire: [], reactivate: [] };
  const n = target.samplesPerSpecies;

  for (const species of wanted) {
    const sha = models.get(species)!;
    const samples = bySpecies.get(species) ?? [];
    const current = new Set<number>();
    const sp: SpeciesPlan = { species, state: 'unchanged', sha256: sha, add: 0, supersede: 0, retire: 0, reactivate: 0, active: 0 };
    for (const s of samples) {
      const k = refreshSampleIndex(s.id);
      if (s.modelSha256 !== sha) {
        if (s.status === 'active') {
          plan.supersede.push(s.id);
          sp.supersede++;
        }
      } else if (k >= n) {
        // samplesPerSpecies was lowered: the surplus leaves the dataset.
        if (s.status === 'active') {
          plan.retire.push(s.id);
          sp.retire++;
        }
      } else {
        current.add(k);
        if (s.status !== 'active') {
          plan.reactivate.push(s.id);
          sp.reactivate++;
        }
      }
    }
    for (let k = 0; k < n; k++) {
      if (current.has(k)) continue;
      plan.add.push({ id: refreshSampleId(species, k, sha), species, k, sha256: sha });
      sp.add++;
    }
    sp.active = n;
    sp.state = samples.length === 0 ? 'new' : sp.supersede > 0 || sp.reactivate > 0 ? 'changed' : sp.add > 0 || sp.retire > 0 ? 'resized' : 'unchanged';
    plan.species.push(sp);
  }

  const kept = new Set(wanted);
  for (const species of [...bySpecies.keys()].sort()) {
    if (kept.has(species)) continue;
    const active = bySpecies.get(species)!.filter((s) => s.status === 'active');
    for (const s of active) plan.retire.push(s.id);
    plan.species.push({ species, state: active.length > 0 ? 'removed' : 'unchanged', sha256: models.get(species) ?? null, add: 0, supersede: 0, retire: active.length, reactivate: 0, active: 0 });
  }
  return plan;
}
