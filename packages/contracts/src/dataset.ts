import { z } from 'zod';

import { BilingualSchema, IdSchema, NoInput } from './common.js';
import type { DatasetEventName, DatasetMethodName } from './dataset.names.js';

/**
 * Dataset preparation: scan a folder, check it, preview kohya's buckets, prepare a processed copy,
 * thumbnails, captions (per image and batch tag operations with preview + backup), WD auto-tagging.
 * Long jobs (`dataset.prepare`, `tagger.download`, `tagger.run`) answer when done and report
 * `dataset.progress` events on the way, keyed by the `jobId` the caller chose; `dataset.cancel` stops them.
 */

/** An absolute path on the machine that runs the backend (may hold Chinese characters and spaces). */
export const FsPathSchema = z.string().min(1).max(4000);
export const JobIdSchema = IdSchema;

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type DatasetSeverity = z.infer<typeof SeveritySchema>;

export const TrainingKindSchema = z.enum(['character', 'person', 'style', 'concept']);

/** `[width, height]`; one number means a square. */
export const ResolutionSchema = z.union([
  z.number().int().min(64).max(8192),
  z.tuple([z.number().int().min(64).max(8192), z.number().int().min(64).max(8192)]),
]);

export const ImageRowSchema = z.object({
  path: z.string(),
  /** Relative to the scanned folder, `/`-separated. */
  relPath: z.string(),
  folder: z.string(),
  extension: z.string(),
  bytes: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  format: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  problem: z.object({ code: z.string(), detail: z.string() }).optional(),
  caption: z
    .object({
      path: z.string(),
      /** The whole decoded text (`\n` line endings). */
      text: z.string(),
      encoding: z.string(),
    })
    .optional(),
});
export type ImageRow = z.infer<typeof ImageRowSchema>;

export const SizeRefSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  relPath: z.string(),
});

export const ScanSummarySchema = z.object({
  images: z.number().int().nonnegative(),
  /** Readable images (no problem). */
  usable: z.number().int().nonnegative(),
  withCaption: z.number().int().nonnegative(),
  withoutCaption: z.number().int().nonnegative(),
  orphanCaptions: z.number().int().nonnegative(),
  problems: z.number().int().nonnegative(),
  totalBytes: z.number().nonnegative(),
  formats: z.record(z.string(), z.number().int()),
  portrait: z.number().int().nonnegative(),
  landscape: z.number().int().nonnegative(),
  square: z.number().int().nonnegative(),
  smallest: SizeRefSchema.optional(),
  largest: SizeRefSchema.optional(),
});
export type ScanSummary = z.infer<typeof ScanSummarySchema>;

export const SubsetRowSchema = z.object({
  dir: z.string(),
  relDir: z.string(),
  imageCount: z.number().int().nonnegative(),
  numRepeats: z.number().int().nonnegative(),
  classTokens: z.string().optional(),
  /** True when repeats and class come from a kohya `N_name` folder name. */
  fromFolderName: z.boolean(),
  isReg: z.boolean(),
});
export type SubsetRow = z.infer<typeof SubsetRowSchema>;

export const ImageFilterSchema = z
  .object({
    /** Only images with (true) or without (false) a readable-file problem. */
    problem: z.boolean().optional(),
    hasCaption: z.boolean().optional(),
    /** Only captions holding this tag (same spelling rules as the tag table: case, `_` and spaces ignored). */
    tag: z.string().max(200).optional(),
    /** Substring of the relative path or the caption. */
    text: z.string().max(200).optional(),
    /** Only these relative paths (e.g. the files of one finding). */
    relPaths: z.array(z.string().max(4000)).max(10_000).optional(),
  })
  .strict();

const ScanOptionsSchema = {
  dir: FsPathSchema,
  /** Also read whole files: exact and near duplicates, truncated files. Slower. */
  deep: z.boolean().optional(),
  /** Scan again even when a recent scan of this folder is cached. */
  refresh: z.boolean().optional(),
  captionExtensions: z.array(z.string().min(1).max(20)).min(1).max(5).optional(),
};

export const DatasetScanInputSchema = z
  .object({
    ...ScanOptionsSchema,
    offset: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(0).max(5000).optional(),
    filter: ImageFilterSchema.optional(),
  })
  .strict();

export const DatasetScanOutputSchema = z.object({
  root: z.string(),
  scannedAt: z.string(),
  deep: z.boolean(),
  captionExtensions: z.array(z.string()),
  summary: ScanSummarySchema,
  subsets: z.array(SubsetRowSchema),
  orphanCaptions: z.array(z.string()),
  /** Images matching the filter (all of them without one). */
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  images: z.array(ImageRowSchema),
});
export type DatasetScanOutput = z.infer<typeof DatasetScanOutputSchema>;

/** A one-click way out of a finding; the UI turns each kind into an action (never touching originals). */
export const FindingFixSchema = z.object({
  kind: z.enum(['add_trigger', 'auto_tag', 'prepare']),
  label: BilingualSchema,
});
export type FindingFix = z.infer<typeof FindingFixSchema>;

export const FindingRowSchema = z.object({
  id: z.string(),
  severity: SeveritySchema,
  title: BilingualSchema,
  /** The first (often the only) message; `details` has one per finding of this kind. */
  message: BilingualSchema,
  /** Every file of this kind, relative, `/`-separated. */
  files: z.array(z.string()),
  details: z.array(z.object({ message: BilingualSchema, files: z.array(z.string()) })),
  fixes: z.array(FindingFixSchema),
});
export type FindingRow = z.infer<typeof FindingRowSchema>;

export const DatasetCheckInputSchema = z
  .object({
    ...ScanOptionsSchema,
    resolution: ResolutionSchema.optional(),
    triggerWord: z.string().max(200).optional(),
    kind: TrainingKindSchema.optional(),
  })
  .strict();

export const DatasetCheckOutputSchema = z.object({
  root: z.string(),
  deep: z.boolean(),
  counts: z.object({
    error: z.number().int().nonnegative(),
    warning: z.number().int().nonnegative(),
    info: z.number().int().nonnegative(),
  }),
  findings: z.array(FindingRowSchema),
});
export type DatasetCheckOutput = z.infer<typeof DatasetCheckOutputSchema>;

export const FolderSubsetSchema = z
  .object({
    dir: FsPathSchema,
    numRepeats: z.number().int().min(0).max(10_000),
    isReg: z.boolean().optional(),
  })
  .strict();

export const BucketOptionsSchema = z
  .object({
    resolution: ResolutionSchema,
    enableBucket: z.boolean().optional(),
    minBucketReso: z.number().int().min(64).max(8192).optional(),
    maxBucketReso: z.number().int().min(64).max(8192).optional(),
    bucketResoSteps: z.number().int().min(1).max(1024).optional(),
    bucketNoUpscale: z.boolean().optional(),
    batchSize: z.number().int().min(1).max(1024).optional(),
    epochs: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

export const DatasetBucketsInputSchema = z
  .object({
    dir: FsPathSchema,
    options: BucketOptionsSchema,
    /** Subsets with their repeats; default: the scan's folder suggestions (`N_name` repeats). */
    folders: z.array(FolderSubsetSchema).max(200).optional(),
  })
  .strict();

export const BucketRowSchema = z.object({
  index: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  /** Samples including repeats, as kohya prints them. */
  count: z.number().int(),
  images: z.number().int(),
  batches: z.number().int(),
});

export const BucketAssignmentSchema = z.object({
  relPath: z.string(),
  subset: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  resizedWidth: z.number().int(),
  resizedHeight: z.number().int(),
  upscaled: z.boolean(),
  repeats: z.number().int(),
});

export const DatasetBucketsOutputSchema = z.object({
  minBucketReso: z.number().int(),
  maxBucketReso: z.number().int(),
  warnings: z.array(z.string()),
  error: z.string().optional(),
  buckets: z.array(BucketRowSchema),
  assignments: z.array(BucketAssignmentSchema),
  meanArError: z.number(),
  trainImagesWithRepeats: z.number().int(),
  regImagesWithRepeats: z.number().int(),
  regSamplesPerEpoch: z.number().int(),
  unusedRegImages: z.number().int(),
  steps: z.object({
    batchesPerEpoch: z.number().int(),
    stepsPerEpoch: z.number().int(),
    totalSteps: z.number().int(),
    epochs: z.number().int(),
  }),
  /** The lines kohya prints for this dataset. */
  lines: z.array(z.string()),
  regBalance: BilingualSchema.optional(),
});
export type DatasetBucketsOutput = z.infer<typeof DatasetBucketsOutputSchema>;

export const CropModeSchema = z.enum(['center', 'focus', 'entropy', 'keep']);

export const DatasetPrepareInputSchema = z
  .object({
    dir: FsPathSchema,
    outDir: FsPathSchema,
    crop: CropModeSchema,
    size: z.tuple([z.number().int().min(64).max(8192), z.number().int().min(64).max(8192)]).optional(),
    longSide: z.number().int().min(64).max(8192).optional(),
    format: z.enum(['png', 'jpeg']).optional(),
    jobId: JobIdSchema,
  })
  .strict();

export const DatasetPrepareOutputSchema = z.object({
  outDir: z.string(),
  written: z.number().int(),
  failed: z.array(z.object({ relPath: z.string(), message: z.string() })),
  skipped: z.array(z.string()),
  cancelled: z.boolean(),
});

export const TagOperationSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('remove'), tags: z.array(z.string().max(200)).min(1).max(5000) }).strict(),
  z.object({ op: z.literal('addFirst'), tag: z.string().min(1).max(200) }).strict(),
  z.object({ op: z.literal('add'), tag: z.string().min(1).max(200) }).strict(),
  z.object({ op: z.literal('replace'), from: z.string().min(1).max(200), to: z.string().max(200) }).strict(),
  z.object({ op: z.literal('dedupe') }).strict(),
  z
    .object({
      op: z.literal('sort'),
      by: z.enum(['alpha', 'frequency']),
      keep: z.number().int().min(0).max(100).optional(),
    })
    .strict(),
]);
export type TagOperationInput = z.infer<typeof TagOperationSchema>;

export const CaptionChangeRowSchema = z.object({
  relPath: z.string(),
  /** The caption file that will be written. */
  file: z.string(),
  before: z.string().nullable(),
  after: z.string(),
});

export const CaptionApplyOutputSchema = z.object({
  backupId: z.string(),
  written: z.number().int(),
  conflicts: z.array(z.string()),
  failed: z.array(z.object({ file: z.string(), message: z.string() })),
});

export const CaptionBackupSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  files: z.number().int(),
  /** What the batch did, e.g. `addFirst sks`, `tagger wd-swinv2-tagger-v3`, `edit`. */
  label: z.string(),
});

export const TaggerModelRowSchema = z.object({
  id: z.string(),
  /** Hugging Face repository, e.g. `SmilingWolf/wd-swinv2-tagger-v3`. */
  repo: z.string(),
  name: z.string(),
  family: z.enum(['v2', 'v3', 'local']),
  description: BilingualSchema,
  recommended: z.boolean(),
  /** Size of model.onnx when known. */
  sizeBytes: z.number().nullable(),
  state: z.enum(['missing', 'partial', 'installed']),
  downloadedBytes: z.number().nonnegative(),
  dir: z.string(),
  suggestedGeneralThreshold: z.number(),
});
export type TaggerModelRow = z.infer<typeof TaggerModelRowSchema>;

export const DownloadSourceSchema = z.enum(['auto', 'huggingface', 'mirror']);

export const TaggerRunInputSchema = z
  .object({
    dir: FsPathSchema,
    model: z.string().min(1).max(200),
    generalThreshold: z.number().min(0).max(1).optional(),
    characterThreshold: z.number().min(0).max(1).optional(),
    generalMcut: z.boolean().optional(),
    characterMcut: z.boolean().optional(),
    /** What to do with an image that already has a caption. */
    mode: z.enum(['append', 'overwrite', 'skip']),
    /** Put first in every caption (the trigger word). */
    trigger: z.string().max(200).optional(),
    exclude: z.array(z.string().max(200)).max(1000).optional(),
    replacements: z
      .array(z.object({ from: z.string().max(200), to: z.string().max(200) }).strict())
      .max(500)
      .optional(),
    characterFirst: z.boolean().optional(),
    includeRating: z.boolean().optional(),
    /** Only these relative paths; default every readable image. */
    files: z.array(z.string().max(4000)).max(100_000).optional(),
    dryRun: z.boolean().optional(),
    jobId: JobIdSchema,
  })
  .strict();

export const TaggerRunOutputSchema = z.object({
  model: z.string(),
  /** The execution provider that ran (`cuda`, `dml`, `cpu`), and why a faster one did not. */
  provider: z.string(),
  providerNote: z.string().optional(),
  tagged: z.number().int(),
  skipped: z.number().int(),
  failed: z.array(z.object({ relPath: z.string(), message: z.string() })),
  written: z.number().int(),
  backupId: z.string().nullable(),
  cancelled: z.boolean(),
  /** New captions (dry run: all, otherwise the first 200). */
  results: z.array(z.object({ relPath: z.string(), before: z.string().nullable(), after: z.string() })),
});
export type TaggerRunOutput = z.infer<typeof TaggerRunOutputSchema>;

export const DatasetProgressSchema = z.object({
  jobId: z.string(),
  kind: z.enum(['scan', 'prepare', 'download', 'tag']),
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  /** The file being worked on, or the model being downloaded. */
  item: z.string().optional(),
  /** `download`: bytes per second; `tag`: images per second. */
  rate: z.number().nonnegative().optional(),
});
export type DatasetProgress = z.infer<typeof DatasetProgressSchema>;

/** Request/response schemas of the dataset domain; merged into `apiMethods` in api.ts. */
export const datasetMethods = {
  'dataset.scan': { input: DatasetScanInputSchema, output: DatasetScanOutputSchema },
  'dataset.check': { input: DatasetCheckInputSchema, output: DatasetCheckOutputSchema },
  'dataset.buckets': { input: DatasetBucketsInputSchema, output: DatasetBucketsOutputSchema },
  'dataset.prepare': { input: DatasetPrepareInputSchema, output: DatasetPrepareOutputSchema },
  'dataset.thumbnail': {
    input: z.object({ path: FsPathSchema, size: z.number().int().min(32).max(1024).optional() }).strict(),
    output: z.object({ dataUrl: z.string(), width: z.number().int(), height: z.number().int() }),
  },
  'dataset.cancel': {
    input: z.object({ jobId: JobIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  'captions.get': {
    input: z.object({ image: FsPathSchema, extension: z.string().max(20).optional() }).strict(),
    output: z.object({
      image: z.string(),
      file: z.string(),
      exists: z.boolean(),
      text: z.string(),
      encoding: z.string().nullable(),
    }),
  },
  'captions.set': {
    input: z
      .object({
        image: FsPathSchema,
        text: z.string().max(100_000),
        extension: z.string().max(20).optional(),
      })
      .strict(),
    output: z.object({ file: z.string(), backupId: z.string() }),
  },
  'captions.tags': {
    input: z.object({ dir: FsPathSchema }).strict(),
    output: z.object({
      captions: z.number().int(),
      tags: z.array(z.object({ tag: z.string(), count: z.number().int() })),
    }),
  },
  'captions.preview': {
    input: z
      .object({
        dir: FsPathSchema,
        operations: z.array(TagOperationSchema).min(1).max(50),
        /** Only these relative paths; default every readable image. */
        files: z.array(z.string().max(4000)).max(100_000).optional(),
      })
      .strict(),
    output: z.object({
      previewId: z.string(),
      total: z.number().int(),
      unchanged: z.number().int(),
      changes: z.array(CaptionChangeRowSchema),
    }),
  },
  'captions.apply': {
    input: z.object({ previewId: z.string().min(1).max(100) }).strict(),
    output: CaptionApplyOutputSchema,
  },
  'captions.backups': { input: NoInput, output: z.array(CaptionBackupSchema) },
  'captions.restore': {
    input: z.object({ backupId: z.string().min(1).max(100) }).strict(),
    output: z.object({ restored: z.number().int() }),
  },
  'tagger.models': {
    input: NoInput,
    output: z.object({
      modelsDir: z.string(),
      /** Execution providers Danlu will try on this machine, fastest first. */
      providers: z.array(z.string()),
      models: z.array(TaggerModelRowSchema),
    }),
  },
  'tagger.download': {
    input: z
      .object({
        model: z.string().min(1).max(200),
        source: DownloadSourceSchema.optional(),
        jobId: JobIdSchema,
      })
      .strict(),
    output: z.object({ model: z.string(), dir: z.string(), source: z.string(), bytes: z.number() }),
  },
  'tagger.run': { input: TaggerRunInputSchema, output: TaggerRunOutputSchema },
} as const satisfies Record<DatasetMethodName, { input: z.ZodType; output: z.ZodType }>;

export const datasetEvents = {
  'dataset.progress': DatasetProgressSchema,
} as const satisfies Record<DatasetEventName, z.ZodType>;
