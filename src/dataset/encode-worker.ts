/**
 * Worker thread of the encode pool (encode-pool.ts): PNG encoding and sha256 of
 * one image per message, so the generator's main thread only feeds the
 * renderer and the detector model.
 */
import { parentPort } from 'node:worker_threads';
import { sha256 } from './files.js';
import { encodePngSync } from './png.js';
import type { EncodeRequest, EncodeReply } from './encode-pool.js';

parentPort!.on('message', (req: EncodeRequest) => {
  let reply: EncodeReply;
  try {
    const encoded = encodePngSync(req.kind, req.pixels, req.width, req.height);
    // A small Buffer lives in Node's shared pool; only a buffer of its own can be transferred.
    const png = encoded.byteOffset === 0 && encoded.byteLength === encoded.buffer.byteLength ? encoded : new Uint8Array(encoded);
    reply = { id: req.id, png, sha256: sha256(png) };
  } catch (e) {
    reply = { id: req.id, error: (e as Error).message };
  }
  parentPort!.postMessage(reply, 'png' in reply ? [reply.png.buffer as ArrayBuffer] : []);
});
