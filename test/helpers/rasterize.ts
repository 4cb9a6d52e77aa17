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

/**
 * `points` are world positions (x, y, z) per vertex; `indices` three per triangle.
 * With a `margin` (pixels), a pixel counts when its centre lies within that distance
 * of a triangle's edge lines on the inside or out: a conservative cover, for telling a
 * sliver the GPU rightly caught from a pixel with no triangle near it.
 */
export function rasterize(points: Float64Array, indices: Uint32Array, s: ScannerSettings, out?: Uint8Array, margin = 0): Uint8Array {
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
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0) continue;
    // Edge functions over edge lengths are signed distances to the edge lines.
    const sign = area > 0 ? 1 : -1;
    const lab = Math.hypot(bx - ax, by - ay), lbc = Math.hypot(cx - bx, cy - by), lca = Math.hypot(ax - cx, ay - cy);
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx) - margin)), x1 = Math.min(s.width - 1, Math.ceil(Math.max(ax, bx, cx) + margin));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy) - margin)), y1 = Math.min(s.height - 1, Math.ceil(Math.max(ay, by, cy) + margin));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const qx = x + 0.5, qy = y + 0.5;
        const w0 = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax);
        const w1 = (cx - bx) * (qy - by) - (cy - by) * (qx - bx);
        const w2 = (ax - cx) * (qy - cy) - (ay - cy) * (qx - cx);
        const inside =
          margin > 0
            ? (sign * w0) / lab >= -margin && (sign * w1) / lbc >= -margin && (sign * w2) / lca >= -margin
            : (w0 >= 0 && w1 >= 0 && w2 >= 0) || (w0 <= 0 && w1 <= 0 && w2 <= 0);
        if (inside) mask[y * s.width + x] = 1;
      }
    }
  }
  return mask;
}
