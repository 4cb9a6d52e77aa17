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

export interface ValidatorIssue {
  code: string;
  message: string;
  /** 0 error, 1 warning, 2 information, 3 hint. */
  severity: number;
  pointer?: string;
}

const SHOWN = 10;

/** The validator's counts and first `maxIssues` issues. */
export async function validatorIssues(
  file: string,
  bytes: Uint8Array,
  format: 'glb' | 'gltf',
  maxIssues = 100,
): Promise<{ errors: number; warnings: number; issues: ValidatorIssue[] }> {
  const dir = dirname(file);
  const report = await validateBytes(bytes, {
    uri: file,
    format,
    writeTimestamp: false,
    maxIssues,
    externalResourceFunction: async (uri) => new Uint8Array(await readFile(resolve(dir, decodeURIComponent(uri)))),
  });
  return { errors: report.issues.numErrors, warnings: report.issues.numWarnings, issues: report.issues.messages };
}

export async function validateSource(file: string, bytes: Uint8Array, format: 'glb' | 'gltf'): Promise<SourceValidation> {
  const v = await validatorIssues(file, bytes, format);
  const messages = v.issues
    .filter((m) => m.severity <= 1)
    .slice(0, SHOWN)
    .map((m) => `${m.severity === 0 ? 'error' : 'warning'} ${m.code}${m.pointer ? ` ${m.pointer}` : ''}: ${m.message}`);
  return { validator: 'gltf-validator', errors: v.errors, warnings: v.warnings, messages };
}
