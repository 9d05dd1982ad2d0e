import type { ApiResult } from './errors.js';
import type { EventPayload, MethodInput, MethodOutput } from './api.js';
import type { EventName, MethodName } from './names.js';

/**
 * What a transport offers the UI: `window.danlu` in Electron (preload bridge) and the WebSocket client in a
 * browser both implement it, so nothing above the transport knows which one it talks to.
 */
export interface DanluBridge {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<ApiResult<MethodOutput<M>>>;
  /** Returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
