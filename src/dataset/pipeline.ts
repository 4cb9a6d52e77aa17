/**
 * Makes a list of samples on several workers and commits the results strictly in
 * list order, so the database (and everything derived from it) is the same
 * whatever the timing, and a stopped run has committed a prefix of its list.
 */
export interface InOrderOptions<T, R> {
  /** Work items, in commit order. */
  items: readonly T[];
  workers: number;
  make: (item: T) => Promise<R>;
  /** Called with every run of consecutive finished results; a throw stops the run like a failed item. */
  commit: (batch: R[]) => void;
  signal?: AbortSignal;
  /** The error to stop with when the signal aborts. */
  interrupted: () => Error;
  /** After each item is made and whatever could be committed was. */
  onMade?: (result: R) => void;
}

export async function makeInOrder<T, R>(o: InOrderOptions<T, R>): Promise<void> {
  const pending = new Map<number, R>();
  let nextCommit = 0;
  let nextItem = 0;
  let failure: unknown = null;
  const commitReady = (): void => {
    const batch: R[] = [];
    while (pending.has(nextCommit)) {
      batch.push(pending.get(nextCommit)!);
      pending.delete(nextCommit++);
    }
    if (batch.length > 0) o.commit(batch);
  };
  const worker = async (): Promise<void> => {
    // On the first failure every worker stops taking new items; the error is rethrown once all have settled.
    while (failure === null && nextItem < o.items.length) {
      if (o.signal?.aborted) {
        failure ??= o.interrupted();
        return;
      }
      const position = nextItem++;
      try {
        const result = await o.make(o.items[position]!);
        pending.set(position, result);
        commitReady();
        o.onMade?.(result);
      } catch (e) {
        failure ??= e;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.workers) }, worker));
  if (failure !== null) throw failure;
}
