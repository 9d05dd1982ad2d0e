import { serverPaths, tokenParam, type DanluBridge } from '@danlu/contracts';

import type { ConnectionState, Transport, UiResult } from './types.js';
import { browserSocketFactory, WsClient } from './wsClient.js';

interface PageLocation {
  protocol: string;
  host: string;
  search: string;
}

/** `ws(s)://<host>/api/ws`, carrying the access token when the page was opened with one. */
export function websocketUrl(location: PageLocation): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get(tokenParam);
  const query = token ? `?${tokenParam}=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}${serverPaths.websocket}${query}`;
}

/** The query string without the token, so it does not stay in the address bar, history or screenshots. */
export function searchWithoutToken(search: string): string {
  const params = new URLSearchParams(search);
  if (!params.has(tokenParam)) return search;
  params.delete(tokenParam);
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}

const alwaysOpen: ConnectionState = { status: 'open', everConnected: true, failedAttempts: 0 };

/** Electron's preload bridge is in-process IPC: always connected; a rejected call still becomes a result. */
export function electronTransport(bridge: DanluBridge): Transport {
  return {
    kind: 'electron',
    connection: alwaysOpen,
    async call(method, input) {
      try {
        return await bridge.call(method, input);
      } catch (error) {
        const result: UiResult<never> = {
          ok: false,
          error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
        };
        return result;
      }
    },
    on: (event, listener) => bridge.on(event, listener),
    onConnectionChange: () => () => undefined,
  };
}

function isBridge(value: unknown): value is DanluBridge {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { call?: unknown }).call === 'function' &&
    typeof (value as { on?: unknown }).on === 'function'
  );
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser. */
    danlu?: DanluBridge;
  }
}

/** Electron's `window.danlu` when present, else the WebSocket API of the server that served this page. */
export function pickTransport(win: Window): Transport {
  if (isBridge(win.danlu)) return electronTransport(win.danlu);
  const client = new WsClient({ url: websocketUrl(win.location), createSocket: browserSocketFactory });
  const cleaned = searchWithoutToken(win.location.search);
  if (cleaned !== win.location.search) {
    win.history.replaceState(win.history.state, '', `${win.location.pathname}${cleaned}${win.location.hash}`);
  }
  client.start();
  return client;
}
