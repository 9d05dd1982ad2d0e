import type { DatasetMethodName } from '@danlu/contracts';

import type { DomainContext, DomainModule } from './context.js';

/** Handlers of the dataset domain (see @danlu/contracts dataset.ts). */
export function createDatasetDomain(_context: DomainContext): DomainModule<DatasetMethodName> {
  return { handlers: {} };
}
