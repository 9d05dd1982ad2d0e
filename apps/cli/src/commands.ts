import { backendCommands, queryGpus } from '@danlu/backend';
import type { CliCommand } from '@danlu/node-utils';
import { serverCommands } from '@danlu/server';

// Relative until apps/cli depends on @danlu/engine (package.json + pnpm install).
import { createEngineCommands } from '../../../packages/engine/src/index.js';
import { datasetCommands } from '../../../packages/dataset/src/index.js';

/** Every package's contribution, in the order `danlu --help` lists them. */
export const allCommands: CliCommand[] = [
  ...serverCommands,
  ...backendCommands,
  ...createEngineCommands({ queryGpus }),
  ...datasetCommands,
];
