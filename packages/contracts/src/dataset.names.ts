/** API names of the dataset domain (dataset preparation, captions, tagging). Zod-free: the preload bundle needs them. */
export const datasetMethodNames = [] as const;
export type DatasetMethodName = (typeof datasetMethodNames)[number];

export const datasetEventNames = [] as const;
export type DatasetEventName = (typeof datasetEventNames)[number];
