import { contentSecurityPolicy } from '@danlu/contracts';

/** The policy of every page we serve; apps/server sends the same one to browsers. */
export const productionCsp = contentSecurityPolicy;

/**
 * The policy while the UI comes from the Vite dev server: its React refresh preamble is an inline
 * script and hot reload talks over a WebSocket to the same host. Never used when packaged.
 */
export function devServerCsp(devOrigin: string): string {
  const socket = devOrigin.replace(/^http/, 'ws');
  return productionCsp
    .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    .replace("connect-src 'self'", `connect-src 'self' ${socket}`);
}
