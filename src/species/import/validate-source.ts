/**
 * `species add --validate`: the Khronos glTF validator on the source file, reported to the
 * user. Many real-world models carry validator errors that do not stop an import (an
 * unused accessor, a wrong min/max), so the result is a report, not a refusal.
 * Node-only (reads external resources).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { validateBytes } from 'gltf-validator';

export interface SourceValidation {
  validator: 'gltf-validator';
  errors: number;
  warnings: number;
  /** The first errors and warnings, "CODE pointer: message". */
  messages: string[];
}

const SHOWN = 10;

export async function validateSource(file: string, bytes: Uint8Array, format: 'glb' | 'gltf'): Promise<SourceValidation> {
  const dir = dirname(file);
  const report = await validateBytes(bytes, {
    uri: file,
    format,
    writeTimestamp: false,
    externalResourceFunction: async (uri) => new Uint8Array(await readFile(resolve(dir, decodeURIComponent(uri)))),
  });
  const messages = report.issues.messages
    .filter((m) => m.severity <= 1)
    .slice(0, SHOWN)
    .map((m) => `${m.severity === 0 ? 'error' : 'warning'} ${m.code}${m.pointer ? ` ${m.pointer}` : ''}: ${m.message}`);
  return { validator: 'gltf-validator', errors: report.issues.numErrors, warnings: report.issues.numWarnings, messages };
}
