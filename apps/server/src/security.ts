import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { tokenCookie, tokenParam } from '@danlu/contracts';

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(host: string): boolean {
  return loopbackNames.has(host) || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export interface AccessPolicy {
  port: number;
  /** True when bound to loopback only: then Host must name this machine, which defeats DNS rebinding. */
  loopbackOnly: boolean;
  /** Required whenever the server listens beyond loopback. */
  token: string | undefined;
}

function hostHeader(request: IncomingMessage): string | undefined {
  const host = request.headers.host;
  return typeof host === 'string' && host.length > 0 && host.length < 300 ? host.toLowerCase() : undefined;
}

/** Splits `name:port` / `[v6]:port`. */
export function splitHost(host: string): { name: string; port: string | undefined } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  return match ? { name: match[1] ?? host, port: match[2] } : { name: host, port: undefined };
}

/**
 * A page on another site can make the user's browser send requests here; these checks make sure only
 * Danlu's own page (same origin) and non-browser clients (no Origin header) get through.
 */
export function checkHostAndOrigin(
  request: IncomingMessage,
  policy: AccessPolicy,
): 'ok' | 'bad_host' | 'bad_origin' {
  const host = hostHeader(request);
  if (!host) return 'bad_host';
  if (policy.loopbackOnly) {
    const { name, port } = splitHost(host);
    if (!isLoopbackHost(name) || (port ?? '80') !== String(policy.port)) return 'bad_host';
  }
  const origin = request.headers.origin;
  if (origin === undefined) return 'ok';
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return 'bad_origin';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'bad_origin';
  return parsed.host.toLowerCase() === host ? 'ok' : 'bad_origin';
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** Where a request may carry the token: `?token=`, `Authorization: Bearer`, or the cookie set on first visit. */
export function presentedToken(
  request: IncomingMessage,
  url: URL,
): { token: string | undefined; fromQuery: boolean } {
  const fromQuery = url.searchParams.get(tokenParam);
  if (fromQuery) return { token: fromQuery, fromQuery: true };
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice('Bearer '.length).trim(), fromQuery: false };
  return { token: cookieValue(request, tokenCookie), fromQuery: false };
}

export function isAuthorized(request: IncomingMessage, url: URL, policy: AccessPolicy): boolean {
  if (policy.token === undefined) return true;
  const { token } = presentedToken(request, url);
  return token !== undefined && safeEqual(token, policy.token);
}

export function tokenCookieHeader(token: string): string {
  return `${tokenCookie}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}
