/** Public surface of @danlu/tagger (WD14 auto-tagging with onnxruntime-node). */
export {};
