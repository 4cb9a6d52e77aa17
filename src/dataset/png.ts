/**
 * Minimal PNG codec: greyscale 8 or 16 bits, and 8-bit RGB. sharp/libvips turns
 * 16-bit single-channel raw input into 8-bit sRGB on some paths, and the raw
 * detector images must keep every bit, so exoray writes them itself.
 *
 * Filter and zlib level per kind, measured on the generator's 512 x 512 images
 * (docs/BENCHMARKS.md, "PNG settings"): greyscale with the Sub filter at level 2
 * is both smaller and 2-9x faster than Up at level 6 (detector noise makes the
 * low bytes incompressible, so a harder search finds nothing); RGB pseudo-colour
 * compresses best unfiltered, at level 3 (level 6: 5 % smaller, 2.4x the time).
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const deflate = promisify(zlib.deflate);

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** What a PNG of exoray holds: greyscale of 8 or 16 bits, or 8-bit RGB. */
export type PngKind = 'grey' | 'rgb';

const FILTER_NONE = 0;
const FILTER_SUB = 1;

/** zlib level and PNG filter per kind (see the top of this file). */
const SETTINGS: Record<PngKind, { level: number; filter: number }> = {
  grey: { level: 2, filter: FILTER_SUB },
  rgb: { level: 3, filter: FILTER_NONE },
};

/**
 * Scanlines with a filter byte each; 16-bit samples written big-endian as PNG
 * stores them. Sub subtracts the same byte of the pixel to the left.
 */
function scanlines(pixels: Uint8Array | Uint16Array, width: number, height: number, channels: number, filter: number): Buffer {
  const wide = pixels instanceof Uint16Array;
  const bpp = channels * (wide ? 2 : 1);
  const rowBytes = width * bpp;
  const out = Buffer.allocUnsafe((rowBytes + 1) * height);
  if (wide) {
    // Big-endian bytes first, in place after each filter byte; Sub then runs backwards over them.
    for (let y = 0; y < height; y++) {
      const o = y * (rowBytes + 1) + 1;
      const row = y * width * channels;
      for (let i = 0; i < width * channels; i++) {
        const v = pixels[row + i]!;
        out[o + 2 * i] = v >>> 8;
        out[o + 2 * i + 1] = v & 0xff;
      }
    }
  } else {
    for (let y = 0; y < height; y++) out.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  }
  for (let y = 0; y < height; y++) {
    const o = y * (rowBytes + 1);
    out[o] = filter;
    if (filter === FILTER_SUB) for (let i = rowBytes; i > bpp; i--) out[o + i] = (out[o + i]! - out[o + i - bpp]!) & 0xff;
  }
  return out;
}

function checkSize(pixels: Uint8Array | Uint16Array, width: number, height: number, channels: number): void {
  if (pixels.length !== width * height * channels) throw new RangeError(`png: ${pixels.length} samples for ${width}x${height}x${channels}`);
}

function assemble(width: number, height: number, depth: number, colourType: number, idat: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colourType;
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/**
 * PNG bytes of a greyscale (8 or 16-bit) or RGB (8-bit, interleaved) image,
 * synchronously: for worker threads (dataset/encode-pool.ts), where blocking is
 * the point. Same input, same bytes.
 */
export function encodePngSync(kind: PngKind, pixels: Uint8Array | Uint16Array, width: number, height: number): Buffer {
  const channels = kind === 'rgb' ? 3 : 1;
  checkSize(pixels, width, height, channels);
  if (kind === 'rgb' && pixels instanceof Uint16Array) throw new RangeError('png: RGB images are 8-bit');
  const { level, filter } = SETTINGS[kind];
  const idat = zlib.deflateSync(scanlines(pixels, width, height, channels, filter), { level });
  return assemble(width, height, pixels instanceof Uint16Array ? 16 : 8, kind === 'rgb' ? 2 : 0, idat);
}

/** encodePngSync's bytes, with deflate on libuv's thread pool (async zlib), off the event loop. */
export async function encodePng(kind: PngKind, pixels: Uint8Array | Uint16Array, width: number, height: number): Promise<Buffer> {
  const channels = kind === 'rgb' ? 3 : 1;
  checkSize(pixels, width, height, channels);
  if (kind === 'rgb' && pixels instanceof Uint16Array) throw new RangeError('png: RGB images are 8-bit');
  const { level, filter } = SETTINGS[kind];
  const idat = await deflate(scanlines(pixels, width, height, channels, filter), { level });
  return assemble(width, height, pixels instanceof Uint16Array ? 16 : 8, kind === 'rgb' ? 2 : 0, idat);
}

export function encodeGreyPng(pixels: Uint8Array | Uint16Array, width: number, height: number): Promise<Buffer> {
  return encodePng('grey', pixels, width, height);
}

export interface DecodedGrey {
  width: number;
  height: number;
  depth: 8 | 16;
  pixels: Uint8Array | Uint16Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes non-interlaced greyscale PNGs of 8 or 16 bits (what exoray writes). */
export function decodeGreyPng(png: Uint8Array): DecodedGrey {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('png: not a PNG file');
  let off = 8;
  let width = 0, height = 0, depth = 0, colour = -1;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8]!;
      colour = data[9]!;
      if (data[12] !== 0) throw new Error('png: interlaced images are not supported');
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (colour !== 0 || (depth !== 8 && depth !== 16)) throw new Error(`png: expected 8/16-bit greyscale, got colour ${colour} depth ${depth}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const bpp = depth / 8;
  const rowBytes = width * bpp;
  const bytes = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)]!;
    const src = y * (rowBytes + 1) + 1;
    const dst = y * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const x = raw[src + i]!;
      const a = i >= bpp ? bytes[dst + i - bpp]! : 0;
      const b = y > 0 ? bytes[dst - rowBytes + i]! : 0;
      const c = i >= bpp && y > 0 ? bytes[dst - rowBytes + i - bpp]! : 0;
      const v = filter === 0 ? x : filter === 1 ? x + a : filter === 2 ? x + b : filter === 3 ? x + ((a + b) >> 1) : x + paeth(a, b, c);
      bytes[dst + i] = v & 0xff;
    }
  }
  if (depth === 8) return { width, height, depth: 8, pixels: bytes };
  const pixels = new Uint16Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (bytes[2 * i]! << 8) | bytes[2 * i + 1]!;
  return { width, height, depth: 16, pixels };
}
