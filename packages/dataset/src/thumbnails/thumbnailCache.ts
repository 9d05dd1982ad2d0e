import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';

import { writeFileAtomic } from '@danlu/node-utils';
import sharp from 'sharp';

import { defaultMaxPixels } from '../scan/scan.js';

export interface Thumbnail {
  data: Buffer;
  mime: 'image/webp';
  width: number;
  height: number;
  /** True when it came from the cache folder instead of a fresh decode. */
  cached: boolean;
}

export interface ThumbnailCacheOptions {
  /** Folder for the cached files, e.g. `<dataDir>/cache/thumbs`; never the image's own folder. */
  dir: string;
  /** Evict the least recently used files above this total; default 256 MB. */
  maxBytes?: number;
  maxPixels?: number;
}

/**
 * Small WebP previews of dataset images, cached in the data folder. The key is the image's path, byte
 * size and mtime, so an edited image gets a new thumbnail and the old one ages out. Reads bump the
 * file's mtime, which is what the size-bounded eviction sorts on.
 */
export class ThumbnailCache {
  readonly dir: string;
  readonly #maxBytes: number;
  readonly #maxPixels: number;
  #pending = new Map<string, Promise<Thumbnail>>();
  #writesSinceSweep = 0;

  constructor(options: ThumbnailCacheOptions) {
    this.dir = options.dir;
    this.#maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.#maxPixels = options.maxPixels ?? defaultMaxPixels;
  }

  /** Thumbnail fitting in `size`×`size` (aspect kept, EXIF orientation applied, never enlarged). */
  async get(path: string, size = 256): Promise<Thumbnail> {
    const info = await stat(path);
    const key = createHash('sha1')
      .update(`${path}\0${String(size)}\0${String(info.size)}\0${String(info.mtimeMs)}`)
      .digest('hex');
    const pending = this.#pending.get(key);
    if (pending) return pending;
    const job = this.#load(path, size, key).finally(() => this.#pending.delete(key));
    this.#pending.set(key, job);
    return job;
  }

  async #load(path: string, size: number, key: string): Promise<Thumbnail> {
    const file = join(this.dir, key.slice(0, 2), `${key}.webp`);
    try {
      const data = await readFile(file);
      const meta = await sharp(data).metadata();
      const now = new Date();
      await utimes(file, now, now).catch(() => undefined);
      return { data, mime: 'image/webp', width: meta.width, height: meta.height, cached: true };
    } catch {
      // not cached yet (or unreadable): make it
    }
    const { data, info } = await sharp(path, { limitInputPixels: this.#maxPixels, failOn: 'none', pages: 1 })
      .rotate()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .webp({ quality: 78 })
      .toBuffer({ resolveWithObject: true });
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    await writeFileAtomic(file, data);
    if (++this.#writesSinceSweep >= 50) {
      this.#writesSinceSweep = 0;
      await this.sweep();
    }
    return { data, mime: 'image/webp', width: info.width, height: info.height, cached: false };
  }

  /** Deletes the least recently used thumbnails until the folder is under the size bound. */
  async sweep(): Promise<{ files: number; bytes: number; removed: number }> {
    const files: { path: string; bytes: number; used: number }[] = [];
    let shards: string[] = [];
    try {
      shards = await readdir(this.dir);
    } catch {
      return { files: 0, bytes: 0, removed: 0 };
    }
    for (const shard of shards) {
      let names: string[] = [];
      try {
        names = await readdir(join(this.dir, shard));
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(this.dir, shard, name);
        try {
          const info = await stat(path);
          files.push({ path, bytes: info.size, used: info.mtimeMs });
        } catch {
          // removed meanwhile
        }
      }
    }
    let total = files.reduce((sum, f) => sum + f.bytes, 0);
    let removed = 0;
    files.sort((a, b) => a.used - b.used);
    for (const f of files) {
      if (total <= this.#maxBytes) break;
      await rm(f.path, { force: true });
      total -= f.bytes;
      removed++;
    }
    return { files: files.length - removed, bytes: total, removed };
  }
}
