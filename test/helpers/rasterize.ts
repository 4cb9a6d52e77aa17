/**
 * A CPU reference rasteriser for tests: which pixel centres do a set of
 * triangles cover, for the scanner's projection of the top view. Independent
 * of WebGL.
 */
import type { ScannerSettings } from '../../src/core/types.js';

export type Projector = (x: number, y: number, z: number) => [number, number];

/** World point to pixel coordinates (x right, y down) for parallel, fan and cone beams. */
export function projector(s: ScannerSettings): Projector {
  const span = s.sourceHeight - s.detectorHeight;
  return (x, y, z) => {
    const k = s.geometry === 'parallel' ? 1 : span / (s.sourceHeight - y);
    const kz = s.geometry === 'cone' ? k : 1;
    return [((x * k + s.fieldWidth / 2) * s.width) / s.fieldWidth, ((z * kz + s.fieldDepth / 2) * s.height) / s.fieldDepth];
  };
}

/** `points` are world positions (x, y, z) per vertex; `indices` three per triangle. */
export function rasterize(points: Float64Array, indices: Uint32Array, s: ScannerSettings, out?: Uint8Array): Uint8Array {
  const mask = out ?? new Uint8Array(s.width * s.height);
  const project = projector(s);
  const screen = new Float64Array((points.length / 3) * 2);
  for (let i = 0; i < points.length / 3; i++) {
    const [px, py] = project(points[3 * i]!, points[3 * i + 1]!, points[3 * i + 2]!);
    screen[2 * i] = px;
    screen[2 * i + 1] = py;
  }
  for (let t = 0; t < indices.length; t += 3) {
    const a = indices[t]!, b = indices[t + 1]!, c = indices[t + 2]!;
    const ax = screen[2 * a]!, ay = screen[2 * a + 1]!, bx = screen[2 * b]!, by = screen[2 * b + 1]!, cx = screen[2 * c]!, cy = screen[2 * c + 1]!;
    if ((bx - ax) * (cy - ay) - (by - ay) * (cx - ax) === 0) continue;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx))), x1 = Math.min(s.width - 1, Math.ceil(Math.max(ax, bx, cx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy))), y1 = Math.min(s.height - 1, Math.ceil(Math.max(ay, by, cy)));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const qx = x + 0.5, qy = y + 0.5;
        const w0 = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax);
        const w1 = (cx - bx) * (qy - by) - (cy - by) * (qx - bx);
        const w2 = (ax - cx) * (qy - cy) - (ay - cy) * (qx - cx);
        if ((w0 >= 0 && w1 >= 0 && w2 >= 0) || (w0 <= 0 && w1 <= 0 && w2 <= 0)) mask[y * s.width + x] = 1;
      }
    }
  }
  return mask;
}
