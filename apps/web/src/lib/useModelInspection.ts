import type { ModelInspectionResult } from '@danlu/contracts';
import type { ModelFamily } from '@danlu/params';
import { useEffect, useState } from 'react';

import { api } from '../bridge/api.js';
import type { UiError } from '../bridge/types.js';

export type InspectionState =
  | { status: 'idle' }
  | { status: 'loading'; path: string }
  | { status: 'done'; path: string; result: ModelInspectionResult }
  | { status: 'failed'; path: string; error: UiError };

type Answer = { key: string } & (
  { status: 'done'; result: ModelInspectionResult } | { status: 'failed'; error: UiError }
);

/** Ask `models.inspect` about a path after the user stopped typing (400 ms); the last answer wins. */
export function useModelInspection(path: string | null, family: ModelFamily | undefined): InspectionState {
  const trimmed = path?.trim() ?? '';
  const key = `${family ?? ''}\n${trimmed}`;
  const [answer, setAnswer] = useState<Answer | undefined>(undefined);
  useEffect(() => {
    if (trimmed === '') return;
    let live = true;
    const timer = setTimeout(() => {
      void api.call('models.inspect', { path: trimmed, ...(family ? { family } : {}) }).then((reply) => {
        if (!live) return;
        setAnswer(
          reply.ok
            ? { key, status: 'done', result: reply.data }
            : { key, status: 'failed', error: reply.error },
        );
      });
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, trimmed, family]);
  if (trimmed === '') return { status: 'idle' };
  // An answer about another path (or family) is stale: the new one is on its way.
  if (answer?.key !== key) return { status: 'loading', path: trimmed };
  return answer.status === 'done'
    ? { status: 'done', path: trimmed, result: answer.result }
    : { status: 'failed', path: trimmed, error: answer.error };
}
