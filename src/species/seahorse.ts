/**
 * Procedural spotted seahorse (Hippocampus kuda; all Hippocampus spp. are CITES II) on the
 * syngnathid body plan: 11 trunk and 36 tail rings of bony plates (FishBase: 11 + 36,
 * tail 34-38), a deep trunk with the belly forward, a square prehensile tail curled towards
 * the belly, a thick tubular snout (1/2.3 of the head length), a deep head held at about
 * 80 degrees to the trunk with a low coronet, a dorsal fin over the last two trunk rings
 * and the first tail ring, one vertebra per ring (no ribs, as in all syngnathids).
 *
 * Proportions in standard heights (head + trunk + tail = 1, how seahorses are measured):
 * head 0.19, trunk 0.26, tail 0.55; trunk depth up to 0.15, snout depth 0.028.
 *
 * Two states: alive (`soft_tissue`) and dried (`dried_tissue`: the soft parts dried inside
 * the armour, as seahorses are sold for traditional medicine), the dried one with a sunken
 * belly (`belly`) and often a tighter curl. Not modelled: eyes, spines and tubercles on the
 * ring ridges, pectoral and anal fins, the male's brood pouch, gill chambers and swim
 * bladder (a live seahorse's air would darken its trunk a little). Deterministic.
 */
import type { ModelPart, SpeciesModel } from '../core/types.js';
import { ExorayError } from '../core/errors.js';
import { buildSyngnathid, type SyngnathidPlan } from './plans/syngnathid.js';
import { buildSyngnathidModel, type SyngnathidRigSpec } from './plans/syngnathid-rig.js';

export interface SeahorseParams {
  /** Standard height (head + trunk + tail length), metres. */
  height: number;
  /** Multiplier on the tail's curvature (0 straight, 1 a resting curl, up to 1.25). */
  tailCurl: number;
  /** Multiplier on the trunk's depth below the column (a dried seahorse's belly sinks). */
  belly: number;
  /** Material of the soft parts. */
  tissue: 'soft_tissue' | 'dried_tissue';
  /** Multiplier on tessellation density (1 gives ~24k triangles). */
  detail: number;
}

export const SEAHORSE_DEFAULTS: Readonly<SeahorseParams> = Object.freeze({ height: 0.15, tailCurl: 1, belly: 1, tissue: 'soft_tissue', detail: 1 });
export const DRIED_SEAHORSE_DEFAULTS: Readonly<SeahorseParams> = Object.freeze({ ...SEAHORSE_DEFAULTS, belly: 0.85, tailCurl: 1.1, tissue: 'dried_tissue' });

const LIMITS: Record<'height' | 'tailCurl' | 'belly' | 'detail', [number, number]> = {
  height: [0.01, 0.4],
  tailCurl: [0, 1.25],
  belly: [0.7, 1.2],
  detail: [0.5, 2],
};

function check(p: SeahorseParams): void {
  for (const key of Object.keys(LIMITS) as Array<keyof typeof LIMITS>) {
    const [lo, hi] = LIMITS[key];
    const v = p[key];
    if (!(typeof v === 'number' && v >= lo && v <= hi)) {
      throw new ExorayError('E_ASSET', `seahorse builder: ${key} must be a number in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
    }
  }
  if (p.tissue !== 'soft_tissue' && p.tissue !== 'dried_tissue') {
    throw new ExorayError('E_ASSET', `seahorse builder: tissue must be "soft_tissue" or "dried_tissue", got ${JSON.stringify(p.tissue)}`);
  }
}

/** The seahorse as syngnathid-plan numbers. */
export function seahorsePlan(params: Partial<SeahorseParams> = {}): SyngnathidPlan {
  const p: SeahorseParams = { ...SEAHORSE_DEFAULTS, ...params };
  check(p);
  const b = p.belly;
  const k = p.tailCurl;
  return {
    what: 'seahorse',
    height: p.height,
    tissue: p.tissue,
    detail: p.detail,
    body: {
      top: -0.045,
      trunk: { length: 0.26, rings: 11 },
      tail: { length: 0.55, rings: 36 },
      tip: 0.822,
      // The belly (ventral, -y) deepens and the centre moves ventrally with it.
      sections: [
        { s: 0, w: 0.03, h: 0.042, y: 0, n: 2.4 }, // neck (cleithral) ring
        { s: 0.07, w: 0.036, h: 0.064 * b, y: -0.016 * b, n: 2.5 },
        { s: 0.14, w: 0.038, h: 0.072 * b, y: -0.024 * b, n: 2.5 }, // belly
        { s: 0.22, w: 0.034, h: 0.054 * b, y: -0.014 * b, n: 2.6 },
        { s: 0.28, w: 0.029, h: 0.036, y: 0, n: 3 }, // tail base
        { s: 0.45, w: 0.024, h: 0.027, y: 0, n: 3.5 },
        { s: 0.62, w: 0.018, h: 0.019, y: 0, n: 3.5 },
        { s: 0.75, w: 0.012, h: 0.012, y: 0, n: 3.2 },
        { s: 0.81, w: 0.0075, h: 0.0075, y: 0, n: 3 },
      ],
      heading: -0.12,
      curvature: [
        [0, 0.6],
        [0.24, 0.6],
        [0.3, 0],
        [0.4, 1.5 * k],
        [0.55, 10 * k],
        [0.68, 24 * k],
        [0.78, 40 * k],
        [0.83, 50 * k],
      ],
    },
    armour: { thickness: 0.0012, headThickness: 0.0016, clearance: 0.0004, gap: 0.12, ridge: 0.06 },
    head: {
      length: 0.19,
      profile: {
        frontCap: 0.03,
        rear: 'round',
        keys: [
          { u: 0.03, w: 0.011, h: 0.014, y: 0 }, // mouth at the snout tip
          { u: 0.15, w: 0.01, h: 0.0125, y: 0 },
          { u: 0.42, w: 0.011, h: 0.0145, y: 0.001 }, // end of the snout: 1/2.3 of the head
          { u: 0.55, w: 0.022, h: 0.031, y: 0.009 }, // eye
          { u: 0.7, w: 0.027, h: 0.04, y: 0.01 }, // operculum
          { u: 0.87, w: 0.026, h: 0.04, y: 0.008 },
        ],
      },
      angle: 0.2,
      pivot: { u: 0.78, f: 0.008, v: 0.042 },
    },
    coronet: { at: 0.84, height: 0.03, radius: 0.01 },
    column: { width: 0.3, maxWidth: 0.01, trunkHeight: 0.45, tailHeight: 0, length: 0.75 },
    dorsalFin: { from: 0.205, to: 0.29, height: 0.05, thickness: 0.004 },
  };
}

/** Builds the seahorse as material parts (see plans/syngnathid.ts). */
export function buildSeahorse(params: Partial<SeahorseParams> = {}): ModelPart[] {
  return buildSyngnathid(seahorsePlan(params));
}

/**
 * Joint limits of the live seahorse (degrees). The head nods about the neck (seahorses
 * flick the snout up to strike at prey) and turns a little; the armoured trunk barely
 * bends; the prehensile tail is the mobile part: it uncurls to straight (a little past,
 * dorsally), curls tighter than at rest, as far as the builder's own curl limit (tailCurl
 * 1.25), and bends sideways a little (the square armour rings block it).
 */
export const SEAHORSE_RIG: Readonly<SyngnathidRigSpec> = Object.freeze<SyngnathidRigSpec>({
  head: { x: [-20, 15], y: [-8, 8], z: [-4, 4] },
  trunk: { joints: 2, limits: { x: [-6, 6], y: [-5, 5], z: [-3, 3] } },
  tail: { maxTurn: 50, maxRings: 6, curlFactor: 1.25, margin: 2, dorsal: 5, lateral: 8, twist: 3 },
  window: 0.5,
});

/**
 * The live seahorse with its skeleton (plans/syngnathid-rig.ts). A dried seahorse is stiff:
 * it is built without one (`buildSeahorse`) and declared rigid.
 */
export function buildSeahorseModel(params: Partial<SeahorseParams> = {}, rig: SyngnathidRigSpec = SEAHORSE_RIG): SpeciesModel {
  return buildSyngnathidModel(seahorsePlan(params), rig);
}
