import { backendCommands, queryGpus } from '@danlu/backend';
import { datasetCaptionIo, datasetCommands } from '@danlu/dataset';
import { createEngineCommands, logCommands } from '@danlu/engine';
import type { CliCommand } from '@danlu/node-utils';
import { runCommands } from '@danlu/runs';
import { serverCommands } from '@danlu/server';
import { createTaggerCommands } from '@danlu/tagger';

/** Every package's contribution, in the order `danlu --help` lists them. */
export const allCommands: CliCommand[] = [
  ...serverCommands,
  ...backendCommands,
  ...createEngineCommands({ queryGpus }),
  ...logCommands,
  ...datasetCommands,
  ...createTaggerCommands(datasetCaptionIo),
  ...runCommands,
];
