/**
 * PNGs as the generator writes them: greyscale 8/16-bit and RGB decode to the
 * pixels given, and the worker pool gives the same bytes and sha256 as encoding
 * on the calling thread.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { EncodePool, encodeHere } from '../../src/dataset/encode-pool.js';
import { decodeGreyPng, encodePng, encodePngSync } from '../../src/dataset/png.js';

/** Smooth rows with seeded noise, as detector images are; sizes that are not multiples of anything. */
function image(width: number, height: number, channels: number, max: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: width * height * channels }, (_, i) => {
    const x = Math.floor(i / channels) % width;
    return Math.min(max, Math.max(0, Math.round(max * (0.5 + 0.4 * Math.sin(x / 7)) + rng.normal(0, max / 50))));
  });
}

const SIZES: Array<[number, number]> = [[37, 23], [1, 1], [512, 3]];

describe('PNG encoding', () => {
  it('16-bit and 8-bit greyscale decode to the same pixels', async () => {
    for (const [w, h] of SIZES) {
      for (const pixels of [Uint16Array.from(image(w, h, 1, 65535, w)), Uint8Array.from(image(w, h, 1, 255, h))]) {
        const png = await encodePng('grey', pixels, w, h);
        const back = decodeGreyPng(png);
        expect([back.width, back.height, back.depth]).toEqual([w, h, pixels instanceof Uint16Array ? 16 : 8]);
        expect(Buffer.from(back.pixels.buffer).equals(Buffer.from(pixels.buffer))).toBe(true);
        expect(encodePngSync('grey', pixels, w, h).equals(png)).toBe(true);
      }
    }
  });

  it('RGB decodes (with sharp/libpng) to the same pixels', async () => {
    for (const [w, h] of SIZES) {
      const rgb = Uint8Array.from(image(w, h, 3, 255, w + h));
      const png = await encodePng('rgb', rgb, w, h);
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([w, h, 3]);
      expect(Buffer.from(data).equals(Buffer.from(rgb))).toBe(true);
    }
  });

  it('refuses a pixel count that does not fit the size', async () => {
    await expect(encodePng('grey', new Uint8Array(10), 3, 3)).rejects.toThrow(/10 samples for 3x3x1/);
    expect(() => encodePngSync('rgb', new Uint16Array(27), 3, 3)).toThrow(/8-bit/);
  });
});

describe('EncodePool', () => {
  const pool = new EncodePool(2);
  afterAll(() => pool.close());

  it('gives the bytes and sha256 of encoding here, with and without moving the pixels', async () => {
    const jobs = SIZES.flatMap(([w, h]) => [
      { kind: 'grey' as const, pixels: Uint16Array.from(image(w, h, 1, 65535, 1)), w, h },
      { kind: 'grey' as const, pixels: Uint8Array.from(image(w, h, 1, 255, 2)), w, h },
      { kind: 'rgb' as const, pixels: Uint8Array.from(image(w, h, 3, 255, 3)), w, h },
    ]);
    const here = await Promise.all(jobs.map((j) => encodeHere(j.kind, j.pixels, j.w, j.h)));
    const copied = await Promise.all(jobs.map((j) => pool.encode(j.kind, j.pixels, j.w, j.h)));
    const moved = await Promise.all(jobs.map((j) => pool.encode(j.kind, j.pixels.slice(), j.w, j.h, true)));
    for (let i = 0; i < jobs.length; i++) {
      expect(copied[i]!.data.equals(here[i]!.data)).toBe(true);
      expect(moved[i]!.data.equals(here[i]!.data)).toBe(true);
      expect(copied[i]!.sha256).toBe(createHash('sha256').update(here[i]!.data).digest('hex'));
      expect(here[i]!.sha256).toBe(copied[i]!.sha256);
    }
    // Moved pixels are gone from this thread; copied ones are still there.
    const m = Uint8Array.from(image(4, 4, 1, 255, 4));
    await pool.encode('grey', m, 4, 4, true);
    expect(m.length).toBe(0);
    expect(jobs[0]!.pixels.length).toBeGreaterThan(0);
  });

  it('reports an encoding error as a rejected promise and keeps working', async () => {
    await expect(pool.encode('grey', new Uint8Array(5), 2, 2)).rejects.toThrow(/encode: png: 5 samples for 2x2x1/);
    const ok = await pool.encode('grey', new Uint8Array(4), 2, 2);
    expect(decodeGreyPng(ok.data).pixels).toEqual(new Uint8Array(4));
  });
});

describe('EncodePool when a worker dies', () => {
  it('fails what it held and later requests with E_OUTPUT instead of waiting forever', async () => {
    const pool = new EncodePool(1);
    try {
      const worker = (pool as unknown as { slots: Array<{ worker: { terminate(): Promise<number> } }> }).slots[0]!.worker;
      const held = pool.encode('grey', new Uint8Array(512 * 512), 512, 512);
      await worker.terminate();
      await expect(held).rejects.toThrow(/encode: a PNG worker exited/);
      await expect(pool.encode('grey', new Uint8Array(4), 2, 2)).rejects.toThrow(/encode: a PNG worker exited/);
    } finally {
      await pool.close();
    }
  });
});
