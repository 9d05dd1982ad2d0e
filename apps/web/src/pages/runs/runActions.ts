import type { MethodInput, MethodName, MethodOutput } from '@danlu/contracts';

import { api } from '../../bridge/api.js';
import { i18next } from '../../i18n/i18n.js';
import { useFeedbackStore } from '../../stores/feedbackStore.js';
import { useRunsStore } from '../../stores/runsStore.js';

/**
 * Calls a runs.* method and tells the user how it went; the list itself comes back by the runs.changed
 * event, so callers do not patch the store. Returns the answer, or undefined after showing the error.
 */
export async function runAction<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  successText?: string,
): Promise<MethodOutput<M> | undefined> {
  const result = await api.call(method, input);
  const feedback = useFeedbackStore.getState();
  if (!result.ok) {
    feedback.show({ kind: 'error', text: i18next.t('runs:actionFailed'), error: result.error });
    return undefined;
  }
  if (successText !== undefined) feedback.show({ kind: 'success', text: successText });
  return result.data;
}

/** A new run was made (create, fix, continue, import): show it on the monitor page. */
export async function showNewRun(id: string): Promise<void> {
  const store = useRunsStore.getState();
  if (!store.runs.some((r) => r.id === id)) await store.load();
  await useRunsStore.getState().select(id);
}
