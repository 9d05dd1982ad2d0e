import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How a route misbehaves: `cut` sends that many bytes of the first full answer and drops the
 * connection; `html` answers 200 with an error page instead of the file (a broken mirror); `status`
 * answers with that code; `drip` sends the body slowly (for cancellation); `noRange` ignores Range.
 */
export interface Route {
  body: Buffer;
  cut?: number;
  html?: boolean;
  status?: number;
  drip?: { bytesPerTick: number; tickMs: number };
  noRange?: boolean;
  etag?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  range: string | undefined;
  ifRange: string | undefined;
}

export interface FileServer {
  url: (path: string) => string;
  routes: Map<string, Route>;
  requests: RecordedRequest[];
  close: () => Promise<void>;
}

function serve(route: Route, request: IncomingMessage, response: ServerResponse, cutDone: Set<Route>) {
  if (route.status) {
    response.writeHead(route.status, { 'Content-Type': 'text/plain' });
    response.end('no');
    return;
  }
  if (route.html) {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><html><body>404 — mirror page</body></html>');
    return;
  }
  const total = route.body.length;
  const etag = route.etag ?? '"v1"';
  const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const ifRange = request.headers['if-range'];
  let start = 0;
  if (range?.[1] && !route.noRange && (ifRange === undefined || ifRange === etag)) {
    start = Number(range[1]);
    if (start >= total) {
      response.writeHead(416, { 'Content-Range': `bytes */${String(total)}` });
      response.end();
      return;
    }
    response.writeHead(206, {
      'Content-Length': String(total - start),
      'Content-Range': `bytes ${String(start)}-${String(total - 1)}/${String(total)}`,
      ETag: etag,
      'Accept-Ranges': 'bytes',
    });
  } else {
    response.writeHead(200, { 'Content-Length': String(total), ETag: etag, 'Accept-Ranges': 'bytes' });
  }
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const body = route.body.subarray(start);
  if (route.cut !== undefined && !cutDone.has(route) && start === 0) {
    cutDone.add(route);
    response.write(body.subarray(0, route.cut), () => {
      // Let the bytes leave before the connection drops, like a real interrupted transfer.
      setTimeout(() => response.socket?.destroy(), 20);
    });
    return;
  }
  if (route.drip) {
    const { bytesPerTick, tickMs } = route.drip;
    let offset = 0;
    const timer = setInterval(() => {
      if (response.destroyed) {
        clearInterval(timer);
        return;
      }
      const next = body.subarray(offset, offset + bytesPerTick);
      offset += next.length;
      if (offset >= body.length) {
        clearInterval(timer);
        response.end(next);
      } else response.write(next);
    }, tickMs);
    response.on('close', () => {
      clearInterval(timer);
    });
    return;
  }
  response.end(body);
}

/** A local HTTP file server on 127.0.0.1 with Range support and the failure modes a mirror has. */
export async function startFileServer(): Promise<FileServer> {
  const routes = new Map<string, Route>();
  const requests: RecordedRequest[] = [];
  const cutDone = new Set<Route>();
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    requests.push({
      method: request.method ?? 'GET',
      path,
      range: request.headers.range,
      ifRange: String(request.headers['if-range'] ?? '') || undefined,
    });
    const route = routes.get(path);
    if (!route) {
      response.writeHead(404);
      response.end('not found');
      return;
    }
    serve(route, request, response, cutDone);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${String(port)}${path}`,
    routes,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (a dead mirror): connections are refused at once. */
export async function deadUrl(path: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return `http://127.0.0.1:${String(port)}${path}`;
}
