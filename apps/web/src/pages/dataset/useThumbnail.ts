import { useEffect, useState } from 'react';

import { api } from '../../bridge/api.js';

interface Thumb {
  dataUrl: string;
  width: number;
  height: number;
}

/**
 * Thumbnails as data URLs (the backend caches the files in the data folder; this keeps the last few
 * hundred in memory), at most a few requests in flight so scrolling a big grid stays smooth.
 */
const memory = new Map<string, Thumb | 'failed'>();
const waiting: (() => void)[] = [];
let inFlight = 0;
const maxInFlight = 6;
const maxMemory = 600;

function remember(key: string, value: Thumb | 'failed') {
  memory.delete(key);
  memory.set(key, value);
  while (memory.size > maxMemory) {
    const oldest = memory.keys().next().value;
    if (oldest === undefined) break;
    memory.delete(oldest);
  }
}

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (inFlight >= maxInFlight) await new Promise<void>((resolve) => waiting.push(resolve));
  inFlight++;
  try {
    return await work();
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}

export function useThumbnail(
  path: string | undefined,
  mtimeMs: number,
  size = 256,
): Thumb | 'failed' | undefined {
  const key = path === undefined ? '' : `${path}|${String(mtimeMs)}|${String(size)}`;
  const [loaded, setLoaded] = useState<{ key: string; value: Thumb | 'failed' } | undefined>();
  useEffect(() => {
    if (path === undefined || memory.has(key)) return;
    let live = true;
    // scrolled past before its turn came: skip the request
    void slot(() => (live ? api.call('dataset.thumbnail', { path, size }) : Promise.resolve(undefined))).then(
      (result) => {
        if (result === undefined) return;
        const value = result.ok ? result.data : 'failed';
        remember(key, value);
        if (live) setLoaded({ key, value });
      },
    );
    return () => {
      live = false;
    };
  }, [key, path, size]);
  if (path === undefined) return undefined;
  return loaded?.key === key ? loaded.value : memory.get(key);
}
