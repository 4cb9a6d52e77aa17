/**
 * Maps a URL path to a file inside the dataset folder, refusing everything that
 * could reach outside it: `..` segments (also percent-encoded), absolute paths,
 * backslashes, NUL bytes, and symbolic links whose target lies outside.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { RequestError } from './request-error.js';

/** Decodes and checks a relative URL path (e.g. `images/s000001.png`); returns the posix relative path. */
export function checkRelativePath(urlPath: string): string {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    throw new RequestError(400, `"${urlPath}" is not a valid percent-encoded path; encode the file path with encodeURIComponent.`);
  }
  if (rel === '' || rel.includes('\0') || rel.includes('\\')) {
    throw new RequestError(400, `"${rel}" is not a dataset file path; use a path relative to the dataset folder with forward slashes, e.g. images/s000001.png.`);
  }
  if (rel.startsWith('/') || path.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) {
    throw new RequestError(403, `"${rel}" is an absolute path; only files inside the dataset folder are served, by their relative path.`);
  }
  const segments = rel.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) {
    throw new RequestError(403, `"${rel}" leaves or escapes the dataset folder (".." or empty segments); only files inside it are served.`);
  }
  return rel;
}

/** Absolute path of `rel` inside `root` after resolving links; 403 if it resolves outside, 404 if missing. */
export function resolveInside(root: string, urlPath: string): string {
  const rel = checkRelativePath(urlPath);
  const realRoot = realpathSync(root);
  let real: string;
  try {
    real = realpathSync(path.join(realRoot, rel));
  } catch {
    throw new RequestError(404, `"${rel}" does not exist in the dataset folder.`);
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new RequestError(403, `"${rel}" is a link to a file outside the dataset folder; only files inside it are served.`);
  }
  if (!statSync(real).isFile()) throw new RequestError(404, `"${rel}" is not a file.`);
  return real;
}
