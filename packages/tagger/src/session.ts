import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

import { TaggerError } from './errors.js';
import { providerCandidates, type ProviderCandidate } from './providers.js';
import { parseSelectedTags, type TagList } from './tagList.js';

export interface OpenTaggerOptions {
  modelPath: string;
  tagsPath: string;
  providers?: ProviderCandidate[];
  /** ORT intra-op threads; 0/undefined lets ORT choose. */
  threads?: number;
}

interface TensorInfo {
  name: string;
  shape: (number | string)[];
  type: string;
}

type WorkerReply =
  | {
      type: 'loaded';
      provider: string;
      notes: string[];
      inputs: TensorInfo[];
      outputs: TensorInfo[];
    }
  | { type: 'result'; id: number; data: Float32Array; dims: number[] }
  | { type: 'error'; id?: number; message: string }
  | { type: 'disposed' };

/** A loaded WD tagger: its session runs in a worker thread; this side holds the tag list. */
export interface Tagger {
  readonly tags: TagList;
  /** Square input side read from the model (448 for SmilingWolf's, 480 for some others). */
  readonly inputSize: number;
  /** A number when the model's batch dimension is fixed (most v2 files: 1). */
  readonly fixedBatch: number | undefined;
  readonly inputName: string;
  readonly outputName: string;
  /** The execution provider that started, and why the ones before it did not. */
  readonly provider: string;
  readonly providerNotes: string[];
  /** Runs `count` images laid out NHWC in `data`; returns one probability row per image. */
  run(data: Float32Array, count: number): Promise<Float32Array[]>;
  close(): Promise<void>;
}

function friendlyLoadError(message: string, modelPath: string): TaggerError {
  if (/doesn't exist|No such file|ENOENT/i.test(message))
    return new TaggerError(
      'model_missing',
      `找不到模型文件：${modelPath} / Model file not found: ${modelPath}`,
    );
  if (/protobuf parsing failed|INVALID_PROTOBUF/i.test(message))
    return new TaggerError(
      'bad_model',
      `这不是 ONNX 模型文件（可能下载不完整）：${modelPath} / This is not an ONNX model (perhaps an incomplete download): ${modelPath}`,
    );
  return new TaggerError('bad_model', `模型无法加载 / The model cannot be loaded: ${message}`);
}

/**
 * Opens a WD tagger: starts the worker, tries the execution providers in order, then checks the model
 * against the WD contract (one NHWC float input with 3 channels, one output as wide as the tag list).
 */
export async function openTagger(options: OpenTaggerOptions): Promise<Tagger> {
  let csv: string;
  try {
    csv = await readFile(options.tagsPath, 'utf8');
  } catch {
    throw new TaggerError(
      'model_missing',
      `找不到标签文件：${options.tagsPath} / Tags file not found: ${options.tagsPath}`,
    );
  }
  const tags = parseSelectedTags(csv);
  const worker = new Worker(new URL('./worker/inferenceWorker.mjs', import.meta.url));
  const pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  let loadWaiter: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void } | undefined;
  let failed: Error | undefined;
  worker.on('message', (reply: WorkerReply) => {
    if (reply.type === 'result' || (reply.type === 'error' && reply.id !== undefined)) {
      const waiter = pending.get(reply.id ?? -1);
      pending.delete(reply.id ?? -1);
      if (reply.type === 'error') waiter?.reject(new Error(reply.message));
      else waiter?.resolve(reply);
      return;
    }
    if (reply.type === 'error') loadWaiter?.reject(new Error(reply.message));
    else loadWaiter?.resolve(reply);
  });
  const fail = (error: Error) => {
    failed = error;
    loadWaiter?.reject(error);
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (code !== 0) fail(new Error(`tagger worker exited with code ${String(code)}`));
  });
  // A warm, idle model must not keep the process alive (a server that is stopping, a CLI that is done);
  // while an answer is awaited it must, or Node would exit under the caller's await.
  let busy = 0;
  const hold = () => {
    if (busy++ === 0) worker.ref();
  };
  const release = () => {
    if (--busy === 0) worker.unref();
  };
  worker.unref();
  const ask = (message: object) => {
    hold();
    return new Promise<WorkerReply>((resolve, reject) => {
      loadWaiter = { resolve, reject };
      worker.postMessage(message);
    }).finally(release);
  };

  let loaded: WorkerReply;
  try {
    loaded = await ask({
      type: 'load',
      modelPath: options.modelPath,
      candidates: options.providers ?? providerCandidates(),
      threads: options.threads,
    });
  } catch (error) {
    await worker.terminate();
    throw friendlyLoadError((error as Error).message, options.modelPath);
  }
  if (loaded.type !== 'loaded') throw new TaggerError('bad_model', 'unexpected worker reply');
  const input = loaded.inputs[0];
  const output = loaded.outputs[0];
  const shape = input?.shape ?? [];
  const size = shape[1];
  if (
    !input ||
    !output ||
    shape.length !== 4 ||
    shape[3] !== 3 ||
    typeof size !== 'number' ||
    shape[2] !== size
  ) {
    await worker.terminate();
    throw new TaggerError(
      'bad_model',
      `模型的输入不是 WD 格式 [N, 边长, 边长, 3]（得到 ${JSON.stringify(shape)}）/ The model input is not WD's [N, size, size, 3] (got ${JSON.stringify(shape)})`,
    );
  }
  const width = output.shape[1];
  if (typeof width === 'number' && width !== tags.names.length) {
    await worker.terminate();
    throw new TaggerError(
      'model_mismatch',
      `标签文件有 ${String(tags.names.length)} 个标签，模型输出 ${String(width)} 个：它们不是一套 / The tags file lists ${String(tags.names.length)} tags but the model outputs ${String(width)}: they do not belong together`,
    );
  }
  const fixedBatch = typeof shape[0] === 'number' && shape[0] > 0 ? shape[0] : undefined;
  let nextId = 1;
  return {
    tags,
    inputSize: size,
    fixedBatch,
    inputName: input.name,
    outputName: output.name,
    provider: loaded.provider,
    providerNotes: loaded.notes,
    async run(data, count) {
      if (failed) throw failed;
      const id = nextId++;
      hold();
      const reply = await new Promise<WorkerReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage(
          {
            type: 'run',
            id,
            data,
            dims: [count, size, size, 3],
            inputName: input.name,
            outputName: output.name,
          },
          [data.buffer as ArrayBuffer],
        );
      }).finally(release);
      if (reply.type !== 'result') throw new Error('unexpected worker reply');
      const k = reply.dims[1] ?? tags.names.length;
      const rows: Float32Array[] = [];
      for (let i = 0; i < count; i++) rows.push(reply.data.subarray(i * k, (i + 1) * k));
      return rows;
    },
    async close() {
      if (!failed) {
        const done = new Promise<void>((resolve) =>
          worker.once('exit', () => {
            resolve();
          }),
        );
        worker.postMessage({ type: 'dispose' });
        await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
      }
      await worker.terminate();
    },
  };
}
