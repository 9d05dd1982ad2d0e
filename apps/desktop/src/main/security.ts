import { app, shell, type Session, type WebContents } from 'electron';

import { devServerCsp } from './csp.js';
import { isAllowedExternalLink, isAllowedNavigation, isPermissionAllowed } from './urlPolicy.js';

function openExternally(url: string): void {
  if (!isAllowedExternalLink(url)) {
    console.warn(`[danlu] refused to open ${url.slice(0, 200)}`);
    return;
  }
  shell.openExternal(url).catch((error: unknown) => {
    console.warn(`[danlu] could not open ${url}:`, error);
  });
}

/**
 * Rules for every WebContents the app ever creates (windows, and anything a page might try to open):
 * stay on our origin, never open new windows (web links go to the user's browser), never attach a
 * <webview>.
 */
function hardenWebContents(contents: WebContents, ownOrigins: readonly string[]): void {
  // will-frame-navigate covers the top frame and iframes; will-redirect catches server-side hops.
  const guard = (event: { url: string; preventDefault: () => void }): void => {
    if (isAllowedNavigation(event.url, ownOrigins)) return;
    event.preventDefault();
    openExternally(event.url);
  };
  contents.on('will-frame-navigate', guard);
  contents.on('will-redirect', guard);
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

/** Installs the navigation rules on every WebContents, including ones created later. */
export function hardenAllWebContents(ownOrigins: readonly string[]): void {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, ownOrigins);
  });
}

/**
 * Denies web permissions (camera, geolocation, notifications, HID/USB/serial, …) for the session; only
 * a plain-text clipboard write from our own page is allowed. With a dev server, its pages get a CSP
 * header too (the app scheme sets its own on every response).
 */
export function hardenSession(
  session: Session,
  ownOrigins: readonly string[],
  devOrigin: string | undefined,
): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl || contents.getURL(), ownOrigins));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, ownOrigins),
  );
  session.setDevicePermissionHandler(() => false);

  if (devOrigin !== undefined) {
    const csp = devServerCsp(devOrigin);
    session.webRequest.onHeadersReceived({ urls: [`${devOrigin}/*`] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
  }
}
