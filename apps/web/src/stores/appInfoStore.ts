import type { AppInfo } from '@danlu/contracts';
import { create } from 'zustand';

import { api } from '../bridge/api.js';
import type { ApiClient, UiError } from '../bridge/types.js';

export interface AppInfoState {
  info: AppInfo | undefined;
  error: UiError | undefined;
  load: () => Promise<void>;
}

export function createAppInfoStore(client: ApiClient) {
  return create<AppInfoState>()((set) => ({
    info: undefined,
    error: undefined,
    async load() {
      const result = await client.call('app.info', {});
      set(result.ok ? { info: result.data, error: undefined } : { error: result.error });
    },
  }));
}

export const useAppInfoStore = createAppInfoStore(api);

export const selectAppInfo = (state: AppInfoState) => state.info;
export const selectAppInfoError = (state: AppInfoState) => state.error;
