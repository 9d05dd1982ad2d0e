import { basename, dirname, extname, join, relative, sep } from 'node:path';

import {
  DanluError,
  type DatasetMethodName,
  type DatasetProgress,
  type MethodOutput,
} from '@danlu/contracts';
import {
  bucketInputFromManifest,
  countBySeverity,
  DatasetError,
  explainRegBalance,
  foldersFromManifest,
  kohyaCaptionLine,
  prepareDataset,
  previewTagOperations,
  readCaptionFile,
  runChecks,
  simulateBuckets,
  splitTags,
  tagFrequencies,
  ThumbnailCache,
  type CheckOptions,
  type FolderSubset,
  type PrepareOptions,
} from '@danlu/dataset';

import {
  captionFileFor,
  applyWithLabel,
  backupIdOf,
  listBackups,
  PreviewStore,
  restoreBackup,
} from '../dataset/captions.js';
import { JobRegistry } from '../dataset/jobs.js';
import { ManifestCache } from '../dataset/manifestCache.js';
import { requireFile } from '../dataset/paths.js';
import { filterImages, findingRows, imageRow, severityOrder, summarise } from '../dataset/views.js';
import { createTaggerHandlers } from '../dataset/tagging.js';
import type { DomainContext, DomainModule } from './context.js';

const toPosixPath = (path: string) => path.split(sep).join('/');

/** The caption beside an image: `<stem>.txt`, or the extension the caller names. */
function captionFor(image: string, extension: string | undefined): string {
  const ext = extension ? (extension.startsWith('.') ? extension : `.${extension}`) : '.txt';
  return join(dirname(image), basename(image, extname(image)) + ext);
}

/** DatasetError codes become API errors with a zh/en message the page can show as the detail. */
function apiError(error: unknown): unknown {
  if (!(error instanceof DatasetError)) return error;
  const zh: Record<DatasetError['code'], string> = {
    not_a_folder: '不是文件夹',
    out_inside_source: '输出文件夹不能在原图文件夹里面',
    out_not_empty: '输出文件夹不是空的，请换一个新文件夹',
    out_unwritable: '输出文件夹无法写入',
    bad_size: '尺寸必须是 64 的倍数',
    no_backup: '找不到备份',
  };
  const code = error.code === 'no_backup' ? 'not_found' : 'bad_request';
  return new DanluError(code, `${zh[error.code]} / ${error.message}`, { cause: error });
}

async function mapErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw apiError(error);
  }
}

/** Handlers of the dataset domain (see @danlu/contracts dataset.ts). */
export function createDatasetDomain(context: DomainContext): DomainModule<DatasetMethodName> {
  const manifests = new ManifestCache();
  const jobs = new JobRegistry();
  const previews = new PreviewStore();
  const thumbs = new ThumbnailCache({ dir: join(context.paths.cache, 'thumbs') });
  const dataDir = context.paths.data;

  /** A progress reporter for one job: at most one event per 150 ms, and always the last one. */
  const progress = (jobId: string, kind: DatasetProgress['kind']) => {
    let last = 0;
    return (done: number, total: number, item?: string, rate?: number) => {
      const now = Date.now();
      if (now - last < 150 && done < total) return;
      last = now;
      const event: DatasetProgress = { jobId, kind, done, total };
      if (item !== undefined) event.item = item;
      if (rate !== undefined) event.rate = rate;
      context.events.emit('dataset.progress', event);
    };
  };

  const tagger = createTaggerHandlers({ context, manifests, jobs, progress });

  return {
    handlers: {
      'dataset.scan': (input) =>
        mapErrors(async () => {
          const manifest = await manifests.get(input);
          const filtered = filterImages(manifest.images, input.filter);
          const offset = input.offset ?? 0;
          const limit = input.limit ?? 200;
          return {
            root: manifest.root,
            scannedAt: manifest.scannedAt,
            deep: manifest.deep,
            captionExtensions: manifest.captionExtensions,
            summary: summarise(manifest),
            subsets: manifest.subsets,
            orphanCaptions: manifest.orphanCaptions.map((p) => toPosixPath(relative(manifest.root, p))),
            total: filtered.length,
            offset,
            images: filtered.slice(offset, offset + limit).map(imageRow),
          };
        }),

      'dataset.check': (input) =>
        mapErrors(async () => {
          const manifest = await manifests.get(input);
          const options: CheckOptions = {};
          if (input.resolution !== undefined)
            options.resolution =
              typeof input.resolution === 'number' ? [input.resolution, input.resolution] : input.resolution;
          if (input.triggerWord?.trim()) options.triggerWord = input.triggerWord.trim();
          if (input.kind) options.kind = input.kind;
          const findings = runChecks(manifest, options).sort(
            (a, b) => severityOrder[a.severity] - severityOrder[b.severity],
          );
          return {
            root: manifest.root,
            deep: manifest.deep,
            counts: countBySeverity(findings),
            findings: findingRows(findings),
          };
        }),

      'dataset.buckets': (input) =>
        mapErrors(async () => {
          const manifest = await manifests.get({ dir: input.dir });
          const folders: FolderSubset[] = input.folders
            ? input.folders.map((f) => ({ dir: f.dir, numRepeats: f.numRepeats, isReg: f.isReg ?? false }))
            : foldersFromManifest(manifest);
          const { images, subsets } = bucketInputFromManifest(manifest, folders);
          const o = input.options;
          const sim = simulateBuckets(images, subsets, {
            resolution: typeof o.resolution === 'number' ? o.resolution : o.resolution,
            ...(o.enableBucket !== undefined && { enableBucket: o.enableBucket }),
            ...(o.minBucketReso !== undefined && { minBucketReso: o.minBucketReso }),
            ...(o.maxBucketReso !== undefined && { maxBucketReso: o.maxBucketReso }),
            ...(o.bucketResoSteps !== undefined && { bucketResoSteps: o.bucketResoSteps }),
            ...(o.bucketNoUpscale !== undefined && { bucketNoUpscale: o.bucketNoUpscale }),
            ...(o.batchSize !== undefined && { batchSize: o.batchSize }),
            ...(o.epochs !== undefined && { epochs: o.epochs }),
          });
          const out: MethodOutput<'dataset.buckets'> = {
            minBucketReso: sim.minBucketReso,
            maxBucketReso: sim.maxBucketReso,
            warnings: sim.warnings,
            buckets: sim.buckets.map((b) => ({
              index: b.index,
              width: b.resolution[0],
              height: b.resolution[1],
              count: b.count,
              images: b.images,
              batches: b.batches,
            })),
            assignments: sim.assignments.map((a) => ({
              relPath: a.key,
              subset: a.subset,
              width: a.bucket[0],
              height: a.bucket[1],
              resizedWidth: a.resized[0],
              resizedHeight: a.resized[1],
              upscaled: a.upscaled,
              repeats: a.repeats,
            })),
            meanArError: sim.meanArError,
            trainImagesWithRepeats: sim.trainImagesWithRepeats,
            regImagesWithRepeats: sim.regImagesWithRepeats,
            regSamplesPerEpoch: sim.regSamplesPerEpoch,
            unusedRegImages: sim.unusedRegImages,
            steps: {
              batchesPerEpoch: sim.steps.batchesPerEpoch,
              stepsPerEpoch: sim.steps.stepsPerEpoch,
              totalSteps: sim.steps.totalSteps,
              epochs: sim.steps.epochs,
            },
            lines: sim.lines,
          };
          if (sim.error !== undefined) out.error = sim.error;
          const reg = explainRegBalance(sim);
          if (reg) out.regBalance = reg;
          return out;
        }),

      'dataset.prepare': (input) =>
        mapErrors(async () => {
          const manifest = await manifests.get({ dir: input.dir, refresh: true });
          return jobs.run(input.jobId, async (signal) => {
            const report = progress(input.jobId, 'prepare');
            const options: PrepareOptions = {
              outDir: input.outDir,
              crop: input.crop,
              signal,
              onProgress: (p) => {
                report(p.done, p.total, p.file);
              },
            };
            if (input.size) options.size = input.size;
            if (input.longSide !== undefined) options.longSide = input.longSide;
            if (input.format) options.format = input.format;
            const result = await prepareDataset(manifest, options);
            return {
              outDir: options.outDir,
              written: result.written.length,
              failed: result.failed.map((f) => ({
                relPath: toPosixPath(relative(manifest.root, f.source)),
                message: f.message,
              })),
              skipped: result.skipped.map((p) => toPosixPath(relative(manifest.root, p))),
              cancelled: result.cancelled,
            };
          });
        }),

      'dataset.thumbnail': async (input) => {
        const path = await requireFile(input.path);
        try {
          const thumb = await thumbs.get(path, input.size ?? 256);
          return {
            dataUrl: `data:${thumb.mime};base64,${thumb.data.toString('base64')}`,
            width: thumb.width,
            height: thumb.height,
          };
        } catch (error) {
          throw new DanluError(
            'bad_request',
            `无法生成缩略图（图片可能已损坏）：${path} / Cannot make a thumbnail (the image may be damaged): ${(error as Error).message}`,
          );
        }
      },

      'dataset.cancel': (input) => Promise.resolve({ cancelled: jobs.cancel(input.jobId) }),

      'captions.get': async (input) => {
        const image = await requireFile(input.image);
        const file = captionFor(image, input.extension);
        try {
          const decoded = await readCaptionFile(file);
          return { image, file, exists: true, text: decoded.text, encoding: decoded.encoding };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          return { image, file, exists: false, text: '', encoding: null };
        }
      },

      'captions.set': async (input) => {
        const image = await requireFile(input.image);
        const file = captionFor(image, input.extension);
        let before: string | undefined;
        try {
          before = (await readCaptionFile(file)).text;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        const result = await applyWithLabel(
          { operations: [], changes: [{ file, before, after: input.text }], unchanged: 0 },
          dataDir,
          'edit',
        );
        if (result.failed[0])
          throw new DanluError(
            'io_error',
            `写入标注失败 / Cannot write the caption: ${result.failed[0].message}`,
          );
        manifests.invalidate(image);
        return { file, backupId: backupIdOf(result) };
      },

      'captions.tags': (input) =>
        mapErrors(async () => {
          const manifest = await manifests.get({ dir: input.dir });
          const captions = manifest.images
            .filter((i) => !i.problem && i.caption)
            .map((i) => splitTags(kohyaCaptionLine(i.caption?.text ?? '')));
          return { captions: captions.length, tags: tagFrequencies(captions) };
        }),

      'captions.preview': (input) =>
        mapErrors(async () => {
          const manifest = await manifests.get({ dir: input.dir, refresh: true });
          const only = input.files ? new Set(input.files) : undefined;
          const images = manifest.images.filter((i) => !i.problem && (!only || only.has(i.relPath)));
          const sources = images.map((i) => ({ file: captionFileFor(manifest, i), text: i.caption?.text }));
          const preview = previewTagOperations(sources, input.operations);
          const relByFile = new Map(images.map((i) => [captionFileFor(manifest, i), i.relPath]));
          const previewId = previews.put(manifest.root, preview);
          return {
            previewId,
            total: images.length,
            unchanged: preview.unchanged,
            changes: preview.changes.map((c) => ({
              relPath: relByFile.get(c.file) ?? c.file,
              file: c.file,
              before: c.before ?? null,
              after: c.after,
            })),
          };
        }),

      'captions.apply': async (input) => {
        const { root, preview } = previews.take(input.previewId);
        const result = await applyWithLabel(preview, dataDir, undefined);
        manifests.invalidate(root);
        return {
          backupId: backupIdOf(result),
          written: result.written.length,
          conflicts: result.conflicts,
          failed: result.failed,
        };
      },

      'captions.backups': () => listBackups(dataDir),

      'captions.restore': async (input) => {
        const restored = await restoreBackup(dataDir, input.backupId);
        for (const file of restored) manifests.invalidate(file);
        return { restored: restored.length };
      },

      'tagger.models': tagger['tagger.models'],
      'tagger.download': tagger['tagger.download'],
      'tagger.run': tagger['tagger.run'],
    },
    close: async () => {
      jobs.cancelAll();
      await tagger.close();
    },
  };
}
