/** Placing a dataset file elsewhere (merge, export): copied or hard-linked, checked against its sha256, renamed into place. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, link, readFile, rename, unlink } from 'node:fs/promises';
import { ExorayError } from '../core/errors.js';

export interface FileJob {
  from: string;
  to: string;
  sha256: string;
  /** Which database listed the file, for messages ("its shard's database (...)"). */
  source: string;
  /** The command doing it, for messages ("merge", "export"). */
  what: string;
}

let tmpCounter = 0;

/** Copies (or links) one file under a temporary name, checks its hash, then renames it into place. */
export async function placeFile(job: FileJob, useLink: boolean): Promise<{ linked: boolean; bytes: number }> {
  const tmp = `${job.to}.tmp-${process.pid}-${tmpCounter++}`;
  let linked = false;
  try {
    if (useLink) {
      try {
        await link(job.from, tmp);
        linked = true;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Another file system, or one without hard links: copy instead.
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw e;
      }
    }
    if (!linked) await copyFile(job.from, tmp);
    const data = await readFile(tmp);
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== job.sha256) {
      throw new ExorayError(
        'E_OUTPUT',
        `${job.what}: ${job.from} has sha256 ${actual}, but ${job.source} stored ${job.sha256}: the file changed or is damaged. ` +
          'Make that dataset (or shard) again with exoray generate --overwrite and the same options, then repeat.',
      );
    }
    await rename(tmp, job.to);
    return { linked, bytes: data.length };
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    if (e instanceof ExorayError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' && !existsSync(job.from)) {
      throw new ExorayError('E_OUTPUT', `${job.what}: ${job.from} is missing, though ${job.source} lists it. Make that dataset (or shard) again, then repeat.`, { cause: e });
    }
    throw new ExorayError('E_OUTPUT', `${job.what}: cannot ${useLink ? 'link' : 'copy'} ${job.from} to ${job.to}: ${err.message} (is the disk full or the folder read-only?)`, {
      cause: e,
    });
  }
}

