/** Test helpers of @danlu/tagger (tiny ONNX models with the real WD signature). */
export * from './onnxModel.js';
export * from './installTinyModel.js';
