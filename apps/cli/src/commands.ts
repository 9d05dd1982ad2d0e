import { backendCommands, queryGpus } from '@danlu/backend';
import { datasetCommands } from '@danlu/dataset';
import { createEngineCommands } from '@danlu/engine';
import type { CliCommand } from '@danlu/node-utils';
import { serverCommands } from '@danlu/server';

/** Every package's contribution, in the order `danlu --help` lists them. */
export const allCommands: CliCommand[] = [
  ...serverCommands,
  ...backendCommands,
  ...createEngineCommands({ queryGpus }),
  ...datasetCommands,
];
