/** `exoray scene sample|preview`: one scene of a preset, as JSON or as pictures, without generating a dataset. */
import type { Argv } from 'yargs';
import * as sampleCommand from './scene-sample.js';
import * as previewCommand from './scene-preview.js';

export const command = 'scene <command>';
export const describe = 'One scene of a preset: "sample" prints its SceneDescription, "preview" renders optical and X-ray pictures of it';

export function builder(y: Argv) {
  return y
    .command(sampleCommand as any)
    .command(previewCommand as any)
    .demandCommand(1, 'Name a scene command: exoray scene sample PRESET, or exoray scene preview PRESET');
}

export function handler(): void {
  // The subcommands do the work.
}
