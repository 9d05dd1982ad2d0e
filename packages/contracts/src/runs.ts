import { z } from 'zod';

import { BilingualSchema, IdSchema, NoInput } from './common.js';
import type { RunEventName, RunMethodName } from './runs.names.js';

/**
 * Training runs: what the engine adapter, the supervisor, the log parser, the monitor page, the outputs
 * page and the CLI exchange. One run = one folder `runs/<id>/` holding config.toml, dataset.toml,
 * prompts.txt, engine.log, metrics.jsonl, run.json, samples/ and the saved models.
 */

export const runStates = [
  'queued',
  'starting',
  'running',
  'stopping',
  'completed',
  'failed',
  'stopped',
  'interrupted',
] as const;
export const RunStateSchema = z.enum(runStates);
export type RunState = z.infer<typeof RunStateSchema>;

/** States a run never leaves by itself. */
export const finishedRunStates: readonly RunState[] = ['completed', 'failed', 'stopped', 'interrupted'];

/** What the `steps:` progress line and the epoch lines say, as of the last line read. */
export const RunProgressSchema = z.object({
  step: z.number().int().nonnegative(),
  totalSteps: z.number().int().nonnegative(),
  epoch: z.number().int().nonnegative(),
  totalEpochs: z.number().int().nonnegative(),
  /** Steps per second; tqdm prints s/it when slower than 1 it/s — converted here. */
  stepsPerSecond: z.number().nonnegative().nullable(),
  elapsedSeconds: z.number().nonnegative().nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
  /** The rounded `avr_loss` postfix of the progress bar; charts use the metrics instead. */
  averageLoss: z.number().nullable(),
  /** What the engine is doing right now when it is not stepping (loading, caching latents, sampling…). */
  phase: z.enum(['preparing', 'caching', 'training', 'sampling', 'saving', 'finishing']),
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

/** The start-up block kohya prints before the first step. */
export const RunStartupSchema = z.object({
  images: z.number().int().nonnegative().nullable(),
  regImages: z.number().int().nonnegative().nullable(),
  batchesPerEpoch: z.number().int().nonnegative().nullable(),
  epochs: z.number().int().nonnegative().nullable(),
  batchSize: z.number().int().nonnegative().nullable(),
  gradientAccumulation: z.number().int().nonnegative().nullable(),
  totalSteps: z.number().int().nonnegative().nullable(),
  buckets: z.array(
    z.object({ width: z.number().int(), height: z.number().int(), count: z.number().int().nonnegative() }),
  ),
});
export type RunStartup = z.infer<typeof RunStartupSchema>;

/** One optimizer step, from the structured source (TensorBoard events / the logging shim). */
export const MetricPointSchema = z.object({
  step: z.number().int().nonnegative(),
  /** `loss/current` */
  loss: z.number().nullable(),
  /** `loss/average` (kohya's moving average over the epoch) */
  averageLoss: z.number().nullable(),
  /** Learning rate per group: `lr/unet`, `lr/textencoder`, `lr/group0`… keyed without the `lr/` prefix. */
  lr: z.record(z.string(), z.number()),
  /** Wall-clock time the point was logged, ms since epoch. */
  time: z.number(),
});
export type MetricPoint = z.infer<typeof MetricPointSchema>;

export const EpochMetricSchema = z.object({
  epoch: z.number().int().nonnegative(),
  /** `loss/epoch_average` (older sd-scripts: `loss/epoch`). */
  averageLoss: z.number().nullable(),
  step: z.number().int().nonnegative().nullable(),
});
export type EpochMetric = z.infer<typeof EpochMetricSchema>;

/** A model file the engine saved (LoRA/LyCORIS weights, full checkpoint) or a resumable state folder. */
export const SavedModelSchema = z.object({
  /** Path relative to the run folder (output_dir lives inside it). */
  file: z.string(),
  name: z.string(),
  kind: z.enum(['epoch', 'step', 'final', 'state']),
  epoch: z.number().int().nullable(),
  step: z.number().int().nullable(),
  sizeBytes: z.number().int().nonnegative(),
  savedAt: z.string(),
});
export type SavedModel = z.infer<typeof SavedModelSchema>;

/** A sample image from `output_dir/sample/`, parsed from kohya's file name. */
export const SampleImageSchema = z.object({
  file: z.string(),
  /** Prompt number (0-based, the order of the prompt file). */
  promptIndex: z.number().int().nonnegative(),
  prompt: z.string().nullable(),
  epoch: z.number().int().nullable(),
  step: z.number().int().nullable(),
  createdAt: z.string(),
});
export type SampleImage = z.infer<typeof SampleImageSchema>;

export const failureCodes = [
  'cuda_oom',
  'nan_loss',
  'missing_module',
  'no_data',
  'bad_folder_name',
  'wrong_model_family',
  'model_load_failed',
  'tokenizer_download',
  'sample_failed',
  'disk_full',
  'stuck',
  'no_model_saved',
  'killed',
  'engine_missing',
  'python_error',
  'unknown_exit',
] as const;
export const FailureCodeSchema = z.enum(failureCodes);
export type FailureCode = z.infer<typeof FailureCodeSchema>;

/** One concrete way out of a failure; `patch` (catalogue ids → value, null = unset) makes it a button. */
export const FixSuggestionSchema = z.object({
  id: z.string(),
  label: BilingualSchema,
  patch: z.record(z.string(), z.union([z.boolean(), z.number(), z.string(), z.null()])).optional(),
});
export type FixSuggestion = z.infer<typeof FixSuggestionSchema>;

/** Why a run failed, in plain words, with the log line that proves it. */
export const DiagnosisSchema = z.object({
  code: FailureCodeSchema,
  title: BilingualSchema,
  explanation: BilingualSchema,
  /** The log line(s) matched, trimmed. */
  evidence: z.string(),
  fixes: z.array(FixSuggestionSchema),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;

/** How the engine was started; the profile is resolved to a python + sd-scripts folder by the adapter. */
export const RunLaunchSchema = z.object({
  script: z.string(),
  python: z.string(),
  sdScriptsDir: z.string(),
  args: z.array(z.string()),
  /** GPU indices (CUDA_VISIBLE_DEVICES); empty = the engine's default device. */
  gpus: z.array(z.number().int().nonnegative()),
});
export type RunLaunch = z.infer<typeof RunLaunchSchema>;

/** The list entry of a run: enough for the queue, the sidebar and Home. */
export const RunSummarySchema = z.object({
  id: IdSchema,
  name: z.string(),
  state: RunStateSchema,
  family: z.enum(['sd1', 'sd2', 'sdxl']),
  trainingType: z.enum(['lora', 'lycoris', 'dreambooth']),
  outputName: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** 0-based position among queued runs; null once it left the queue. */
  queuePosition: z.number().int().nonnegative().nullable(),
  gpus: z.array(z.number().int().nonnegative()),
  progress: RunProgressSchema.nullable(),
  exitCode: z.number().int().nullable(),
  diagnosis: DiagnosisSchema.nullable(),
  /** Run this one continues (resume or more epochs), if any. */
  continuesFrom: IdSchema.nullable(),
  /** Something Danlu did to this run, for the user: a repaired run.json, "engine gone at start-up"… (zh / en). */
  notice: z.string().nullable().optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunDetailSchema = RunSummarySchema.extend({
  runDir: z.string(),
  logFile: z.string(),
  /** The Danlu training configuration the run was made from (a @danlu/params TrainingConfig). */
  config: z.unknown(),
  /** The files as written: config.toml and dataset.toml text, prompts. */
  configToml: z.string(),
  datasetToml: z.string().nullable(),
  prompts: z.array(z.string()),
  launch: RunLaunchSchema.nullable(),
  startup: RunStartupSchema.nullable(),
  saves: z.array(SavedModelSchema),
  samples: z.array(SampleImageSchema),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

const RunRef = z.object({ id: IdSchema }).strict();

export const RunCreateInputSchema = z
  .object({
    name: z.string().max(200).optional(),
    /** A @danlu/params TrainingConfig; validated (and rule-checked) by the backend. */
    config: z.unknown(),
    /** Engine profile id from settings/engines.json; default = the active one. */
    profileId: z.string().max(200).optional(),
    gpus: z.array(z.number().int().nonnegative()).max(16).optional(),
    /** false = keep it queued but paused until the user starts it (default true). */
    start: z.boolean().optional(),
    /**
     * Sample prompts, one per entry in kohya's txt syntax (`prompt --n negative --w 512 --h 512 --d 1`);
     * written to the run's prompts.txt. Default: the lines of the configuration's sample_prompts file.
     */
    samplePrompts: z.array(z.string().max(4000)).max(200).optional(),
  })
  .strict();
export type RunCreateInput = z.infer<typeof RunCreateInputSchema>;

export const RunMetricsSchema = z.object({
  points: z.array(MetricPointSchema),
  epochs: z.array(EpochMetricSchema),
  /** Number of points stored; `points` may be downsampled to maxPoints (min/max kept per bucket). */
  total: z.number().int().nonnegative(),
});
export type RunMetrics = z.infer<typeof RunMetricsSchema>;

export const RunLogPageSchema = z.object({
  /** Complete lines (progress-bar redraws collapsed to their last state). */
  lines: z.array(z.string()),
  /** Line number of lines[0], 0-based. */
  first: z.number().int().nonnegative(),
  totalLines: z.number().int().nonnegative(),
  /** With a search: the line number of each matching line (they are not consecutive). */
  lineNumbers: z.array(z.number().int().nonnegative()).optional(),
});
export type RunLogPage = z.infer<typeof RunLogPageSchema>;

export const RunImageSchema = z.object({
  dataUrl: z.string(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
});

export const ModelMetadataSchema = z.object({
  file: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** The safetensors `__metadata__` map as stored (ss_* keys, modelspec.*). */
  metadata: z.record(z.string(), z.string()),
  /** Tag frequencies from ss_tag_frequency, summed over folders, most frequent first. */
  tagFrequency: z.array(z.object({ tag: z.string(), count: z.number().int() })),
});
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;

/** A live change of one run, pushed at most a few times a second; the page appends, never refetches. */
export const RunUpdateSchema = z.object({
  id: IdSchema,
  state: RunStateSchema,
  progress: RunProgressSchema.nullable(),
  startup: RunStartupSchema.nullable().optional(),
  newPoints: z.array(MetricPointSchema),
  newEpochs: z.array(EpochMetricSchema),
  newLogLines: z.array(z.string()),
  /**
   * Complete log lines so far (the number after this update's lines). A flood sends at most a few hundred
   * lines per update: when a page's own count + newLogLines is short of this, it reads the gap with runs.log.
   */
  totalLogLines: z.number().int().nonnegative().optional(),
  newSaves: z.array(SavedModelSchema),
  newSamples: z.array(SampleImageSchema),
  diagnosis: DiagnosisSchema.nullable(),
});
export type RunUpdate = z.infer<typeof RunUpdateSchema>;

export const runMethods = {
  'runs.list': { input: NoInput, output: z.array(RunSummarySchema) },
  'runs.get': { input: RunRef, output: RunDetailSchema },
  'runs.create': { input: RunCreateInputSchema, output: RunSummarySchema },
  /** Edit a run that is still waiting: new configuration and/or name. */
  'runs.update': {
    input: z.object({ id: IdSchema, name: z.string().max(200).optional(), config: z.unknown() }).strict(),
    output: RunSummarySchema,
  },
  /** Polite stop, bounded wait, then the whole process tree. A queued run just leaves the queue. */
  'runs.stop': { input: RunRef, output: RunSummarySchema },
  'runs.remove': {
    input: z.object({ id: IdSchema, deleteFiles: z.boolean().optional() }).strict(),
    output: z.array(RunSummarySchema),
  },
  /** New order of the queued runs (ids of queued runs only, first = next). */
  'runs.reorder': {
    input: z.object({ ids: z.array(IdSchema).max(1000) }).strict(),
    output: z.array(RunSummarySchema),
  },
  /** A new run that goes on from this one: resume its latest state folder, or start from a saved LoRA. */
  'runs.continue': {
    input: z
      .object({
        id: IdSchema,
        mode: z.enum(['resume_state', 'from_weights']),
        /** For from_weights: the saved model (relative path from SavedModel.file); default = the last. */
        file: z.string().max(1000).optional(),
        extraEpochs: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    output: RunSummarySchema,
  },
  /** Queue a copy of a failed run with one diagnosis fix applied. */
  'runs.applyFix': {
    input: z.object({ id: IdSchema, fixId: z.string().max(100) }).strict(),
    output: RunSummarySchema,
  },
  'runs.metrics': {
    input: z.object({ id: IdSchema, maxPoints: z.number().int().min(10).max(1_000_000).optional() }).strict(),
    output: RunMetricsSchema,
  },
  'runs.log': {
    input: z
      .object({
        id: IdSchema,
        /** First line wanted; negative counts from the end (-500 = the last 500 lines). */
        from: z.number().int().optional(),
        limit: z.number().int().min(1).max(20_000).optional(),
        /** Only lines containing this text (case-insensitive). */
        search: z.string().max(200).optional(),
      })
      .strict(),
    output: RunLogPageSchema,
  },
  /** A sample image (thumbnail or full size) as a data URL: the same on IPC and WebSocket. */
  'runs.image': {
    input: z
      .object({ id: IdSchema, file: z.string().min(1).max(1000), size: z.enum(['thumb', 'full']).optional() })
      .strict(),
    output: RunImageSchema,
  },
  'runs.modelMetadata': {
    input: z.object({ id: IdSchema, file: z.string().min(1).max(1000) }).strict(),
    output: ModelMetadataSchema,
  },
  /** 保存现场: one archive with configuration, logs, metrics, samples, outputs and the dataset manifest. */
  'runs.exportScene': {
    input: z.object({ id: IdSchema, destination: z.string().max(4000).optional() }).strict(),
    output: z.object({ file: z.string(), sizeBytes: z.number().int().nonnegative() }),
  },
  'runs.importScene': {
    input: z.object({ file: z.string().min(1).max(4000) }).strict(),
    output: RunSummarySchema,
  },
} as const satisfies Record<RunMethodName, { input: z.ZodType; output: z.ZodType }>;

export const runEvents = {
  /** The list changed (a run was added, removed, reordered or changed state). */
  'runs.changed': z.array(RunSummarySchema),
  'runs.update': RunUpdateSchema,
} as const satisfies Record<RunEventName, z.ZodType>;
