import { DanluError, type DatasetMethodName, type MethodOutput } from '@danlu/contracts';
import { applyCaptionChanges } from '@danlu/dataset';
import { readEnvironmentPrefs } from '@danlu/engine';
import {
  openTagger,
  planCaptions,
  providerCandidates,
  TaggerError,
  TaggerModelManager,
  type PlanOptions,
  type Tagger,
} from '@danlu/tagger';

import type { DomainContext } from '../domains/context.js';
import type { ApiHandlers } from '../rpc/dispatch.js';
import { backupIdOf, captionFileFor } from './captions.js';
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
  /** Tests point the downloads at a local server. */
  hosts?: { huggingface: string; mirror: string };
}

type TaggerMethod = Extract<DatasetMethodName, `tagger.${string}`>;

function apiError(error: unknown): unknown {
  if (!(error instanceof TaggerError)) return error;
  const code =
    error.code === 'unknown_model' || error.code === 'model_missing'
      ? 'not_found'
      : error.code === 'offline' || error.code === 'download_failed' || error.code === 'checksum_mismatch'
        ? 'io_error'
        : 'bad_request';
  return new DanluError(code, error.message, { cause: error });
}

/** tagger.models / download / run. One loaded model is kept warm between runs (loading costs seconds). */
export function createTaggerHandlers(deps: TaggingDeps): Pick<ApiHandlers, TaggerMethod> & {
  close: () => Promise<void>;
} {
  const { context } = deps;
  const manager = new TaggerModelManager({
    dataDir: context.paths.data,
    ...(deps.hosts && { hosts: deps.hosts }),
  });
  let warm: { id: string; tagger: Tagger } | undefined;

  const loadTagger = async (id: string): Promise<Tagger> => {
    const model = await manager.requireInstalled(id);
    if (warm?.id === model.id) return warm.tagger;
    await warm?.tagger.close();
    warm = undefined;
    const tagger = await openTagger({ modelPath: model.modelPath, tagsPath: model.tagsPath });
    warm = { id: model.id, tagger };
    return tagger;
  };

  const preferMirror = async (): Promise<boolean> => {
    const prefs = await readEnvironmentPrefs(context.paths.data).catch(() => undefined);
    if (prefs?.mirror) return prefs.mirror === 'cn';
    return context.settings.get().language === 'zh-CN';
  };

  const wrap = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw apiError(error);
    }
  };

  return {
    'tagger.models': () =>
      wrap(async () => {
        const models = await manager.list();
        return {
          modelsDir: manager.root,
          providers: providerCandidates().map((c) => c.name),
          models: models.map((m) => ({
            id: m.id,
            repo: m.repo,
            name: m.known ? (m.repo.split('/')[1] ?? m.id) : m.id,
            family: m.family,
            description: m.known?.description ?? { zh: '本地模型', en: 'Local model' },
            recommended: m.known?.recommended ?? false,
            sizeBytes: m.known?.approxBytes ?? null,
            state: m.state,
            downloadedBytes: m.downloadedBytes,
            dir: m.dir,
            suggestedGeneralThreshold: 0.35,
          })),
        };
      }),

    'tagger.download': (input) =>
      wrap(() =>
        deps.jobs.run(input.jobId, async (signal) => {
          const report = deps.progress(input.jobId, 'download');
          const result = await manager.download(input.model, {
            source: input.source ?? 'auto',
            preferMirror: await preferMirror(),
            signal,
            onProgress: (p) => {
              report(p.done, p.total ?? 0, p.file, p.bytesPerSecond);
            },
          });
          if (warm?.id === result.model.id) {
            await warm.tagger.close();
            warm = undefined;
          }
          return { model: result.model.id, dir: result.model.dir, source: result.host, bytes: result.bytes };
        }),
      ),

    'tagger.run': (input) =>
      wrap(async () => {
        const manifest = await deps.manifests.get({ dir: input.dir, refresh: true });
        const only = input.files ? new Set(input.files) : undefined;
        const images = manifest.images.filter((i) => !i.problem && (!only || only.has(i.relPath)));
        const targets = images.map((i) => ({
          image: i.path,
          relPath: i.relPath,
          captionFile: captionFileFor(manifest, i),
          existing: i.caption?.text,
        }));
        return deps.jobs.run(input.jobId, async (signal): Promise<MethodOutput<'tagger.run'>> => {
          const report = deps.progress(input.jobId, 'tag');
          report(0, targets.length);
          const tagger = await loadTagger(input.model);
          const options: PlanOptions = {
            mode: input.mode,
            generalThreshold: input.generalThreshold ?? 0.35,
            characterThreshold: input.characterThreshold ?? 0.85,
            generalMcut: input.generalMcut ?? false,
            characterMcut: input.characterMcut ?? false,
            characterFirst: input.characterFirst ?? false,
            rating: input.includeRating ? 'first' : 'none',
            signal,
            onProgress: (p) => {
              report(p.done, p.total, p.file, p.imagesPerSecond);
            },
          };
          if (input.trigger?.trim()) options.alwaysFirst = [input.trigger.trim()];
          if (input.exclude) options.exclude = input.exclude;
          if (input.replacements) options.replacements = input.replacements;
          const plan = await planCaptions(tagger, targets, options);
          let written = 0;
          let backupId: string | null = null;
          const failed = [...plan.failed];
          if (!input.dryRun && plan.planned.length > 0) {
            const result = await applyCaptionChanges(
              {
                operations: [],
                changes: plan.planned.map((p) => ({ file: p.captionFile, before: p.before, after: p.after })),
                unchanged: 0,
              },
              context.paths.data,
              { label: `tagger ${input.model}` },
            );
            written = result.written.length;
            backupId = backupIdOf(result);
            for (const f of result.failed) failed.push({ relPath: f.file, message: f.message });
            deps.manifests.invalidate(manifest.root);
          }
          const out: MethodOutput<'tagger.run'> = {
            model: input.model,
            provider: tagger.provider,
            tagged: plan.planned.length,
            skipped: plan.skipped.length,
            failed,
            written,
            backupId,
            cancelled: plan.cancelled,
            results: plan.planned
              .slice(0, input.dryRun ? undefined : 200)
              .map((p) => ({ relPath: p.relPath, before: p.before ?? null, after: p.after })),
          };
          if (tagger.providerNotes.length > 0) out.providerNote = tagger.providerNotes.join('; ');
          return out;
        });
      }),

    close: async () => {
      await warm?.tagger.close();
      warm = undefined;
    },
  };
}
