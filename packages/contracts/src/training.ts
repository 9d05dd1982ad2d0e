import { z } from 'zod';

import { BilingualSchema, IdSchema, NoInput } from './common.js';
import type { TrainingEventName, TrainingMethodName } from './training.names.js';

/**
 * The training domain: the preset library (bundled presets + the user's own in `<data>/presets/`),
 * import/export of configurations from/to files, and base model inspection. A configuration travels as
 * `unknown` here (a @danlu/params TrainingConfig) and is validated by the backend, because contracts
 * cannot depend on @danlu/params.
 */

/** An absolute path on the machine that runs the backend (Chinese characters and spaces are fine). */
const PathSchema = z.string().min(1).max(4000);

export const TrainableFamilySchema = z.enum(['sd1', 'sd2', 'sdxl']);
export const TrainingTypeNameSchema = z.enum(['lora', 'lycoris', 'dreambooth']);
export const TrainingKindNameSchema = z.enum(['character', 'person', 'style', 'concept']);

/** A user preset's display name: anything printable (Chinese, spaces), no control characters. */
export const PresetNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[^\p{Cc}]+$/u, 'no control characters');

export const PresetSummarySchema = z.object({
  id: z.string(),
  source: z.enum(['bundled', 'user']),
  name: BilingualSchema,
  description: BilingualSchema,
  family: TrainableFamilySchema,
  trainingType: TrainingTypeNameSchema,
  kind: TrainingKindNameSchema,
  defaultRepeats: z.number().int().nullable(),
  minVramGb: z.number().nullable(),
  /** The preset's TrainingConfig (values only, no subsets). */
  config: z.unknown(),
  /** What was not applied when the file was read (unknown keys of a newer Danlu…). */
  notices: z.array(BilingualSchema),
  /** User presets: the file, for "show in folder". */
  file: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type PresetSummary = z.infer<typeof PresetSummarySchema>;

export const BrokenPresetSchema = z.object({
  file: z.string(),
  message: BilingualSchema,
});

export const PresetListSchema = z.object({
  presets: z.array(PresetSummarySchema),
  /** User preset files that could not be read; reported, never fatal. */
  broken: z.array(BrokenPresetSchema),
  userDir: z.string(),
});
export type PresetList = z.infer<typeof PresetListSchema>;

const ImportNoticeSchema = z.object({ key: z.string(), text: BilingualSchema });

export const ModelFormatSchema = z.enum(['safetensors', 'ckpt', 'diffusers', 'unknown']);
export const ModelKindSchema = z.enum([
  'checkpoint',
  'unet',
  'lora',
  'vae',
  'embedding',
  'text-encoder',
  'unknown',
]);
export const DetectedFamilySchema = z.enum(['sd1', 'sd2', 'sdxl', 'sdxl-refiner', 'sd3', 'flux', 'unknown']);

export const ModelInspectionSchema = z.object({
  path: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().nonnegative(),
  format: ModelFormatSchema,
  kind: ModelKindSchema,
  family: DetectedFamilySchema,
  /** keys = tensor names/shapes, config = diffusers configs, name = only the file name (weak). */
  basis: z.enum(['keys', 'config', 'name']),
  /** true only when a marker says so; null = the keys cannot tell (the usual case). */
  vPrediction: z.boolean().nullable(),
  textEncoderWidth: z.number().int().nullable(),
  evidence: z.array(BilingualSchema),
  warnings: z.array(BilingualSchema),
  /** Whether it can be the base model of the family asked for (or of its own family). */
  usable: z.boolean(),
  /** Why not, in both languages. */
  error: BilingualSchema.nullable(),
  /** A trainable family the configuration should switch to (wrong family chosen). */
  switchTo: TrainableFamilySchema.nullable(),
});
export type ModelInspectionResult = z.infer<typeof ModelInspectionSchema>;

export const ModelFileSchema = z.object({
  path: z.string(),
  name: z.string(),
  folder: z.string(),
  sizeBytes: z.number().nonnegative(),
  mtimeMs: z.number(),
  format: ModelFormatSchema,
  /** Filled when the list was asked with `inspect: true`. */
  kind: ModelKindSchema.nullable(),
  family: DetectedFamilySchema.nullable(),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

/** Request/response schemas of the training domain; merged into `apiMethods` in api.ts. */
export const trainingMethods = {
  /** Bundled presets (resources/presets) and the user's presets (`<data>/presets/*.toml`). */
  'presets.list': { input: NoInput, output: PresetListSchema },
  /** Save a configuration as a user preset: new (no id) or overwrite the user preset `id`. */
  'presets.save': {
    input: z
      .object({
        id: IdSchema.optional(),
        name: PresetNameSchema,
        description: z.string().max(2000).optional(),
        kind: TrainingKindNameSchema.optional(),
        defaultRepeats: z.number().int().min(1).max(1000).optional(),
        config: z.unknown(),
      })
      .strict(),
    output: PresetSummarySchema,
  },
  'presets.rename': {
    input: z.object({ id: IdSchema, name: PresetNameSchema }).strict(),
    output: PresetSummarySchema,
  },
  'presets.delete': { input: z.object({ id: IdSchema }).strict(), output: PresetListSchema },
  /** Read a kohya / Qiuye / kohya_ss / LETS / Danlu file into a configuration (nothing is saved). */
  'presets.import': {
    input: z.object({ path: PathSchema, family: TrainableFamilySchema.optional() }).strict(),
    output: z.object({
      format: z.string(),
      config: z.unknown(),
      name: BilingualSchema.nullable(),
      unknownKeys: z.array(z.string()),
      notices: z.array(ImportNoticeSchema),
    }),
  },
  /**
   * Write a configuration to `path`: a Danlu preset TOML, or kohya's `--config_file` TOML (plus
   * `<name>.dataset.toml` beside it when subsets exist). Atomic; an existing file needs `overwrite`.
   */
  'presets.export': {
    input: z
      .object({
        path: PathSchema,
        format: z.enum(['danlu', 'kohya']),
        config: z.unknown(),
        name: PresetNameSchema.optional(),
        overwrite: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ files: z.array(z.string()), script: z.string().nullable() }),
  },
  /** What a file or diffusers folder holds and whether it can be the base model. */
  'models.inspect': {
    input: z.object({ path: PathSchema, family: TrainableFamilySchema.optional() }).strict(),
    output: ModelInspectionSchema,
  },
  /** `.safetensors` / `.ckpt` files and diffusers folders in the configured model folders. */
  'models.list': {
    input: z.object({ inspect: z.boolean().optional() }).strict(),
    output: z.object({
      folders: z.array(z.object({ path: z.string(), exists: z.boolean() })),
      models: z.array(ModelFileSchema),
    }),
  },
} as const satisfies Record<TrainingMethodName, { input: z.ZodType; output: z.ZodType }>;

// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- until the first event lands
export const trainingEvents = {} as const satisfies Record<TrainingEventName, z.ZodType>;
