import type { MethodInput, MethodName, MethodOutput, Settings, SettingsPatch } from '@danlu/contracts';
import { describe, expect, it } from 'vitest';

import type { ApiClient, UiResult } from '../bridge/types.js';
import { applyPatch, createSettingsStore } from './settingsStore.js';

const saved: Settings = {
  language: 'zh-CN',
  theme: 'light',
  experienceLevel: 'beginner',
  folders: { models: '/data/models', datasets: '/data/datasets', outputs: '/data/outputs' },
};

interface Deferred {
  method: MethodName;
  input: unknown;
  resolve: (result: UiResult<unknown>) => void;
}

/** An API whose answers the test gives by hand, so it can look at the store in between. */
function manualApi() {
  const calls: Deferred[] = [];
  const client: ApiClient = {
    call<M extends MethodName>(method: M, input: MethodInput<M>) {
      return new Promise<UiResult<MethodOutput<M>>>((resolve) => {
        calls.push({ method, input, resolve: resolve as (result: UiResult<unknown>) => void });
      });
    },
  };
  return { client, calls };
}

async function loaded() {
  const { client, calls } = manualApi();
  const store = createSettingsStore(client);
  const load = store.getState().load();
  calls.shift()?.resolve({ ok: true, data: saved });
  await load;
  return { store, calls };
}

describe('settings store', () => {
  it('merges folder patches key by key', () => {
    expect(applyPatch(saved, { folders: { models: 'D:\\m' } }).folders).toEqual({
      ...saved.folders,
      models: 'D:\\m',
    });
    expect(applyPatch(saved, { theme: 'dark' })).toEqual({ ...saved, theme: 'dark' });
  });

  it('shows a change at once and keeps what the server confirmed', async () => {
    const { store, calls } = await loaded();
    const update = store.getState().update({ theme: 'dark' });
    expect(store.getState().settings?.theme).toBe('dark');
    expect(calls[0]).toMatchObject({ method: 'settings.set', input: { theme: 'dark' } });
    calls[0]?.resolve({ ok: true, data: { ...saved, theme: 'dark' } });
    await expect(update).resolves.toMatchObject({ ok: true });
    expect(store.getState().confirmed?.theme).toBe('dark');
    expect(store.getState().pending).toEqual([]);
  });

  it('rolls a refused change back and returns the error', async () => {
    const { store, calls } = await loaded();
    const update = store.getState().update({ language: 'en', folders: { outputs: '/readonly' } });
    expect(store.getState().settings?.language).toBe('en');
    expect(store.getState().settings?.folders.outputs).toBe('/readonly');
    calls[0]?.resolve({ ok: false, error: { code: 'io_error', message: 'EACCES' } });
    await expect(update).resolves.toEqual({ ok: false, error: { code: 'io_error', message: 'EACCES' } });
    expect(store.getState().settings).toEqual(saved);
  });

  it('rolls back only the refused change when two are in flight', async () => {
    const { store, calls } = await loaded();
    const patches: SettingsPatch[] = [{ theme: 'dark' }, { experienceLevel: 'expert' }];
    const [first, second] = patches.map((patch) => store.getState().update(patch));
    expect(store.getState().settings).toMatchObject({ theme: 'dark', experienceLevel: 'expert' });

    calls[0]?.resolve({ ok: false, error: { code: 'internal', message: 'boom' } });
    await first;
    expect(store.getState().settings).toMatchObject({ theme: 'light', experienceLevel: 'expert' });

    calls[1]?.resolve({ ok: true, data: { ...saved, experienceLevel: 'expert' } });
    await second;
    expect(store.getState().settings).toEqual({ ...saved, experienceLevel: 'expert' });
  });

  it('takes pushed settings as the new truth while keeping unanswered changes on top', async () => {
    const { store, calls } = await loaded();
    const update = store.getState().update({ theme: 'dark' });
    store.getState().receive({ ...saved, experienceLevel: 'advanced' });
    expect(store.getState().settings).toMatchObject({ theme: 'dark', experienceLevel: 'advanced' });
    calls[0]?.resolve({ ok: false, error: { code: 'connection_lost', message: 'dropped' } });
    await update;
    expect(store.getState().settings).toEqual({ ...saved, experienceLevel: 'advanced' });
  });

  it('records a failed load without inventing settings', async () => {
    const { client, calls } = manualApi();
    const store = createSettingsStore(client);
    const load = store.getState().load();
    calls[0]?.resolve({ ok: false, error: { code: 'data_dir_unwritable', message: 'EROFS' } });
    await load;
    expect(store.getState().settings).toBeUndefined();
    expect(store.getState().loadError).toEqual({ code: 'data_dir_unwritable', message: 'EROFS' });
  });
});
