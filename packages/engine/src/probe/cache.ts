import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { writeFileAtomic } from '@danlu/node-utils';

import { ProbeOutcomeSchema, type ProbeOutcome } from './schema.js';

const CacheFileSchema = z.object({
  version: z.literal(1),
  entries: z.record(z.string(), z.unknown()),
});

export function probeCacheFile(dataDir: string): string {
  return join(dataDir, 'probe-cache.json');
}

async function readCache(dataDir: string): Promise<Record<string, unknown>> {
  try {
    const parsed = CacheFileSchema.safeParse(JSON.parse(await readFile(probeCacheFile(dataDir), 'utf8')));
    return parsed.success ? parsed.data.entries : {};
  } catch {
    return {}; // missing or half-written: a cache may always be rebuilt
  }
}

export async function readCachedProbe(dataDir: string, key: string): Promise<ProbeOutcome | undefined> {
  const parsed = ProbeOutcomeSchema.safeParse((await readCache(dataDir))[key]);
  return parsed.success ? parsed.data : undefined;
}

export async function writeCachedProbe(dataDir: string, key: string, outcome: ProbeOutcome): Promise<void> {
  const entries = await readCache(dataDir);
  entries[key] = outcome;
  await writeFileAtomic(probeCacheFile(dataDir), `${JSON.stringify({ version: 1, entries }, null, 2)}\n`);
}

/**
 * The cached probe for `key` (an engine id), or a fresh one when asked or when none is cached. Only
 * finished probes are cached; a timeout is retried next time.
 */
export async function cachedProbe(
  dataDir: string,
  key: string,
  probe: () => Promise<ProbeOutcome>,
  options: { refresh?: boolean } = {},
): Promise<{ outcome: ProbeOutcome; fromCache: boolean }> {
  if (!options.refresh) {
    const cached = await readCachedProbe(dataDir, key);
    if (cached) return { outcome: cached, fromCache: true };
  }
  const outcome = await probe();
  if (outcome.status !== 'timeout') await writeCachedProbe(dataDir, key, outcome);
  return { outcome, fromCache: false };
}
