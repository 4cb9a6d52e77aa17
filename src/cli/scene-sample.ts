/** `exoray scene sample PRESET --seed S [--json]`: the SceneDescription generate would render. */
import type { Argv } from 'yargs';
import type { SceneDescription } from '../core/types.js';
import { chooseScene } from '../dataset/scene-preview.js';
import { SpeciesLibrary } from '../dataset/species-library.js';
import { sceneChoiceOptions, type SceneChoiceArgs } from './scene-options.js';

export const command = 'sample <preset>';
export const describe = 'Print the scene generate makes for a sample of PRESET (the full SceneDescription with --json)';

export function builder(y: Argv) {
  return sceneChoiceOptions(y)
    .option('json', { type: 'boolean', default: false, describe: 'Print the SceneDescription as JSON' })
    .example('$0 scene sample parcel --seed 7 --json', 'The scene of sample s000000 of generate --preset parcel --seed 7');
}

const mm = (m: number) => `${Math.round(m * 1000)}`;

/** A few lines a person can read: scanner, and every object with its materials and place. */
function summary(scene: SceneDescription): string {
  const s = scene.scanner;
  const lines = [
    `preset ${scene.preset}, scene seed ${scene.seed}`,
    `scanner: ${s.geometry} beam, ${s.width} x ${s.height} px, field ${mm(s.fieldWidth)} x ${mm(s.fieldDepth)} mm, views ${(s.views ?? ['top']).join(',')}`,
  ];
  for (const o of scene.objects) {
    const shape = o.parts[0]?.shape;
    const size = o.parts.length === 1 && shape && 'size' in shape ? `, ${shape.size.map(mm).join(' x ')} mm` : '';
    const materials = [...new Set(o.parts.map((p) => p.material).filter(Boolean))].join(', ');
    const what = o.label ? `${o.label.scientificName} (${o.label.commonName}), ${o.label.lengthMm} mm` : `${materials}${size}`;
    lines.push(`  ${o.id.padEnd(18)} ${o.role.padEnd(9)} ${what}; at ${o.position.map(mm).join(', ')} mm`);
  }
  return lines.join('\n');
}

export async function handler(argv: SceneChoiceArgs & { json: boolean }): Promise<void> {
  const species = await SpeciesLibrary.load();
  const scene = chooseScene(species, argv);
  process.stdout.write(argv.json ? `${JSON.stringify(scene, null, 2)}\n` : `${summary(scene)}\n`);
}
