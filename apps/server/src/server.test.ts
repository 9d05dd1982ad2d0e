import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { createBackend, type Backend } from '@danlu/backend';
import type { GpuReport, ServerFrame } from '@danlu/contracts';
import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { resolveStaticPath } from './staticFiles.js';
import { startDanluServer, type RunningServer } from './server.js';
import { rawRequest } from './testing.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let backend: Backend;
let webRoot: string;
const running: RunningServer[] = [];

const noGpu = (): Promise<GpuReport> =>
  Promise.resolve({ gpus: [], source: 'none', checkedAt: new Date().toISOString() });

beforeEach(async () => {
  temp = await makeTempDir();
  backend = await createBackend({ dataDir: join(temp.dir, 'data'), transport: 'server', queryGpus: noGpu });
  webRoot = join(temp.dir, 'web');
  await mkdir(join(webRoot, 'assets'), { recursive: true });
  await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>Danlu test page</title>');
  await writeFile(join(webRoot, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(temp.dir, 'secret.txt'), 'outside the web root');
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  await temp.cleanup();
});

async function start(options: { host?: string; token?: string; port?: number } = {}): Promise<RunningServer> {
  const server = await startDanluServer({ backend, webRoot, port: 0, ...options });
  running.push(server);
  return server;
}

function rpc(port: number, method: string, body: unknown, headers: Record<string, string> = {}) {
  return rawRequest({
    port,
    path: `/api/rpc/${method}`,
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      resolve(socket);
    });
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`));
    });
    socket.once('error', reject);
  });
}

function nextFrame(socket: WebSocket, predicate: (frame: ServerFrame) => boolean): Promise<ServerFrame> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (predicate(frame)) {
        socket.off('message', onMessage);
        resolve(frame);
      }
    };
    socket.on('message', onMessage);
  });
}

describe('danlu server on loopback', () => {
  it('serves the UI with a strict CSP and answers API calls', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.token).toBeUndefined();

    const page = await rawRequest({ port: server.port, path: '/' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Danlu test page');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    const spaRoute = await rawRequest({ port: server.port, path: '/settings' });
    expect(spaRoute.body).toContain('Danlu test page');

    const info = await rpc(server.port, 'app.info', {});
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ ok: true, data: { name: 'Danlu', transport: 'server' } });
  });

  it('answers malformed calls with bad_request and keeps running', async () => {
    const server = await start();
    for (const [method, body] of [
      ['no.such.method', {}],
      ['settings.set', { language: 42 }],
      ['settings.set', '{"language": "en"'],
    ] as const) {
      const response = await rpc(server.port, method, body);
      expect(response.status, method).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    const big = await rpc(
      server.port,
      'settings.set',
      JSON.stringify({ language: 'x'.repeat(2 * 1024 * 1024) }),
    );
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((await rpc(server.port, 'settings.get', {})).status).toBe(200);
  });

  it('refuses foreign Host headers (DNS rebinding) and foreign origins', async () => {
    const server = await start();
    const rebound = await rawRequest({
      port: server.port,
      path: '/',
      headers: { Host: `evil.example:${server.port}` },
    });
    expect(rebound.status).toBe(421);
    const wrongPort = await rawRequest({ port: server.port, path: '/', headers: { Host: `127.0.0.1:1` } });
    expect(wrongPort.status).toBe(421);
    const foreign = await rpc(
      server.port,
      'settings.set',
      { theme: 'dark' },
      { Origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    const sameOrigin = await rpc(
      server.port,
      'settings.get',
      {},
      { Origin: `http://127.0.0.1:${server.port}` },
    );
    expect(sameOrigin.status).toBe(200);
    const localhostName = await rawRequest({
      port: server.port,
      path: '/',
      headers: { Host: `localhost:${server.port}` },
    });
    expect(localhostName.status).toBe(200);
    const formPost = await rpc(server.port, 'settings.set', 'theme=dark', { 'Content-Type': 'text/plain' });
    expect(formPost.status).toBe(415);
  });

  it('never serves files outside the UI folder', async () => {
    const server = await start();
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%00index.html',
    ]) {
      const response = await rawRequest({ port: server.port, path });
      expect(response.body, path).not.toContain('outside the web root');
    }
    expect(resolveStaticPath(webRoot, '/../secret.txt')).toBe(join(webRoot, 'secret.txt'));
    expect(resolveStaticPath(webRoot, '/a\\..\\..\\secret.txt')).toBeUndefined();
  });

  it('carries calls and pushes events over the WebSocket', async () => {
    const server = await start();
    const socket = await openSocket(`ws://127.0.0.1:${server.port}/api/ws`, {
      Origin: `http://127.0.0.1:${server.port}`,
    });
    const changed = nextFrame(
      socket,
      (frame) => frame.type === 'event' && frame.event === 'settings.changed',
    );
    const answered = nextFrame(socket, (frame) => frame.type === 'result' && frame.id === 7);
    socket.send(JSON.stringify({ type: 'call', id: 7, method: 'settings.set', input: { language: 'en' } }));
    expect(await answered).toMatchObject({ result: { ok: true, data: { language: 'en' } } });
    expect(await changed).toMatchObject({ payload: { language: 'en' } });

    const bad = nextFrame(socket, (frame) => frame.type === 'result' && frame.id === 8);
    socket.send(JSON.stringify({ type: 'call', id: 8, method: 'settings.set', input: { theme: 'neon' } }));
    expect(await bad).toMatchObject({ result: { ok: false, error: { code: 'bad_request' } } });
    socket.send('not json at all');
    const stillAlive = nextFrame(socket, (frame) => frame.type === 'result' && frame.id === 9);
    socket.send(JSON.stringify({ type: 'call', id: 9, method: 'app.info', input: {} }));
    expect(await stillAlive).toMatchObject({ result: { ok: true } });
    socket.close();
  });

  it('refuses a WebSocket opened by a foreign page', async () => {
    const server = await start();
    await expect(
      openSocket(`ws://127.0.0.1:${server.port}/api/ws`, { Origin: 'https://evil.example' }),
    ).rejects.toThrow('403');
  });

  it('moves to the next free port when the requested one is taken, and says so', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const server = await start({ port: taken });
      expect(server.busyPorts).toEqual([taken]);
      expect(server.port).toBeGreaterThan(taken);
      expect((await rawRequest({ port: server.port, path: '/api/health' })).status).toBe(200);
    } finally {
      blocker.close();
    }
  });
});

describe('danlu server beyond loopback', () => {
  it('requires the token, leaks nothing without it, and remembers it in a cookie', async () => {
    const server = await start({ host: '0.0.0.0' });
    expect(server.token).toMatch(/^[\w-]{32}$/);
    expect(server.openUrl).toContain(`?token=${server.token}`);

    const anonymous = await rawRequest({ port: server.port, path: '/' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toBe('Unauthorized');
    expect((await rpc(server.port, 'app.info', {})).status).toBe(401);
    expect((await rawRequest({ port: server.port, path: '/?token=wrong' })).status).toBe(401);
    await expect(openSocket(`ws://127.0.0.1:${server.port}/api/ws`)).rejects.toThrow('401');

    const withToken = await rawRequest({ port: server.port, path: `/?token=${server.token!}` });
    expect(withToken.status).toBe(200);
    const cookie = String(withToken.headers['set-cookie']).split(';')[0]!;
    expect(String(withToken.headers['set-cookie'])).toContain('HttpOnly');

    expect((await rpc(server.port, 'app.info', {}, { Cookie: cookie })).status).toBe(200);
    expect(
      (await rpc(server.port, 'app.info', {}, { Authorization: `Bearer ${server.token!}` })).status,
    ).toBe(200);
    const socket = await openSocket(`ws://127.0.0.1:${server.port}/api/ws`, { Cookie: cookie });
    socket.close();
  });

  it('accepts the host name a cloud proxy forwards, as long as the token is right', async () => {
    const server = await start({ host: '0.0.0.0', token: 'a-token-long-enough-123' });
    const proxied = await rawRequest({
      port: server.port,
      path: '/api/health',
      headers: { Host: 'u123-abcd.gpu-cloud.example', Authorization: 'Bearer a-token-long-enough-123' },
    });
    expect(proxied.status).toBe(200);
  });
});
