/**
 * `exoray serve`: a small HTTP server over one dataset folder and its database
 * for the review page. Binds 127.0.0.1 unless told otherwise: the page writes
 * verdicts and has no login, so it is for the reviewer's own machine (or a
 * trusted network when --host says so).
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ExorayError, isExorayError } from '../core/errors.js';
import { openDatabase } from '../db/database.js';
import { route, type OpticalRenderer, type Reply } from './api.js';
import { RequestError } from './request-error.js';
import { ThumbnailCache } from './thumbnails.js';

export interface ServeOptions {
  /** The dataset folder (holding exoray.db). */
  dir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  optical?: OpticalRenderer;
  /** Where to report unexpected errors (default stderr). */
  log?: (message: string) => void;
}

export interface ReviewServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024;

export async function startServer(options: ServeOptions): Promise<ReviewServer> {
  const dir = path.resolve(options.dir);
  const dbFile = path.join(dir, 'exoray.db');
  if (!existsSync(dbFile)) {
    throw new ExorayError('E_USAGE', `serve: ${dir} holds no dataset (no exoray.db); pass the --out folder of exoray generate.`);
  }
  const db = openDatabase(dbFile);
  const ctx = { dir, db, thumbnails: new ThumbnailCache(dir), optical: options.optical };
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));

  const loopback = LOOPBACK.has(options.host ?? '127.0.0.1');
  let port = 0;
  const server = http.createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let reply: Reply;
    try {
      checkHost(req.headers.host, loopback, port);
      const url = new URL(req.url ?? '/', 'http://review.local');
      reply = await route(ctx, req.method ?? 'GET', url, () => readJson(req));
    } catch (e) {
      reply = errorReply(e, log, `${req.method} ${req.url}`);
    }
    if (res.headersSent || res.destroyed) return;
    res.writeHead(reply.status, {
      'Content-Type': reply.type,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      ...(reply.headers ?? {}),
    });
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      db.close();
      reject(
        new ExorayError(
          'E_USAGE',
          e.code === 'EADDRINUSE'
            ? `serve: port ${options.port} on ${options.host ?? '127.0.0.1'} is in use; choose another with --port (0 picks a free one).`
            : `serve: cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${e.message}.`,
          { cause: e },
        ),
      );
    });
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  port = address.port;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * On a loopback address only this machine's names are accepted in the Host header: a web page
 * elsewhere that points its own domain at 127.0.0.1 (DNS rebinding) cannot reach the server.
 */
function checkHost(host: string | undefined, loopback: boolean, port: number): void {
  if (!loopback) return;
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!host || !allowed.includes(host.toLowerCase())) {
    throw new RequestError(421, `the Host header "${host ?? ''}" is not this machine; open the page at http://127.0.0.1:${port}/.`);
  }
}

function errorReply(e: unknown, log: (m: string) => void, what: string): Reply {
  let status = 500;
  let message: string;
  if (e instanceof RequestError) {
    status = e.status;
    message = e.message;
  } else if (isExorayError(e) && e.code === 'E_USAGE') {
    // The query language's errors, with the caret under the bad token.
    status = 400;
    message = e.message;
  } else if (isExorayError(e)) {
    message = e.message;
    log(`exoray serve: ${what}: ${e.message}`);
  } else {
    message = 'serve: unexpected error; the server log has the details. Please report it with the request you made.';
    log(`exoray serve: ${what}: ${(e as Error)?.stack ?? String(e)}`);
  }
  return { status, type: 'application/json; charset=utf-8', body: JSON.stringify({ error: message, status }) };
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  // JSON only: a cross-site HTML form cannot send it without the browser asking first (CORS preflight).
  if (!/^application\/json\b/i.test(type)) {
    return Promise.reject(new RequestError(415, `send the verdict as JSON with Content-Type: application/json (got "${type}").`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and dropped, so the 413 answer still reaches the client.
      if (size > MAX_BODY) reject(new RequestError(413, `the request body is over ${MAX_BODY} bytes; a verdict is much smaller.`));
      else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new RequestError(400, 'the request body is not valid JSON.'));
      }
    });
  });
}
