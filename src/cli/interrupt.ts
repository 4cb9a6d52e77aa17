/**
 * Ctrl-C (or SIGTERM) during a long command: the first stops it after the samples in
 * flight, leaving what `--resume` or the next refresh continues; the second quits at once.
 */
export interface Interrupt {
  signal: AbortSignal;
  /** Stops listening (call when the command ends). */
  dispose: () => void;
}

export function interruptOnSignals(): Interrupt {
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nexoray: stopping after the samples in flight (Ctrl-C again to quit at once)...\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
