import { DanluError, runMethodNames, type RunMethodName } from '@danlu/contracts';

import type { ApiHandlers } from '../rpc/dispatch.js';
import type { DomainContext, DomainModule } from './context.js';

/**
 * Handlers of the runs domain (see @danlu/contracts runs.ts).
 * Scaffold: the run service is being built; until it lands every method answers with a clear error.
 */
export function createRunsDomain(_context: DomainContext): DomainModule<RunMethodName> {
  const notYet = () => Promise.reject(new DanluError('internal', 'Training runs are not available yet.'));
  const handlers = Object.fromEntries(runMethodNames.map((name) => [name, notYet])) as unknown as Pick<
    ApiHandlers,
    RunMethodName
  >;
  return { handlers };
}
