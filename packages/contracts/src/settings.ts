import { z } from 'zod';

export const languages = ['zh-CN', 'en'] as const;
export const LanguageSchema = z.enum(languages);
export type Language = z.infer<typeof LanguageSchema>;

export const themes = ['light', 'dark'] as const;
export const ThemeSchema = z.enum(themes);
export type Theme = z.infer<typeof ThemeSchema>;

/** 新手 / 高级 / 专家: how much of the parameter catalogue the UI shows. */
export const experienceLevels = ['beginner', 'advanced', 'expert'] as const;
export const ExperienceLevelSchema = z.enum(experienceLevels);
export type ExperienceLevel = z.infer<typeof ExperienceLevelSchema>;

/** Absolute folder paths; the backend fills in defaults under the data folder. */
export const FoldersSchema = z.object({
  models: z.string().min(1),
  datasets: z.string().min(1),
  outputs: z.string().min(1),
});
export type Folders = z.infer<typeof FoldersSchema>;

export const ModelFoldersSchema = z.array(z.string().min(1).max(4000)).max(32);

export const SettingsSchema = z.object({
  language: LanguageSchema,
  theme: ThemeSchema,
  experienceLevel: ExperienceLevelSchema,
  folders: FoldersSchema,
  /** More folders searched for base models besides `folders.models` (e.g. a WebUI's models/Stable-diffusion). */
  modelFolders: ModelFoldersSchema.optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** What `settings.set` accepts: any subset, folders merged key by key. Unknown keys are refused. */
export const SettingsPatchSchema = z
  .object({
    language: LanguageSchema,
    theme: ThemeSchema,
    experienceLevel: ExperienceLevelSchema,
    folders: FoldersSchema.partial().strict(),
    modelFolders: ModelFoldersSchema,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;
