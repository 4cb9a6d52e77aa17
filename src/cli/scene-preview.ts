/** `exoray scene preview PRESET --seed S --out DIR`: optical and X-ray pictures of one scene. */
import type { Argv } from 'yargs';
import { previewScene } from '../dataset/scene-preview.js';
import { sceneChoiceOptions, type SceneChoiceArgs } from './scene-options.js';

export const command = 'preview <preset>';
export const describe = 'Render one scene of PRESET: optical top and perspective views, the X-ray image, and its SceneDescription';

export function builder(y: Argv) {
  return sceneChoiceOptions(y)
    .option('out', { alias: 'o', type: 'string', default: 'output/preview', describe: 'Folder for the pictures' })
    .option('chromium', { type: 'string', describe: 'Path of the Chromium executable' })
    .option('gpu', { type: 'boolean', default: false, describe: 'Use a hardware GPU through Chromium instead of SwiftShader' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the files written as JSON' })
    .example('$0 scene preview parcel --seed 7 --out preview', 'What is inside the parcel of sample s000000, and its X-ray image');
}

export async function handler(argv: SceneChoiceArgs & { out: string; chromium?: string; gpu: boolean; json: boolean }): Promise<void> {
  const result = await previewScene(argv);
  if (argv.json) {
    process.stdout.write(`${JSON.stringify({ out: result.out, files: result.files, renderMs: result.renderMs }, null, 2)}\n`);
    return;
  }
  const f = result.files;
  process.stdout.write(
    [`Scene ${result.scene.preset} seed ${argv.seed} index ${argv.index} (${result.scene.objects.length} objects), rendered in ${result.renderMs} ms:`,
      `  optical, top:          ${f.optical}`, `  optical, perspective:  ${f.perspective}`, `  X-ray:                 ${f.xray}`, `  scene:                 ${f.scene}`].join('\n') + '\n',
  );
}
