import { z } from 'zod';
import {
  LevelSchema,
  ModelFamilySchema,
  ParamValueSchema,
  SectionSchema,
  TextSchema,
  TrainingTypeSchema,
} from '../types';

/**
 * Where a value ends up when exported:
 * - `config`: a flat key of kohya's `--config_file` TOML;
 * - `dataset`: a key of the `--dataset_config` TOML (`[general]` or `[[datasets]]`, see `datasetLevel`);
 *   in folder mode (no subsets) it falls back to the config file under `key` when kohya has such an option;
 * - `network_args` / `optimizer_args`: one `key=value` item of that list.
 */
export const ParamPlaceSchema = z.enum(['config', 'dataset', 'network_args', 'optimizer_args']);
export type ParamPlace = z.infer<typeof ParamPlaceSchema>;

export const ParamTypeSchema = z.enum([
  'bool',
  'int',
  'float',
  'string',
  'path',
  'enum',
  /** "W,H" or "W" — a string in the config file, `[w, h]` in the dataset TOML. */
  'resolution',
  /** "a,b" — two floats (face_crop_aug_range). */
  'pair',
  'string_list',
  'float_list',
]);
export type ParamType = z.infer<typeof ParamTypeSchema>;

export const networkModules = ['networks.lora', 'lycoris.kohya'] as const;
export const NetworkModuleSchema = z.enum(networkModules);

export const ParamEntrySchema = z
  .object({
    /** Unique id: the kohya key, or `network_args.<key>` / `optimizer_args.<key>`. */
    id: z.string().min(1),
    /** The key kohya reads (option name without `--`, dataset key, or network/optimizer arg name). */
    key: z.string().min(1),
    place: ParamPlaceSchema,
    /** Dataset TOML key when it differs from `key` (train_batch_size → batch_size). */
    datasetKey: z.string().optional(),
    /** `[[datasets]]`-only keys vs keys that may sit in `[general]`. */
    datasetLevel: z.enum(['general', 'dataset']).optional(),
    /** False for dataset-TOML-only keys that have no command-line option (network_multiplier). */
    hasCliOption: z.boolean(),
    type: ParamTypeSchema,
    /**
     * kohya cannot run without a value (resolution, network_module): such an entry can never be
     * "not set". Every other non-boolean entry can be cleared to "not set" (left out of the TOML).
     */
    required: z.boolean().optional(),
    /** Danlu's default; null means "unset" (not emitted). */
    default: ParamValueSchema.nullable(),
    /** Per-family override of the default. */
    familyDefaults: z.partialRecord(ModelFamilySchema, ParamValueSchema.nullable()).optional(),
    /** Per-training-type override (applied after the family one). */
    typeDefaults: z.partialRecord(TrainingTypeSchema, ParamValueSchema.nullable()).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    step: z.number().optional(),
    choices: z.array(z.string()).optional(),
    unit: z.string().optional(),
    families: z.array(ModelFamilySchema).min(1),
    types: z.array(TrainingTypeSchema).min(1),
    /** For network_args: the modules that understand the key. */
    modules: z.array(NetworkModuleSchema).optional(),
    /** For optimizer_args: the optimizers that accept it (case-insensitive names). */
    optimizers: z.array(z.string()).optional(),
    level: LevelSchema,
    section: SectionSchema,
    label: TextSchema,
    help: TextSchema,
  })
  .strict();
export type ParamEntry = z.infer<typeof ParamEntrySchema>;
