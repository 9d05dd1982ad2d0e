import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { deadUrl, startFileServer, type FileServer } from '../testing/fileServer.js';
import { makeTarGz } from '../testing/tar.js';
import {
  downloadFile,
  InstallCancelledError,
  InstallStepError,
  parseSha256Sums,
  type DownloadEvent,
} from './download.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let server: FileServer;
beforeEach(async () => {
  temp = await makeTempDir('download');
  server = await startFileServer();
});
afterEach(async () => {
  await server.close();
  await temp.cleanup();
});

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const fast = { backoffMs: 1, attemptsPerUrl: 3, idleTimeoutMs: 2000 };

describe('downloadFile', () => {
  it('falls back past a dead mirror and an HTML page, and checks size + sha256', async () => {
    const archive = makeTarGz([{ path: 'python/bin/python3', content: 'x'.repeat(5000) }]);
    server.routes.set('/mirror/python.tar.gz', { body: archive, html: true });
    server.routes.set('/official/python.tar.gz', { body: archive });
    const dest = join(temp.dir, '下载 downloads', 'python.tar.gz');
    const events: DownloadEvent[] = [];
    const result = await downloadFile({
      urls: [
        await deadUrl('/python.tar.gz'),
        server.url('/mirror/python.tar.gz'),
        server.url('/official/python.tar.gz'),
      ],
      dest,
      sha256: sha(archive),
      magic: 'gzip',
      ...fast,
      onEvent: (event) => events.push(event),
    });
    expect(result.url).toBe(server.url('/official/python.tar.gz'));
    expect(sha(await readFile(dest))).toBe(sha(archive));
    const failed = events.filter((event) => event.type === 'mirror_failed');
    expect(failed.map((event) => event.reason)).toEqual([
      expect.stringMatching(/cannot connect/),
      expect.stringMatching(/HTML/),
    ]);
    // The dead mirror was retried with backoff before giving up on it.
    expect(events.filter((event) => event.type === 'retry')).toHaveLength(2);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('discards a file whose checksum is wrong and takes the next mirror', async () => {
    const good = randomBytes(40_000);
    const bad = Buffer.from(good);
    bad[100] = (bad[100] ?? 0) ^ 0xff;
    server.routes.set('/a/f.bin', { body: bad });
    server.routes.set('/b/f.bin', { body: good });
    const dest = join(temp.dir, 'f.bin');
    const events: DownloadEvent[] = [];
    await downloadFile({
      urls: [server.url('/a/f.bin'), server.url('/b/f.bin')],
      dest,
      sha256: sha(good),
      ...fast,
      onEvent: (event) => events.push(event),
    });
    expect(sha(await readFile(dest))).toBe(sha(good));
    expect(events.find((event) => event.type === 'mirror_failed')).toMatchObject({
      url: server.url('/a/f.bin'),
      reason: expect.stringMatching(/sha256 .* does not match/) as unknown,
    });
    // The wrong file was not used as the start of a resumed transfer from the next mirror.
    expect(server.requests.filter((request) => request.path === '/b/f.bin')[0]?.range).toBeUndefined();
  });

  it('resumes an interrupted transfer with a Range request', async () => {
    const body = randomBytes(300_000);
    server.routes.set('/big.bin', { body, cut: 120_000 });
    const dest = join(temp.dir, 'big.bin');
    await downloadFile({ urls: [server.url('/big.bin')], dest, sha256: sha(body), ...fast });
    expect(sha(await readFile(dest))).toBe(sha(body));
    const gets = server.requests.filter((request) => request.path === '/big.bin');
    expect(gets).toHaveLength(2);
    expect(gets[0]?.range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(gets[1]?.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(120_000);
    expect(gets[1]?.ifRange).toBe('"v1"');
  });

  it('starts over when the server ignores Range, and when the file changed (If-Range)', async () => {
    const body = randomBytes(50_000);
    const dest = join(temp.dir, 'n.bin');
    await writeFile(`${dest}.part`, body.subarray(0, 10_000));
    await writeFile(`${dest}.part.json`, JSON.stringify({ url: server.url('/n.bin'), etag: '"old"' }));
    server.routes.set('/n.bin', { body });
    await downloadFile({ urls: [server.url('/n.bin')], dest, sha256: sha(body), ...fast });
    expect(sha(await readFile(dest))).toBe(sha(body));
    expect(server.requests[0]).toMatchObject({ range: 'bytes=10000-', ifRange: '"old"' });
  });

  it('cancels cleanly, keeps the part, and a new call resumes it', async () => {
    const body = randomBytes(200_000);
    server.routes.set('/slow.bin', { body, drip: { bytesPerTick: 16_384, tickMs: 20 } });
    const dest = join(temp.dir, 'slow.bin');
    const controller = new AbortController();
    const first = downloadFile({
      urls: [server.url('/slow.bin')],
      dest,
      sha256: sha(body),
      ...fast,
      signal: controller.signal,
    });
    // About a third of the way through (the whole transfer takes ~250 ms at this rate).
    setTimeout(() => {
      controller.abort();
    }, 90);
    await expect(first).rejects.toBeInstanceOf(InstallCancelledError);
    const kept = (await stat(`${dest}.part`)).size;
    expect(kept).toBeGreaterThan(0);
    expect(existsSync(dest)).toBe(false);

    server.routes.set('/slow.bin', { body });
    await downloadFile({ urls: [server.url('/slow.bin')], dest, sha256: sha(body), ...fast });
    expect(sha(await readFile(dest))).toBe(sha(body));
    expect(server.requests.at(-1)?.range).toBe(`bytes=${String(kept)}-`);
  });

  it('keeps a finished, verified file without downloading again', async () => {
    const body = randomBytes(1000);
    const dest = join(temp.dir, 'done.bin');
    await writeFile(dest, body);
    const result = await downloadFile({ urls: [server.url('/nothing')], dest, sha256: sha(body) });
    expect(result.reused).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('explains in both languages when every source failed, naming each', async () => {
    server.routes.set('/gone', { body: Buffer.alloc(0), status: 404 });
    server.routes.set('/broken', { body: Buffer.alloc(0), status: 503 });
    const error = await downloadFile({
      urls: [server.url('/gone'), server.url('/broken')],
      dest: join(temp.dir, 'x.tar.gz'),
      ...fast,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InstallStepError);
    const step = error as InstallStepError;
    expect(step.explanation.zh).toContain('国内镜像');
    expect(step.explanation.en).toContain('every source failed');
    expect(step.message).toContain('HTTP 404');
    expect(step.message).toContain('HTTP 503');
    // 404 is permanent (one request); 503 is transient (retried).
    expect(server.requests.filter((request) => request.path === '/gone')).toHaveLength(1);
    expect(server.requests.filter((request) => request.path === '/broken')).toHaveLength(3);
  });
});

describe('parseSha256Sums', () => {
  it('finds the digest by file name, with or without the binary marker', () => {
    const a = 'a'.repeat(64);
    const b = 'B'.repeat(64);
    const sums = `${a}  cpython-3.10.16+20250317-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz\n${b} *other.zip\r\n`;
    expect(
      parseSha256Sums(sums, 'cpython-3.10.16+20250317-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz'),
    ).toBe(a);
    expect(parseSha256Sums(sums, 'other.zip')).toBe('b'.repeat(64));
    expect(parseSha256Sums(sums, 'missing.tar.gz')).toBeUndefined();
  });
});
