import { mkdir } from 'node:fs/promises';
import { arch, platform } from 'node:os';

import type { AppInfo, GpuReport, Language, Transport } from '@danlu/contracts';
import { ensureWritableDir } from '@danlu/node-utils';

import type { DomainContext } from './domains/context.js';
import { createDatasetDomain } from './domains/dataset.js';
import { createEnvironmentDomain } from './domains/environment.js';
import { createRunsDomain } from './domains/runs.js';
import { createTrainingDomain } from './domains/training.js';
import { EventBus } from './events.js';
import { NoticeBoard } from './notices.js';
import { dataPaths } from './paths.js';
import { createDispatcher, type ApiHandlers, type Dispatch } from './rpc/dispatch.js';
import { defaultSettings, languageFromLocale } from './settings/defaults.js';
import { SettingsStore, type LoadOutcome } from './settings/settingsStore.js';
import { sourceResourcesDir } from './resourcesDir.js';
import { queryGpus } from './system/nvidiaSmi.js';
import { version } from './version.js';

export interface BackendOptions {
  dataDir: string;
  transport: Transport;
  /** Electron passes process.versions.electron/chrome; the server leaves them out. */
  versions?: { electron?: string; chrome?: string };
  /** For the first start only: the language of a new settings file. */
  systemLocale?: string;
  /** Replaces the nvidia-smi query (tests, or a shell with its own probe). */
  queryGpus?: () => Promise<GpuReport>;
  onInternalError?: (error: unknown) => void;
  /** Danlu's bundled resources; default = the repository's resources/ folder. */
  resourcesDir?: string;
}

export interface Backend {
  dispatch: Dispatch;
  handlers: ApiHandlers;
  events: EventBus;
  info: AppInfo;
  settings: SettingsStore;
  settingsOutcome: LoadOutcome;
  /** Stops the backend's own timers and watchers; training runs keep going (they outlive the app). */
  close: () => Promise<void>;
}

/**
 * Composes the services behind the contract. Fails fast, naming the folder, when the data folder cannot
 * be written; everything else that goes wrong later travels as `{ code, message }`.
 */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  const paths = dataPaths(options.dataDir);
  await ensureWritableDir(paths.data);
  await Promise.all([paths.logs, paths.runs, paths.cache].map((dir) => mkdir(dir, { recursive: true })));

  const events = new EventBus();
  const notices = new NoticeBoard(events);
  const language: Language = languageFromLocale(options.systemLocale);
  const defaults = defaultSettings(paths.data, language);
  const { store: settings, outcome } = await SettingsStore.open(paths.settingsFile, defaults);
  if (outcome.kind === 'reset') {
    notices.add({ level: 'warning', code: 'settings_reset', params: { backup: outcome.backup } });
  } else if (outcome.kind === 'repaired') {
    notices.add({
      level: 'warning',
      code: 'settings_repaired',
      params: { backup: outcome.backup, fields: outcome.fields.join(', ') },
    });
  }

  const info: AppInfo = {
    name: 'Danlu',
    version,
    transport: options.transport,
    platform: platform(),
    arch: arch(),
    versions: { node: process.versions.node, ...options.versions },
    paths,
  };

  const probeGpus = options.queryGpus ?? (() => queryGpus());
  let gpuReport: Promise<GpuReport> | undefined;

  const gpus = (refresh?: boolean): Promise<GpuReport> => {
    // nvidia-smi takes a moment; ask once and share the answer until someone asks for a refresh.
    if (!gpuReport || refresh) gpuReport = probeGpus();
    return gpuReport;
  };

  const context: DomainContext = {
    paths,
    events,
    notices,
    settings,
    gpus,
    resourcesDir: options.resourcesDir ?? sourceResourcesDir(),
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  };
  const training = createTrainingDomain(context);
  const dataset = createDatasetDomain(context);
  const environment = createEnvironmentDomain(context);
  const runs = createRunsDomain(context);
  const domains = [training, dataset, environment, runs];

  const handlers: ApiHandlers = {
    'app.info': () => Promise.resolve(info),
    'settings.get': () => Promise.resolve(settings.get()),
    'settings.set': async (patch) => {
      const next = await settings.update(patch);
      events.emit('settings.changed', next);
      return next;
    },
    'settings.reset': async () => {
      const next = await settings.replace(defaultSettings(paths.data, settings.get().language));
      events.emit('settings.changed', next);
      return next;
    },
    'system.gpus': ({ refresh }) => gpus(refresh),
    'notices.list': () => Promise.resolve(notices.list()),
    'notices.dismiss': ({ id }) => Promise.resolve(notices.dismiss(id)),
    ...training.handlers,
    ...dataset.handlers,
    ...environment.handlers,
    ...runs.handlers,
  };

  return {
    dispatch: createDispatcher(handlers, options.onInternalError),
    handlers,
    events,
    info,
    settings,
    settingsOutcome: outcome,
    close: async () => {
      await Promise.all(domains.map((domain) => domain.close?.() ?? Promise.resolve()));
    },
  };
}
