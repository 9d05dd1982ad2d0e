import { decodePredictions, type DecodeOptions, type TagResult } from './decode.js';
import { preprocessInto, type PreprocessOptions } from './preprocess.js';
import type { Tagger } from './session.js';

export interface TagImagesOptions extends DecodeOptions, PreprocessOptions {
  /** Images per inference for models with a dynamic batch; default 4 on CPU, 8 on a GPU provider. */
  batchSize?: number;
  signal?: AbortSignal;
  /** Called after every image (tagged or failed). */
  onProgress?: (progress: { done: number; total: number; file: string; imagesPerSecond: number }) => void;
}

export type ImageTagOutcome =
  { file: string; ok: true; result: TagResult } | { file: string; ok: false; message: string };

interface Prepared {
  files: string[];
  data: Float32Array;
  count: number;
  failures: { file: string; message: string }[];
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/unsupported image format/i.test(message))
    return `不是图片或格式不支持 / Not an image or an unsupported format (${message})`;
  if (/pixel limit/i.test(message)) return `图片像素过多，未解码 / Too many pixels, not decoded (${message})`;
  return `图片无法解码（可能已损坏）/ The image cannot be decoded (maybe damaged): ${message}`;
}

/**
 * Tags images with a loaded model. Decoding and resizing of the next batch (sharp, on libuv threads)
 * overlap with inference of the current one (in the tagger's worker). A file that cannot be decoded is
 * reported and skipped; the others carry on. Yields outcomes in input order.
 */
export async function* tagImages(
  tagger: Tagger,
  files: readonly string[],
  options: TagImagesOptions = {},
): AsyncGenerator<ImageTagOutcome> {
  const size = tagger.inputSize;
  const perImage = size * size * 3;
  const batchSize =
    tagger.fixedBatch ?? Math.max(1, options.batchSize ?? (tagger.provider === 'cpu' ? 4 : 8));
  const started = Date.now();
  let done = 0;

  const prepare = async (batch: readonly string[]): Promise<Prepared> => {
    type Slot = { file: string; one: Float32Array | undefined; message: string | undefined };
    const scratch: Slot[] = await Promise.all(
      batch.map(async (file): Promise<Slot> => {
        const one = new Float32Array(perImage);
        try {
          await preprocessInto(file, size, one, 0, options);
          return { file, one, message: undefined };
        } catch (error) {
          return { file, one: undefined, message: errorText(error) };
        }
      }),
    );
    const good = scratch.flatMap((s) => (s.one ? [{ file: s.file, one: s.one }] : []));
    const data = new Float32Array((tagger.fixedBatch ?? good.length) * perImage);
    good.forEach((g, i) => {
      data.set(g.one, i * perImage);
    });
    return {
      files: good.map((g) => g.file),
      data,
      count: tagger.fixedBatch ?? good.length,
      failures: scratch.flatMap((s) =>
        s.message === undefined ? [] : [{ file: s.file, message: s.message }],
      ),
    };
  };

  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += batchSize) batches.push(files.slice(i, i + batchSize));
  let next: Promise<Prepared> | undefined = batches[0] ? prepare(batches[0]) : undefined;
  for (let b = 0; b < batches.length && next; b++) {
    if (options.signal?.aborted) return;
    const current: Prepared = await next;
    const upcoming = batches[b + 1];
    next = upcoming ? prepare(upcoming) : undefined;
    const byFile = new Map<string, ImageTagOutcome>();
    for (const f of current.failures) byFile.set(f.file, { file: f.file, ok: false, message: f.message });
    if (current.files.length > 0) {
      try {
        const rows = await tagger.run(current.data, current.count);
        current.files.forEach((file, i) => {
          const row = rows[i];
          if (row) byFile.set(file, { file, ok: true, result: decodePredictions(row, tagger.tags, options) });
        });
      } catch (error) {
        for (const file of current.files)
          byFile.set(file, {
            file,
            ok: false,
            message: `推理失败 / Inference failed: ${(error as Error).message}`,
          });
      }
    }
    for (const file of batches[b] ?? []) {
      const outcome = byFile.get(file);
      if (!outcome) continue;
      done++;
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      options.onProgress?.({ done, total: files.length, file, imagesPerSecond: done / seconds });
      yield outcome;
    }
  }
}
