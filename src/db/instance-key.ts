/**
 * The key of an animal row (schema version 11, table instance_rows): its sample's key
 * (samples.rowid, "sk") times INSTANCE_KEYS, plus 2,048 for the side view, plus its index.
 * The primary key is then also the (sample, view, index) unique key, and a sample's animals
 * are one range of ids (sk * INSTANCE_KEYS up to the next sample's first). Pure computation.
 */
import { ExorayError } from '../core/errors.js';
import type { ViewName } from '../core/types.js';

/** Ids a sample's animals can take: 2,048 a view. */
export const INSTANCE_KEYS = 4096;
/** Animals a view of one sample can have (the index is below this). */
export const INSTANCES_PER_VIEW = INSTANCE_KEYS / 2;

export function instanceKey(sampleId: string, sk: number, view: ViewName, instanceIndex: number): number {
  if (!Number.isInteger(instanceIndex) || instanceIndex < 0 || instanceIndex >= INSTANCES_PER_VIEW) {
    throw new ExorayError(
      'E_DATABASE',
      `db: animal ${JSON.stringify(instanceIndex)} of sample ${sampleId} (${view} view) has no valid instance index; an index is a whole number from 0 to ${INSTANCES_PER_VIEW - 1}.`,
    );
  }
  if (view !== 'top' && view !== 'side') {
    throw new ExorayError('E_DATABASE', `db: an animal of sample ${sampleId} has view ${JSON.stringify(view)}; a view is 'top' or 'side'.`);
  }
  return sk * INSTANCE_KEYS + (view === 'side' ? INSTANCES_PER_VIEW : 0) + instanceIndex;
}
