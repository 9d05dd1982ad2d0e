import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { defaultSettings, languageFromLocale } from './defaults.js';
import { SettingsStore } from './settingsStore.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let file: string;
beforeEach(async () => {
  temp = await makeTempDir();
  file = join(temp.dir, 'settings.json');
});
afterEach(() => temp.cleanup());

async function backups(): Promise<string[]> {
  return (await readdir(temp.dir)).filter((name) => name.endsWith('.bak'));
}

describe('SettingsStore', () => {
  it('starts on defaults and writes them on first open', async () => {
    const { store, outcome } = await SettingsStore.open(file, defaultSettings(temp.dir));
    expect(outcome.kind).toBe('fresh');
    expect(store.get().language).toBe('zh-CN');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(store.get());
  });

  it('persists updates and merges folders key by key', async () => {
    const defaults = defaultSettings(temp.dir);
    const { store } = await SettingsStore.open(file, defaults);
    await store.update({ language: 'en', folders: { models: 'D:\\SD 模型' } });
    const { store: reopened, outcome } = await SettingsStore.open(file, defaults);
    expect(outcome.kind).toBe('loaded');
    expect(reopened.get()).toMatchObject({
      language: 'en',
      theme: 'light',
      folders: { models: 'D:\\SD 模型', outputs: defaults.folders.outputs },
    });
  });

  it('moves a half-written file aside, starts on defaults and says where the old file went', async () => {
    const broken = '{"language": "en", "theme": "da';
    await writeFile(file, broken);
    const { store, outcome } = await SettingsStore.open(file, defaultSettings(temp.dir));
    expect(outcome.kind).toBe('reset');
    expect(store.get().language).toBe('zh-CN');
    const [backup] = await backups();
    expect(backup).toBeDefined();
    expect(outcome).toMatchObject({ backup: join(temp.dir, backup!) });
    expect(await readFile(join(temp.dir, backup!), 'utf8')).toBe(broken);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(store.get());
  });

  it('keeps the valid fields of a file with some bad ones', async () => {
    await writeFile(
      file,
      JSON.stringify({
        language: 'en',
        theme: 'purple',
        future: true,
        folders: { models: '/m', outputs: 3 },
      }),
    );
    const { store, outcome } = await SettingsStore.open(file, defaultSettings(temp.dir));
    expect(outcome).toMatchObject({ kind: 'repaired', fields: ['theme', 'future', 'folders.outputs'] });
    expect(store.get()).toMatchObject({ language: 'en', theme: 'light', folders: { models: '/m' } });
    expect(await backups()).toHaveLength(1);
  });

  it('reads a file saved with a UTF-8 BOM (Notepad) as valid', async () => {
    const settings = { ...defaultSettings(temp.dir), theme: 'dark' };
    await writeFile(file, `\uFEFF${JSON.stringify(settings)}`);
    const { store, outcome } = await SettingsStore.open(file, defaultSettings(temp.dir));
    expect(outcome.kind).toBe('loaded');
    expect(store.get().theme).toBe('dark');
  });

  it('keeps the previous settings in memory when a save fails', async () => {
    const { store } = await SettingsStore.open(file, defaultSettings(temp.dir));
    // A folder where settings.json should be: the final rename cannot replace it.
    await rm(file);
    await mkdir(join(file, 'occupied'), { recursive: true });
    await expect(store.update({ theme: 'dark' })).rejects.toThrow();
    expect(store.get().theme).toBe('light');
    expect((await readdir(temp.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('languageFromLocale', () => {
  it('defaults to Chinese and recognises English locales', () => {
    expect(languageFromLocale(undefined)).toBe('zh-CN');
    expect(languageFromLocale('zh-TW')).toBe('zh-CN');
    expect(languageFromLocale('en-US')).toBe('en');
    expect(languageFromLocale('C.UTF-8')).toBe('en');
  });
});
