/**
 * Label categories at a chosen taxonomic level. A detector for customs rarely
 * needs the exact species (there are too many, and many look alike under
 * X-ray); a family, an order or plain "animal" is often what can be learnt.
 *
 * Order is the catalog's order of first appearance, so class ids (YOLO from 0,
 * COCO from 1) stay the same from run to run for the same catalog.
 */
import { ExorayError } from '../core/errors.js';
import type { SpeciesEntry } from '../species/catalog.js';

export const LABEL_LEVELS = ['species', 'family', 'order', 'animal'] as const;
export type LabelLevel = (typeof LABEL_LEVELS)[number];

/** The single category of the 'animal' level. */
export const ANIMAL_CATEGORY = 'animal';

/** What a category needs from a species: the whole SpeciesEntry works, and so does a test stub. */
export type TaxonEntry = Pick<SpeciesEntry, 'id' | 'taxonomy'> & Partial<Pick<SpeciesEntry, 'labelAs'>>;

export interface LabelCategory {
  name: string;
  supercategory: string;
  /** Species ids in this category, in catalog order. */
  members: string[];
}

/** The category name of a species at a level (species: its id, or the id it is labelled as). */
export function categoryOf(level: LabelLevel, entry: TaxonEntry): string {
  switch (level) {
    case 'species':
      return entry.labelAs ?? entry.id;
    case 'family':
      return entry.taxonomy.family;
    case 'order':
      return entry.taxonomy.order;
    case 'animal':
      return ANIMAL_CATEGORY;
    default:
      throw new ExorayError('E_USAGE', `labels: unknown label level ${JSON.stringify(level)}; use one of ${LABEL_LEVELS.join(', ')}.`);
  }
}

function supercategoryOf(level: LabelLevel, entry: TaxonEntry): string {
  if (level === 'order') return entry.taxonomy.class;
  if (level === 'animal') return ANIMAL_CATEGORY;
  return entry.taxonomy.order;
}

/** Ordered, deduplicated categories of `species` at `level`. */
export function categoryList(species: readonly TaxonEntry[], level: LabelLevel): LabelCategory[] {
  const byName = new Map<string, LabelCategory>();
  const ids = new Set<string>();
  for (const entry of species) {
    if (ids.has(entry.id)) throw new ExorayError('E_LABEL', `labels: species "${entry.id}" is listed twice; each species belongs to one category.`);
    ids.add(entry.id);
    const name = categoryOf(level, entry);
    const supercategory = supercategoryOf(level, entry);
    const known = byName.get(name);
    if (!known) {
      byName.set(name, { name, supercategory, members: [entry.id] });
      continue;
    }
    // A family filed under two orders would give the category two parents; the catalog must agree with itself.
    if (known.supercategory !== supercategory) {
      throw new ExorayError(
        'E_LABEL',
        `labels: ${level} "${name}" is under "${known.supercategory}" for ${known.members[0]} but under "${supercategory}" for ${entry.id}; fix the taxonomy in the species catalog.`,
      );
    }
    known.members.push(entry.id);
  }
  return [...byName.values()];
}

/** Species id to 0-based category index (the YOLO class id; add 1 for COCO). */
export function categoryIndexBySpecies(categories: readonly LabelCategory[]): Map<string, number> {
  const out = new Map<string, number>();
  categories.forEach((c, i) => {
    for (const id of c.members) out.set(id, i);
  });
  return out;
}

/** Parses a label level given by a user (CLI option or preset). */
export function parseLabelLevel(text: string): LabelLevel {
  const level = text.trim().toLowerCase();
  if ((LABEL_LEVELS as readonly string[]).includes(level)) return level as LabelLevel;
  throw new ExorayError('E_USAGE', `labels: unknown label level ${JSON.stringify(text)}; use one of ${LABEL_LEVELS.join(', ')}.`);
}
