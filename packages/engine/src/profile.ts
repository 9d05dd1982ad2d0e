import { z } from 'zod';

import { TextSchema } from '@danlu/params';

/** Which kind of package an engine folder is, decided by the files found in it. */
export const EngineKindSchema = z.enum(['lora-scripts', 'kohya_ss', 'sd-scripts']);
export type EngineKind = z.infer<typeof EngineKindSchema>;

/**
 * How the interpreter is laid out. Detection reads files only (never runs them), so a Windows layout is
 * recognised on Linux and the other way round: the profile says which OS the folder was made for.
 */
export const PythonLayoutSchema = z.enum(['venv-windows', 'venv-posix', 'embedded-windows', 'posix-prefix']);
export type PythonLayout = z.infer<typeof PythonLayoutSchema>;

export const TrainingScriptSchema = z.enum([
  'train_network.py',
  'sdxl_train_network.py',
  'train_db.py',
  'sdxl_train.py',
  'fine_tune.py',
  'flux_train_network.py',
  'sd3_train_network.py',
  'train_textual_inversion.py',
  'sdxl_train_textual_inversion.py',
]);
export type TrainingScript = z.infer<typeof TrainingScriptSchema>;
export const trainingScripts = TrainingScriptSchema.options;

export const EngineProfileSchema = z.object({
  /** Stable for one folder: derived from its resolved path. */
  id: z.string().min(1),
  kind: EngineKindSchema,
  root: z.string().min(1),
  /** The sd-scripts copy Danlu launches (for lora-scripts: `scripts/stable` when it has one). */
  sdScriptsDir: z.string().min(1),
  /** Further sd-scripts copies in the same package (lora-scripts' `scripts/dev` for FLUX/SD3). */
  otherSdScriptsDirs: z.array(z.string()).default([]),
  /** Absent when the folder holds sd-scripts but no interpreter Danlu recognises. */
  pythonExe: z.string().nullable(),
  pythonLayout: PythonLayoutSchema.nullable(),
  scripts: z.array(TrainingScriptSchema),
  label: TextSchema,
  attachedAt: z.string().optional(),
  /** Extra environment for the engine process (PYTHONPATH, HF_HUB_OFFLINE, HF_ENDPOINT…), set by the user. */
  env: z.record(z.string(), z.string()).default({}),
});
export type EngineProfile = z.infer<typeof EngineProfileSchema>;
