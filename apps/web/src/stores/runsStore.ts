import type { EpochMetric, MetricPoint, RunDetail, RunSummary, RunUpdate } from '@danlu/contracts';
import { create } from 'zustand';

import { api } from '../bridge/api.js';
import type { ApiClient, UiError } from '../bridge/types.js';
import {
  appendEpochs,
  appendLog,
  appendPoints,
  applyUpdateToDetail,
  applyUpdateToList,
  emptyLog,
  maxLogLines,
  prependLog,
  sortRuns,
  type LogWindow,
} from './runsReducers.js';

/** Lines asked per page when the user scrolls back through the log. */
const logPage = 1000;

export interface RunsState {
  runs: RunSummary[];
  loaded: boolean;
  error: UiError | undefined;
  selectedId: string | null;
  /** runs.get of the selected run, kept current by runs.update events. */
  detail: RunDetail | null;
  /** Every metric point of the selected run (charts downsample for drawing, never the store). */
  points: MetricPoint[];
  epochs: EpochMetric[];
  metricsLoaded: boolean;
  log: LogWindow;
  loadingOlderLog: boolean;
  load: () => Promise<void>;
  receiveList: (runs: RunSummary[]) => void;
  receiveUpdate: (update: RunUpdate) => void;
  select: (id: string | null) => Promise<void>;
  loadOlderLog: () => Promise<void>;
}

export function createRunsStore(client: ApiClient) {
  // Updates that arrive while the selected run's metrics/log are loading: replayed after the load.
  let pending: RunUpdate[] = [];
  let loadSerial = 0;

  return create<RunsState>()((set, get) => {
    const applyToSelected = (update: RunUpdate) => {
      const state = get();
      if (!state.detail || state.detail.id !== update.id) return;
      set({
        detail: applyUpdateToDetail(state.detail, update),
        points: appendPoints(state.points, update.newPoints),
        epochs: appendEpochs(state.epochs, update.newEpochs),
        log: appendLog(state.log, update.newLogLines),
      });
    };

    return {
      runs: [],
      loaded: false,
      error: undefined,
      selectedId: null,
      detail: null,
      points: [],
      epochs: [],
      metricsLoaded: false,
      log: emptyLog,
      loadingOlderLog: false,

      async load() {
        const result = await client.call('runs.list', {});
        if (!result.ok) {
          set({ error: result.error, loaded: true });
          return;
        }
        set({ runs: sortRuns(result.data), loaded: true, error: undefined });
        const { selectedId } = get();
        // After a reconnect the server may have restarted: reload the selected run in full.
        if (selectedId && result.data.some((r) => r.id === selectedId)) await get().select(selectedId);
        else if (selectedId) await get().select(null);
      },

      receiveList(runs) {
        set({ runs: sortRuns(runs), loaded: true });
        const { detail } = get();
        const fresh = detail ? runs.find((r) => r.id === detail.id) : undefined;
        if (detail && fresh) set({ detail: { ...detail, ...fresh } });
      },

      receiveUpdate(update) {
        set({ runs: applyUpdateToList(get().runs, update) });
        if (update.id !== get().selectedId) return;
        if (!get().metricsLoaded) {
          pending.push(update);
          return;
        }
        applyToSelected(update);
      },

      async select(id) {
        const serial = ++loadSerial;
        pending = [];
        set({ selectedId: id, metricsLoaded: false, ...(id !== get().detail?.id ? { detail: null } : {}) });
        if (id === null) {
          set({ detail: null, points: [], epochs: [], log: emptyLog });
          return;
        }
        const [detail, metrics, log] = await Promise.all([
          client.call('runs.get', { id }),
          client.call('runs.metrics', { id }),
          client.call('runs.log', { id, from: -maxLogLines, limit: maxLogLines }),
        ]);
        if (serial !== loadSerial) return;
        if (!detail.ok) {
          set({
            error: detail.error,
            detail: null,
            points: [],
            epochs: [],
            log: emptyLog,
            metricsLoaded: true,
          });
          return;
        }
        set({
          detail: detail.data,
          points: metrics.ok ? metrics.data.points : [],
          epochs: metrics.ok ? metrics.data.epochs : [],
          log: log.ok
            ? { lines: log.data.lines, first: log.data.first, total: log.data.totalLines }
            : emptyLog,
          metricsLoaded: true,
        });
        const replay = pending;
        pending = [];
        // The log page already holds lines that came meanwhile; only the points and files are replayed.
        for (const update of replay) applyToSelected({ ...update, newLogLines: [] });
      },

      async loadOlderLog() {
        const { detail, log, loadingOlderLog } = get();
        if (!detail || loadingOlderLog || log.first === 0) return;
        set({ loadingOlderLog: true });
        const from = Math.max(0, log.first - logPage);
        const result = await client.call('runs.log', { id: detail.id, from, limit: log.first - from });
        set({ loadingOlderLog: false });
        if (!result.ok || get().detail?.id !== detail.id) return;
        set({ log: prependLog(get().log, { lines: result.data.lines, first: result.data.first }) });
      },
    };
  });
}

export const useRunsStore = createRunsStore(api);

export const selectRuns = (state: RunsState) => state.runs;
export const selectDetail = (state: RunsState) => state.detail;
export const selectSelectedId = (state: RunsState) => state.selectedId;
