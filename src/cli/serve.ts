/** `exoray serve DIR`: the review page over a dataset folder (src/review/). */
import type { Argv } from 'yargs';
import { ExorayError } from '../core/errors.js';
import path from 'node:path';
import { startServer } from '../review/server.js';
import { lazyOpticalSource } from '../review/optical-source.js';

export const command = 'serve [dir]';
export const describe = 'Serve the review page for a dataset: browse, search, judge samples in a browser';

export function builder(y: Argv) {
  return y
    .positional('dir', { type: 'string', default: 'output/demo', describe: 'Dataset folder (holding exoray.db)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on (0.0.0.0 opens it to the network: no login!)' })
    .option('port', { type: 'number', default: 8437, describe: 'Port (0 picks a free one)' })
    .option('chromium', { type: 'string', describe: 'Chromium for the optical view (started on its first use)' })
    .option('gpu', { type: 'boolean', default: false, describe: 'Use a hardware GPU for the optical view' });
}

export async function handler(argv: { dir: string; host: string; port: number; chromium?: string; gpu: boolean }): Promise<void> {
  if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535) {
    throw new ExorayError('E_USAGE', `serve: --port ${argv.port} is not a port; give a whole number from 0 to 65535.`);
  }
  const optical = lazyOpticalSource(path.join(argv.dir, 'exoray.db'), { chromium: argv.chromium, gpu: argv.gpu });
  const server = await startServer({ dir: argv.dir, host: argv.host, port: argv.port, optical: optical.render });
  process.stdout.write(`exoray review page for ${argv.dir}: ${server.url}\nPress Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void Promise.all([server.close(), optical.close()]).then(() => resolve());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
