/** `exoray species ...`: tools over the species catalog. */
import type { Argv } from 'yargs';
import * as sheetCommand from './species-sheet.js';

export const command = 'species <command>';
export const describe = 'The species catalog: "sheet" draws every species, optical and X-ray, on one contact sheet';

/** Each subcommand is its own module; add new ones to this list. */
const subcommands = [sheetCommand];

export function builder(y: Argv) {
  for (const sub of subcommands) y.command(sub as any);
  return y.demandCommand(1, 'Name a species command, e.g. exoray species sheet --out docs/images/species-sheet.png');
}

export function handler(): void {
  // The subcommands do the work.
}
