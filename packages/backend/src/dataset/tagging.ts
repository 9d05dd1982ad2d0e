import { DanluError, type DatasetMethodName } from '@danlu/contracts';

import type { DomainContext } from '../domains/context.js';
import type { ApiHandlers } from '../rpc/dispatch.js';
import type { JobRegistry } from './jobs.js';
import type { ManifestCache } from './manifestCache.js';

export interface TaggingDeps {
  context: DomainContext;
  manifests: ManifestCache;
  jobs: JobRegistry;
  progress: (
    jobId: string,
    kind: 'scan' | 'prepare' | 'download' | 'tag',
  ) => (done: number, total: number, item?: string, rate?: number) => void;
}

type TaggerMethod = Extract<DatasetMethodName, `tagger.${string}`>;

/** tagger.models / download / run. */
export function createTaggerHandlers(deps: TaggingDeps): Pick<ApiHandlers, TaggerMethod> {
  const notYet = () => Promise.reject(new DanluError('internal', 'The tagger is not available yet.'));
  return {
    'tagger.models': () =>
      Promise.resolve({
        modelsDir: `${deps.context.paths.data}/models/taggers`,
        providers: ['cpu'],
        models: [],
      }),
    'tagger.download': notYet,
    'tagger.run': notYet,
  };
}
