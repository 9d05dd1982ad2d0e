import type {
  EpochMetric,
  MetricPoint,
  RunDetail,
  RunSummary,
  RunUpdate,
  SampleImage,
  SavedModel,
} from '@danlu/contracts';

/** The log lines kept in memory; older pages are fetched when the user scrolls up to them. */
export const maxLogLines = 5000;

export interface LogWindow {
  lines: string[];
  /** Line number of lines[0]. */
  first: number;
  /** Lines the run's log has in all (as far as we know). */
  total: number;
}

export const emptyLog: LogWindow = { lines: [], first: 0, total: 0 };

/** Appends points newer than the last one kept (a point seen twice — load racing an update — stays once). */
export function appendPoints(
  points: readonly MetricPoint[],
  incoming: readonly MetricPoint[],
): MetricPoint[] {
  if (incoming.length === 0) return points as MetricPoint[];
  const lastStep = points.at(-1)?.step ?? -1;
  const fresh = incoming.filter((p) => p.step > lastStep);
  return fresh.length === 0 ? (points as MetricPoint[]) : [...points, ...fresh];
}

export function appendEpochs(
  epochs: readonly EpochMetric[],
  incoming: readonly EpochMetric[],
): EpochMetric[] {
  if (incoming.length === 0) return epochs as EpochMetric[];
  const byEpoch = new Map(epochs.map((e) => [e.epoch, e]));
  for (const e of incoming) byEpoch.set(e.epoch, e);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

function mergeByFile<T extends { file: string }>(list: readonly T[], incoming: readonly T[]): T[] {
  if (incoming.length === 0) return list as T[];
  const byFile = new Map(list.map((item) => [item.file, item]));
  for (const item of incoming) byFile.set(item.file, item);
  return [...byFile.values()];
}

/** Adds live lines at the tail, dropping the oldest beyond `limit` (the window slides forward). */
export function appendLog(log: LogWindow, lines: readonly string[], limit = maxLogLines): LogWindow {
  if (lines.length === 0) return log;
  const all = [...log.lines, ...lines];
  const drop = Math.max(0, all.length - limit);
  return {
    lines: drop > 0 ? all.slice(drop) : all,
    first: log.first + drop,
    total: log.total + lines.length,
  };
}

/**
 * Puts an older page in front of the window. Keeps at most `limit` lines, dropping from the tail this time:
 * the user is reading back, and the tail comes again with the next page load when they return.
 */
export function prependLog(
  log: LogWindow,
  page: { lines: string[]; first: number },
  limit = maxLogLines,
): LogWindow {
  // Only lines before the window count (a page may overlap it); a gap would show the log out of order.
  const before = page.lines.slice(0, Math.max(0, log.first - page.first));
  if (before.length === 0 || page.first + before.length !== log.first) return log;
  const all = [...before, ...log.lines];
  return { lines: all.slice(0, limit), first: page.first, total: log.total };
}

/** A summary as the update says it is now (state, progress, diagnosis). */
export function applyUpdateToSummary<T extends RunSummary>(run: T, update: RunUpdate): T {
  return {
    ...run,
    state: update.state,
    progress: update.progress ?? run.progress,
    diagnosis: update.diagnosis,
  };
}

export function applyUpdateToList(runs: readonly RunSummary[], update: RunUpdate): RunSummary[] {
  if (!runs.some((run) => run.id === update.id)) return runs as RunSummary[];
  return runs.map((run) => (run.id === update.id ? applyUpdateToSummary(run, update) : run));
}

export function applyUpdateToDetail(detail: RunDetail, update: RunUpdate): RunDetail {
  return {
    ...applyUpdateToSummary(detail, update),
    startup: update.startup ?? detail.startup,
    saves: mergeByFile<SavedModel>(detail.saves, update.newSaves),
    samples: mergeByFile<SampleImage>(detail.samples, update.newSamples),
  };
}

/** The run the sidebar and Home show: the one running (or starting/stopping), else none. */
export function activeRun(runs: readonly RunSummary[]): RunSummary | undefined {
  return runs.find((r) => r.state === 'running' || r.state === 'stopping' || r.state === 'starting');
}

/** Queue first (in queue order), then the active run, then the rest newest first. */
export function sortRuns(runs: readonly RunSummary[]): RunSummary[] {
  const rank = (r: RunSummary) => (r.state === 'queued' ? 1 : activeRun([r]) ? 0 : 2);
  return [...runs].sort((a, b) => {
    const byRank = rank(a) - rank(b);
    if (byRank !== 0) return byRank;
    if (a.state === 'queued' && b.state === 'queued') return (a.queuePosition ?? 0) - (b.queuePosition ?? 0);
    return b.createdAt.localeCompare(a.createdAt);
  });
}

/** Fraction done, 0–1, or null when the engine has not said the total yet. */
export function progressFraction(run: Pick<RunSummary, 'progress' | 'state'>): number | null {
  if (run.state === 'completed') return 1;
  const p = run.progress;
  if (!p || p.totalSteps <= 0) return null;
  return Math.min(1, p.step / p.totalSteps);
}

/** Queued ids after moving one up (-1) or down (+1). */
export function moveInQueue(queuedIds: readonly string[], id: string, delta: -1 | 1): string[] {
  const ids = [...queuedIds];
  const at = ids.indexOf(id);
  const to = at + delta;
  if (at < 0 || to < 0 || to >= ids.length) return ids;
  ids.splice(at, 1);
  ids.splice(to, 0, id);
  return ids;
}
