import type { z } from 'zod';

import type { DatasetEventName, DatasetMethodName } from './dataset.names.js';

/** Request/response schemas of the dataset domain; merged into `apiMethods` in api.ts. */
// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- until the first method lands
export const datasetMethods = {} as const satisfies Record<
  DatasetMethodName,
  { input: z.ZodType; output: z.ZodType }
>;

// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- until the first method lands
export const datasetEvents = {} as const satisfies Record<DatasetEventName, z.ZodType>;
