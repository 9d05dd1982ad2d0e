import { useEffect, useState } from 'react';

import { api } from '../../bridge/api.js';

type Size = 'thumb' | 'full';

/** Data URLs already fetched; bounded so a long session with many runs does not grow without end. */
const cache = new Map<string, Promise<string | null>>();
const maxCached = 400;

function load(runId: string, file: string, size: Size): Promise<string | null> {
  const key = `${runId}\u0000${size}\u0000${file}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const promise = api
    .call('runs.image', { id: runId, file, size })
    .then((r) => (r.ok ? r.data.dataUrl : null));
  cache.set(key, promise);
  // A failed load is forgotten so that a later look tries again.
  void promise.then((url) => {
    if (url === null) cache.delete(key);
  });
  while (cache.size > maxCached) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return promise;
}

/** undefined while loading, null when it could not be read. */
export function useRunImage(runId: string, file: string | undefined, size: Size): string | null | undefined {
  const key = file === undefined ? undefined : `${runId}\u0000${size}\u0000${file}`;
  // The answer is kept with the key it belongs to, so a new key reads as "loading" without a reset.
  const [loaded, setLoaded] = useState<{ key: string; url: string | null } | undefined>(undefined);
  useEffect(() => {
    if (file === undefined || key === undefined) return;
    let live = true;
    void load(runId, file, size).then((url) => {
      if (live) setLoaded({ key, url });
    });
    return () => {
      live = false;
    };
  }, [runId, file, size, key]);
  return loaded !== undefined && loaded.key === key ? loaded.url : undefined;
}
