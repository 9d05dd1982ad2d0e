import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { protocol } from 'electron';

import { appResponseHeaders, contentTypeFor, isAppRoute, missingUiPage, resolveAppFile } from './appFiles.js';
import { productionCsp } from './csp.js';
import { appHost, appScheme } from './origin.js';

/**
 * Must run before `app` is ready. `standard` gives the scheme real origins and relative URLs, `secure`
 * makes it a secure context like https. No `corsEnabled` and no `bypassCSP`: other origins cannot
 * fetch from it and our CSP always applies.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: appScheme,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

const textType = 'text/plain; charset=utf-8';

function reply(status: number, body: string | Uint8Array<ArrayBuffer> | null, contentType: string): Response {
  return new Response(body, { status, headers: appResponseHeaders(productionCsp, contentType) });
}

async function readIfFile(file: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

async function answer(webRoot: string, request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.host.toLowerCase() !== appHost) return reply(404, 'Not found', textType);
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return reply(405, 'Method not allowed', textType);

  const file = resolveAppFile(webRoot, url.pathname);
  if (file === undefined) return reply(400, 'Bad path', textType);

  const head = request.method === 'HEAD';
  let served = file;
  let body = await readIfFile(file);
  // Unknown paths without an extension are client-side routes: answer with the app itself.
  if (body === undefined && isAppRoute(url.pathname)) {
    served = path.join(webRoot, 'index.html');
    body = await readIfFile(served);
    if (body === undefined)
      return reply(503, head ? null : missingUiPage(webRoot), 'text/html; charset=utf-8');
  }
  if (body === undefined) return reply(404, head ? null : 'Not found', textType);
  return reply(200, head ? null : body, contentTypeFor(served));
}

/**
 * Serves the built web UI from `webRoot` on `app://danlu/`. Read-only (GET/HEAD), one host, every path
 * checked by {@link resolveAppFile}, and the CSP header on every answer, errors included.
 * `fs.readFile` reads inside app.asar when packaged.
 */
export function serveAppFiles(webRoot: string): void {
  protocol.handle(appScheme, async (request) => {
    try {
      return await answer(webRoot, request);
    } catch (error) {
      console.error('[danlu] app:// request failed:', request.url, error);
      return reply(500, 'Internal error', textType);
    }
  });
}
