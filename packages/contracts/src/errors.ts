import { z } from 'zod';

/**
 * Every failure that crosses the API boundary carries one of these codes. The UI translates the code
 * (`errors.<code>` in locales/*) and shows `message` only as the detail behind it.
 */
export const errorCodes = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'data_dir_unwritable',
  'io_error',
  'internal',
] as const;

export const ErrorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ApiErrorSchema = z.object({
  code: ErrorCodeSchema,
  /** Technical detail, English; shown behind the translated text, never instead of it. */
  message: z.string(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** Thrown inside handlers to answer with a specific code; anything else becomes `internal`. */
export class DanluError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DanluError';
    this.code = code;
  }
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };
