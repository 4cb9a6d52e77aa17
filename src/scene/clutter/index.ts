/**
 * The clutter library: ordinary bag contents, each built from the materials it is
 * really made of, so they attenuate like the real thing. One file per family; this
 * registry maps each kind to its builder. Builders are pure: (rng, roomHeight) -> parts,
 * centred on the item's bounding box, which the placer uses to keep items apart.
 */
import { ExorayError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { coiledCable } from './cables.js';
import { crumpledClothes, foldedJumper, foldedShirt, foldedTrousers, shoe, socks } from './clothes.js';
import { drinkCan, glassBottle, plasticBottle } from './drinks.js';
import { charger, headphones, laptop, phone, powerBank, tablet } from './electronics.js';
import { biscuits, chocolateBar, driedFruitBag, grainBag, nutsBag } from './food.js';
import type { ClutterBuilder, ItemModel } from './item.js';
import { coins, jewellery, keys } from './metal-small.js';
import { book, magazine, paperStack } from './paper.js';
import { aerosolCan, razor, shampooBottle, squeezeTube } from './toiletries.js';
import { glassesCase, pliers, screwdriver, umbrella } from './tools.js';
import { plushToy, rubberSnake, toyCar, toyInsect } from './toys.js';

export type { ItemModel, ClutterBuilder } from './item.js';

const BUILDERS = {
  // Clothes and shoes
  'folded-shirt': foldedShirt,
  'folded-trousers': foldedTrousers,
  'folded-jumper': foldedJumper,
  'crumpled-clothes': crumpledClothes,
  socks,
  shoe,
  // Paper
  book,
  'paper-stack': paperStack,
  magazine,
  // Drinks
  'plastic-bottle': plasticBottle,
  'drink-can': drinkCan,
  'glass-bottle': glassBottle,
  // Toiletries
  'toiletry-tube': squeezeTube,
  'aerosol-can': aerosolCan,
  razor,
  'shampoo-bottle': shampooBottle,
  // Food
  biscuits,
  'rice-bag': grainBag,
  'chocolate-bar': chocolateBar,
  // Electronics
  phone,
  tablet,
  laptop,
  'power-bank': powerBank,
  charger,
  headphones,
  // Small metal
  keys,
  coins,
  jewellery,
  // Tools and cases
  screwdriver,
  pliers,
  umbrella,
  'glasses-case': glassesCase,
  // Toys
  'toy-car': toyCar,
  'plush-toy': plushToy,
  // Hard negatives: look like animals under X-ray, are not
  'coiled-cable': coiledCable,
  'dried-fruit-bag': driedFruitBag,
  'nuts-bag': nutsBag,
  'toy-insect': toyInsect,
  'rubber-snake': rubberSnake,
} satisfies Record<string, ClutterBuilder>;

export type ClutterKind = keyof typeof BUILDERS;

/** Every clutter kind a preset may name. */
export const CLUTTER_KINDS = Object.keys(BUILDERS) as ClutterKind[];

/** Kinds that resemble animals under X-ray (hard negatives). */
export const HARD_NEGATIVE_KINDS: readonly ClutterKind[] = ['coiled-cable', 'dried-fruit-bag', 'nuts-bag', 'toy-insect', 'rubber-snake'];

export function buildClutter(kind: ClutterKind, rng: Rng, roomHeight: number): ItemModel {
  const builder: ClutterBuilder | undefined = BUILDERS[kind];
  if (!builder) {
    throw new ExorayError('E_PRESET', `clutter: unknown kind "${String(kind)}"; known kinds: ${CLUTTER_KINDS.join(', ')}`);
  }
  return builder(rng, roomHeight);
}
