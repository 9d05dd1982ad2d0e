import { create } from 'zustand';

import { hashFor, parseHash, type PageId } from '../lib/routes.js';

export interface NavigationState {
  page: PageId;
  navigate: (page: PageId) => void;
  /** Called on `hashchange` (back/forward, a typed URL). */
  syncFromHash: (hash: string) => void;
}

export const useNavigationStore = create<NavigationState>()((set) => ({
  page: typeof window === 'undefined' ? 'home' : parseHash(window.location.hash),
  navigate(page) {
    set({ page });
    const hash = hashFor(page);
    if (typeof window !== 'undefined' && window.location.hash !== hash) window.location.hash = hash;
  },
  syncFromHash(hash) {
    set({ page: parseHash(hash) });
  },
}));

export const selectPage = (state: NavigationState) => state.page;
export const selectNavigate = (state: NavigationState) => state.navigate;

/** Keeps the store and the address bar in step; returns the function that stops listening. */
export function startHashRouting(win: Window): () => void {
  const onChange = () => {
    useNavigationStore.getState().syncFromHash(win.location.hash);
  };
  win.addEventListener('hashchange', onChange);
  onChange();
  return () => {
    win.removeEventListener('hashchange', onChange);
  };
}
