import { describe, expect, it, vi } from 'vitest';

import type { Backend, EventListener } from '@danlu/backend';
import { ipcChannels } from '@danlu/contracts';

import { appOrigin } from './origin.js';
import type { AppWindows } from './window.js';

type InvokeHandler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const ipc = vi.hoisted(() => ({ handlers: new Map<string, InvokeHandler>() }));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: InvokeHandler) => ipc.handlers.set(channel, handler),
    removeHandler: (channel: string) => ipc.handlers.delete(channel),
  },
}));

const { connectBackend } = await import('./ipc.js');

interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

function invokeEvent(senderId: number, frame: FakeFrame | null): unknown {
  return { sender: { id: senderId }, senderFrame: frame };
}

function setup() {
  const dispatch = vi.fn((method: unknown, input: unknown) =>
    Promise.resolve({ ok: true, data: { method, input } }),
  );
  let listener: EventListener | undefined;
  const backend = {
    dispatch,
    events: {
      subscribe: (next: EventListener) => {
        listener = next;
        return () => {
          listener = undefined;
        };
      },
    },
  } as unknown as Backend;
  const broadcast = vi.fn();
  const windows = { has: (id: number) => id === 7, broadcast } as unknown as AppWindows;
  const disconnect = connectBackend(backend, windows, [appOrigin]);
  const handler = ipc.handlers.get(ipcChannels.call);
  if (!handler) throw new Error('no handler registered');
  return { dispatch, broadcast, handler, disconnect, emit: () => listener };
}

const top: FakeFrame = { url: 'app://danlu/index.html', parent: null };

describe('connectBackend', () => {
  it("passes our window's calls to backend.dispatch unchanged", async () => {
    const { handler, dispatch, disconnect } = setup();
    const result = await handler(invokeEvent(7, top), 'settings.get', {});
    expect(dispatch).toHaveBeenCalledWith('settings.get', {});
    expect(result).toEqual({ ok: true, data: { method: 'settings.get', input: {} } });
    disconnect();
  });

  it('answers forbidden, without dispatching, for iframes, other origins, other windows and closed frames', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { handler, dispatch, disconnect } = setup();
    const cases = [
      invokeEvent(7, { url: 'app://danlu/frame.html', parent: top }),
      invokeEvent(7, { url: 'https://example.com/', parent: null }),
      invokeEvent(7, { url: 'file:///tmp/index.html', parent: null }),
      invokeEvent(8, top),
      invokeEvent(7, null),
    ];
    for (const event of cases) {
      expect(await handler(event, 'settings.get', {})).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(dispatch).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(cases.length);
    warn.mockRestore();
    disconnect();
  });

  it('pushes backend events to the windows, and stops after disconnecting', () => {
    const { broadcast, disconnect, emit } = setup();
    emit()?.('notices.changed', []);
    expect(broadcast).toHaveBeenCalledWith('notices.changed', []);
    disconnect();
    expect(emit()).toBeUndefined();
    expect(ipc.handlers.has(ipcChannels.call)).toBe(false);
  });
});
