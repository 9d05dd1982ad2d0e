import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { downloadFile } from './download.js';
import { TaggerModelManager } from './manager.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
const servers: Server[] = [];
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await temp.cleanup();
});

const payload = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
const sha = createHash('sha256').update(payload).digest('hex');

interface Seen {
  path: string;
  range: string | undefined;
}

/** A Hub-like file server: Range support, X-Linked-Etag/Size, and ways to misbehave. */
async function hub(
  files: Record<string, Buffer>,
  behaviour: { failAll?: number; cutAfter?: number; wrongEtag?: boolean } = {},
): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  let cut = behaviour.cutAfter;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    seen.push({ path, range: req.headers.range });
    if (behaviour.failAll) {
      res.writeHead(behaviour.failAll).end('down');
      return;
    }
    const name = Object.keys(files).find((f) => path.endsWith(`/resolve/main/${f}`));
    const body = name ? files[name] : undefined;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const digest = behaviour.wrongEtag ? '0'.repeat(64) : createHash('sha256').update(body).digest('hex');
    const headers = { 'x-linked-etag': `"${digest}"`, 'x-linked-size': String(body.length) };
    const match = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    const slice = body.subarray(start);
    res.writeHead(match ? 206 : 200, { ...headers, 'content-length': String(slice.length) });
    if (cut !== undefined) {
      // send part of the file, then drop the connection: an interrupted transfer
      res.write(slice.subarray(0, cut));
      cut = undefined;
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end(slice);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, seen };
}

describe('downloadFile', () => {
  it('resumes an interrupted transfer with a Range request and checks the sha256', async () => {
    const { base, seen } = await hub({ 'model.onnx': payload }, { cutAfter: 100_000 });
    const dest = join(temp.dir, '模型 models', 'model.onnx');
    const url = `${base}/o/r/resolve/main/model.onnx`;
    await expect(downloadFile({ urls: [url], dest })).rejects.toMatchObject({ code: 'download_failed' });
    const part = await stat(`${dest}.part`);
    expect(part.size).toBeGreaterThan(0);
    expect(part.size).toBeLessThan(payload.length);
    await expect(stat(dest)).rejects.toThrow();
    const progress: number[] = [];
    const result = await downloadFile({ urls: [url], dest, onProgress: (p) => progress.push(p.received) });
    expect(seen.at(-1)?.range).toBe(`bytes=${String(part.size)}-`);
    expect(result).toMatchObject({ resumed: true, sha256: sha, bytes: payload.length });
    expect((await readFile(dest)).equals(payload)).toBe(true);
    expect(progress.at(-1)).toBe(payload.length);
    expect(await readdir(join(temp.dir, '模型 models'))).toEqual(['model.onnx']);
  });

  it('falls back to the mirror when the first host fails', async () => {
    const down = await hub({}, { failAll: 503 });
    const mirror = await hub({ 'model.onnx': payload });
    const dest = join(temp.dir, 'model.onnx');
    const result = await downloadFile({
      urls: [`${down.base}/o/r/resolve/main/model.onnx`, `${mirror.base}/o/r/resolve/main/model.onnx`],
      dest,
    });
    expect(result.url.startsWith(mirror.base)).toBe(true);
    expect(down.seen).toHaveLength(1);
  });

  it('deletes a file whose checksum does not match', async () => {
    const { base } = await hub({ 'model.onnx': payload }, { wrongEtag: true });
    const dest = join(temp.dir, 'model.onnx');
    await expect(downloadFile({ urls: [`${base}/o/r/resolve/main/model.onnx`], dest })).rejects.toMatchObject(
      {
        code: 'checksum_mismatch',
        message: expect.stringMatching(/校验失败.*checksum/) as string,
      },
    );
    expect(await readdir(temp.dir)).toEqual([]);
  });

  it('says clearly in zh and en when no server can be reached', async () => {
    // two ports that just closed: connections are refused, as when the machine is offline
    const a = await hub({});
    const b = await hub({});
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    const dest = join(temp.dir, 'model.onnx');
    await expect(
      downloadFile({
        urls: [`${a.base}/a/resolve/main/model.onnx`, `${b.base}/b/resolve/main/model.onnx`],
        dest,
      }),
    ).rejects.toMatchObject({
      code: 'offline',
      message: expect.stringMatching(
        /无法连接下载服务器.*hf-mirror\.com.*Cannot reach the download servers/,
      ) as string,
    });
  });
});

describe('TaggerModelManager', () => {
  it('lists known models, downloads one from the mirror into models/taggers/<repo>/, sees local ones', async () => {
    const csv = Buffer.from('tag_id,name,category,count\n1,general,9,1\n');
    const mirror = await hub({ 'model.onnx': payload, 'selected_tags.csv': csv });
    const down = await hub({}, { failAll: 500 });
    const manager = new TaggerModelManager({
      dataDir: temp.dir,
      hosts: { huggingface: down.base, mirror: mirror.base },
    });
    const before = await manager.list();
    expect(before.find((m) => m.id === 'wd-swinv2-v3')).toMatchObject({ state: 'missing', family: 'v3' });
    await expect(manager.requireInstalled('wd-swinv2-v3')).rejects.toMatchObject({ code: 'model_missing' });
    const done: number[] = [];
    const result = await manager.download('wd-swinv2-v3', { onProgress: (p) => done.push(p.done) });
    expect(result.host).toBe(mirror.base);
    expect(mirror.seen.map((s) => s.path)).toEqual([
      '/SmilingWolf/wd-swinv2-tagger-v3/resolve/main/selected_tags.csv',
      '/SmilingWolf/wd-swinv2-tagger-v3/resolve/main/model.onnx',
    ]);
    // the failing host was tried once for the first file, then the working one went first
    expect(down.seen).toHaveLength(1);
    const dir = join(temp.dir, 'models', 'taggers', 'SmilingWolf', 'wd-swinv2-tagger-v3');
    expect((await readdir(dir)).sort()).toEqual(['danlu-model.json', 'model.onnx', 'selected_tags.csv']);
    expect((await manager.requireInstalled('wd-swinv2-v3')).state).toBe('installed');
    expect(done.at(-1)).toBe(payload.length + csv.length);
    await writeFile(join(temp.dir, 'x'), '');
    const localDir = join(temp.dir, 'models', 'taggers', 'local', '我的 tagger');
    await import('node:fs/promises').then((fs) => fs.mkdir(localDir, { recursive: true }));
    await writeFile(join(localDir, 'model.onnx'), 'x');
    await writeFile(join(localDir, 'selected_tags.csv'), csv);
    expect((await manager.list()).find((m) => m.id === 'local/我的 tagger')).toMatchObject({
      family: 'local',
      state: 'installed',
    });
    await expect(manager.find('nope')).rejects.toMatchObject({ code: 'unknown_model' });
  });
});
