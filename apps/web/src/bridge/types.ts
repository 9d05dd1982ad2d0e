import type {
  ErrorCode,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
} from '@danlu/contracts';

/**
 * The contract's error codes plus the one only a client can produce: the server could not be reached
 * (or the connection dropped before the answer came).
 */
export type UiErrorCode = ErrorCode | 'connection_lost';

export interface UiError {
  code: UiErrorCode;
  /** Technical detail in English; shown behind the translated text. */
  message: string;
}

export type UiResult<T> = { ok: true; data: T } | { ok: false; error: UiError };

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting';

export interface ConnectionState {
  status: ConnectionStatus;
  /** True once a connection was open at least once: a later drop is "lost", not "still starting". */
  everConnected: boolean;
  /** Failed attempts since the last open connection. */
  failedAttempts: number;
  /** When reconnecting: milliseconds until the next attempt. */
  retryInMs?: number;
}

/** What the rest of the UI talks to; `window.danlu` (Electron) and the WebSocket client both become one. */
export interface Transport {
  readonly kind: 'electron' | 'websocket';
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<UiResult<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  readonly connection: ConnectionState;
}

/** The part of a transport that stores need; tests hand stores a fake one. */
export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<UiResult<MethodOutput<M>>>;
}
