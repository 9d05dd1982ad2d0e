import { join } from 'node:path';

import type { RunMethodName } from '@danlu/contracts';
import { activeEngine, loadEngines, trainingGpuIndices, type EngineProfile } from '@danlu/engine';
import { RunService, type RunEngine } from '@danlu/runs';

import type { DomainContext, DomainModule } from './context.js';

function toRunEngine(profile: EngineProfile | null | undefined): RunEngine | null {
  if (!profile?.pythonExe) return null;
  return {
    profileId: profile.id,
    python: profile.pythonExe,
    sdScriptsDir: profile.sdScriptsDir,
    env: profile.env,
  };
}

/**
 * Handlers of the runs domain (see @danlu/contracts runs.ts), backed by one RunService on
 * `<data>/runs`. The engine of a new run is the named profile, else the active one (environment.json),
 * else the first attached engine. Closing the backend stops the watchers, never the runs.
 */
export function createRunsDomain(context: DomainContext): DomainModule<RunMethodName> {
  const dataDir = context.paths.data;
  const ready = RunService.open({
    runsDir: context.paths.runs,
    resourcesDir: context.resourcesDir,
    exportsDir: join(dataDir, 'exports'),
    resolveEngine: async (profileId) => {
      if (profileId) return toRunEngine((await loadEngines(dataDir)).engines.find((e) => e.id === profileId));
      return toRunEngine(await activeEngine(dataDir));
    },
    defaultGpus: () => trainingGpuIndices(dataDir),
    onChanged: (runs) => {
      context.events.emit('runs.changed', runs);
    },
    onUpdate: (update) => {
      context.events.emit('runs.update', update);
    },
    ...(context.onInternalError ? { onInternalError: context.onInternalError } : {}),
  });
  // A failure to open surfaces on the first call; never as an unhandled rejection.
  ready.catch((error: unknown) => context.onInternalError?.(error));
  const service = () => ready;

  return {
    handlers: {
      'runs.list': async () => (await service()).list(),
      'runs.get': async ({ id }) => (await service()).get(id),
      'runs.create': async (input) => (await service()).create(input),
      'runs.update': async ({ id, name, config }) =>
        (await service()).update(id, { ...(name !== undefined ? { name } : {}), config }),
      'runs.stop': async ({ id }) => (await service()).stop(id),
      'runs.remove': async ({ id, deleteFiles }) => (await service()).remove(id, deleteFiles ?? false),
      'runs.reorder': async ({ ids }) => (await service()).reorder(ids),
      'runs.continue': async (input) => (await service()).continueRun(input),
      'runs.applyFix': async ({ id, fixId }) => (await service()).applyFix(id, fixId),
      'runs.metrics': async ({ id, maxPoints }) => (await service()).metrics(id, maxPoints),
      'runs.log': async ({ id, ...options }) => (await service()).log(id, options),
      'runs.image': async ({ id, file, size }) => (await service()).image(id, file, size),
      'runs.modelMetadata': async ({ id, file }) => (await service()).modelMetadata(id, file),
      'runs.exportScene': async ({ id, destination }) => (await service()).exportScene(id, destination),
      'runs.importScene': async ({ file }) => (await service()).importScene(file),
    },
    close: async () => {
      await (await ready.catch(() => null))?.dispose();
    },
  };
}
