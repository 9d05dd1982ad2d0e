import { appOrigin, isOwnOrigin, originOf } from './origin.js';

/**
 * The window may only ever show our own UI. Anything else (a link without target, a redirect, a
 * script assigning `location`) is refused; {@link isAllowedExternalLink} decides whether it may open in
 * the user's browser instead.
 */
export function isAllowedNavigation(url: string, ownOrigins: readonly string[]): boolean {
  return isOwnOrigin(url, ownOrigins);
}

const maxExternalUrlLength = 2048;

/**
 * Links we hand to the operating system (`shell.openExternal`). Only plain web pages: `file:`, `smb:`,
 * `javascript:`, `data:` and custom protocol handlers can run programs or read local files when the OS
 * opens them. URLs with embedded credentials (`https://user@host`) are a phishing pattern and refused.
 */
export function isAllowedExternalLink(url: string): boolean {
  if (url.length > maxExternalUrlLength) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return false;
  return true;
}

/** What the IPC layer knows about the frame that sent a request. */
export interface SenderInfo {
  /** The frame's current URL; undefined when the frame is gone (navigated away or destroyed). */
  frameUrl: string | undefined;
  /** False for iframes: only the top document of our window may call the API. */
  isMainFrame: boolean;
  /** Whether the sending WebContents is one of the windows we created. */
  isOwnWindow: boolean;
}

/**
 * Only our own window's top frame, showing our own origin, may call the backend. An iframe, a page
 * that was navigated elsewhere, or any other WebContents gets a `forbidden` answer.
 */
export function isTrustedSender(sender: SenderInfo, ownOrigins: readonly string[]): boolean {
  return (
    sender.isOwnWindow &&
    sender.isMainFrame &&
    sender.frameUrl !== undefined &&
    isOwnOrigin(sender.frameUrl, ownOrigins)
  );
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `DANLU_WEB_URL` for development (the Vite dev server). Only http(s) on this machine is accepted, so
 * an environment variable cannot point the privileged window at a remote site.
 */
export function parseDevServerUrl(value: string | undefined): URL | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (!loopbackHosts.has(parsed.hostname) || parsed.username !== '' || parsed.password !== '')
    return undefined;
  return parsed;
}

/**
 * Web permissions (camera, notifications, geolocation, USB, …) are all refused. The one exception is
 * writing plain text to the clipboard from our own page, which the UI uses for "copy command line" and
 * "copy log" buttons; it cannot read anything.
 */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string,
  ownOrigins: readonly string[],
): boolean {
  return permission === 'clipboard-sanitized-write' && isOwnOrigin(requestingUrl, ownOrigins);
}

/** The origins our window may show: app://danlu, plus the dev server's when one is used. */
export function ownOrigins(devServer: URL | undefined): string[] {
  const origins = [appOrigin];
  const dev = devServer ? originOf(devServer.href) : undefined;
  if (dev) origins.push(dev);
  return origins;
}
