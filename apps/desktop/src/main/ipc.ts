import { ipcMain, type IpcMainInvokeEvent } from 'electron';

import type { Backend } from '@danlu/backend';
import { ipcChannels, type ApiResult } from '@danlu/contracts';

import { isTrustedSender } from './urlPolicy.js';
import type { AppWindows } from './window.js';

function senderOf(event: IpcMainInvokeEvent, windows: AppWindows): Parameters<typeof isTrustedSender>[0] {
  const frame = event.senderFrame;
  return {
    frameUrl: frame?.url,
    isMainFrame: frame !== null && frame.parent === null,
    isOwnWindow: windows.has(event.sender.id),
  };
}

const forbidden: ApiResult<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This frame may not call the Danlu API.' },
};

/**
 * The whole API is one invoke channel: `(method, input)` goes to `backend.dispatch`, which validates
 * both against the contract. Before that, the sender must be our window's top frame on our origin.
 * Backend events are pushed to every window (queued while a page loads).
 * Returns a function that removes the handler and the subscription.
 */
export function connectBackend(
  backend: Backend,
  windows: AppWindows,
  ownOrigins: readonly string[],
): () => void {
  ipcMain.handle(ipcChannels.call, async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(senderOf(event, windows), ownOrigins)) {
      console.warn(`[danlu] refused API call from ${event.senderFrame?.url ?? 'a closed frame'}`);
      return forbidden;
    }
    return backend.dispatch(method, input);
  });
  const unsubscribe = backend.events.subscribe((event, payload) => {
    windows.broadcast(event, payload);
  });
  return () => {
    ipcMain.removeHandler(ipcChannels.call);
    unsubscribe();
  };
}
