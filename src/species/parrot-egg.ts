/**
 * A grey parrot (Psittacus erithacus) egg on the egg plan: white, nearly elliptical
 * (parrot eggs are less pointed than hens'), 38.5 x 30 mm on average (range about
 * 35-41 mm long), shell ~0.25 mm. Altricial birds lay eggs with less yolk than precocial
 * ones: ~22% of the contents here (a hen's egg ~32%). Eggs of parrots are smuggled in
 * vests, belts and hand luggage, several at a time, to hatch in incubators.
 */
import type { ModelPart } from '../core/types.js';
import { buildEgg, type EggPlan } from './plans/egg.js';

export interface ParrotEggParams {
  /** Egg length, metres; the breadth follows at the species' ratio (0.78). */
  length: number;
  detail: number;
}

export const PARROT_EGG_DEFAULTS: Readonly<ParrotEggParams> = Object.freeze({ length: 0.0385, detail: 1 });

export function parrotEggPlan(params: Partial<ParrotEggParams> = {}): EggPlan {
  const p = { ...PARROT_EGG_DEFAULTS, ...params };
  return {
    what: 'grey parrot egg',
    length: p.length,
    breadth: 0.78 * p.length,
    asymmetry: 0.06,
    shellThickness: (0.25 / 38.5) * p.length,
    yolkFraction: 0.22,
    airCell: { radius: 0.28, depth: 0.035 },
    detail: p.detail,
  };
}

export function buildParrotEgg(params: Partial<ParrotEggParams> = {}): ModelPart[] {
  return buildEgg(parrotEggPlan(params));
}
