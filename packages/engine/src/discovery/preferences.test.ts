import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { makeFiles, sdScriptsFiles } from '../testing/layouts.js';
import {
  activeEngine,
  envEntryProblem,
  environmentPrefsFile,
  readEnvironmentPrefs,
  setActiveEngine,
  setEngineEnv,
  trainingGpuIndices,
  updateEnvironmentPrefs,
} from './preferences.js';
import { attachEngine, detachEngine, loadEngines } from './store.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir('prefs');
});
afterEach(() => temp.cleanup());

async function twoEngines() {
  const data = join(temp.dir, 'data');
  const first = join(temp.dir, '第一 engine');
  const second = join(temp.dir, 'second one');
  await makeFiles(first, sdScriptsFiles(''));
  await makeFiles(second, sdScriptsFiles('sd-scripts'));
  const a = await attachEngine(data, first);
  const b = await attachEngine(data, second);
  if (!a.ok || !b.ok) throw new Error('layouts should attach');
  return { data, a: a.profile, b: b.profile };
}

describe('active engine', () => {
  it('is null without engines, the first attached by default, and the chosen one once set', async () => {
    expect(await activeEngine(join(temp.dir, 'empty'))).toBeNull();
    const { data, a, b } = await twoEngines();
    expect((await activeEngine(data))?.id).toBe(a.id);
    expect(await setActiveEngine(data, 'eng-unknown')).toBe(false);
    expect(await setActiveEngine(data, b.id)).toBe(true);
    expect((await activeEngine(data))?.id).toBe(b.id);
    // Detaching the active engine falls back to the one that is left.
    await detachEngine(data, b.id);
    expect((await activeEngine(data))?.id).toBe(a.id);
  });

  it('keeps GPU choice and mirror across writes, and survives a broken file', async () => {
    const data = temp.dir;
    await updateEnvironmentPrefs(data, { gpuIndices: [1, 0] });
    await updateEnvironmentPrefs(data, { mirror: 'cn' });
    expect(await trainingGpuIndices(data)).toEqual([1, 0]);
    expect((await readEnvironmentPrefs(data)).mirror).toBe('cn');
    await writeFile(environmentPrefsFile(data), '{"version":1,"gpuIn');
    expect(await readEnvironmentPrefs(data)).toEqual({ version: 1 });
  });
});

describe('extra environment', () => {
  it('refuses invalid and reserved names, stores valid ones on the profile', async () => {
    expect(envEntryProblem('1ABC', 'x')?.en).toMatch(/not a valid variable name/);
    expect(envEntryProblem('PATH', 'x')?.zh).toMatch(/不能/);
    expect(envEntryProblem('HF_ENDPOINT', 'https://hf-mirror.com')).toBeUndefined();
    const { data, a } = await twoEngines();
    const updated = await setEngineEnv(data, a.id, { HF_HUB_OFFLINE: '1' });
    expect(updated?.env).toEqual({ HF_HUB_OFFLINE: '1' });
    expect((await loadEngines(data)).engines.find((engine) => engine.id === a.id)?.env).toEqual({
      HF_HUB_OFFLINE: '1',
    });
    expect(await setEngineEnv(data, 'eng-nope', {})).toBeUndefined();
  });
});
