/**
 * Typed errors. Every failure a user can cause or fix carries a stable `code`,
 * and a message that names the thing and says how to fix it. The CLI's single
 * top-level handler maps them to a message and an exit code.
 */
export type ErrorCode =
  | 'E_CHROMIUM_NOT_FOUND'
  | 'E_BROWSER'
  | 'E_RENDER'
  | 'E_RENDER_TIMEOUT'
  | 'E_WEBGL_UNSUPPORTED'
  | 'E_MATERIAL'
  | 'E_NIST_DATA'
  | 'E_ASSET'
  | 'E_MESH_INVALID'
  | 'E_PRESET'
  | 'E_PLACEMENT'
  | 'E_PHYSICS'
  | 'E_SCENE'
  | 'E_DATABASE'
  | 'E_OUTPUT'
  | 'E_USAGE'
  | 'E_LABEL'
  | 'E_INTERRUPTED';

export class ExorayError extends Error {
  readonly code: ErrorCode;
  /** Exit code the CLI uses: 2 for usage/input errors, 1 for runtime failures. */
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'ExorayError';
    this.code = code;
    this.exitCode = options?.exitCode ?? (code === 'E_USAGE' || code === 'E_PRESET' ? 2 : code === 'E_INTERRUPTED' ? 130 : 1);
  }
}

export function isExorayError(e: unknown): e is ExorayError {
  return e instanceof ExorayError;
}
