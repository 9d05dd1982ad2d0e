import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Backend } from '@danlu/backend';
import { serverPaths, type ApiResult } from '@danlu/contracts';
import { WebSocketServer } from 'ws';

import { listenWithFallback } from './listen.js';
import {
  checkHostAndOrigin,
  isAuthorized,
  isLoopbackHost,
  presentedToken,
  tokenCookieHeader,
  type AccessPolicy,
} from './security.js';
import { securityHeaders, serveStatic } from './staticFiles.js';
import { attachApiSocket, maxFrameBytes } from './websocketApi.js';

export interface ServerOptions {
  backend: Backend;
  host?: string;
  port?: number;
  /** Required beyond loopback; generated when not given. Ignored (no token) on loopback unless set. */
  token?: string;
  /** Folder with the built UI (apps/web/dist). */
  webRoot?: string;
}

export interface RunningServer {
  url: string;
  /** The URL to open: includes the token when one is needed. */
  openUrl: string;
  host: string;
  port: number;
  requestedPort: number;
  busyPorts: number[];
  token: string | undefined;
  webRootFound: boolean;
  close(): Promise<void>;
}

export const defaultPort = 4756;

export function defaultWebRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response
    .writeHead(status, {
      ...securityHeaders,
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    })
    .end(JSON.stringify(body));
}

function statusFor(result: ApiResult<unknown>): number {
  if (result.ok) return 200;
  switch (result.error.code) {
    case 'bad_request':
      return 400;
    case 'not_found':
      return 404;
    default:
      return 500;
  }
}

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Keep draining (not destroying) so the client still receives the answer.
        chunks.length = 0;
        reject(new Error('too_large'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      resolveBody(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}

const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>Danlu</title>
<body style="font-family: system-ui, 'Microsoft YaHei', sans-serif; padding: 2rem">
<h1>丹炉 Danlu</h1>
<p>界面尚未构建。请在仓库根目录运行 <code>pnpm --filter @danlu/web build</code>，然后刷新本页。</p>
<p>The UI has not been built yet. Run <code>pnpm --filter @danlu/web build</code> in the repository, then reload.</p>`;

/**
 * Headless Danlu: the built UI and the same API the desktop app uses, over HTTP + WebSocket.
 * Loopback by default; anything wider requires the token.
 */
export async function startDanluServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? defaultPort;
  const loopbackOnly = isLoopbackHost(host);
  const token = options.token ?? (loopbackOnly ? undefined : randomBytes(24).toString('base64url'));
  const webRoot = options.webRoot ?? defaultWebRoot();
  const webRootFound = existsSync(join(webRoot, 'index.html'));
  const policy: AccessPolicy = { port: requestedPort, loopbackOnly, token };

  const rejectRequest = (
    request: IncomingMessage,
    url: URL,
  ): { status: number; text: string } | undefined => {
    const origin = checkHostAndOrigin(request, policy);
    if (origin === 'bad_host') return { status: 421, text: 'Misdirected request' };
    if (origin === 'bad_origin') return { status: 403, text: 'Forbidden' };
    if (!isAuthorized(request, url, policy)) return { status: 401, text: 'Unauthorized' };
    return undefined;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const refusal = rejectRequest(request, url);
    if (refusal) {
      response
        .writeHead(refusal.status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' })
        .end(refusal.text);
      return;
    }

    if (url.pathname === serverPaths.health) {
      json(response, 200, { ok: true });
      return;
    }

    if (url.pathname.startsWith(serverPaths.rpcPrefix)) {
      if (request.method !== 'POST') {
        response.writeHead(405, { ...securityHeaders, Allow: 'POST' }).end();
        return;
      }
      // A form post from another site cannot send JSON with this type without a CORS preflight we never grant.
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
        json(response, 415, {
          ok: false,
          error: { code: 'bad_request', message: 'Content-Type must be application/json' },
        });
        return;
      }
      let input: unknown;
      try {
        const body = await readBody(request, maxFrameBytes);
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch (error) {
        const tooLarge = error instanceof Error && error.message === 'too_large';
        if (tooLarge) response.setHeader('Connection', 'close');
        json(response, tooLarge ? 413 : 400, {
          ok: false,
          error: {
            code: 'bad_request',
            message: tooLarge ? 'Request body too large' : 'Body is not valid JSON',
          },
        });
        return;
      }
      const method = decodeURIComponent(url.pathname.slice(serverPaths.rpcPrefix.length));
      const result = await options.backend.dispatch(method, input);
      json(response, statusFor(result), result);
      return;
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...securityHeaders, Allow: 'GET, HEAD' }).end();
      return;
    }
    if (!webRootFound && (url.pathname === '/' || url.pathname === '/index.html')) {
      response
        .writeHead(503, { ...securityHeaders, 'Content-Type': 'text/html; charset=utf-8' })
        .end(notBuiltPage);
      return;
    }
    // A visit with ?token= leaves a cookie, so reloads and the WebSocket work without it.
    const { fromQuery } = presentedToken(request, url);
    const extra: Record<string, string> =
      token && fromQuery ? { 'Set-Cookie': tokenCookieHeader(token) } : {};
    await serveStatic(webRoot, url.pathname, response, extra);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, securityHeaders);
      response.end();
    });
  });
  // Slow-loris and idle sockets must not pile up on an exposed box.
  server.headersTimeout = 15_000;
  server.requestTimeout = 60_000;

  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const refusal =
      url.pathname === serverPaths.websocket
        ? rejectRequest(request, url)
        : { status: 404, text: 'Not found' };
    if (refusal) {
      socket.end(
        `HTTP/1.1 ${refusal.status} ${refusal.text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      attachApiSocket(ws, options.backend);
    });
  });

  const { port, busy } = await listenWithFallback(server, host, requestedPort);
  policy.port = port;

  const displayHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${displayHost}:${port}/`;
  const openUrl = token ? `${url}?token=${encodeURIComponent(token)}` : url;

  return {
    url,
    openUrl,
    host,
    port,
    requestedPort,
    busyPorts: busy,
    token,
    webRootFound,
    close: () =>
      new Promise((resolveClose) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => {
          resolveClose();
        });
      }),
  };
}
