/** Options `scene sample` and `scene preview` share: which scene of which preset. */
import type { Argv } from 'yargs';

export function sceneChoiceOptions(y: Argv) {
  return y
    .positional('preset', { type: 'string', demandOption: true, describe: 'Preset name (scenes/) or YAML path' })
    .option('seed', { alias: 's', type: 'number', default: 1, describe: 'Run seed, as generate --seed' })
    .option('index', { alias: 'i', type: 'number', default: 0, describe: 'Sample index in that run: the scene generate makes for sample INDEX' })
    .option('size', { type: 'number', describe: 'Image width and height in pixels (overrides the preset)' })
    .option('scanner', { type: 'string', describe: 'Scanner model from scenes/scanners/ or a YAML path (overrides the preset)' });
}

export interface SceneChoiceArgs {
  preset: string;
  seed: number;
  index: number;
  size?: number;
  scanner?: string;
}
