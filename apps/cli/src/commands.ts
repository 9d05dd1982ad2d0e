import { backendCommands } from '@danlu/backend';
import type { CliCommand } from '@danlu/node-utils';
import { serverCommands } from '@danlu/server';

/** Every package's contribution, in the order `danlu --help` lists them. */
export const allCommands: CliCommand[] = [...serverCommands, ...backendCommands];
