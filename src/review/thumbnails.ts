/**
 * Gallery thumbnails: made once per image with sharp and cached under the
 * dataset's cache folder (left out of the manifest, so `exoray verify` ignores
 * it). The cache key is the image's SHA-256 from the database, so a re-rendered
 * sample gets a new thumbnail and a stale one is never shown.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { ExorayError } from '../core/errors.js';
import { writeFileAtomicSync } from '../dataset/files.js';
import { CACHE_DIR } from '../dataset/manifest.js';

export const THUMBNAIL_SIZE = 256;

export class ThumbnailCache {
  readonly dir: string;
  /** Requests for the same thumbnail while it is being made share one sharp job. */
  private readonly pending = new Map<string, Promise<Buffer>>();

  constructor(datasetDir: string) {
    this.dir = path.join(datasetDir, CACHE_DIR, 'thumbs');
  }

  /** The WebP thumbnail of `source` (an absolute image path) whose content hash is `sha256`. */
  get(source: string, sha256: string): Promise<Buffer> {
    const key = `${sha256.slice(0, 32)}-${THUMBNAIL_SIZE}`;
    const running = this.pending.get(key);
    if (running) return running;
    const job = this.make(source, key).finally(() => this.pending.delete(key));
    this.pending.set(key, job);
    return job;
  }

  private async make(source: string, key: string): Promise<Buffer> {
    const file = path.join(this.dir, `${key}.webp`);
    if (existsSync(file)) return readFile(file);
    let data: Buffer;
    try {
      data = await sharp(source)
        .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 82 })
        .toBuffer();
    } catch (cause) {
      throw new ExorayError('E_OUTPUT', `serve: cannot make a thumbnail of ${source}: ${(cause as Error).message}. Check the image file (exoray verify).`, { cause });
    }
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileAtomicSync(file, data);
    } catch {
      // A read-only dataset folder still gets thumbnails, only not cached.
    }
    return data;
  }
}
