import { create } from 'zustand';

import type { BundleResult } from '../../stores/environmentStore.js';

/**
 * The last bundle made in this window, kept outside the page so the path is still there after the
 * user looks at another page (to find the file, say) and comes back.
 */
export const useLastBundle = create<{
  result: BundleResult | undefined;
  set: (result: BundleResult) => void;
}>()((set) => ({
  result: undefined,
  set: (result) => {
    set({ result });
  },
}));
