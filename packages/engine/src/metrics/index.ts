export { mapScalars, mergePoint, type ScalarSet, type MappedScalars } from './points.js';
export { parseShimLine, parseShimScalars } from './shimLine.js';
export {
  readTensorboardEvents,
  findTensorboardFiles,
  readTfEventFile,
  decodeTfEvents,
  scalarsToMetrics,
  type TfScalar,
  type TfReadResult,
  type TensorboardMetrics,
} from './tfevents.js';
export { crc32c, maskedCrc32c } from './crc32c.js';
