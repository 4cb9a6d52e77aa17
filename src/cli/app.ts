/** The exoray command line: wires yargs to the programmatic API; one handler turns errors into exit codes. */
import yargs from 'yargs';
import { isExorayError } from '../core/errors.js';
import { toolVersion } from '../core/paths.js';
import * as generateCommand from './generate.js';
import * as mergeCommand from './merge.js';
import * as queryCommand from './query.js';
import * as reviewCommand from './review.js';
import * as exportCommand from './export.js';
import * as dbCommand from './db.js';
import * as renderCommand from './render.js';
import * as statsCommand from './stats.js';
import * as reportCommand from './report.js';
import * as serveCommand from './serve.js';
import * as verifyCommand from './verify.js';
import * as refreshCommand from './refresh.js';
import { takeRequestedExitCode } from './exit-code.js';
import * as sceneCommand from './scene.js';
import * as speciesCommand from './species.js';

export async function main(args: string[]): Promise<number> {
  try {
    await yargs(args)
      .scriptName('exoray')
      .usage('$0 <command> [options]\n\nSynthetic, labeled dual-energy X-ray images of smuggled animals in parcels and luggage.')
      .command(generateCommand as any)
      .command(verifyCommand as any)
      .command(queryCommand as any)
      .command(reviewCommand as any)
      .command(exportCommand as any)
      .command(dbCommand as any)
      .command(renderCommand as any)
      .command(statsCommand as any)
      .command(reportCommand as any)
      .command(serveCommand as any)
      .command(mergeCommand as any)
      .command(refreshCommand as any)
      .command(sceneCommand as any)
      .command(speciesCommand as any)
      .demandCommand(1, 'Name a command: exoray generate --help')
      .strict()
      .version(toolVersion())
      .alias('h', 'help')
      .alias('V', 'version')
      .wrap(Math.min(110, process.stdout.columns || 100))
      .fail((msg, err) => {
        if (err) throw err;
        throw new UsageError(msg);
      })
      .parseAsync();
    return takeRequestedExitCode();
  } catch (e) {
    takeRequestedExitCode();
    return report(e);
  }
}

class UsageError extends Error {}

function report(e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`exoray: ${e.message}\nRun \`exoray --help\` for the commands and options.\n`);
    return 2;
  }
  if (isExorayError(e)) {
    process.stderr.write(`exoray: ${e.message} [${e.code}]\n`);
    if (process.env.EXORAY_DEBUG && e.cause) process.stderr.write(`${String((e.cause as Error).stack ?? e.cause)}\n`);
    return e.exitCode;
  }
  process.stderr.write(`exoray: unexpected error: ${(e as Error)?.stack ?? String(e)}\nPlease report this with the command you ran.\n`);
  return 70;
}
