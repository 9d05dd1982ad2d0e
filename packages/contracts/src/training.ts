import type { z } from 'zod';

import type { TrainingEventName, TrainingMethodName } from './training.names.js';

/** Request/response schemas of the training domain; merged into `apiMethods` in api.ts. */
// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- until the first method lands
export const trainingMethods = {} as const satisfies Record<
  TrainingMethodName,
  { input: z.ZodType; output: z.ZodType }
>;

// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- until the first method lands
export const trainingEvents = {} as const satisfies Record<TrainingEventName, z.ZodType>;
