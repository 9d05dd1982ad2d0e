import { readdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { patternImage } from '../testing/fixtures.js';
import { ThumbnailCache } from './thumbnailCache.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.cleanup());

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const shard of await readdir(dir))
    for (const name of await readdir(join(dir, shard))) out.push(join(dir, shard, name));
  return out;
}

describe('ThumbnailCache', () => {
  it('keeps the cache under its size bound, evicting the least recently used first', async () => {
    const cacheDir = join(temp.dir, 'cache', 'thumbs');
    const images: string[] = [];
    for (let i = 0; i < 4; i++) {
      const file = join(temp.dir, `图 ${String(i)}.png`);
      await patternImage(300, 200, i + 1)
        .png()
        .toFile(file);
      images.push(file);
    }
    const cache = new ThumbnailCache({ dir: cacheDir, maxBytes: 1 });
    const first = await cache.get(images[0] ?? '', 64);
    expect(first).toMatchObject({ cached: false, width: 64, height: 43, mime: 'image/webp' });
    expect((await cache.get(images[0] ?? '', 64)).cached).toBe(true);
    for (const image of images.slice(1)) await cache.get(image, 64);
    const all = await files(cacheDir);
    expect(all).toHaveLength(4);
    // make the first one the oldest use, then sweep down to one file's worth
    await utimes(all[0] ?? '', new Date(0), new Date(0));
    const sizes = await Promise.all(all.map(async (f) => (await stat(f)).size));
    const bounded = new ThumbnailCache({ dir: cacheDir, maxBytes: Math.max(...sizes) * 3 });
    const swept = await bounded.sweep();
    expect(swept.removed).toBeGreaterThanOrEqual(1);
    expect(swept.bytes).toBeLessThanOrEqual(Math.max(...sizes) * 3);
    await expect(stat(all[0] ?? '')).rejects.toThrow();
    // never beside the images
    expect((await readdir(temp.dir)).sort()).toEqual([
      'cache',
      '图 0.png',
      '图 1.png',
      '图 2.png',
      '图 3.png',
    ]);
  });
});
