import type { Notice } from '@danlu/contracts';
import { describe, expect, it } from 'vitest';

import type { ApiClient, UiResult } from '../bridge/types.js';
import { createNoticesStore } from './noticesStore.js';

const notice: Notice = {
  id: 'n1',
  level: 'warning',
  code: 'settings_reset',
  params: { backup: '/data/settings.json.broken-1' },
  createdAt: '2025-01-01T00:00:00.000Z',
};

function apiAnswering(answer: UiResult<unknown>): ApiClient {
  return { call: () => Promise.resolve(answer as never) };
}

describe('notices store', () => {
  it('hides a dismissed notice and keeps the server list', async () => {
    const store = createNoticesStore(apiAnswering({ ok: true, data: [] }));
    store.getState().receive([notice]);
    await store.getState().dismiss('n1');
    expect(store.getState().notices).toEqual([]);
  });

  it('brings the notice back when the server could not dismiss it', async () => {
    const store = createNoticesStore(
      apiAnswering({ ok: false, error: { code: 'connection_lost', message: 'x' } }),
    );
    store.getState().receive([notice]);
    const result = await store.getState().dismiss('n1');
    expect(result.ok).toBe(false);
    expect(store.getState().notices).toEqual([notice]);
  });
});
