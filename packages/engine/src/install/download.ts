import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

import { text, type Text } from '../text.js';

/** Raised when the user cancelled; the partial file stays so the next run resumes it. */
export class InstallCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'InstallCancelledError';
  }
}

/** A failure the user can act on: what happened in both languages, plus the technical detail. */
export class InstallStepError extends Error {
  constructor(
    readonly explanation: Text,
    detail: string,
  ) {
    super(detail);
    this.name = 'InstallStepError';
  }
}

export type DownloadEvent =
  | { type: 'progress'; url: string; received: number; total: number | null }
  | { type: 'retry'; url: string; attempt: number; waitMs: number; reason: string }
  | { type: 'mirror_failed'; url: string; reason: string }
  | { type: 'done'; url: string; bytes: number; reused: boolean };

/** What a finished file must look like; every check that fails discards the file. */
export interface DownloadExpectation {
  sha256?: string | null;
  size?: number;
  /** The first bytes of the format (a mirror that answers with an HTML page fails this at once). */
  magic?: 'gzip' | 'zip';
}

export interface DownloadOptions extends DownloadExpectation {
  /** Tried in order: China mirrors first when the user chose them, the official URL last. */
  urls: string[];
  dest: string;
  signal?: AbortSignal;
  onEvent?: (event: DownloadEvent) => void;
  /** Attempts per URL for transient failures (connection reset, 5xx, stalled transfer). */
  attemptsPerUrl?: number;
  /** First retry wait; doubles each time (capped at 30 s). */
  backoffMs?: number;
  /** A transfer that delivers no byte for this long is dropped and retried (resuming). */
  idleTimeoutMs?: number;
  /** Tests pass a recording fetch; the real one is Node's. */
  fetchImpl?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const magicBytes: Record<NonNullable<DownloadExpectation['magic']>, number[]> = {
  gzip: [0x1f, 0x8b],
  zip: [0x50, 0x4b, 0x03, 0x04],
};

/** Where a transfer in progress lives, and what it was fetched from (so a resume never mixes sources). */
interface PartMeta {
  url: string;
  etag?: string;
  lastModified?: string;
}

function partPaths(dest: string) {
  return { part: `${dest}.part`, meta: `${dest}.part.json` };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Why a complete file is not the one wanted, or undefined when it passes every check. */
export async function verifyFile(path: string, expect: DownloadExpectation): Promise<string | undefined> {
  const info = await stat(path);
  if (expect.size !== undefined && info.size !== expect.size)
    return `size ${String(info.size)} instead of ${String(expect.size)}`;
  if (expect.magic) {
    const handle = await open(path, 'r');
    try {
      const wanted = magicBytes[expect.magic];
      const head = Buffer.alloc(wanted.length);
      await handle.read(head, 0, wanted.length, 0);
      if (!wanted.every((byte, index) => head[index] === byte)) {
        const start = head.toString('latin1').toLowerCase();
        return start.startsWith('<') || start.startsWith('\n')
          ? `not a ${expect.magic} file (an HTML page?)`
          : `not a ${expect.magic} file`;
      }
    } finally {
      await handle.close();
    }
  }
  if (expect.sha256) {
    const actual = await sha256File(path);
    if (actual !== expect.sha256.toLowerCase())
      return `sha256 ${actual} does not match ${expect.sha256.toLowerCase()}`;
  }
  return undefined;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new InstallCancelledError());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InstallCancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A failure of one attempt: `transient` ones are retried on the same URL, the rest move to the next. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

async function readMeta(file: string): Promise<PartMeta | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<PartMeta>;
    return typeof value.url === 'string' ? (value as PartMeta) : undefined;
  } catch {
    return undefined;
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** `bytes 100-199/200` → { start: 100, total: 200 } */
function parseContentRange(value: string | null): { start: number; total: number | null } | undefined {
  const match = /^bytes\s+(\d+)-\d+\/(\d+|\*)$/i.exec(value ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? null : Number(match[2]) };
}

/**
 * One HTTP attempt at `url`, appending to the part file when it holds a resumable start. Resolves
 * when the body is complete; the caller verifies it.
 */
async function attempt(url: string, dest: string, options: DownloadOptions): Promise<void> {
  const { part, meta } = partPaths(dest);
  const fetchImpl = options.fetchImpl ?? fetch;
  const previous = await readMeta(meta);
  // A part from another source is not resumed (the files may differ); it is replaced on a 200 below.
  let have = previous?.url === url ? await sizeOf(part) : 0;

  const controller = new AbortController();
  const onAbort = () => {
    controller.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let idle: NodeJS.Timeout | undefined;
  // An object, not a let: the timer callback sets it, which flow analysis cannot see.
  const stall = { stalled: false };
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      stall.stalled = true;
      controller.abort();
    }, options.idleTimeoutMs ?? 30_000);
  };

  const headers: Record<string, string> = { 'User-Agent': 'Danlu-installer' };
  if (have > 0) {
    headers['Range'] = `bytes=${String(have)}-`;
    // If-Range: the server sends the whole file instead of a range when it changed since.
    const validator = previous?.etag ?? previous?.lastModified;
    if (validator) headers['If-Range'] = validator;
  }
  try {
    armIdle();
    let response: Response;
    try {
      response = await fetchImpl(url, { headers, signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      if (options.signal?.aborted) throw new InstallCancelledError();
      throw new AttemptError(
        stall.stalled ? 'no answer (timed out)' : `cannot connect: ${causeOf(error)}`,
        true,
      );
    }
    if (response.status === 416 && have > 0) {
      // The part already holds everything (or is longer than the file): verify or start over.
      await response.body?.cancel();
      return;
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      await response.body?.cancel();
      throw new AttemptError(`HTTP ${String(response.status)}`, true);
    }
    if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel();
      throw new AttemptError(`HTTP ${String(response.status)}`, false);
    }
    let total: number | null;
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (range?.start !== have) {
        await response.body?.cancel();
        await rm(part, { force: true });
        throw new AttemptError('server sent a different range than asked for', true);
      }
      total = range.total;
    } else {
      // 200: the whole file (no range support, or it changed since the part was written).
      have = 0;
      const length = Number(response.headers.get('content-length'));
      total = Number.isFinite(length) && length > 0 ? length : null;
    }
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    await mkdir(dirname(dest), { recursive: true });
    await writeFile(
      meta,
      JSON.stringify({
        url,
        ...(etag && !etag.startsWith('W/') ? { etag } : {}),
        ...(lastModified ? { lastModified } : {}),
      }),
    );
    const handle = await open(part, have > 0 ? 'a' : 'w');
    let received = have;
    let lastReport = 0;
    try {
      if (!response.body) throw new AttemptError('empty response', true);
      // Through node:stream: the desktop app typechecks this file with the DOM lib, whose ReadableStream
      // is not async-iterable.
      for await (const data of Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)) {
        const chunk = data as Uint8Array;
        armIdle();
        await handle.write(chunk);
        received += chunk.byteLength;
        const now = Date.now();
        if (now - lastReport > 250) {
          lastReport = now;
          options.onEvent?.({ type: 'progress', url, received, total });
        }
      }
    } catch (error) {
      if (error instanceof AttemptError) throw error;
      if (options.signal?.aborted) throw new InstallCancelledError();
      throw new AttemptError(
        stall.stalled ? 'the transfer stalled' : `connection lost: ${causeOf(error)}`,
        true,
      );
    } finally {
      await handle.close();
    }
    options.onEvent?.({ type: 'progress', url, received, total });
    if (total !== null && received !== total)
      throw new AttemptError(`incomplete: ${String(received)} of ${String(total)} bytes`, true);
  } finally {
    clearTimeout(idle);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Downloads to `dest` from the first URL that delivers a file passing every check: resumes a partial
 * transfer with HTTP Range (per URL), retries transient failures with backoff, moves to the next URL on
 * a permanent one or on a file that fails its checks (which is deleted), and renames into place only
 * when the file is verified. A `dest` that already passes the checks is kept as is.
 */
export async function downloadFile(options: DownloadOptions): Promise<{ url: string; reused: boolean }> {
  const { dest } = options;
  const { part, meta } = partPaths(dest);
  const emit = options.onEvent ?? (() => undefined);
  const sleep = options.sleep ?? defaultSleep;
  if ((await sizeOf(dest)) > 0 && (await verifyFile(dest, options)) === undefined) {
    emit({ type: 'done', url: options.urls[0] ?? '', bytes: await sizeOf(dest), reused: true });
    return { url: options.urls[0] ?? '', reused: true };
  }
  const attempts = options.attemptsPerUrl ?? 4;
  const failures: string[] = [];
  // The source a partial transfer came from goes first, so an interrupted download resumes there.
  const resumeFrom = (await sizeOf(part)) > 0 ? (await readMeta(meta))?.url : undefined;
  const order =
    resumeFrom && options.urls.includes(resumeFrom)
      ? [resumeFrom, ...options.urls.filter((url) => url !== resumeFrom)]
      : options.urls;
  for (const url of order) {
    let reason = '';
    for (let attemptNo = 1; attemptNo <= attempts; attemptNo++) {
      if (options.signal?.aborted) throw new InstallCancelledError();
      try {
        await attempt(url, dest, options);
        const problem = await verifyFile(part, options);
        if (problem) {
          // A wrong file never becomes a resume base: gone, and this source is not trusted again.
          await rm(part, { force: true });
          await rm(meta, { force: true });
          reason = problem;
          break;
        }
        await rename(part, dest);
        await rm(meta, { force: true });
        const bytes = await sizeOf(dest);
        emit({ type: 'done', url, bytes, reused: false });
        return { url, reused: false };
      } catch (error) {
        if (error instanceof InstallCancelledError) throw error;
        if (!(error instanceof AttemptError)) throw error;
        reason = error.message;
        if (!error.transient || attemptNo === attempts) break;
        const waitMs = Math.min(30_000, (options.backoffMs ?? 1000) * 2 ** (attemptNo - 1));
        emit({ type: 'retry', url, attempt: attemptNo, waitMs, reason });
        await sleep(waitMs, options.signal);
      }
    }
    failures.push(`${url}: ${reason}`);
    emit({ type: 'mirror_failed', url, reason });
  }
  throw new InstallStepError(
    text(
      `无法下载 ${basename(dest)}：所有下载源都失败了。请检查网络；在中国大陆请在安装向导中选择「国内镜像」，或稍后重试（已下载的部分会保留，下次接着下载）。`,
      `Could not download ${basename(dest)}: every source failed. Check the network; in mainland China choose "China mirrors" in the install wizard, or try again later (what was downloaded is kept and resumed).`,
    ),
    failures.join('\n'),
  );
}

/** Looks up `name` in a SHA256SUMS file (`<hex>  <name>` per line, optional `*` before the name). */
export function parseSha256Sums(content: string, name: string): string | undefined {
  for (const line of content.split(/\r?\n/)) {
    const match = /^([0-9a-f]{64})\s+\*?(.+?)\s*$/i.exec(line);
    if (match?.[2] === name) return match[1]?.toLowerCase();
  }
  return undefined;
}
