/**
 * Draws a sample's labels over its image on a canvas, from the dataset's own
 * labels (the COCO RLE masks and boxes stored in the database), so what the
 * reviewer sees is exactly what a model will be trained on.
 */
import type { StoredInstance } from '../../db/records.js';
import { decodeRle } from '../../labels/rle.js';
import { traceBoundaries } from '../../labels/polygon.js';

export interface OverlayLayers {
  boxes: boolean;
  masks: boolean;
  contours: boolean;
  names: boolean;
}

/** Distinct, colour-blind-friendly hues (Okabe-Ito), one per instance. */
const PALETTE = ['#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#ffffff'];

export const instanceColour = (index: number): string => PALETTE[index % PALETTE.length]!;

interface Decoded {
  mask: Uint8Array;
  width: number;
  height: number;
  rings: Array<Array<[number, number]>>;
}

const cache = new WeakMap<StoredInstance, Decoded>();

function decoded(instance: StoredInstance): Decoded {
  let d = cache.get(instance);
  if (!d) {
    const [height, width] = instance.maskRle.size;
    const mask = decodeRle(instance.maskRle);
    d = { mask, width, height, rings: traceBoundaries(mask, width, height) };
    cache.set(instance, d);
  }
  return d;
}

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Clears `canvas` (sized to the image) and draws the chosen layers for `instances`. */
export function drawOverlay(canvas: HTMLCanvasElement, instances: readonly StoredInstance[], layers: OverlayLayers): void {
  // A CPU canvas from the start: Chromium moves a canvas that is read back (the tests do) from GPU to CPU,
  // and the two antialias edges differently, so the same labels would not always give the same pixels.
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (layers.masks) {
    const image = ctx.createImageData(canvas.width, canvas.height);
    instances.forEach((inst, k) => {
      const d = decoded(inst);
      if (d.width !== canvas.width || d.height !== canvas.height) return;
      const [r, g, b] = hexToRgb(instanceColour(k));
      for (let i = 0; i < d.mask.length; i++) {
        if (!d.mask[i]) continue;
        image.data[i * 4] = r;
        image.data[i * 4 + 1] = g;
        image.data[i * 4 + 2] = b;
        image.data[i * 4 + 3] = 110;
      }
    });
    ctx.putImageData(image, 0, 0);
  }
  // Lines stay about 2 screen pixels wide whatever the image size.
  const line = Math.max(1, canvas.width / 400);
  instances.forEach((inst, k) => {
    const colour = instanceColour(k);
    ctx.strokeStyle = colour;
    ctx.lineWidth = line;
    if (layers.contours) {
      ctx.beginPath();
      for (const ring of decoded(inst).rings) {
        ring.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
        ctx.closePath();
      }
      ctx.stroke();
    }
    if (!inst.bbox) return;
    const [x, y, w, h] = inst.bbox;
    if (layers.boxes) {
      ctx.setLineDash([4 * line, 2 * line]);
      ctx.strokeRect(x, y, w, h);
      ctx.setLineDash([]);
    }
    if (layers.names) {
      const size = Math.max(10, Math.round(canvas.width / 40));
      ctx.font = `600 ${size}px system-ui, sans-serif`;
      const text = `${k + 1} ${inst.species}`;
      const tw = ctx.measureText(text).width;
      const ty = y > size + 4 ? y - size - 4 : y + h + 2;
      ctx.fillStyle = 'rgba(0,0,0,0.65)';
      ctx.fillRect(x, ty, tw + 8, size + 4);
      ctx.fillStyle = colour;
      ctx.fillText(text, x + 4, ty + size);
    }
  });
}
