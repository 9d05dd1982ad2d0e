import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { writeFileAtomic } from '@danlu/node-utils';

import { EngineProfileSchema, type EngineProfile } from '../profile.js';
import type { Text } from '../text.js';
import { detectEngine, type DetectOptions } from './detect.js';

const EnginesFileSchema = z.object({
  version: z.literal(1),
  engines: z.array(z.unknown()),
});

export function enginesFile(dataDir: string): string {
  return join(dataDir, 'engines.json');
}

/**
 * Attached engines from `engines.json`. A missing file is an empty list; entries that no longer validate
 * are dropped (and reported) instead of failing the whole list.
 */
export async function loadEngines(dataDir: string): Promise<{ engines: EngineProfile[]; dropped: number }> {
  let raw: string;
  try {
    raw = await readFile(enginesFile(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { engines: [], dropped: 0 };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { engines: [], dropped: 1 };
  }
  const file = EnginesFileSchema.safeParse(parsed);
  if (!file.success) return { engines: [], dropped: 1 };
  const engines: EngineProfile[] = [];
  let dropped = 0;
  for (const entry of file.data.engines) {
    const profile = EngineProfileSchema.safeParse(entry);
    if (profile.success) engines.push(profile.data);
    else dropped++;
  }
  return { engines, dropped };
}

export async function saveEngines(dataDir: string, engines: EngineProfile[]): Promise<void> {
  await writeFileAtomic(enginesFile(dataDir), `${JSON.stringify({ version: 1, engines }, null, 2)}\n`);
}

export type AttachResult =
  { ok: true; profile: EngineProfile; replaced: boolean } | { ok: false; reason: Text; expected: string[] };

/**
 * Recognises `folder` and remembers it in the data folder. The engine folder itself is only read.
 * Attaching the same folder again refreshes its profile (scripts, interpreter) in place.
 */
export async function attachEngine(
  dataDir: string,
  folder: string,
  options: DetectOptions & { now?: Date } = {},
): Promise<AttachResult> {
  const detected = await detectEngine(folder, options);
  if (!detected.ok) return detected;
  const profile: EngineProfile = {
    ...detected.profile,
    attachedAt: (options.now ?? new Date()).toISOString(),
  };
  const { engines } = await loadEngines(dataDir);
  const index = engines.findIndex((engine) => engine.id === profile.id);
  if (index >= 0) engines[index] = profile;
  else engines.push(profile);
  await saveEngines(dataDir, engines);
  return { ok: true, profile, replaced: index >= 0 };
}

export async function detachEngine(dataDir: string, id: string): Promise<boolean> {
  const { engines } = await loadEngines(dataDir);
  const kept = engines.filter((engine) => engine.id !== id);
  if (kept.length === engines.length) return false;
  await saveEngines(dataDir, kept);
  return true;
}
