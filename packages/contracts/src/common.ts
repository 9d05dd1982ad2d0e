import { z } from 'zod';

/** A method that takes no arguments still takes an (empty) object, so every call has the same shape. */
export const NoInput = z.object({}).strict();

/** A text shown to the user in both languages (zh-CN first), for messages built outside the locales. */
export const BilingualSchema = z.object({ zh: z.string(), en: z.string() });
export type BilingualText = z.infer<typeof BilingualSchema>;

/** An id Danlu made (run ids, preset ids): short, filename-safe, never a path. */
export const IdSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a valid id');
