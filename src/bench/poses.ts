/**
 * `npm run bench:poses -- --poses 200`: every bundled species posed many times (postures
 * drawn with the default weights), each pose skinned on the CPU and checked (see
 * scene/pose-quality.ts). Prints joints, postures drawn, the worst part volume change, the
 * worst share of turned-over triangles, and open poses and limit violations (both 0).
 */
import { parseArgs } from 'node:util';
import { PROCEDURAL_MODELS } from '../species/build-assets.js';
import { measurePoses } from '../scene/pose-quality.js';
import { DEFAULT_POSE_SETTINGS } from '../scene/pose.js';

const { values } = parseArgs({ options: { poses: { type: 'string', default: '200' }, seed: { type: 'string', default: '1' }, only: { type: 'string' }, parts: { type: 'boolean', default: false } } });
const poses = Number(values.poses);
console.log('species                       joints  poses  worst dV/V  (part, posture)                      flipped  open  limits  ms/pose');
for (const m of PROCEDURAL_MODELS) {
  if (values.only && !values.only.split(',').includes(m.id)) continue;
  const model = m.build();
  const t0 = performance.now();
  const q = measurePoses(model, { ...DEFAULT_POSE_SETTINGS }, poses, Number(values.seed));
  const ms = q.poses > 0 ? (performance.now() - t0) / q.poses : 0;
  const joints = model.skeleton?.joints.length ?? 0;
  const where = q.poses > 0 ? `(${q.worstPart}, ${q.worstPosture})` : '(rigid)';
  console.log(
    `${m.id.padEnd(30)}${String(joints).padStart(6)}${String(q.poses).padStart(7)}  ${(100 * q.worstVolumeChange).toFixed(2).padStart(8)} %  ${where.padEnd(36)} ${(100 * q.worstFlipped).toFixed(2).padStart(6)} %${String(q.openPoses).padStart(6)}${String(q.limitViolations).padStart(8)}${ms.toFixed(1).padStart(9)}`,
  );
  if (q.poses > 0) {
    console.log(`${''.padEnd(36)}postures: ${Object.entries(q.postures).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (values.parts) console.log(`${''.padEnd(36)}parts: ${Object.entries(q.partVolumeChange).filter(([, v]) => v > 0.001).map(([k, v]) => `${k} ${(100 * v).toFixed(2)}%`).join(', ')}; most turned over: ${q.worstFlippedPart}`);
  }
}
