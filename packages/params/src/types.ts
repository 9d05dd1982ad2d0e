import { ExperienceLevelSchema } from '@danlu/contracts';
import { z } from 'zod';

/** SD 1.x, SD 2.x and SDXL: the families sd-scripts trains with these scripts (reference §8.2). */
export const modelFamilies = ['sd1', 'sd2', 'sdxl'] as const;
export const ModelFamilySchema = z.enum(modelFamilies);
export type ModelFamily = z.infer<typeof ModelFamilySchema>;

/** lora = networks.lora, lycoris = lycoris.kohya (LoCon/LoHa/LoKr), dreambooth = full fine-tune. */
export const trainingTypes = ['lora', 'lycoris', 'dreambooth'] as const;
export const TrainingTypeSchema = z.enum(trainingTypes);
export type TrainingType = z.infer<typeof TrainingTypeSchema>;

export const trainingKinds = ['character', 'person', 'style', 'concept'] as const;
export const TrainingKindSchema = z.enum(trainingKinds);
export type TrainingKind = z.infer<typeof TrainingKindSchema>;

export const LevelSchema = ExperienceLevelSchema;
export type Level = z.infer<typeof LevelSchema>;

export const sections = [
  'model',
  'dataset',
  'network',
  'optimizer',
  'training',
  'sampling',
  'saving',
  'noise',
  'captions',
  'advanced',
] as const;
export const SectionSchema = z.enum(sections);
export type Section = z.infer<typeof SectionSchema>;

export const TextSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) });
/** A bilingual text: zh-CN first, English second. */
export type Text = z.infer<typeof TextSchema>;

export const ParamValueSchema = z.union([
  z.boolean(),
  z.number(),
  z.string(),
  z.array(z.string()),
  z.array(z.number()),
]);
export type ParamValue = z.infer<typeof ParamValueSchema>;

/** The kohya script that trains a family × type. */
export function scriptFor(family: ModelFamily, type: TrainingType): string {
  if (type === 'dreambooth') return family === 'sdxl' ? 'sdxl_train.py' : 'train_db.py';
  return family === 'sdxl' ? 'sdxl_train_network.py' : 'train_network.py';
}
