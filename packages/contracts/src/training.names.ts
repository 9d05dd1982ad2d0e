/** API names of the training domain (presets library, base models, wizard helpers). Zod-free: the preload bundle needs them. */
export const trainingMethodNames = [
  'presets.list',
  'presets.save',
  'presets.rename',
  'presets.delete',
  'presets.import',
  'presets.export',
  'models.inspect',
  'models.list',
] as const;
export type TrainingMethodName = (typeof trainingMethodNames)[number];

export const trainingEventNames = [] as const;
export type TrainingEventName = (typeof trainingEventNames)[number];
