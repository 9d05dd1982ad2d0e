import type { ApiClient, Transport, UiResult } from './types.js';

let current: Transport | undefined;

/** Set once at start-up by `startBridge`. */
export function setTransport(transport: Transport): void {
  current = transport;
}

export function currentTransport(): Transport | undefined {
  return current;
}

/** The API as stores see it: forwards to whichever transport was picked, never throws. */
export const api: ApiClient = {
  async call(method, input) {
    if (!current) {
      const result: UiResult<never> = {
        ok: false,
        error: { code: 'connection_lost', message: 'The bridge has not been started' },
      };
      return result;
    }
    try {
      return await current.call(method, input);
    } catch (error) {
      const result: UiResult<never> = {
        ok: false,
        error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
      };
      return result;
    }
  },
};
