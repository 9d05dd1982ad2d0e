/** API names of the training domain (presets library, base models, wizard helpers). Zod-free: the preload bundle needs them. */
export const trainingMethodNames = [] as const;
export type TrainingMethodName = (typeof trainingMethodNames)[number];

export const trainingEventNames = [] as const;
export type TrainingEventName = (typeof trainingEventNames)[number];
