import type { ApiResult, DanluBridge } from '@danlu/contracts';
// Only the zod-free name lists: the sandboxed preload is one small bundle.
import { eventNames, ipcChannels, isEventName, methodNames, type EventName } from '@danlu/contracts/names';

/** The part of `ipcRenderer` the bridge uses; tests pass a fake. */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Listener = (payload: unknown) => void;

function failure(code: 'bad_request' | 'internal', message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}

/**
 * `window.danlu`, generated from the contract: only the contract's method and event names get through
 * to IPC, anything else is refused here. Calls never throw; they answer `{ ok, … }` like every transport.
 * One IPC listener fans events out to the page's listeners, and every `on` returns its unsubscribe.
 */
export function createBridge(ipc: BridgeIpc): DanluBridge {
  const methods = new Set<string>();
  for (const method of methodNames) methods.add(method);
  const listeners = new Map<EventName, Set<Listener>>();
  for (const event of eventNames) listeners.set(event, new Set());

  let attached = false;
  type IpcListener = (event: unknown, ...args: unknown[]) => void;
  const onIpcEvent: IpcListener = (_event, name, payload) => {
    if (!isEventName(name)) return;
    for (const listener of [...(listeners.get(name) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`[danlu] a listener for ${name} threw:`, error);
      }
    }
  };
  const detachIfIdle = (): void => {
    if (attached && [...listeners.values()].every((set) => set.size === 0)) {
      ipc.removeListener(ipcChannels.event, onIpcEvent);
      attached = false;
    }
  };

  // The page is untrusted script: whatever the types say, arguments arrive as `unknown`.
  const call = (method: unknown, input: unknown): Promise<ApiResult<unknown>> => {
    if (typeof method !== 'string' || !methods.has(method)) {
      return Promise.resolve(failure('bad_request', `Unknown API method: ${String(method).slice(0, 100)}`));
    }
    return ipc.invoke(ipcChannels.call, method, input).then(
      (result) => result as ApiResult<unknown>,
      (error: unknown) => failure('internal', error instanceof Error ? error.message : String(error)),
    );
  };

  const on = (event: unknown, listener: unknown): (() => void) => {
    const set = typeof event === 'string' && isEventName(event) ? listeners.get(event) : undefined;
    if (set === undefined) throw new TypeError(`Unknown Danlu event: ${String(event).slice(0, 100)}`);
    if (typeof listener !== 'function') throw new TypeError('A Danlu event listener must be a function');
    // A fresh entry per subscription, so subscribing the same function twice unsubscribes cleanly.
    const entry: Listener = (payload) => {
      (listener as Listener)(payload);
    };
    set.add(entry);
    if (!attached) {
      ipc.on(ipcChannels.event, onIpcEvent);
      attached = true;
    }
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      set.delete(entry);
      detachIfIdle();
    };
  };

  // Only `call` needs the cast: main answers with the output type the contract gives each method.
  return { call: call as DanluBridge['call'], on };
}
