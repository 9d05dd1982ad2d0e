/**
 * The Content-Security-Policy of every page we serve: our own scripts only, no inline or eval'd code,
 * no plugins, no frames around us, no form posts. Inline styles stay allowed because MUI/emotion
 * injects `<style>` tags at run time. apps/server sends the same policy to browsers.
 */
export const productionCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

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
