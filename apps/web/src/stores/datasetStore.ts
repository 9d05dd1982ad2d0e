import type { DatasetProgress, MethodInput, MethodOutput, TagOperationInput } from '@danlu/contracts';
import { create } from 'zustand';

import { api } from '../bridge/api.js';
import type { ApiClient, UiError, UiResult } from '../bridge/types.js';

export type ScanResult = MethodOutput<'dataset.scan'>;
export type CheckResult = MethodOutput<'dataset.check'>;
export type BucketResult = MethodOutput<'dataset.buckets'>;
export type ImageRow = ScanResult['images'][number];
export type TagRow = MethodOutput<'captions.tags'>['tags'][number];
export type CaptionPreview = MethodOutput<'captions.preview'>;
export type TaggerModels = MethodOutput<'tagger.models'>;
export type TaggerRunResult = MethodOutput<'tagger.run'>;
export type Backup = MethodOutput<'captions.backups'>[number];

/** Beginners' defaults: SD1.5's 512, bucketing on (kohya's defaults), batch 1, 10 epochs. */
export interface DatasetOptions {
  resolution: number;
  triggerWord: string;
  deep: boolean;
  bucketNoUpscale: boolean;
  batchSize: number;
  epochs: number;
}

export const defaultDatasetOptions: DatasetOptions = {
  resolution: 512,
  triggerWord: '',
  deep: false,
  bucketNoUpscale: false,
  batchSize: 1,
  epochs: 10,
};

const pageSize = 1000;

let jobCounter = 0;
export const newJobId = (kind: string) => `${kind}-${Date.now().toString(36)}-${String(++jobCounter)}`;

export interface DatasetState {
  dir: string;
  options: DatasetOptions;
  scanning: boolean;
  error: UiError | undefined;
  scan: ScanResult | undefined;
  images: ImageRow[];
  checks: CheckResult | undefined;
  buckets: BucketResult | undefined;
  tags: TagRow[];
  backups: Backup[];
  models: TaggerModels | undefined;
  /** Latest progress per job id. */
  progress: Record<string, DatasetProgress>;
  selected: string | undefined;
  /** A batch change waiting for the user to look at it (the preview dialog shows it). */
  pendingPreview: CaptionPreview | undefined;
  previewError: UiError | undefined;
  setDir: (dir: string) => void;
  setOptions: (patch: Partial<DatasetOptions>) => void;
  select: (relPath: string | undefined) => void;
  /** Scans (again), then loads checks, buckets, tags and the image rows. */
  open: (refresh?: boolean) => Promise<UiResult<ScanResult>>;
  loadChecks: () => Promise<void>;
  loadBuckets: () => Promise<void>;
  loadTags: () => Promise<void>;
  loadBackups: () => Promise<void>;
  loadModels: () => Promise<void>;
  saveCaption: (image: ImageRow, text: string) => Promise<UiResult<MethodOutput<'captions.set'>>>;
  preview: (operations: TagOperationInput[], files?: string[]) => Promise<UiResult<CaptionPreview>>;
  closePreview: () => void;
  apply: (previewId: string) => Promise<UiResult<MethodOutput<'captions.apply'>>>;
  restore: (backupId: string) => Promise<UiResult<MethodOutput<'captions.restore'>>>;
  download: (model: string, jobId: string) => Promise<UiResult<MethodOutput<'tagger.download'>>>;
  runTagger: (input: Omit<MethodInput<'tagger.run'>, 'dir'>) => Promise<UiResult<TaggerRunResult>>;
  prepare: (
    input: Omit<MethodInput<'dataset.prepare'>, 'dir'>,
  ) => Promise<UiResult<MethodOutput<'dataset.prepare'>>>;
  cancel: (jobId: string) => Promise<void>;
  receiveProgress: (progress: DatasetProgress) => void;
}

export function createDatasetStore(client: ApiClient) {
  return create<DatasetState>()((set, get) => {
    /** After captions changed: the scan rows, checks and the tag table must show the new text. */
    /** The folder every follow-up call works on: the scanned root (resolved), else what was typed. */
    const target = () => get().scan?.root ?? get().dir.trim();
    const reloadCaptions = async () => {
      await get().open(true);
      await get().loadBackups();
    };
    return {
      dir: '',
      options: defaultDatasetOptions,
      scanning: false,
      error: undefined,
      scan: undefined,
      images: [],
      checks: undefined,
      buckets: undefined,
      tags: [],
      backups: [],
      models: undefined,
      progress: {},
      selected: undefined,
      pendingPreview: undefined,
      previewError: undefined,
      setDir(dir) {
        set({ dir });
      },
      setOptions(patch) {
        set({ options: { ...get().options, ...patch } });
      },
      select(relPath) {
        set({ selected: relPath });
      },
      async open(refresh = false) {
        const dir = get().dir.trim();
        const { options } = get();
        set({ scanning: true, error: undefined });
        const first = await client.call('dataset.scan', {
          dir,
          deep: options.deep,
          refresh,
          limit: pageSize,
        });
        if (!first.ok) {
          set({
            scanning: false,
            error: first.error,
            scan: undefined,
            images: [],
            checks: undefined,
            buckets: undefined,
          });
          return first;
        }
        let images = first.data.images;
        while (images.length < first.data.total) {
          const next = await client.call('dataset.scan', {
            dir,
            deep: options.deep,
            offset: images.length,
            limit: pageSize,
          });
          if (!next.ok || next.data.images.length === 0) break;
          images = images.concat(next.data.images);
        }
        const selected = get().selected;
        set({
          scan: first.data,
          images,
          scanning: false,
          selected:
            selected !== undefined && images.some((i) => i.relPath === selected) ? selected : undefined,
        });
        await Promise.all([get().loadChecks(), get().loadBuckets(), get().loadTags()]);
        return first;
      },
      async loadChecks() {
        const { options } = get();
        const input: MethodInput<'dataset.check'> = {
          dir: target(),
          deep: options.deep,
          resolution: options.resolution,
        };
        if (options.triggerWord.trim()) input.triggerWord = options.triggerWord.trim();
        const result = await client.call('dataset.check', input);
        set({ checks: result.ok ? result.data : undefined });
      },
      async loadBuckets() {
        const { options } = get();
        const result = await client.call('dataset.buckets', {
          dir: target(),
          options: {
            resolution: options.resolution,
            bucketNoUpscale: options.bucketNoUpscale,
            batchSize: options.batchSize,
            epochs: options.epochs,
          },
        });
        set({ buckets: result.ok ? result.data : undefined });
      },
      async loadTags() {
        const result = await client.call('captions.tags', { dir: target() });
        set({ tags: result.ok ? result.data.tags : [] });
      },
      async loadBackups() {
        const result = await client.call('captions.backups', {});
        if (result.ok) set({ backups: result.data });
      },
      async loadModels() {
        const result = await client.call('tagger.models', {});
        if (result.ok) set({ models: result.data });
      },
      async saveCaption(image, text) {
        const result = await client.call('captions.set', { image: image.path, text });
        if (result.ok) {
          // show the new text at once; the rescan confirms it
          set({
            images: get().images.map((row) =>
              row.relPath === image.relPath
                ? { ...row, caption: { path: result.data.file, text, encoding: 'utf-8' } }
                : row,
            ),
          });
          void reloadCaptions();
        }
        return result;
      },
      async preview(operations, files) {
        const input: MethodInput<'captions.preview'> = { dir: target(), operations };
        if (files) input.files = files;
        const result = await client.call('captions.preview', input);
        set(
          result.ok
            ? { pendingPreview: result.data, previewError: undefined }
            : { pendingPreview: undefined, previewError: result.error },
        );
        return result;
      },
      closePreview() {
        set({ pendingPreview: undefined });
      },
      async apply(previewId) {
        const result = await client.call('captions.apply', { previewId });
        if (result.ok) await reloadCaptions();
        return result;
      },
      async restore(backupId) {
        const result = await client.call('captions.restore', { backupId });
        if (result.ok) await reloadCaptions();
        return result;
      },
      async download(model, jobId) {
        const result = await client.call('tagger.download', { model, jobId });
        await get().loadModels();
        return result;
      },
      async runTagger(input) {
        const result = await client.call('tagger.run', { ...input, dir: target() });
        if (result.ok && !input.dryRun) await reloadCaptions();
        return result;
      },
      prepare(input) {
        return client.call('dataset.prepare', { ...input, dir: target() });
      },
      async cancel(jobId) {
        await client.call('dataset.cancel', { jobId });
      },
      receiveProgress(progress) {
        set({ progress: { ...get().progress, [progress.jobId]: progress } });
      },
    };
  });
}

export const useDatasetStore = createDatasetStore(api);
