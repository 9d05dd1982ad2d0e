import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { writeFileAtomic } from '@danlu/node-utils';

import type { EngineProfile } from '../profile.js';
import { loadEngines, saveEngines } from './store.js';

/**
 * The user's environment choices that are not part of an engine's own description: which attached
 * engine new runs use, which GPU(s) they train on, and where installs download from. Kept apart from
 * engines.json so a hand-edited or older engines.json never loses them (and the other way round).
 */
export const EnvironmentPrefsSchema = z.object({
  version: z.literal(1),
  /** Engine id from engines.json; absent = the first attached engine. */
  activeEngineId: z.string().optional(),
  /** GPU indices (nvidia-smi / CUDA order) training uses; absent or empty = let the engine pick (GPU 0). */
  gpuIndices: z.array(z.number().int().nonnegative()).max(64).optional(),
  /** Download sources for installs: official or the mainland-China mirrors. */
  mirror: z.enum(['official', 'cn']).optional(),
});
export type EnvironmentPrefs = z.infer<typeof EnvironmentPrefsSchema>;

export function environmentPrefsFile(dataDir: string): string {
  return join(dataDir, 'environment.json');
}

/** Missing or unreadable → defaults; these are preferences, so losing a broken file is harmless. */
export async function readEnvironmentPrefs(dataDir: string): Promise<EnvironmentPrefs> {
  try {
    const parsed = EnvironmentPrefsSchema.safeParse(
      JSON.parse(await readFile(environmentPrefsFile(dataDir), 'utf8')),
    );
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the defaults
  }
  return { version: 1 };
}

export async function updateEnvironmentPrefs(
  dataDir: string,
  patch: Partial<Omit<EnvironmentPrefs, 'version'>>,
): Promise<EnvironmentPrefs> {
  const next: EnvironmentPrefs = { ...(await readEnvironmentPrefs(dataDir)), ...patch, version: 1 };
  for (const key of Object.keys(next) as (keyof EnvironmentPrefs)[])
    if (next[key] === undefined) Reflect.deleteProperty(next, key);
  await writeFileAtomic(environmentPrefsFile(dataDir), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

/**
 * The engine new runs use: the one the user made active, else the first attached one, else null.
 * This is the function the run service calls; it reads the files each time (they are tiny), so a
 * choice made in another window is seen at once.
 */
export async function activeEngine(dataDir: string): Promise<EngineProfile | null> {
  const [{ engines }, prefs] = await Promise.all([loadEngines(dataDir), readEnvironmentPrefs(dataDir)]);
  return engines.find((engine) => engine.id === prefs.activeEngineId) ?? engines[0] ?? null;
}

/** The GPU indices training should use (empty = the engine's default, GPU 0). */
export async function trainingGpuIndices(dataDir: string): Promise<number[]> {
  return (await readEnvironmentPrefs(dataDir)).gpuIndices ?? [];
}

/** Makes `id` the active engine; false when no attached engine has that id. */
export async function setActiveEngine(dataDir: string, id: string): Promise<boolean> {
  const { engines } = await loadEngines(dataDir);
  if (!engines.some((engine) => engine.id === id)) return false;
  await updateEnvironmentPrefs(dataDir, { activeEngineId: id });
  return true;
}

/** Names that must never be overridden per engine: they would break the probe or the child itself. */
const reservedEnvKeys = new Set(['PYTHONHOME', 'PATH', 'SYSTEMROOT', 'COMSPEC']);

/** Why an extra environment variable is refused (zh/en), or undefined when it is fine. */
export function envEntryProblem(key: string, value: string): { zh: string; en: string } | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
    return {
      zh: `变量名「${key}」无效：只能包含英文字母、数字和下划线，且不能以数字开头。`,
      en: `"${key}" is not a valid variable name: letters, digits and underscores only, not starting with a digit.`,
    };
  if (reservedEnvKeys.has(key.toUpperCase()))
    return {
      zh: `不能在这里修改 ${key}：它由丹炉和系统管理，改动会让引擎无法启动。`,
      en: `${key} cannot be changed here: Danlu and the system manage it, and changing it would stop the engine from starting.`,
    };
  if (value.includes('\0') || value.length > 4000)
    return {
      zh: `变量 ${key} 的值无效（过长或含有空字符）。`,
      en: `The value of ${key} is invalid (too long or contains a NUL character).`,
    };
  return undefined;
}

/** Replaces an attached engine's extra environment; the caller validated the entries. */
export async function setEngineEnv(
  dataDir: string,
  id: string,
  env: Record<string, string>,
): Promise<EngineProfile | undefined> {
  const { engines } = await loadEngines(dataDir);
  const engine = engines.find((entry) => entry.id === id);
  if (!engine) return undefined;
  engine.env = { ...env };
  await saveEngines(dataDir, engines);
  return engine;
}
