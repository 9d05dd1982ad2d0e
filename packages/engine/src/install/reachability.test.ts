import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { deadUrl, startFileServer, type FileServer } from '../testing/fileServer.js';
import { checkReachability, checkSource, suggestMirror, type SourceCheck } from './reachability.js';

let server: FileServer;
beforeEach(async () => {
  server = await startFileServer();
});
afterEach(() => server.close());

async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const silent = createServer(() => undefined); // accepts, never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/`,
    close: () =>
      new Promise((resolve) => {
        silent.closeAllConnections();
        silent.close(() => {
          resolve();
        });
      }),
  };
}

describe('checkSource', () => {
  it('tells a reachable source from a refused, a failing and a silent one', async () => {
    server.routes.set('/simple/pip/', { body: Buffer.from('<html></html>') });
    server.routes.set('/down', { body: Buffer.alloc(0), status: 502 });
    const silent = await silentServer();
    try {
      const [ok, refused, failing, timeout] = await Promise.all([
        checkSource('pypi', server.url('/simple/pip/')),
        checkSource('github', await deadUrl('/')),
        checkSource('torch', server.url('/down')),
        checkSource('hf', silent.url, { timeoutMs: 300 }),
      ]);
      expect(ok).toMatchObject({ ok: true, status: 200 });
      expect(ok.ms).toBeGreaterThanOrEqual(0);
      expect(server.requests[0]?.method).toBe('HEAD');
      expect(refused).toMatchObject({ ok: false, status: null, error: 'ECONNREFUSED' });
      expect(failing).toMatchObject({ ok: false, status: 502 });
      expect(timeout).toMatchObject({ ok: false, error: 'timeout' });
    } finally {
      await silent.close();
    }
  });

  it('falls back to a one-byte GET where HEAD is not allowed', async () => {
    const strict = createServer((request, response) => {
      response.writeHead(request.method === 'HEAD' ? 405 : 206);
      response.end(request.method === 'HEAD' ? '' : 'x');
    });
    await new Promise<void>((resolve) => strict.listen(0, '127.0.0.1', resolve));
    const { port } = strict.address() as AddressInfo;
    try {
      expect(await checkSource('x', `http://127.0.0.1:${String(port)}/`)).toMatchObject({
        ok: true,
        status: 206,
      });
    } finally {
      strict.close();
    }
  });
});

describe('suggestMirror', () => {
  const check = (ok: boolean, ms: number | null = 100): SourceCheck => ({
    id: 'x',
    url: 'u',
    ok,
    status: ok ? 200 : null,
    ms,
  });
  it('suggests China mirrors only when an official source fails or crawls and the mirrors answer', () => {
    expect(suggestMirror([check(true), check(true)], [check(true)])).toBe('official');
    expect(suggestMirror([check(true), check(false)], [check(true), check(true)])).toBe('cn');
    expect(suggestMirror([check(true, 4000)], [check(true)])).toBe('cn');
    expect(suggestMirror([check(false)], [check(false), check(false)])).toBe('official');
  });

  it('runs both lists against given sources', async () => {
    server.routes.set('/ok', { body: Buffer.from('ok') });
    const report = await checkReachability({
      sources: {
        official: [{ id: 'pypi', url: await deadUrl('/') }],
        cn: [{ id: 'pypi', url: server.url('/ok') }],
      },
    });
    expect(report.suggestion).toBe('cn');
    expect(report.cn[0]?.ok).toBe(true);
  });
});
