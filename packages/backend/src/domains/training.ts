import type { TrainingMethodName } from '@danlu/contracts';

import type { DomainContext, DomainModule } from './context.js';

/** Handlers of the training domain (see @danlu/contracts training.ts). */
export function createTrainingDomain(_context: DomainContext): DomainModule<TrainingMethodName> {
  return { handlers: {} };
}
