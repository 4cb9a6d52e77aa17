/** The container kinds a preset may name, each with its builder. */
import { ExorayError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { backpack } from './backpack.js';
import { cardboardBox, shippingBox } from './boxes.js';
import { cavityIsUsable, type ContainerBuilder, type ContainerModel, type ContainerSpec } from './container.js';
import { paddedEnvelope, postalBag } from './envelopes.js';
import { carryOnTrolley, hardSuitcase, softSuitcase } from './luggage.js';

export type { ContainerModel, ContainerSpec } from './container.js';

const BUILDERS = {
  'cardboard-box': cardboardBox,
  'shipping-box': shippingBox,
  'padded-envelope': paddedEnvelope,
  'postal-bag': postalBag,
  'hard-suitcase': hardSuitcase,
  'soft-suitcase': softSuitcase,
  'carry-on-trolley': carryOnTrolley,
  backpack,
} satisfies Record<string, ContainerBuilder>;

export type ContainerKind = keyof typeof BUILDERS;
export const CONTAINER_KINDS = Object.keys(BUILDERS) as ContainerKind[];

export function buildContainer(kind: ContainerKind, rng: Rng, spec: ContainerSpec): ContainerModel {
  const builder: ContainerBuilder | undefined = BUILDERS[kind];
  if (!builder) throw new ExorayError('E_PRESET', `container: unknown kind "${String(kind)}"; known kinds: ${CONTAINER_KINDS.join(', ')}`);
  const model = builder(rng, spec);
  if (!cavityIsUsable(model, spec.outer)) {
    throw new ExorayError(
      'E_PRESET',
      `container ${kind}: outer size [${spec.outer.map((v) => v.toFixed(3)).join(', ')}] m with wall ${spec.wall} m leaves no room inside; make container.size larger or container.wall thinner in the preset.`,
    );
  }
  return model;
}
