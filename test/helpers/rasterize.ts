/**
 * A CPU reference rasteriser for tests: which pixel centres does a set of
 * triangles cover, under a parallel beam looking down -Y. Independent of WebGL.
 */
export interface ParallelView {
  width: number;
  height: number;
  fieldWidth: number;
  fieldDepth: number;
}

/** `points` are world positions (x, y, z) per vertex; `indices` three per triangle. */
export function rasterizeParallel(points: Float64Array, indices: Uint32Array, view: ParallelView, out?: Uint8Array): Uint8Array {
  const mask = out ?? new Uint8Array(view.width * view.height);
  const sx = view.width / view.fieldWidth;
  const sz = view.height / view.fieldDepth;
  const px = (i: number) => (points[3 * i]! + view.fieldWidth / 2) * sx;
  const pz = (i: number) => (points[3 * i + 2]! + view.fieldDepth / 2) * sz;
  for (let t = 0; t < indices.length; t += 3) {
    const a = indices[t]!, b = indices[t + 1]!, c = indices[t + 2]!;
    const ax = px(a), ay = pz(a), bx = px(b), by = pz(b), cx = px(c), cy = pz(c);
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0) continue;
    const x0 = Math.max(0, Math.floor(Math.min(ax, bx, cx))), x1 = Math.min(view.width - 1, Math.ceil(Math.max(ax, bx, cx)));
    const y0 = Math.max(0, Math.floor(Math.min(ay, by, cy))), y1 = Math.min(view.height - 1, Math.ceil(Math.max(ay, by, cy)));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const qx = x + 0.5, qy = y + 0.5;
        const w0 = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax);
        const w1 = (cx - bx) * (qy - by) - (cy - by) * (qx - bx);
        const w2 = (ax - cx) * (qy - cy) - (ay - cy) * (qx - cx);
        if ((w0 >= 0 && w1 >= 0 && w2 >= 0) || (w0 <= 0 && w1 <= 0 && w2 <= 0)) mask[y * view.width + x] = 1;
      }
    }
  }
  return mask;
}
