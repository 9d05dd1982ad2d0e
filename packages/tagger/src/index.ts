/** Public surface of @danlu/tagger (WD auto-tagging with onnxruntime-node). */
export * from './errors.js';
export * from './tagList.js';
export * from './decode.js';
export * from './format.js';
export * from './preprocess.js';
export * from './providers.js';
export * from './session.js';
export * from './pipeline.js';
export * from './captionJob.js';
export * from './models/registry.js';
export * from './models/download.js';
export * from './models/manager.js';
export type { Bilingual } from './text.js';
export { createTaggerCommands, type CaptionFolderIo } from './cli.js';
export { benchTagger, type TaggerBenchRow } from './bench.js';
