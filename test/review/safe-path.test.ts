import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRelativePath, resolveInside } from '../../src/review/safe-path.js';
import { RequestError } from '../../src/review/request-error.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('exoray-safe-path-');
afterAll(() => tmp.cleanup());
const root = path.join(tmp.dir, 'dataset');
mkdirSync(path.join(root, 'images'), { recursive: true });
writeFileSync(path.join(root, 'images', 'a.png'), 'png');
writeFileSync(path.join(tmp.dir, 'secret.txt'), 'secret');
symlinkSync(path.join(tmp.dir, 'secret.txt'), path.join(root, 'images', 'out.png'));
symlinkSync(tmp.dir, path.join(root, 'up'));
symlinkSync(path.join(root, 'images', 'a.png'), path.join(root, 'inside.png'));

function status(fn: () => unknown): number {
  try {
    fn();
  } catch (e) {
    if (e instanceof RequestError) return e.status;
    throw e;
  }
  return 200;
}

describe('dataset paths', () => {
  it('serves files inside the folder, links inside it too', () => {
    expect(resolveInside(root, 'images/a.png')).toBe(path.join(root, 'images', 'a.png'));
    expect(resolveInside(root, 'images%2Fa.png')).toBe(path.join(root, 'images', 'a.png'));
    expect(resolveInside(root, 'inside.png')).toBe(path.join(root, 'images', 'a.png'));
  });

  it('refuses ".." in any spelling, absolute paths, backslashes and NUL', () => {
    for (const p of ['../secret.txt', 'images/../../secret.txt', '%2e%2e/secret.txt', '%2E%2E%2Fsecret.txt', 'images/%2e%2e/%2e%2e/secret.txt', './images/a.png']) {
      expect(status(() => resolveInside(root, p)), p).toBe(403);
    }
    for (const p of ['/etc/passwd', '%2Fetc%2Fpasswd', 'C:/Windows/win.ini']) expect(status(() => resolveInside(root, p)), p).toBe(403);
    for (const p of ['images\\..\\..\\secret.txt', 'images/a.png%00.txt', '%E0%A4%A', '']) expect(status(() => checkRelativePath(p)), p).toBe(400);
  });

  it('refuses links that lead out of the folder', () => {
    expect(status(() => resolveInside(root, 'images/out.png'))).toBe(403);
    expect(status(() => resolveInside(root, 'up/secret.txt'))).toBe(403);
  });

  it('answers 404 for what is not there or not a file', () => {
    expect(status(() => resolveInside(root, 'images/none.png'))).toBe(404);
    expect(status(() => resolveInside(root, 'images'))).toBe(404);
  });
});
