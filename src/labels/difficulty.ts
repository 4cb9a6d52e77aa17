/**
 * How hard an animal is to see under X-ray, from its visibility score: the share
 * of the attenuation along its mask that comes from the animal itself rather than
 * from the container, clutter, metal or other animals (DESIGN.md section 4). The
 * levels follow PIDray's easy / hard / hidden split.
 */
export type Difficulty = 'easy' | 'hard' | 'hidden';

/**
 * Visibility at or above `easy` is easy, at or above `hard` is hard, below it hidden.
 * Chosen on the parcel preset (160 kV scanner): beetles on bare cardboard score
 * 0.7-0.85, under one or two folded shirts 0.2-0.55, under a phone below 0.15.
 */
export const DIFFICULTY_THRESHOLDS = { easy: 0.4, hard: 0.15 } as const;

/** own / total, clamped to [0, 1]; null when the mask is empty or nothing attenuates there. */
export function visibilityScore(own: number, total: number): number | null {
  if (!(total > 0) || !Number.isFinite(own)) return null;
  return Math.min(1, Math.max(0, own / total));
}

export function difficultyOf(visibility: number | null): Difficulty | null {
  if (visibility === null) return null;
  return visibility >= DIFFICULTY_THRESHOLDS.easy ? 'easy' : visibility >= DIFFICULTY_THRESHOLDS.hard ? 'hard' : 'hidden';
}
