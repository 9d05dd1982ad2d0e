import { z } from 'zod';

export const transports = ['electron', 'server', 'cli'] as const;
export const TransportSchema = z.enum(transports);
export type Transport = z.infer<typeof TransportSchema>;

export const AppInfoSchema = z.object({
  name: z.literal('Danlu'),
  version: z.string(),
  transport: TransportSchema,
  platform: z.string(),
  arch: z.string(),
  versions: z.object({
    node: z.string(),
    electron: z.string().optional(),
    chrome: z.string().optional(),
  }),
  /** Where Danlu keeps its own files. Never the user's datasets. */
  paths: z.object({
    data: z.string(),
    settingsFile: z.string(),
    logs: z.string(),
    runs: z.string(),
    cache: z.string(),
  }),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** Something the user should be told once, e.g. that a corrupt settings file was replaced. */
export const NoticeSchema = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  /** Translation key under `notices.` in locales/*; `params` fill its placeholders. */
  code: z.enum(['settings_reset', 'settings_repaired']),
  params: z.record(z.string(), z.string()),
  createdAt: z.string(),
});
export type Notice = z.infer<typeof NoticeSchema>;
