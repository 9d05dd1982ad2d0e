import { describe, expect, it, vi } from 'vitest';

import { eventNames, ipcChannels, methodNames, type DanluBridge } from '@danlu/contracts';

import { createBridge, type BridgeIpc } from './bridge.js';

type IpcListener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc() {
  const listeners = new Map<string, Set<IpcListener>>();
  const invoke = vi.fn((_channel: string, ..._args: unknown[]) =>
    Promise.resolve<unknown>({ ok: true, data: 'answer' }),
  );
  const ipc: BridgeIpc = {
    invoke,
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const push = (name: unknown, payload: unknown): void => {
    for (const listener of listeners.get(ipcChannels.event) ?? []) listener({}, name, payload);
  };
  const listenerCount = (): number => listeners.get(ipcChannels.event)?.size ?? 0;
  return { ipc, invoke, push, listenerCount };
}

/** The page is untrusted JavaScript: it can pass anything, whatever the types say. */
function untyped(bridge: DanluBridge): {
  call: (...args: unknown[]) => Promise<unknown>;
  on: (...args: unknown[]) => unknown;
} {
  return bridge as unknown as {
    call: (...args: unknown[]) => Promise<unknown>;
    on: (...args: unknown[]) => unknown;
  };
}

describe('createBridge', () => {
  it('exposes exactly call and on', () => {
    expect(Object.keys(createBridge(fakeIpc().ipc)).sort()).toEqual(['call', 'on']);
  });

  it('sends every contract method over the one invoke channel', async () => {
    const { ipc, invoke } = fakeIpc();
    const bridge = createBridge(ipc);
    expect(methodNames.length).toBeGreaterThan(0);
    for (const method of methodNames) {
      await untyped(bridge).call(method, {});
      expect(invoke).toHaveBeenLastCalledWith(ipcChannels.call, method, {});
    }
    expect(await bridge.call('settings.get', {})).toEqual({ ok: true, data: 'answer' });
  });

  it('refuses unknown methods before touching IPC', async () => {
    const { ipc, invoke } = fakeIpc();
    const bridge = untyped(createBridge(ipc));
    for (const method of [
      'evil.run',
      '__proto__',
      'constructor',
      'toString',
      42,
      undefined,
      { toString: () => 'app.info' },
    ]) {
      expect(await bridge.call(method, {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    expect(invoke).not.toHaveBeenCalled();
  });

  it('turns an IPC failure into an error result instead of a rejection', async () => {
    const { ipc, invoke } = fakeIpc();
    invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'));
    expect(await createBridge(ipc).call('app.info', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'An object could not be cloned.' },
    });
  });

  it('delivers each event only to its own listeners, and unsubscribes', () => {
    const { ipc, push, listenerCount } = fakeIpc();
    const bridge = createBridge(ipc);
    const [first, second] = eventNames;
    const onFirst = vi.fn();
    const onSecond = vi.fn();
    const offFirst = bridge.on(first, onFirst);
    const offSecond = bridge.on(second, onSecond);
    expect(listenerCount()).toBe(1);

    push(first, ['payload']);
    push('not.an.event', 'x');
    expect(onFirst).toHaveBeenCalledExactlyOnceWith(['payload']);
    expect(onSecond).not.toHaveBeenCalled();

    offFirst();
    offFirst();
    push(first, 'again');
    expect(onFirst).toHaveBeenCalledOnce();
    offSecond();
    expect(listenerCount()).toBe(0);
  });

  it('keeps two subscriptions of the same function apart', () => {
    const { ipc, push } = fakeIpc();
    const bridge = createBridge(ipc);
    const listener = vi.fn();
    const offOne = bridge.on('settings.changed', listener);
    bridge.on('settings.changed', listener);
    offOne();
    push('settings.changed', {});
    expect(listener).toHaveBeenCalledOnce();
  });

  it('refuses unknown events and non-function listeners', () => {
    const { ipc, listenerCount } = fakeIpc();
    const bridge = untyped(createBridge(ipc));
    expect(() => bridge.on('run.anything', () => undefined)).toThrow(TypeError);
    expect(() => bridge.on('__proto__', () => undefined)).toThrow(TypeError);
    expect(() => bridge.on('settings.changed', 'not a function')).toThrow(TypeError);
    expect(listenerCount()).toBe(0);
  });

  it('keeps other listeners running when one throws', () => {
    const { ipc, push } = fakeIpc();
    const bridge = createBridge(ipc);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const after = vi.fn();
    bridge.on('notices.changed', () => {
      throw new Error('listener bug');
    });
    bridge.on('notices.changed', after);
    push('notices.changed', []);
    expect(after).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
