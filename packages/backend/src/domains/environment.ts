import type { EnvironmentMethodName } from '@danlu/contracts';

import type { DomainContext, DomainModule } from './context.js';

/** Handlers of the environment domain (see @danlu/contracts environment.ts). */
export function createEnvironmentDomain(_context: DomainContext): DomainModule<EnvironmentMethodName> {
  return { handlers: {} };
}
