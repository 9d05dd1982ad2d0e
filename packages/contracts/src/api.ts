import { z } from 'zod';

import { AppInfoSchema, NoticeSchema } from './app.js';
import { NoInput } from './common.js';
import { datasetEvents, datasetMethods } from './dataset.js';
import { environmentEvents, environmentMethods } from './environment.js';
import { runEvents, runMethods } from './runs.js';
import { SettingsPatchSchema, SettingsSchema } from './settings.js';
import { GpuReportSchema } from './system.js';
import { trainingEvents, trainingMethods } from './training.js';
import type { EventName, MethodName } from './names.js';

/**
 * The whole request/response API, once. Desktop (IPC) and server (WebSocket/HTTP) both serve exactly
 * this map; a type-level test in @danlu/backend proves every method has one handler.
 */
export const apiMethods = {
  'app.info': { input: NoInput, output: AppInfoSchema },
  'settings.get': { input: NoInput, output: SettingsSchema },
  'settings.set': { input: SettingsPatchSchema, output: SettingsSchema },
  'settings.reset': { input: NoInput, output: SettingsSchema },
  'system.gpus': {
    input: z.object({ refresh: z.boolean().optional() }).strict(),
    output: GpuReportSchema,
  },
  'notices.list': { input: NoInput, output: z.array(NoticeSchema) },
  'notices.dismiss': { input: z.object({ id: z.string().min(1) }).strict(), output: z.array(NoticeSchema) },
  ...trainingMethods,
  ...datasetMethods,
  ...environmentMethods,
  ...runMethods,
} as const satisfies Record<MethodName, { input: z.ZodType; output: z.ZodType }>;

/** `satisfies` above cannot see extra keys arriving through a spread; this line can. */
export const noExtraMethods: Exclude<keyof typeof apiMethods, MethodName> extends never ? true : never = true;

export type ApiMethods = typeof apiMethods;
export type MethodInput<M extends MethodName> = z.input<ApiMethods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<ApiMethods[M]['output']>;

/** Push events from the Node side to every connected UI. */
export const apiEvents = {
  'settings.changed': SettingsSchema,
  'notices.changed': z.array(NoticeSchema),
  ...trainingEvents,
  ...datasetEvents,
  ...environmentEvents,
  ...runEvents,
} as const satisfies Record<EventName, z.ZodType>;

export type ApiEvents = typeof apiEvents;
export type EventPayload<E extends EventName> = z.output<ApiEvents[E]>;
