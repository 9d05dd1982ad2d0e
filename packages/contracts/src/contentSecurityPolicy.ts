/**
 * The Content-Security-Policy of every page Danlu serves, in Electron (app://) and in browser mode:
 * our own scripts only, no inline or eval'd code, no plugins, no frames around us, no form posts.
 * Inline styles stay allowed because MUI/emotion injects `<style>` tags at run time.
 */
export const contentSecurityPolicy = [
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
