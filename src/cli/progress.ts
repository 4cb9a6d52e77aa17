/** A one-line progress bar on stderr: count, images/s, ETA, failures. Plain lines when not a terminal. */
export interface ProgressState {
  done: number;
  total: number;
  failures: number;
  elapsedMs: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatProgress(p: ProgressState, barWidth = 24): string {
  const frac = p.total > 0 ? p.done / p.total : 1;
  const filled = Math.round(frac * barWidth);
  const rate = p.elapsedMs > 0 ? p.done / (p.elapsedMs / 1000) : 0;
  const eta = rate > 0 ? (p.total - p.done) / rate : Infinity;
  const bar = '#'.repeat(filled) + '.'.repeat(barWidth - filled);
  return `[${bar}] ${p.done}/${p.total}  ${rate.toFixed(2)} img/s  ETA ${formatDuration(eta)}  failures ${p.failures}`;
}

export class ProgressBar {
  private lastLine = 0;
  private readonly tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(stream.isTTY);
  }

  update(p: ProgressState): void {
    const now = Date.now();
    const finished = p.done === p.total;
    if (this.tty) {
      this.stream.write(`\r${formatProgress(p)}${finished ? '\n' : ''}`);
    } else if (finished || now - this.lastLine > 5000 || p.done === 1) {
      // Logs (CI, pipes) get a line every few seconds instead of carriage returns.
      this.lastLine = now;
      this.stream.write(`${formatProgress(p)}\n`);
    }
  }
}
