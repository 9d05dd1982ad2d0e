import type { Backend } from '@danlu/backend';
import { ClientFrameSchema, type ServerFrame } from '@danlu/contracts';
import type { WebSocket } from 'ws';

/** Frames larger than this are refused before parsing; no API call needs more. */
export const maxFrameBytes = 1024 * 1024;

function send(socket: WebSocket, frame: ServerFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

/**
 * One browser tab: calls come in as `{type:'call'}` frames and are answered by id; every backend event is
 * pushed. A malformed frame is answered (when it has an id) or ignored; it never closes the server.
 */
export function attachApiSocket(socket: WebSocket, backend: Backend): void {
  const unsubscribe = backend.events.subscribe((event, payload) => {
    send(socket, { type: 'event', event, payload });
  });
  socket.on('close', unsubscribe);
  socket.on('error', unsubscribe);

  socket.on('message', (data: Buffer, isBinary) => {
    if (isBinary) return;
    const text = data.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const frame = ClientFrameSchema.safeParse(parsed);
    if (!frame.success) {
      const id = (parsed as { id?: unknown } | null)?.id;
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0) {
        send(socket, {
          type: 'result',
          id,
          result: { ok: false, error: { code: 'bad_request', message: 'Malformed call frame' } },
        });
      }
      return;
    }
    void backend.dispatch(frame.data.method, frame.data.input).then((result) => {
      send(socket, { type: 'result', id: frame.data.id, result });
    });
  });
}
