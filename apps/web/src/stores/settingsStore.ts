import type { Settings, SettingsPatch } from '@danlu/contracts';
import { create } from 'zustand';

import { api } from '../bridge/api.js';
import type { ApiClient, UiError, UiResult } from '../bridge/types.js';

export function applyPatch(settings: Settings, patch: SettingsPatch): Settings {
  const { folders, ...rest } = patch;
  return { ...settings, ...rest, folders: { ...settings.folders, ...folders } };
}

interface PendingPatch {
  id: number;
  patch: SettingsPatch;
}

export interface SettingsState {
  /** What the UI shows: the server's settings with our unanswered changes on top. */
  settings: Settings | undefined;
  /** The last settings the server confirmed. */
  confirmed: Settings | undefined;
  pending: PendingPatch[];
  loadError: UiError | undefined;
  load: () => Promise<UiResult<Settings>>;
  /** Shows the change at once; if the server refuses it, the change disappears again and the error is returned. */
  update: (patch: SettingsPatch) => Promise<UiResult<Settings>>;
  reset: () => Promise<UiResult<Settings>>;
  /** A `settings.changed` event: another window or the CLI changed them. */
  receive: (settings: Settings) => void;
}

function shown(confirmed: Settings | undefined, pending: PendingPatch[]): Settings | undefined {
  return confirmed ? pending.reduce((acc, entry) => applyPatch(acc, entry.patch), confirmed) : undefined;
}

export function createSettingsStore(client: ApiClient) {
  let nextId = 1;
  return create<SettingsState>()((set, get) => {
    const confirm = (settings: Settings, pending = get().pending) => {
      set({ confirmed: settings, pending, settings: shown(settings, pending) });
    };
    const drop = (id: number) => get().pending.filter((entry) => entry.id !== id);

    return {
      settings: undefined,
      confirmed: undefined,
      pending: [],
      loadError: undefined,

      async load() {
        const result = await client.call('settings.get', {});
        if (result.ok) {
          set({ loadError: undefined });
          confirm(result.data);
        } else {
          set({ loadError: result.error });
        }
        return result;
      },

      async update(patch) {
        const id = nextId++;
        const pending = [...get().pending, { id, patch }];
        set({ pending, settings: shown(get().confirmed, pending) });
        const result = await client.call('settings.set', patch);
        if (result.ok) {
          confirm(result.data, drop(id));
        } else {
          const rest = drop(id);
          set({ pending: rest, settings: shown(get().confirmed, rest) });
        }
        return result;
      },

      async reset() {
        const result = await client.call('settings.reset', {});
        if (result.ok) confirm(result.data);
        return result;
      },

      receive(settings) {
        confirm(settings);
      },
    };
  });
}

export const useSettingsStore = createSettingsStore(api);

export const selectSettings = (state: SettingsState) => state.settings;
export const selectLanguage = (state: SettingsState) => state.settings?.language;
export const selectTheme = (state: SettingsState) => state.settings?.theme;
export const selectExperienceLevel = (state: SettingsState) => state.settings?.experienceLevel;
export const selectFolders = (state: SettingsState) => state.settings?.folders;
export const selectConfirmedFolders = (state: SettingsState) => state.confirmed?.folders;
export const selectSettingsLoadError = (state: SettingsState) => state.loadError;
