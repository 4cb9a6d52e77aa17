/**
 * A command that succeeds but has something to tell a script (refresh: "nothing to
 * do") asks for its exit code here; errors keep theirs from the error handler.
 */
let requested = 0;

export function requestExitCode(code: number): void {
  requested = code;
}

/** The code asked for since the last call, reset for the next command (tests run several in one process). */
export function takeRequestedExitCode(): number {
  const code = requested;
  requested = 0;
  return code;
}
