/** File writes that never leave a half-written file under the final name. */
import { createHash } from 'node:crypto';
import { rename, writeFile, unlink } from 'node:fs/promises';
import { renameSync, writeFileSync } from 'node:fs';
import { ExorayError } from '../core/errors.js';

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

let tmpCounter = 0;

function tmpName(file: string): string {
  return `${file}.tmp-${process.pid}-${tmpCounter++}`;
}

export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = tmpName(file);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (cause) {
    await unlink(tmp).catch(() => undefined);
    throw new ExorayError('E_OUTPUT', `output: cannot write ${file}: ${(cause as Error).message} (is the disk full or the folder read-only?)`, { cause });
  }
}

export function writeFileAtomicSync(file: string, data: Uint8Array | string): void {
  const tmp = tmpName(file);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (cause) {
    throw new ExorayError('E_OUTPUT', `output: cannot write ${file}: ${(cause as Error).message} (is the disk full or the folder read-only?)`, { cause });
  }
}
