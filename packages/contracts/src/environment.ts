import type { z } from 'zod';

import type { EnvironmentEventName, EnvironmentMethodName } from './environment.names.js';

/** Request/response schemas of the environment domain; merged into `apiMethods` in api.ts. */
// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- until the first method lands
export const environmentMethods = {} as const satisfies Record<
  EnvironmentMethodName,
  { input: z.ZodType; output: z.ZodType }
>;

// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- until the first method lands
export const environmentEvents = {} as const satisfies Record<EnvironmentEventName, z.ZodType>;
