/** API names of the runs domain (training runs, queue, outputs). Zod-free: the preload bundle needs them. */
export const runMethodNames = [
  'runs.list',
  'runs.get',
  'runs.create',
  'runs.update',
  'runs.stop',
  'runs.remove',
  'runs.reorder',
  'runs.continue',
  'runs.applyFix',
  'runs.metrics',
  'runs.log',
  'runs.image',
  'runs.modelMetadata',
  'runs.exportScene',
  'runs.importScene',
] as const;
export type RunMethodName = (typeof runMethodNames)[number];

export const runEventNames = ['runs.changed', 'runs.update'] as const;
export type RunEventName = (typeof runEventNames)[number];
