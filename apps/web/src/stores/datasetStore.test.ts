import { describe, expect, it } from 'vitest';

import type { ApiClient } from '../bridge/types.js';
import { createDatasetStore } from './datasetStore.js';

function row(i: number) {
  return {
    path: `/d/${String(i)}.png`,
    relPath: `${String(i)}.png`,
    folder: '',
    extension: '.png',
    bytes: 1,
    mtimeMs: 1,
  };
}

/** A fake API: 2500 images served in pages, and a record of every call. */
function fakeApi(calls: { method: string; input: unknown }[]): ApiClient {
  const total = 2500;
  return {
    call: (method, input) => {
      calls.push({ method, input });
      const i = input as { offset?: number; limit?: number };
      const answers: Record<string, unknown> = {
        'dataset.scan': {
          root: '/d',
          total,
          offset: i.offset ?? 0,
          images: Array.from({ length: Math.min(i.limit ?? 200, total - (i.offset ?? 0)) }, (_, k) =>
            row((i.offset ?? 0) + k),
          ),
          summary: {},
          subsets: [],
        },
        'dataset.check': { findings: [], counts: { error: 0, warning: 0, info: 0 } },
        'dataset.buckets': { buckets: [] },
        'captions.tags': { captions: 1, tags: [{ tag: 'smile', count: 1 }] },
        'captions.preview': { previewId: 'p1', total: 1, unchanged: 0, changes: [] },
      };
      if (method === 'captions.apply')
        return Promise.resolve({ ok: false, error: { code: 'not_found', message: 'expired' } } as never);
      return Promise.resolve({ ok: true, data: answers[method] } as never);
    },
  };
}

describe('dataset store', () => {
  it('loads every page of images, then checks with the options, buckets and tags', async () => {
    const calls: { method: string; input: unknown }[] = [];
    const store = createDatasetStore(fakeApi(calls));
    store.getState().setDir('  /d  ');
    store.getState().setOptions({ triggerWord: ' ohwx ', resolution: 768 });
    await store.getState().open(true);
    expect(store.getState().images).toHaveLength(2500);
    expect(
      calls.filter((c) => c.method === 'dataset.scan').map((c) => (c.input as { offset?: number }).offset),
    ).toEqual([undefined, 1000, 2000]);
    expect(calls.find((c) => c.method === 'dataset.check')?.input).toMatchObject({
      dir: '/d',
      triggerWord: 'ohwx',
      resolution: 768,
    });
    expect(store.getState().tags).toEqual([{ tag: 'smile', count: 1 }]);
  });

  it('keeps a preview for the dialog, and reports an expired one', async () => {
    const store = createDatasetStore(fakeApi([]));
    await store.getState().preview([{ op: 'dedupe' }]);
    expect(store.getState().pendingPreview?.previewId).toBe('p1');
    store.getState().closePreview();
    expect(store.getState().pendingPreview).toBeUndefined();
    const applied = await store.getState().apply('p1');
    expect(applied).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('keeps the latest progress per job', () => {
    const store = createDatasetStore(fakeApi([]));
    store.getState().receiveProgress({ jobId: 'a', kind: 'tag', done: 1, total: 4 });
    store.getState().receiveProgress({ jobId: 'a', kind: 'tag', done: 3, total: 4 });
    expect(store.getState().progress['a']?.done).toBe(3);
  });
});
