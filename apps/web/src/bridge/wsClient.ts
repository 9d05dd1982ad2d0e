import {
  errorCodes,
  isEventName,
  type ErrorCode,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '@danlu/contracts';

import type { ConnectionState, Transport, UiError, UiResult } from './types.js';

/** What the client needs from a socket; the browser's WebSocket is adapted to it, tests pass a fake. */
export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(): void;
}
export interface SocketHandle {
  send(data: string): void;
  close(): void;
}
export type SocketFactory = (url: string, handlers: SocketHandlers) => SocketHandle;

export interface WsClientOptions {
  url: string;
  createSocket: SocketFactory;
  /** How long a call made while disconnected waits for the connection before it fails. */
  sendTimeoutMs?: number;
  /** First reconnect delay; doubles per failed attempt up to `maxRetryMs`. */
  initialRetryMs?: number;
  maxRetryMs?: number;
}

interface Pending {
  frame: string;
  sent: boolean;
  resolve: (result: UiResult<unknown>) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

type Listener = (payload: unknown) => void;

const knownErrorCodes = new Set<string>(errorCodes);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns whatever the server put in `result` into a well-formed result; anything odd becomes `internal`. */
export function normaliseResult(value: unknown): UiResult<unknown> {
  if (isRecord(value) && value['ok'] === true && 'data' in value) return { ok: true, data: value['data'] };
  if (isRecord(value) && value['ok'] === false && isRecord(value['error'])) {
    const { code, message } = value['error'];
    return {
      ok: false,
      error: {
        code: typeof code === 'string' && knownErrorCodes.has(code) ? (code as ErrorCode) : 'internal',
        message: typeof message === 'string' ? message : 'The server answered with an unreadable error',
      },
    };
  }
  return { ok: false, error: { code: 'internal', message: 'The server answered with an unreadable result' } };
}

function lost(message: string): UiResult<never> {
  const error: UiError = { code: 'connection_lost', message };
  return { ok: false, error };
}

/**
 * The browser side of apps/server's WebSocket API: numbered calls answered by id, pushed events, and a
 * connection that comes back on its own. Calls made while disconnected wait for the next connection (up
 * to `sendTimeoutMs`); calls already sent when the socket drops fail at once, because the server may or
 * may not have run them and repeating one is not always harmless.
 */
export class WsClient implements Transport {
  readonly kind = 'websocket';
  private readonly options: Required<WsClientOptions>;
  private socket: SocketHandle | undefined;
  /** Identifies the current socket, so late callbacks from an old one are ignored. */
  private generation = 0;
  private isOpen = false;
  private stopped = false;
  private nextId = 1;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = { status: 'connecting', everConnected: false, failedAttempts: 0 };

  constructor(options: WsClientOptions) {
    this.options = { sendTimeoutMs: 10_000, initialRetryMs: 500, maxRetryMs: 8_000, ...options };
  }

  get connection(): ConnectionState {
    return this.state;
  }

  start(): void {
    this.stopped = false;
    if (!this.socket && this.retryTimer === undefined) this.connect();
  }

  /** Closes for good: pending calls fail, no reconnect. */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.generation += 1;
    const socket = this.socket;
    this.socket = undefined;
    this.isOpen = false;
    socket?.close();
    for (const id of [...this.pending.keys()]) this.settle(id, lost('The client was stopped'));
  }

  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<UiResult<MethodOutput<M>>> {
    const id = this.nextId++;
    const frame = JSON.stringify({ type: 'call', id, method, input });
    return new Promise<UiResult<MethodOutput<M>>>((resolve) => {
      const entry: Pending = {
        frame,
        sent: false,
        resolve: resolve as (result: UiResult<unknown>) => void,
        timer: undefined,
      };
      this.pending.set(id, entry);
      if (this.isOpen && this.trySend(entry)) return;
      if (this.stopped) {
        this.settle(id, lost('The client was stopped'));
        return;
      }
      entry.timer = setTimeout(() => {
        if (!entry.sent) {
          this.settle(
            id,
            lost(`Not connected to the Danlu server (waited ${this.options.sendTimeoutMs} ms)`),
          );
        }
      }, this.options.sendTimeoutMs);
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const wrapped = listener as Listener;
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => {
      this.connectionListeners.delete(listener);
    };
  }

  private setState(next: ConnectionState): void {
    this.state = next;
    for (const listener of [...this.connectionListeners]) listener(next);
  }

  private connect(): void {
    this.retryTimer = undefined;
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.stopped;
    try {
      this.socket = this.options.createSocket(this.options.url, {
        open: () => {
          if (current()) this.handleOpen();
        },
        message: (data) => {
          if (current()) this.handleMessage(data);
        },
        close: () => {
          if (current()) this.handleClose();
        },
      });
    } catch {
      // A URL the browser refuses outright behaves like a connection that failed.
      this.handleClose();
    }
  }

  private handleOpen(): void {
    this.isOpen = true;
    this.setState({ status: 'open', everConnected: true, failedAttempts: 0 });
    for (const entry of this.pending.values()) {
      if (!entry.sent && !this.trySend(entry)) break;
    }
  }

  private handleClose(): void {
    const wasOpen = this.isOpen;
    this.isOpen = false;
    this.socket = undefined;
    for (const [id, entry] of [...this.pending]) {
      if (entry.sent) this.settle(id, lost('The connection closed before the answer arrived'));
    }
    if (this.stopped) return;
    const failedAttempts = wasOpen ? 0 : this.state.failedAttempts + 1;
    const retryInMs = Math.min(
      this.options.maxRetryMs,
      this.options.initialRetryMs * 2 ** Math.max(0, failedAttempts - 1),
    );
    this.setState({
      status: 'reconnecting',
      everConnected: this.state.everConnected,
      failedAttempts,
      retryInMs,
    });
    this.retryTimer = setTimeout(() => {
      this.connect();
    }, retryInMs);
  }

  private handleMessage(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!isRecord(frame)) return;
    if (frame['type'] === 'result' && typeof frame['id'] === 'number') {
      const entry = this.pending.get(frame['id']);
      if (entry?.sent) this.settle(frame['id'], normaliseResult(frame['result']));
      return;
    }
    if (frame['type'] === 'event' && isEventName(frame['event'])) {
      for (const listener of [...(this.listeners.get(frame['event']) ?? [])]) listener(frame['payload']);
    }
  }

  private trySend(entry: Pending): boolean {
    try {
      this.socket?.send(entry.frame);
    } catch {
      return false;
    }
    if (!this.socket) return false;
    entry.sent = true;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.timer = undefined;
    return true;
  }

  private settle(id: number, result: UiResult<unknown>): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    entry.resolve(result);
  }
}

/** Adapts the browser's WebSocket to the small interface above. */
export const browserSocketFactory: SocketFactory = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.onopen = () => {
    handlers.open();
  };
  socket.onmessage = (event: MessageEvent) => {
    if (typeof event.data === 'string') handlers.message(event.data);
  };
  // `error` is always followed by `close`; reconnecting is handled there.
  socket.onclose = () => {
    handlers.close();
  };
  return {
    send: (data) => {
      socket.send(data);
    },
    close: () => {
      socket.close();
    },
  };
};
