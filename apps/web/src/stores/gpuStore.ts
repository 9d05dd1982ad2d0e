import type { GpuReport } from '@danlu/contracts';
import { create } from 'zustand';

import { api } from '../bridge/api.js';
import type { ApiClient, UiError } from '../bridge/types.js';

export interface GpuState {
  report: GpuReport | undefined;
  loading: boolean;
  error: UiError | undefined;
  /** `refresh` asks the backend to run nvidia-smi again instead of answering from its cache. */
  load: (refresh?: boolean) => Promise<void>;
}

export function createGpuStore(client: ApiClient) {
  return create<GpuState>()((set) => ({
    report: undefined,
    loading: false,
    error: undefined,
    async load(refresh = false) {
      set({ loading: true });
      const result = await client.call('system.gpus', refresh ? { refresh: true } : {});
      set(
        result.ok
          ? { report: result.data, error: undefined, loading: false }
          : { error: result.error, loading: false },
      );
    },
  }));
}

export const useGpuStore = createGpuStore(api);

export const selectGpuReport = (state: GpuState) => state.report;
export const selectGpuLoading = (state: GpuState) => state.loading;
export const selectGpuError = (state: GpuState) => state.error;
