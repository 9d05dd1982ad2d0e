import { describe, expectTypeOf, it } from 'vitest';

import type { MethodName, MethodOutput } from '@danlu/contracts';

import type { Backend } from '../backend.js';
import type { ApiHandlers } from './dispatch.js';

describe('handlers cover the contract', () => {
  it('has exactly one handler per method, no more, no fewer', () => {
    expectTypeOf<keyof ApiHandlers>().toEqualTypeOf<MethodName>();
    expectTypeOf<Backend['handlers']>().toEqualTypeOf<ApiHandlers>();
  });

  it('returns what the contract promises', () => {
    expectTypeOf<Awaited<ReturnType<ApiHandlers['settings.get']>>>().toEqualTypeOf<
      MethodOutput<'settings.get'>
    >();
    expectTypeOf<Awaited<ReturnType<ApiHandlers['system.gpus']>>>().toEqualTypeOf<
      MethodOutput<'system.gpus'>
    >();
  });
});
