import type { AppInfo, GpuReport, MethodName } from '@danlu/contracts';

import type { EventBus } from '../events.js';
import type { NoticeBoard } from '../notices.js';
import type { ApiHandlers } from '../rpc/dispatch.js';
import type { SettingsStore } from '../settings/settingsStore.js';

/** What every domain's handlers may use: the data folder layout and the shared services. */
export interface DomainContext {
  paths: AppInfo['paths'];
  events: EventBus;
  notices: NoticeBoard;
  settings: SettingsStore;
  /** The GPU report, asked once and shared (see system.gpus). */
  gpus: (refresh?: boolean) => Promise<GpuReport>;
  /** Folder with Danlu's bundled resources (presets, python helpers). */
  resourcesDir: string;
  /** Called when a domain hits a bug (not a user error); the transports log it. */
  onInternalError?: (error: unknown) => void;
}

/** The handlers of one domain, plus what must happen when the backend shuts down. */
export interface DomainModule<M extends MethodName> {
  handlers: Pick<ApiHandlers, M>;
  /** Stop timers and watchers (never the training processes: runs outlive the app). */
  close?: () => Promise<void>;
}
