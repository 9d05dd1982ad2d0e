import { z } from 'zod';

import {
  DanluError,
  apiMethods,
  isMethodName,
  type ApiResult,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from '@danlu/contracts';

/** Exactly one handler per contract method; a missing or extra key is a type error. */
export type ApiHandlers = {
  [M in MethodName]: (input: z.output<(typeof apiMethods)[M]['input']>) => Promise<MethodOutput<M>>;
};

export type Dispatch = (method: unknown, input: unknown) => Promise<ApiResult<unknown>>;

function describeZodError(error: z.ZodError): string {
  return z.prettifyError(error);
}

/**
 * The one entry point both transports call with untrusted input: checks the method name and the payload
 * against the contract, runs the handler, and turns every failure into `{ code, message }`.
 * Handlers never see unvalidated input and a throwing handler never takes the transport down.
 */
export function createDispatcher(
  handlers: ApiHandlers,
  onInternalError?: (error: unknown) => void,
): Dispatch {
  return async (method, input) => {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: { code: 'bad_request', message: `Unknown API method: ${String(method).slice(0, 100)}` },
      };
    }
    const parsed = apiMethods[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'bad_request', message: describeZodError(parsed.error) } };
    }
    try {
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      const data = await handler(parsed.data);
      return { ok: true, data };
    } catch (error) {
      if (error instanceof DanluError)
        return { ok: false, error: { code: error.code, message: error.message } };
      if (error instanceof z.ZodError) {
        return { ok: false, error: { code: 'bad_request', message: describeZodError(error) } };
      }
      const errno = (error as NodeJS.ErrnoException | undefined)?.code;
      if (typeof errno === 'string' && /^E[A-Z]+$/.test(errno)) {
        return { ok: false, error: { code: 'io_error', message: (error as Error).message } };
      }
      onInternalError?.(error);
      return {
        ok: false,
        error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
      };
    }
  };
}

/** Typed convenience for in-process callers (CLI, tests): throws a DanluError on failure. */
export async function callApi<M extends MethodName>(
  dispatch: Dispatch,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const result = await dispatch(method, input);
  if (!result.ok) throw new DanluError(result.error.code, result.error.message);
  return result.data as MethodOutput<M>;
}
