import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ConnectionState } from './types.js';
import { WsClient, type SocketHandlers } from './wsClient.js';

/** A socket the test drives by hand: open it, drop it, answer frames. */
class FakeSocket {
  sent: string[] = [];
  closed = false;
  constructor(
    readonly url: string,
    readonly handlers: SocketHandlers,
  ) {}
  send(data: string) {
    if (this.closed) throw new Error('socket closed');
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
  frames(): { id: number; method: string; input: unknown }[] {
    return this.sent.map((text) => JSON.parse(text) as { id: number; method: string; input: unknown });
  }
  answer(id: number, result: unknown) {
    this.handlers.message(JSON.stringify({ type: 'result', id, result }));
  }
  drop() {
    this.closed = true;
    this.handlers.close();
  }
}

function setup(options: { sendTimeoutMs?: number } = {}) {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const client = new WsClient({
    url: 'ws://127.0.0.1:4756/api/ws',
    createSocket: (url, handlers) => {
      const socket = new FakeSocket(url, handlers);
      sockets.push(socket);
      return socket;
    },
    initialRetryMs: 500,
    maxRetryMs: 4000,
    ...options,
  });
  client.onConnectionChange((state) => states.push(state));
  client.start();
  const last = () => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error('no socket was created');
    return socket;
  };
  return { client, sockets, states, last };
}

const settings = {
  language: 'en',
  theme: 'dark',
  experienceLevel: 'expert',
  folders: { models: '/m', datasets: '/d', outputs: '/o' },
} as const;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('WsClient', () => {
  it('holds calls made before the socket opens and sends them, in order, once it does', async () => {
    const { client, last } = setup();
    const info = client.call('app.info', {});
    const gpus = client.call('system.gpus', { refresh: true });
    expect(last().sent).toEqual([]);

    last().handlers.open();
    const frames = last().frames();
    expect(frames.map((frame) => frame.method)).toEqual(['app.info', 'system.gpus']);
    expect(frames[1]?.input).toEqual({ refresh: true });
    expect(JSON.parse(last().sent[0]!)).toMatchObject({ type: 'call' });

    // Answers may come back in any order; each goes to the call with its id.
    last().answer(frames[1]!.id, { ok: true, data: { gpus: [], source: 'none', checkedAt: 'now' } });
    last().answer(frames[0]!.id, { ok: false, error: { code: 'io_error', message: 'disk full' } });
    await expect(gpus).resolves.toEqual({ ok: true, data: { gpus: [], source: 'none', checkedAt: 'now' } });
    await expect(info).resolves.toEqual({ ok: false, error: { code: 'io_error', message: 'disk full' } });
  });

  it('delivers pushed events to subscribers until they unsubscribe, and ignores unknown ones', () => {
    const { client, last } = setup();
    last().handlers.open();
    const seen: unknown[] = [];
    const stop = client.on('settings.changed', (payload) => seen.push(payload));
    last().handlers.message(JSON.stringify({ type: 'event', event: 'settings.changed', payload: settings }));
    last().handlers.message(JSON.stringify({ type: 'event', event: 'toString', payload: 1 }));
    last().handlers.message('not json');
    stop();
    last().handlers.message(JSON.stringify({ type: 'event', event: 'settings.changed', payload: settings }));
    expect(seen).toEqual([settings]);
  });

  it('fails calls in flight when the connection drops and reconnects with growing delays', async () => {
    const { client, sockets, states, last } = setup();
    last().handlers.open();
    const pending = client.call('settings.get', {});
    expect(last().sent).toHaveLength(1);

    last().drop();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'connection_lost' } });
    expect(states.at(-1)).toMatchObject({ status: 'reconnecting', everConnected: true, retryInMs: 500 });

    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);

    // The server is still down: each failed attempt doubles the wait, up to the maximum.
    const delays: (number | undefined)[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      last().drop();
      const delay = states.at(-1)?.retryInMs;
      delays.push(delay);
      vi.advanceTimersByTime(delay ?? 0);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000]);
    expect(sockets).toHaveLength(6);

    // Back up: the state says so and the failure count starts again.
    last().handlers.open();
    expect(states.at(-1)).toEqual({ status: 'open', everConnected: true, failedAttempts: 0 });
    const again = client.call('settings.get', {});
    last().answer(last().frames()[0]!.id, { ok: true, data: settings });
    await expect(again).resolves.toEqual({ ok: true, data: settings });
  });

  it('lets a call made while disconnected wait for the reconnect, or fail after the timeout', async () => {
    const { client, last } = setup({ sendTimeoutMs: 3000 });
    last().handlers.open();
    last().drop();

    const waits = client.call('notices.list', {});
    vi.advanceTimersByTime(500);
    last().handlers.open();
    expect(
      last()
        .frames()
        .map((frame) => frame.method),
    ).toEqual(['notices.list']);
    last().answer(last().frames()[0]!.id, { ok: true, data: [] });
    await expect(waits).resolves.toEqual({ ok: true, data: [] });

    last().drop();
    const givesUp = client.call('notices.list', {});
    vi.advanceTimersByTime(3000);
    await expect(givesUp).resolves.toMatchObject({ ok: false, error: { code: 'connection_lost' } });
  });

  it('turns an answer it cannot read into an internal error instead of trusting it', async () => {
    const { client, last } = setup();
    last().handlers.open();
    const odd = client.call('app.info', {});
    const weird = client.call('app.info', {});
    const [first, second] = last().frames();
    last().answer(first!.id, { ok: false, error: { code: 'made_up', message: 'x' } });
    last().answer(second!.id, 'garbage');
    await expect(odd).resolves.toEqual({ ok: false, error: { code: 'internal', message: 'x' } });
    await expect(weird).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('ignores callbacks from a socket it already replaced', async () => {
    const { client, sockets, last } = setup();
    const old = last();
    old.handlers.open();
    old.drop();
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
    const call = client.call('app.info', {});
    old.handlers.open();
    expect(old.sent).toEqual([]);
    last().handlers.open();
    expect(last().sent).toHaveLength(1);
    client.stop();
    await expect(call).resolves.toMatchObject({ ok: false, error: { code: 'connection_lost' } });
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(2);
  });
});
