import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { TaggerError } from '../errors.js';

export interface DownloadProgress {
  url: string;
  received: number;
  total: number | undefined;
  bytesPerSecond: number;
}

export interface DownloadOptions {
  /** Tried in order; a host that fails (refused, 5xx, timeout) hands over to the next. */
  urls: string[];
  dest: string;
  /** Expected sha256 (hex); else the server's `X-Linked-Etag` when it is a sha256. */
  sha256?: string | undefined;
  size?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  /** No bytes for this long → the attempt fails (default 30 s). */
  stallMs?: number;
  fetch?: typeof fetch;
}

export interface DownloadResult {
  dest: string;
  url: string;
  bytes: number;
  sha256: string;
  resumed: boolean;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

function sha256FromEtag(value: string | null): string | undefined {
  const tag = value?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return tag && /^[0-9a-f]{64}$/.test(tag) ? tag : undefined;
}

const offlineCodes = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
]);

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
}

/**
 * Downloads one file to `dest` with resume: bytes go to `dest.part`, a later call continues it with an
 * HTTP Range request (a server that ignores Range restarts from zero). The finished file is checked
 * (size, sha256) and only then renamed into place, so `dest` is never a half-written model. A checksum
 * mismatch deletes the part file: it would never become right by resuming.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const doFetch = options.fetch ?? fetch;
  const part = `${options.dest}.part`;
  await mkdir(dirname(options.dest), { recursive: true });
  const errors: string[] = [];
  let allOffline = true;
  for (const url of options.urls) {
    if (options.signal?.aborted) throw new TaggerError('cancelled', '已取消 / Cancelled');
    const stall = new AbortController();
    const onAbort = () => {
      stall.abort();
    };
    options.signal?.addEventListener('abort', onAbort);
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stall.abort();
      }, options.stallMs ?? 30_000);
    };
    try {
      const have = await sizeOf(part);
      arm();
      const response = await doFetch(url, {
        headers: have > 0 ? { Range: `bytes=${String(have)}-` } : {},
        signal: stall.signal,
        redirect: 'follow',
      });
      if (response.status === 416 && options.size !== undefined && have === options.size) {
        // the part file is already complete
      } else if (!response.ok || !response.body) {
        allOffline = false;
        throw new Error(`HTTP ${String(response.status)}`);
      }
      const resumed = response.status === 206;
      const expectedSha =
        options.sha256?.toLowerCase() ?? sha256FromEtag(response.headers.get('x-linked-etag'));
      const linkedSize = Number(response.headers.get('x-linked-size') ?? NaN);
      const length = Number(response.headers.get('content-length') ?? NaN);
      const total =
        options.size ??
        (Number.isFinite(linkedSize)
          ? linkedSize
          : Number.isFinite(length)
            ? length + (resumed ? have : 0)
            : undefined);
      if (response.status !== 416 && response.body) {
        allOffline = false;
        const start = resumed ? have : 0;
        let received = start;
        const began = Date.now();
        const out = createWriteStream(part, { flags: resumed ? 'a' : 'w' });
        const body = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
        body.on('data', (chunk: Buffer) => {
          received += chunk.length;
          arm();
          const seconds = Math.max(0.001, (Date.now() - began) / 1000);
          options.onProgress?.({ url, received, total, bytesPerSecond: (received - start) / seconds });
        });
        await pipeline(body, out);
      }
      clearTimeout(timer);
      const bytes = await sizeOf(part);
      if (total !== undefined && bytes !== total)
        throw new Error(`incomplete: ${String(bytes)} of ${String(total)} bytes`);
      const sha256 = await hashFile(part);
      if (expectedSha && sha256 !== expectedSha) {
        await rm(part, { force: true });
        throw new TaggerError(
          'checksum_mismatch',
          `下载的文件校验失败（sha256 不符），已删除，请重试 / The download failed its checksum (sha256 mismatch) and was deleted; try again`,
        );
      }
      await rename(part, options.dest);
      return { dest: options.dest, url, bytes, sha256, resumed };
    } catch (error) {
      clearTimeout(timer);
      if (error instanceof TaggerError) throw error;
      if (options.signal?.aborted)
        throw new TaggerError(
          'cancelled',
          '已取消（已下载的部分会保留，下次继续）/ Cancelled (the part downloaded is kept and resumed next time)',
        );
      const code = causeCode(error);
      if (!code || !offlineCodes.has(code)) allOffline = false;
      errors.push(`${new URL(url).host}: ${code ?? (error as Error).message}`);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
  if (allOffline)
    throw new TaggerError(
      'offline',
      `无法连接下载服务器（${errors.join('；')}）。请检查网络；在中国大陆可在设置里选择镜像 hf-mirror.com，或手动下载 model.onnx 和 selected_tags.csv 放进模型文件夹 / Cannot reach the download servers (${errors.join('; ')}). Check the network; in mainland China choose the hf-mirror.com mirror, or download model.onnx and selected_tags.csv by hand into the model folder`,
    );
  throw new TaggerError(
    'download_failed',
    `下载失败（${errors.join('；')}）；已下载的部分会保留，重试时继续 / Download failed (${errors.join('; ')}); what was downloaded is kept and resumed on retry`,
  );
}
