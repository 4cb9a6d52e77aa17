/**
 * Stores batches of samples on a thread of its own, for bulk writers (imports, pipelines that
 * load samples made elsewhere, `npm run bench:db`): the caller's thread serialises each batch
 * (the scene JSON and the other JSON columns, the checks of prepareSample) while the writer's
 * thread runs the previous batch's SQLite work and facet bookkeeping. On this project's 2-CPU
 * machine that takes 0.75-0.9 of the wall time of SimulationDb.insertSamples on one thread, for
 * 8-30 % more CPU in all (the hand-over, and two heaps to collect), see docs/BENCHMARKS.md.
 *
 * The rows are the same as insertSamples would write (one code path: SimulationDb.insertPrepared).
 * Each batch is one transaction, committed in the order written. After a batch fails, later
 * batches are not written, and write() and close() reject with the failure, which names the
 * last sample stored. The writer's connection is a writer like any other: readers (the review
 * page) read while it writes; another writer waits for its lock up to busyTimeoutMs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ExorayError, type ErrorCode } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { packSamples, prepareSample, type PackedSamples } from './prepared.js';
import type { SampleRecord } from './records.js';

export interface SampleWriterOptions {
  /** How long a commit waits for another writer's lock before failing, ms (default 5,000). */
  busyTimeoutMs?: number;
  /** Batches handed over and not yet committed before write() waits (default 2). */
  inFlight?: number;
}

/** Messages to the writer's thread. */
export type WriterRequest = { type: 'batch'; id: number; packed: PackedSamples } | { type: 'close' };

export interface WriterFailure {
  code: ErrorCode;
  message: string;
}

/** Messages from the writer's thread. */
export type WriterReply =
  | { type: 'opened' }
  | { type: 'done'; id: number }
  | { type: 'failed'; id: number; error: WriterFailure }
  | { type: 'closed'; error?: WriterFailure };

export interface WriterInit {
  path: string;
  busyTimeoutMs: number;
}

const workerScript = (): string => path.join(packageRoot(), 'dist', 'db', 'sample-writer-worker.js');

export class SampleWriter {
  private failure: ExorayError | null = null;
  private pending = 0;
  private nextId = 0;
  private lastStored: string | null = null;
  private readonly batches = new Map<number, { first: string; last: string }>();
  /** Callers waiting for a batch to settle (write() while too many are in flight, flush()). */
  private waiters: Array<() => void> = [];
  private closed: Promise<void> | null = null;
  private onClosed: ((error?: WriterFailure) => void) | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly path: string,
    private readonly inFlight: number,
  ) {
    worker.on('message', (reply: WriterReply) => this.receive(reply));
    // A thread that dies (out of memory, a crash in native code) fails what it held.
    worker.on('error', (e) => this.fail(new ExorayError('E_DATABASE', `db: the writer of "${path}" stopped: ${e.message}. Samples up to ${this.lastStored ?? 'none'} were stored.`, { cause: e })));
    worker.on('exit', (code) => {
      if (this.onClosed) this.onClosed();
      else if (code !== 0 || this.pending > 0) this.fail(new ExorayError('E_DATABASE', `db: the writer of "${path}" exited (code ${code}) with batches not stored. Samples up to ${this.lastStored ?? 'none'} were stored.`));
    });
  }

  /** Opens (creating and migrating) the database at `path` on a new thread. */
  static async open(dbPath: string, options: SampleWriterOptions = {}): Promise<SampleWriter> {
    const script = workerScript();
    if (!existsSync(script)) throw new ExorayError('E_DATABASE', `db: the writer's script ${script} is missing. Build it with \`npm run build\`.`);
    const init: WriterInit = { path: dbPath, busyTimeoutMs: options.busyTimeoutMs ?? 5000 };
    const worker = new Worker(script, { workerData: init });
    const opened = await new Promise<WriterReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }).catch((e: Error) => ({ type: 'closed', error: { code: 'E_DATABASE', message: e.message } }) as WriterReply);
    if (opened.type !== 'opened') {
      await worker.terminate();
      const error = opened.type === 'closed' ? opened.error : undefined;
      throw new ExorayError(error?.code ?? 'E_DATABASE', error?.message ?? `db: the writer of "${dbPath}" did not start.`);
    }
    return new SampleWriter(worker, dbPath, Math.max(1, options.inFlight ?? 2));
  }

  /**
   * Prepares `records` on this thread and hands them over as one transaction. Resolves once the
   * writer can take another batch (not when this one is committed: close() waits for that);
   * rejects with an earlier batch's failure, or this one's if it cannot be prepared.
   */
  async write(records: readonly SampleRecord[]): Promise<void> {
    const refuseClosed = () => {
      if (this.closed) throw new ExorayError('E_DATABASE', `db: the writer of "${this.path}" is closed; open another to store more samples.`);
    };
    refuseClosed();
    while (this.pending >= this.inFlight && !this.failure) await this.settled();
    if (this.failure) throw this.failure;
    // close() may have been called while this batch waited: its thread takes nothing after that.
    refuseClosed();
    if (records.length === 0) return;
    const now = new Date().toISOString();
    const packed = packSamples(records.map((r) => prepareSample(r, now)));
    const id = this.nextId++;
    const first = String(records[0]!.id);
    const last = String(records[records.length - 1]!.id);
    this.batches.set(id, { first, last });
    this.pending++;
    const request: WriterRequest = { type: 'batch', id, packed };
    this.worker.postMessage(request, [packed.tags.buffer, packed.numbers.buffer, packed.lengths.buffer, packed.animals.buffer] as ArrayBuffer[]);
  }

  /** Waits for every batch handed over to be committed; rejects with the first failure. */
  async flush(): Promise<void> {
    while (this.pending > 0 && !this.failure) await this.settled();
    if (this.failure) throw this.failure;
  }

  /** Waits for every batch to be committed, closes the database and ends the thread. Rejects with the first failure. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.onClosed = (error) => {
        if (error && !this.failure) this.failure = new ExorayError(error.code, error.message);
        resolve();
      };
      this.worker.postMessage({ type: 'close' } satisfies WriterRequest);
    }).then(() => {
      if (this.failure) throw this.failure;
    });
    return this.closed;
  }

  private receive(reply: WriterReply): void {
    if (reply.type === 'closed') {
      this.onClosed?.(reply.error);
      return;
    }
    if (reply.type === 'opened') return;
    const batch = this.batches.get(reply.id);
    this.batches.delete(reply.id);
    this.pending--;
    if (reply.type === 'done') {
      this.lastStored = batch?.last ?? this.lastStored;
    } else if (!this.failure) {
      this.failure = new ExorayError(
        reply.error.code,
        `${reply.error.message} (the batch ${batch?.first}..${batch?.last}; samples up to ${this.lastStored ?? 'none'} were stored, none after them.)`,
      );
    }
    this.wakeAll();
  }

  /** Resolves when the next batch settles (or the writer fails). */
  private settled(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private fail(error: ExorayError): void {
    this.failure ??= error;
    this.wakeAll();
    this.onClosed?.();
  }
}
