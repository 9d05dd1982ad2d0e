import path from 'node:path';

/** The parts of `node:path` the resolver needs; tests pass `path.win32` to check Windows rules on Linux. */
export type PathApi = Pick<typeof path, 'resolve' | 'relative' | 'isAbsolute'>;

const windowsDeviceName = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

function isSafeSegment(segment: string): boolean {
  // `.`/`..` and dotfiles never name a UI file. Windows drops trailing dots and spaces (`.. ` is `..`)
  // and maps device names (`NUL`, `COM1.txt`) to devices in every folder, so those are refused as well.
  if (segment.startsWith('.') || segment.endsWith('.') || segment.endsWith(' ')) return false;
  return !windowsDeviceName.test(segment);
}

/**
 * Maps the path of an `app://danlu/…` request to a file inside `root`, or undefined when the request
 * could reach anything else: `..` (also percent-encoded as `%2e%2e` or `%2E%2E`), encoded slashes,
 * backslashes, drive letters and NTFS streams (`:`), NUL bytes, malformed escapes. Directory requests
 * get their index.html. Whether the file exists is the caller's business.
 */
export function resolveAppFile(root: string, pathname: string, paths: PathApi = path): string | undefined {
  if (!pathname.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (/[\0\\:]/.test(decoded)) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (!segments.every(isSafeSegment)) return undefined;
  if (segments.length === 0 || decoded.endsWith('/')) segments.push('index.html');

  const base = paths.resolve(root);
  const file = paths.resolve(base, ...segments);
  const inside = paths.relative(base, file);
  if (inside === '' || inside.startsWith('..') || paths.isAbsolute(inside)) return undefined;
  return file;
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** Content type by extension; unknown files are served as opaque bytes (with `nosniff`). */
export function contentTypeFor(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** True for a path that looks like a client-side route (no extension), which gets index.html. */
export function isAppRoute(pathname: string): boolean {
  const last = pathname.split('/').pop() ?? '';
  return !last.includes('.');
}

/** Headers on every response of the app scheme, errors included. */
export function appResponseHeaders(csp: string, contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

/** Shown instead of a blank window when apps/web has not been built (development only). */
export function missingUiPage(webRoot: string): string {
  const escaped = webRoot.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>丹炉 Danlu</title>
<style>body{font:15px/1.6 system-ui,sans-serif;margin:3rem;color:#222}code{background:#eee;padding:0 .3em}</style>
</head><body>
<h1>界面尚未构建 · The UI is not built yet</h1>
<p>请先运行 <code>pnpm --filter @danlu/web build</code>，然后重新启动。</p>
<p>Run <code>pnpm --filter @danlu/web build</code>, then start Danlu again.</p>
<p>查找位置 / Looked in: <code>${escaped}</code></p>
</body></html>`;
}
