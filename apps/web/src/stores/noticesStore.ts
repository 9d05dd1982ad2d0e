import type { Notice } from '@danlu/contracts';
import { create } from 'zustand';

import { api } from '../bridge/api.js';
import type { ApiClient, UiResult } from '../bridge/types.js';

export interface NoticesState {
  notices: Notice[];
  load: () => Promise<void>;
  /** Hides the notice at once; it comes back if the server could not forget it. */
  dismiss: (id: string) => Promise<UiResult<Notice[]>>;
  receive: (notices: Notice[]) => void;
}

export function createNoticesStore(client: ApiClient) {
  return create<NoticesState>()((set, get) => ({
    notices: [],
    async load() {
      const result = await client.call('notices.list', {});
      if (result.ok) set({ notices: result.data });
    },
    async dismiss(id) {
      const before = get().notices;
      set({ notices: before.filter((notice) => notice.id !== id) });
      const result = await client.call('notices.dismiss', { id });
      set({ notices: result.ok ? result.data : before });
      return result;
    },
    receive(notices) {
      set({ notices });
    },
  }));
}

export const useNoticesStore = createNoticesStore(api);

export const selectNotices = (state: NoticesState) => state.notices;
