/**
 * A pool of worker threads that encode PNGs and hash them (sha256). The
 * generator hands every image of a sample to it and goes on with the next
 * sample; without it (no pool given) the same bytes are made on this thread.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ExorayError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { sha256 } from './files.js';
import { encodePng, type PngKind } from './png.js';

export interface EncodeRequest {
  id: number;
  kind: PngKind;
  pixels: Uint8Array | Uint16Array;
  width: number;
  height: number;
}

export type EncodeReply = { id: number; png: Uint8Array; sha256: string } | { id: number; error: string };

export interface EncodedImage {
  data: Buffer;
  sha256: string;
}

/** Encodes on this thread (deflate on libuv's pool): for callers without an EncodePool. */
export async function encodeHere(kind: PngKind, pixels: Uint8Array | Uint16Array, width: number, height: number): Promise<EncodedImage> {
  const data = await encodePng(kind, pixels, width, height);
  return { data, sha256: sha256(data) };
}

interface Slot {
  worker: Worker;
  pending: number;
}

export class EncodePool {
  private readonly slots: Slot[] = [];
  private readonly waiting = new Map<number, { resolve: (r: EncodedImage) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  /**
   * `size` workers (default: one per core). Their script is the compiled
   * dist/dataset/encode-worker.js, also when exoray runs from its sources
   * (tests), as the render page bundle is.
   */
  constructor(size = os.availableParallelism()) {
    const script = path.join(packageRoot(), 'dist', 'dataset', 'encode-worker.js');
    if (!existsSync(script)) throw new ExorayError('E_RENDER', `encode: the worker script ${script} is missing. Build it with \`npm run build\`.`);
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(script);
      worker.on('message', (reply: EncodeReply) => this.settle(slot, reply));
      // A worker that dies fails what it held and everything after: the run stops with the reason.
      worker.on('error', (e) => this.fail(new ExorayError('E_OUTPUT', `encode: a PNG worker failed: ${e.message}`, { cause: e })));
      // An exit not asked for (killed, out of memory) must not leave its images waiting forever.
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new ExorayError('E_OUTPUT', `encode: a PNG worker exited (code ${code}); rerun, with --resume to keep what is stored`));
      });
      const slot: Slot = { worker, pending: 0 };
      this.slots.push(slot);
    }
  }

  /**
   * With `transfer`, the pixels' buffer moves to the worker (no copy; the array
   * is unusable here afterwards): only for a buffer no other image of the
   * sample shares (a single-energy scanner's low and high are one array).
   */
  encode(kind: PngKind, pixels: Uint8Array | Uint16Array, width: number, height: number, transfer = false): Promise<EncodedImage> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((a, b) => (b.pending < a.pending ? b : a));
    const id = this.nextId++;
    slot.pending++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      slot.worker.postMessage({ id, kind, pixels, width, height } satisfies EncodeRequest, transfer ? [pixels.buffer as ArrayBuffer] : []);
    });
  }

  private settle(slot: Slot, reply: EncodeReply): void {
    slot.pending--;
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    if ('error' in reply) w.reject(new ExorayError('E_OUTPUT', `encode: ${reply.error}`));
    else w.resolve({ data: Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength), sha256: reply.sha256 });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
