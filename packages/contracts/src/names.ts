/**
 * The names of the API, without zod: small enough for the sandboxed preload bundle, which needs the
 * lists but none of the schemas. `apiMethods` and `apiEvents` (api.ts) must have exactly these keys;
 * the compiler checks it there.
 */
import { datasetEventNames, datasetMethodNames } from './dataset.names.js';
import { environmentEventNames, environmentMethodNames } from './environment.names.js';
import { runEventNames, runMethodNames } from './runs.names.js';
import { trainingEventNames, trainingMethodNames } from './training.names.js';

/** The app's own methods; each domain keeps its names in `<domain>.names.ts`. */
const coreMethodNames = [
  'app.info',
  'settings.get',
  'settings.set',
  'settings.reset',
  'system.gpus',
  'notices.list',
  'notices.dismiss',
] as const;

export const methodNames = [
  ...coreMethodNames,
  ...trainingMethodNames,
  ...datasetMethodNames,
  ...environmentMethodNames,
  ...runMethodNames,
] as const;
export type MethodName = (typeof methodNames)[number];

const coreEventNames = ['settings.changed', 'notices.changed'] as const;

export const eventNames = [
  ...coreEventNames,
  ...trainingEventNames,
  ...datasetEventNames,
  ...environmentEventNames,
  ...runEventNames,
] as const;
export type EventName = (typeof eventNames)[number];

const methodSet: ReadonlySet<string> = new Set(methodNames);
const eventSet: ReadonlySet<string> = new Set(eventNames);

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && methodSet.has(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && eventSet.has(value);
}

/** Electron IPC channel names; the preload exposes only these. */
export const ipcChannels = {
  call: 'danlu:call',
  event: 'danlu:event',
} as const;

export * from './dataset.names.js';
export * from './environment.names.js';
export * from './runs.names.js';
export * from './training.names.js';
