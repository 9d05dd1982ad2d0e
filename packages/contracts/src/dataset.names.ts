/** API names of the dataset domain (dataset preparation, captions, tagging). Zod-free: the preload bundle needs them. */
export const datasetMethodNames = [
  'dataset.scan',
  'dataset.check',
  'dataset.buckets',
  'dataset.prepare',
  'dataset.thumbnail',
  'dataset.cancel',
  'captions.get',
  'captions.set',
  'captions.tags',
  'captions.preview',
  'captions.apply',
  'captions.backups',
  'captions.restore',
  'tagger.models',
  'tagger.download',
  'tagger.run',
] as const;
export type DatasetMethodName = (typeof datasetMethodNames)[number];

export const datasetEventNames = ['dataset.progress'] as const;
export type DatasetEventName = (typeof datasetEventNames)[number];
