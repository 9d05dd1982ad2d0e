import { z } from 'zod';

import { ApiErrorSchema } from './errors.js';

/** WebSocket frames between the browser UI and apps/server. Payloads are validated again per method. */
export const ClientFrameSchema = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  input: z.unknown(),
});
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const ResultSchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: ApiErrorSchema }),
]);

export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int().nonnegative(), result: ResultSchema }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** Paths apps/server answers on; the web client builds its URLs from these. */
export const serverPaths = {
  websocket: '/api/ws',
  rpcPrefix: '/api/rpc/',
  health: '/api/health',
} as const;

/** Name of the query parameter and cookie that carry the access token when the server is exposed. */
export const tokenParam = 'token';
export const tokenCookie = 'danlu_token';
