// The ONNX session lives in this worker thread: InferenceSession.create() and run() block the thread
// they run on for the whole inference, and the backend's thread must keep serving the UI meanwhile.
// Plain JavaScript so it starts the same under Node, tsx, vitest and a bundled Electron main.
import { parentPort } from 'node:worker_threads';

import * as ort from 'onnxruntime-node';

let session;
// Failures reach the caller as exceptions (and a provider that cannot start is a note, not an error);
// ORT's own console log would only repeat them on stderr.
ort.env.logLevel = 'fatal';

function describe(meta) {
  return meta.map((m) => ({
    name: m.name,
    shape: m.isTensor ? m.shape : [],
    type: m.isTensor ? m.type : 'other',
  }));
}

async function load({ modelPath, candidates, threads }) {
  const notes = [];
  for (const candidate of candidates) {
    const options = {
      executionProviders: [candidate.options ?? candidate.name],
      graphOptimizationLevel: 'all',
    };
    if (threads) options.intraOpNumThreads = threads;
    if (candidate.name === 'dml') {
      options.enableMemPattern = false;
      options.executionMode = 'sequential';
    }
    try {
      session = await ort.InferenceSession.create(modelPath, options);
      return {
        provider: candidate.name,
        notes,
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        inputs: describe(session.inputMetadata),
        outputs: describe(session.outputMetadata),
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // a broken or missing file fails the same way on every provider: say so at once
      if (/protobuf parsing failed|doesn't exist|No such file|INVALID_GRAPH|INVALID_PROTOBUF/i.test(message))
        throw error;
      notes.push(`${candidate.name}: ${message}`);
    }
  }
  throw new Error(`No execution provider could start: ${notes.join('; ')}`);
}

parentPort.on('message', async (message) => {
  try {
    if (message.type === 'load') {
      parentPort.postMessage({ type: 'loaded', ...(await load(message)) });
    } else if (message.type === 'run') {
      const feeds = { [message.inputName]: new ort.Tensor('float32', message.data, message.dims) };
      const results = await session.run(feeds);
      const output = results[message.outputName];
      const data = new Float32Array(output.data);
      parentPort.postMessage({ type: 'result', id: message.id, data, dims: output.dims }, [data.buffer]);
    } else if (message.type === 'dispose') {
      await session?.release();
      session = undefined;
      parentPort.postMessage({ type: 'disposed' });
      parentPort.close();
    }
  } catch (error) {
    parentPort.postMessage({
      type: 'error',
      id: message.id,
      message: error instanceof Error ? error.message : String(error),
    });
  }
});
