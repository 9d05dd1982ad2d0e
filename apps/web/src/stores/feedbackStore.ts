import { create } from 'zustand';

import type { UiError } from '../bridge/types.js';

/** A short message at the bottom of the window: a success, a warning with a detail, or an API error. */
export type NewFeedback =
  | { kind: 'success'; text: string }
  | { kind: 'warning'; text: string; detail?: string }
  | { kind: 'error'; text: string; error: UiError };

export type Feedback = NewFeedback & { id: number };

export interface FeedbackState {
  current: Feedback | undefined;
  show: (feedback: NewFeedback) => void;
  close: (id: number) => void;
}

let nextId = 1;

export const useFeedbackStore = create<FeedbackState>()((set, get) => ({
  current: undefined,
  show(feedback) {
    set({ current: { ...feedback, id: nextId++ } });
  },
  close(id) {
    if (get().current?.id === id) set({ current: undefined });
  },
}));

export const selectFeedback = (state: FeedbackState) => state.current;
