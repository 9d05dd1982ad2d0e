import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { writeFileAtomic } from '@danlu/node-utils';

import { TaggerError } from '../errors.js';
import { downloadFile, type DownloadProgress } from './download.js';
import { downloadHosts, fileUrl, knownTaggerModels, taggerFiles, type KnownTaggerModel } from './registry.js';

export type DownloadSource = 'auto' | 'huggingface' | 'mirror';

export interface InstalledModel {
  id: string;
  repo: string;
  family: KnownTaggerModel['family'] | 'local';
  dir: string;
  modelPath: string;
  tagsPath: string;
  state: 'missing' | 'partial' | 'installed';
  downloadedBytes: number;
  known: KnownTaggerModel | undefined;
}

export interface ModelManagerOptions {
  /** `<dataDir>`; models live in `<dataDir>/models/taggers/<owner>/<repo>/`. */
  dataDir: string;
  /** Host base URLs; tests point them at a local server. */
  hosts?: { huggingface: string; mirror: string };
  fetch?: typeof fetch;
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/**
 * Where tagger models live and how they get there. Known models download from Hugging Face or
 * hf-mirror.com (resume, checksum, atomic rename); any folder under `models/taggers/` holding a
 * `model.onnx` and a `selected_tags.csv` is a local model too (id = its path there, e.g. `local/my-tagger`).
 */
export class TaggerModelManager {
  readonly root: string;
  readonly #hosts: { huggingface: string; mirror: string };
  readonly #fetch: typeof fetch | undefined;

  constructor(options: ModelManagerOptions) {
    this.root = join(options.dataDir, 'models', 'taggers');
    this.#hosts = options.hosts ?? downloadHosts;
    this.#fetch = options.fetch;
  }

  dirOf(repo: string): string {
    return join(this.root, ...repo.split('/'));
  }

  async #describe(id: string, repo: string, known: KnownTaggerModel | undefined): Promise<InstalledModel> {
    const dir = this.dirOf(repo);
    const modelPath = join(dir, taggerFiles.model);
    const tagsPath = join(dir, taggerFiles.tags);
    const model = await fileSize(modelPath);
    const tags = await fileSize(tagsPath);
    const partModel = (await fileSize(`${modelPath}.part`)) ?? 0;
    const state =
      model !== undefined && tags !== undefined
        ? 'installed'
        : model !== undefined || partModel > 0 || tags !== undefined
          ? 'partial'
          : 'missing';
    return {
      id,
      repo,
      family: known?.family ?? 'local',
      dir,
      modelPath,
      tagsPath,
      state,
      downloadedBytes: (model ?? partModel) + (tags ?? 0),
      known,
    };
  }

  /** Known models (with their state) and local folders that hold a model. */
  async list(): Promise<InstalledModel[]> {
    const out: InstalledModel[] = [];
    for (const known of knownTaggerModels) out.push(await this.#describe(known.id, known.repo, known));
    const knownRepos = new Set(knownTaggerModels.map((k) => k.repo));
    for (const repo of await this.#localRepos()) {
      if (knownRepos.has(repo)) continue;
      const described = await this.#describe(repo, repo, undefined);
      if (described.state === 'installed') out.push(described);
    }
    return out;
  }

  /** `owner/name` folders two levels down holding a model.onnx. */
  async #localRepos(): Promise<string[]> {
    const repos: string[] = [];
    let owners: string[] = [];
    try {
      owners = await readdir(this.root);
    } catch {
      return repos;
    }
    for (const owner of owners.sort()) {
      let names: string[] = [];
      try {
        names = await readdir(join(this.root, owner));
      } catch {
        continue;
      }
      for (const name of names.sort())
        if ((await fileSize(join(this.root, owner, name, taggerFiles.model))) !== undefined)
          repos.push(`${owner}/${name}`);
    }
    return repos;
  }

  /** A model by id (`wd-swinv2-v3`), repo (`SmilingWolf/wd-swinv2-tagger-v3`) or local folder id. */
  async find(idOrRepo: string): Promise<InstalledModel> {
    const all = await this.list();
    const found = all.find((m) => m.id === idOrRepo || m.repo === idOrRepo);
    if (!found)
      throw new TaggerError(
        'unknown_model',
        `不认识的打标模型：${idOrRepo}（可用：${all.map((m) => m.id).join(', ')}）/ Unknown tagger model: ${idOrRepo} (known: ${all.map((m) => m.id).join(', ')})`,
      );
    return found;
  }

  async requireInstalled(idOrRepo: string): Promise<InstalledModel> {
    const model = await this.find(idOrRepo);
    if (model.state !== 'installed')
      throw new TaggerError(
        'model_missing',
        `模型 ${model.id} 还没有下载；请先下载，或把 model.onnx 和 selected_tags.csv 放进 ${model.dir} / Model ${model.id} is not downloaded yet; download it first, or put model.onnx and selected_tags.csv into ${model.dir}`,
      );
    return model;
  }

  /** Hosts to try for a source choice: `auto` tries the mirror second (or first for zh users). */
  hostsFor(source: DownloadSource, preferMirror = false): string[] {
    if (source === 'huggingface') return [this.#hosts.huggingface];
    if (source === 'mirror') return [this.#hosts.mirror];
    return preferMirror
      ? [this.#hosts.mirror, this.#hosts.huggingface]
      : [this.#hosts.huggingface, this.#hosts.mirror];
  }

  /**
   * Downloads a known model's two files (the tags list first: small, and it proves the host works).
   * Already complete files are kept; a `.part` file is resumed.
   */
  async download(
    idOrRepo: string,
    options: {
      source?: DownloadSource;
      preferMirror?: boolean;
      signal?: AbortSignal;
      onProgress?: (
        progress: DownloadProgress & { file: string; done: number; total: number | undefined },
      ) => void;
    } = {},
  ): Promise<{ model: InstalledModel; host: string; bytes: number }> {
    const model = await this.find(idOrRepo);
    if (!model.known)
      throw new TaggerError(
        'unknown_model',
        `本地模型无需下载 / A local model needs no download: ${model.id}`,
      );
    const hosts = this.hostsFor(options.source ?? 'auto', options.preferMirror);
    let host = hosts[0] ?? '';
    let bytes = 0;
    const record: Record<string, { sha256: string; bytes: number; url: string }> = {};
    const tagsBytes = { value: 0 };
    for (const file of [taggerFiles.tags, taggerFiles.model]) {
      const dest = join(model.dir, file);
      const existing = await fileSize(dest);
      if (existing !== undefined) {
        bytes += existing;
        if (file === taggerFiles.tags) tagsBytes.value = existing;
        continue;
      }
      // the host that worked for the first file goes first for the second
      const order = [host, ...hosts.filter((h) => h !== host)];
      const result = await downloadFile({
        urls: order.map((h) => fileUrl(h, model.repo, file)),
        dest,
        signal: options.signal,
        fetch: this.#fetch,
        onProgress: (p) => {
          const done = file === taggerFiles.model ? tagsBytes.value + p.received : p.received;
          const total =
            file === taggerFiles.model && p.total !== undefined
              ? tagsBytes.value + p.total
              : (model.known?.approxBytes ?? p.total);
          options.onProgress?.({ ...p, file, done, total });
        },
      });
      host = order.find((h) => result.url.startsWith(h)) ?? host;
      bytes += result.bytes;
      if (file === taggerFiles.tags) tagsBytes.value = result.bytes;
      record[file] = { sha256: result.sha256, bytes: result.bytes, url: result.url };
    }
    await writeFileAtomic(
      join(model.dir, 'danlu-model.json'),
      JSON.stringify({ repo: model.repo, downloadedAt: new Date().toISOString(), files: record }, null, 2),
    );
    return { model: await this.find(model.id), host, bytes };
  }
}
