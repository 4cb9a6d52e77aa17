/**
 * The thread of a SampleWriter (sample-writer.ts): opens the database, stores each batch it is
 * handed in one transaction, in order, and stops storing at the first failure.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ExorayError } from '../core/errors.js';
import { openDatabase, type SimulationDb } from './database.js';
import { unpackSamples } from './prepared.js';
import type { WriterFailure, WriterInit, WriterReply, WriterRequest } from './sample-writer.js';

const port = parentPort!;
const init = workerData as WriterInit;
const reply = (message: WriterReply): void => port.postMessage(message);
const failureOf = (e: unknown): WriterFailure =>
  e instanceof ExorayError ? { code: e.code, message: e.message } : { code: 'E_DATABASE', message: `db: cannot store samples in "${init.path}": ${(e as Error).message}.` };

let db: SimulationDb | undefined;
try {
  db = openDatabase(init.path, { busyTimeoutMs: init.busyTimeoutMs });
  reply({ type: 'opened' });
} catch (e) {
  reply({ type: 'closed', error: failureOf(e) });
}

let failure: WriterFailure | null = null;
port.on('message', (request: WriterRequest) => {
  if (request.type === 'close') {
    let error: WriterFailure | undefined;
    try {
      db?.close();
    } catch (e) {
      error = failureOf(e);
    }
    reply({ type: 'closed', error });
    port.close();
    return;
  }
  if (failure || !db) {
    reply({ type: 'failed', id: request.id, error: failure ?? { code: 'E_DATABASE', message: `db: "${init.path}" is not open.` } });
    return;
  }
  try {
    db.insertPrepared(unpackSamples(request.packed));
    reply({ type: 'done', id: request.id });
  } catch (e) {
    failure = failureOf(e);
    reply({ type: 'failed', id: request.id, error: failure });
  }
});
