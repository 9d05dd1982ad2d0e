import { z } from 'zod';

import {
  DiagnosisSchema,
  IdSchema,
  RunLaunchSchema,
  RunProgressSchema,
  RunStartupSchema,
  RunStateSchema,
} from '@danlu/contracts';

/** The engine a run uses, resolved when it is created so a queued run does not change under the user. */
export const RunEngineSchema = z.object({
  profileId: z.string().nullable(),
  python: z.string(),
  sdScriptsDir: z.string(),
  env: z.record(z.string(), z.string()),
});
export type RunEngine = z.infer<typeof RunEngineSchema>;

/** What identifies the run's process tree (see supervisor/): never signalled without a token match. */
export const RunProcessSchema = z.object({
  pid: z.number().int().positive(),
  startToken: z.string().nullable(),
  platform: z.string(),
  /** The engine's own pid, as the wrapper reported it (informational). */
  enginePid: z.number().int().positive().nullable(),
});
export type RunProcess = z.infer<typeof RunProcessSchema>;

/** `runs/<id>/run.json`. Everything else about a run lives in files beside it (log, metrics, outputs). */
export const RunRecordSchema = z.object({
  version: z.literal(1),
  id: IdSchema,
  name: z.string(),
  state: RunStateSchema,
  family: z.enum(['sd1', 'sd2', 'sdxl']),
  trainingType: z.enum(['lora', 'lycoris', 'dreambooth']),
  outputName: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  gpus: z.array(z.number().int().nonnegative()),
  exitCode: z.number().int().nullable(),
  diagnosis: DiagnosisSchema.nullable(),
  continuesFrom: IdSchema.nullable(),
  /** The TrainingConfig as the user gave it (the launched one has the run folder's paths filled in). */
  config: z.unknown(),
  samplePrompts: z.array(z.string()),
  engine: RunEngineSchema.nullable(),
  launch: RunLaunchSchema.nullable(),
  process: RunProcessSchema.nullable(),
  progress: RunProgressSchema.nullable(),
  startup: RunStartupSchema.nullable(),
  /** Waiting but held back by the user (runs.create with start: false). */
  paused: z.boolean(),
  stopRequested: z.boolean(),
  /** A line for the user about something Danlu did to this run (repaired file, re-attach…). */
  notice: z.string().nullable(),
  /** Set by importScene: the run came from an archive and has no process. */
  imported: z.boolean(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export const QueueFileSchema = z.object({ version: z.literal(1), order: z.array(IdSchema) });
