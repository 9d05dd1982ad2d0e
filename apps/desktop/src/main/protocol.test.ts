import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { productionCsp } from './csp.js';

type Handler = (request: Request) => Promise<Response>;
const electron = vi.hoisted(() => ({
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  privileged: [] as unknown[],
}));

vi.mock('electron', () => ({
  protocol: {
    handle: (scheme: string, handler: Handler) => electron.handlers.set(scheme, handler),
    registerSchemesAsPrivileged: (schemes: unknown[]) => electron.privileged.push(...schemes),
  },
}));

const { registerAppScheme, serveAppFiles } = await import('./protocol.js');

let base: string;
let webRoot: string;

async function get(url: string, method = 'GET'): Promise<Response> {
  const handler = electron.handlers.get('app');
  if (!handler) throw new Error('app: is not handled');
  return handler(new Request(url, { method }));
}

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'danlu-protocol-'));
  webRoot = path.join(base, 'web');
  await mkdir(path.join(webRoot, 'assets'), { recursive: true });
  await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>Danlu</title>');
  await writeFile(path.join(webRoot, 'assets', 'index-1.js'), 'console.log(1)');
  await writeFile(path.join(base, 'secret.txt'), 'SECRET');
  serveAppFiles(webRoot);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('registerAppScheme', () => {
  it('registers app: as a standard, secure scheme without CORS or CSP bypass', () => {
    registerAppScheme();
    expect(electron.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
  });
});

describe('the app: protocol handler', () => {
  it('serves the UI with its content type and the CSP', async () => {
    const page = await get('app://danlu/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(productionCsp);
    expect(await page.text()).toContain('<title>Danlu</title>');

    const script = await get('app://danlu/assets/index-1.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('answers client-side routes with index.html and missing assets with 404', async () => {
    expect(await (await get('app://danlu/runs/42')).text()).toContain('<title>Danlu</title>');
    const missing = await get('app://danlu/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(productionCsp);
  });

  it('never serves a file outside the web root', async () => {
    for (const url of [
      'app://danlu/../secret.txt',
      'app://danlu/%2e%2e/secret.txt',
      'app://danlu/assets/..%2f..%2fsecret.txt',
      'app://danlu/..%2fsecret.txt',
      'app://danlu/..%5csecret.txt',
      'app://danlu/%2E%2E%2Fsecret.txt',
    ]) {
      const response = await get(url);
      expect(await response.text(), url).not.toContain('SECRET');
      expect([400, 404], url).toContain(response.status);
      expect(response.headers.get('content-security-policy'), url).toBe(productionCsp);
    }
  });

  it('answers only our host and only GET/HEAD', async () => {
    expect((await get('app://evil/index.html')).status).toBe(404);
    const post = await get('app://danlu/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(productionCsp);
    const head = await get('app://danlu/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('without a built UI', () => {
  it('explains how to build it instead of showing a blank window', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'danlu-protocol-empty-'));
    try {
      serveAppFiles(empty);
      const response = await get('app://danlu/');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-security-policy')).toBe(productionCsp);
      expect(await response.text()).toContain('pnpm --filter @danlu/web build');
    } finally {
      serveAppFiles(webRoot);
      await rm(empty, { recursive: true, force: true });
    }
  });
});
