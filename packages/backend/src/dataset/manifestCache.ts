import { scanDataset, type Manifest } from '@danlu/dataset';

import { requireFolder } from './paths.js';

export interface ManifestRequest {
  dir: string;
  deep?: boolean | undefined;
  refresh?: boolean | undefined;
  captionExtensions?: string[] | undefined;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The last scan of each folder, so paging the grid, checking and bucket previews do not rescan.
 * A caption write through the API drops the folder's entry; `refresh` rescans on demand (files added
 * outside Danlu). A deep scan also answers a request for a quick one.
 */
export class ManifestCache {
  readonly #entries = new Map<string, { key: string; manifest: Manifest }>();
  readonly #inflight = new Map<string, Promise<Manifest>>();
  readonly #limit: number;

  constructor(limit = 8) {
    this.#limit = limit;
  }

  async get(request: ManifestRequest): Promise<Manifest> {
    const root = await requireFolder(request.dir);
    const exts = (request.captionExtensions ?? ['.txt', '.caption']).join('|');
    const deep = request.deep ?? false;
    const cached = this.#entries.get(root);
    if (!request.refresh && cached && cached.key.endsWith(`|${exts}`) && (!deep || cached.manifest.deep))
      return cached.manifest;
    const key = `${deep ? 'deep' : 'quick'}|${exts}`;
    const flightKey = `${root}\0${key}`;
    const existing = this.#inflight.get(flightKey);
    if (existing) return existing;
    const options: Parameters<typeof scanDataset>[1] = { deep };
    if (request.captionExtensions) options.captionExtensions = request.captionExtensions;
    if (request.onProgress) options.onProgress = request.onProgress;
    const job = scanDataset(root, options)
      .then((manifest) => {
        this.#entries.delete(root);
        this.#entries.set(root, { key, manifest });
        while (this.#entries.size > this.#limit) {
          const oldest = this.#entries.keys().next().value;
          if (oldest === undefined) break;
          this.#entries.delete(oldest);
        }
        return manifest;
      })
      .finally(() => this.#inflight.delete(flightKey));
    this.#inflight.set(flightKey, job);
    return job;
  }

  /** Forget every cached scan that contains `path` (a caption under it changed). */
  invalidate(path: string): void {
    for (const root of [...this.#entries.keys()])
      if (path === root || path.startsWith(root)) this.#entries.delete(root);
  }
}
