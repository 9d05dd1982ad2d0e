/**
 * Where the UI lives inside the app. A privileged standard scheme gives the page a real origin
 * (`app://danlu`), so `'self'` in the CSP, relative URLs and same-origin checks work as on the web,
 * without `file://` (which would make every local file the same origin).
 */
export const appScheme = 'app';
export const appHost = 'danlu';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

const schemesWithOrigin = new Set([`${appScheme}:`, 'http:', 'https:']);

/**
 * `scheme://host[:port]` of a URL, lower-cased, or undefined when it has none we would trust
 * (file:, data:, javascript:, about:blank, unparsable text). Node's URL reports `origin: 'null'` for
 * custom schemes, so the tuple is built here instead of read from `URL.origin`.
 */
export function originOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!schemesWithOrigin.has(parsed.protocol) || parsed.host === '') return undefined;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

/** True when `url` belongs to one of `origins` (each as produced by {@link originOf}). */
export function isOwnOrigin(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== undefined && origins.includes(origin);
}
