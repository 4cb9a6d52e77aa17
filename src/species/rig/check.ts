/**
 * Consistency of a model's skins with its skeleton: every part skinned when there is a
 * skeleton (none otherwise), joint indices in range, weights non-negative and summing to 1.
 * Pure; the error names the part and the vertex.
 */
import type { SpeciesModel } from '../../core/types.js';
import { ExorayError } from '../../core/errors.js';

export function checkSkins(model: SpeciesModel, name: string): void {
  const joints = model.skeleton?.joints.length ?? 0;
  for (const part of model.parts) {
    const where = `Model "${name}", part "${part.name}"`;
    if (!model.skeleton) {
      if (part.skin) throw new ExorayError('E_ASSET', `${where}: has a skin but the model has no skeleton`);
      continue;
    }
    const skin = part.skin;
    const n = part.mesh.positions.length / 3;
    if (!skin) throw new ExorayError('E_ASSET', `${where}: the model has a skeleton but this part has no skin; bind every part to a joint`);
    if (skin.joints.length !== 4 * n || skin.weights.length !== 4 * n) {
      throw new ExorayError('E_ASSET', `${where}: its skin has ${skin.weights.length / 4} vertices, its mesh ${n}`);
    }
    for (let v = 0; v < n; v++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) {
        const w = skin.weights[4 * v + k]!;
        if (!(w >= 0)) throw new ExorayError('E_ASSET', `${where}: vertex ${v} has weight ${w}`);
        if (w > 0 && !(skin.joints[4 * v + k]! < joints)) throw new ExorayError('E_ASSET', `${where}: vertex ${v} names joint ${skin.joints[4 * v + k]}, past the ${joints} joints`);
        sum += w;
      }
      if (Math.abs(sum - 1) > 1e-5) throw new ExorayError('E_ASSET', `${where}: vertex ${v} has weights summing to ${sum}, not 1`);
    }
  }
}
