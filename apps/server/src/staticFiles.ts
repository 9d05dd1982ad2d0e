import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

import { contentSecurityPolicy } from '@danlu/contracts';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // The token may sit in the page URL; never pass it on to another site.
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * Maps a URL path to a file inside `root`, or undefined when it would step outside (`..`, encoded
 * separators, NUL). Directory requests and unknown routes fall back to index.html (a single-page app).
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const base = resolve(root);
  const target = resolve(join(base, normalize(decoded)));
  if (target !== base && !target.startsWith(base + sep)) return undefined;
  return target;
}

export async function serveStatic(
  root: string,
  urlPath: string,
  response: ServerResponse,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const candidate = resolveStaticPath(root, urlPath);
  if (!candidate) {
    response.writeHead(400, securityHeaders).end('Bad path');
    return;
  }
  let file = candidate;
  let info = await stat(file).catch(() => undefined);
  // Unknown paths without an extension are app routes: answer with the app.
  if (!info?.isFile() && extname(urlPath) === '') {
    file = join(root, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) {
    response
      .writeHead(404, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' })
      .end('Not found');
    return;
  }
  const type = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const isHtml = type.startsWith('text/html');
  response.writeHead(200, {
    ...securityHeaders,
    ...extraHeaders,
    'Content-Type': type,
    'Content-Length': String(info.size),
    // Hashed assets can be cached; the page itself must always be fresh.
    'Cache-Control':
      isHtml || !urlPath.startsWith('/assets/') ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  createReadStream(file).pipe(response);
}
