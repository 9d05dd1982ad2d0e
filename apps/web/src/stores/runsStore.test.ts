import type { MetricPoint, RunDetail, RunSummary, RunUpdate } from '@danlu/contracts';
import { describe, expect, it } from 'vitest';

import type { ApiClient, UiResult } from '../bridge/types.js';
import {
  activeRun,
  appendLog,
  appendPoints,
  moveInQueue,
  prependLog,
  progressFraction,
  sortRuns,
} from './runsReducers.js';
import { createRunsStore } from './runsStore.js';

function summary(id: string, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: id,
    state: 'completed',
    family: 'sd1',
    trainingType: 'lora',
    outputName: id,
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    endedAt: null,
    queuePosition: null,
    gpus: [],
    progress: null,
    exitCode: null,
    diagnosis: null,
    continuesFrom: null,
    ...over,
  };
}

function point(step: number): MetricPoint {
  return { step, loss: 0.1, averageLoss: 0.1, lr: { unet: 1e-4 }, time: step };
}

function update(id: string, over: Partial<RunUpdate> = {}): RunUpdate {
  return {
    id,
    state: 'running',
    progress: null,
    newPoints: [],
    newEpochs: [],
    newLogLines: [],
    newSaves: [],
    newSamples: [],
    diagnosis: null,
    ...over,
  };
}

describe('run reducers', () => {
  it('appends only points newer than the last one', () => {
    const before = [point(1), point(2)];
    expect(appendPoints(before, [point(2), point(3)]).map((p) => p.step)).toEqual([1, 2, 3]);
    expect(appendPoints(before, [])).toBe(before);
  });

  it('keeps a bounded log tail that slides forward', () => {
    let log = { lines: [] as string[], first: 0, total: 0 };
    log = appendLog(log, ['a', 'b', 'c'], 4);
    log = appendLog(log, ['d', 'e'], 4);
    expect(log).toEqual({ lines: ['b', 'c', 'd', 'e'], first: 1, total: 5 });
  });

  it('puts the page right before the window in front, and refuses a page with a gap', () => {
    const log = { lines: ['c', 'd'], first: 2, total: 4 };
    expect(prependLog(log, { lines: ['a', 'b'], first: 0 })).toEqual({
      lines: ['a', 'b', 'c', 'd'],
      first: 0,
      total: 4,
    });
    expect(prependLog(log, { lines: ['x'], first: 0 })).toBe(log);
    // overlapping pages count only their part before the window
    expect(prependLog(log, { lines: ['b', 'c'], first: 1 }).lines).toEqual(['b', 'c', 'd']);
  });

  it('orders the active run, then the queue by position, then the rest newest first', () => {
    const runs = [
      summary('old', { createdAt: '2026-01-01T00:00:00Z' }),
      summary('q2', { state: 'queued', queuePosition: 1 }),
      summary('new', { createdAt: '2026-02-01T00:00:00Z' }),
      summary('run', { state: 'running' }),
      summary('q1', { state: 'queued', queuePosition: 0 }),
    ];
    expect(sortRuns(runs).map((r) => r.id)).toEqual(['run', 'q1', 'q2', 'new', 'old']);
    expect(activeRun(runs)?.id).toBe('run');
  });

  it('moves a queued run up and down within bounds', () => {
    expect(moveInQueue(['a', 'b', 'c'], 'c', -1)).toEqual(['a', 'c', 'b']);
    expect(moveInQueue(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveInQueue(['a', 'b', 'c'], 'a', 1)).toEqual(['b', 'a', 'c']);
  });

  it('reports progress as a fraction once the total is known', () => {
    expect(progressFraction(summary('a', { state: 'running' }))).toBeNull();
    const progress = {
      step: 25,
      totalSteps: 100,
      epoch: 1,
      totalEpochs: 4,
      stepsPerSecond: 2,
      elapsedSeconds: 10,
      etaSeconds: 30,
      averageLoss: 0.1,
      phase: 'training' as const,
    };
    expect(progressFraction(summary('a', { state: 'running', progress }))).toBe(0.25);
    expect(progressFraction(summary('a', { state: 'completed' }))).toBe(1);
  });
});

/** A fake API: answers from the given table, and lets a test hold runs.metrics until it says so. */
function fakeClient(run: RunDetail, points: MetricPoint[]) {
  let releaseMetrics: (() => void) | undefined;
  const held = new Promise<void>((resolve) => {
    releaseMetrics = resolve;
  });
  const calls: string[] = [];
  const client: ApiClient = {
    async call(method, input) {
      calls.push(method);
      const ok = (data: unknown) => ({ ok: true, data }) as UiResult<never>;
      switch (method) {
        case 'runs.list':
          return ok([run]);
        case 'runs.get':
          return ok(run);
        case 'runs.metrics':
          await held;
          return ok({ points, epochs: [], total: points.length });
        case 'runs.log': {
          const from = (input as { from?: number }).from ?? 0;
          if (from < 0) return ok({ lines: ['l10', 'l11'], first: 10, totalLines: 12 });
          return ok({
            lines: Array.from({ length: 10 - from }, (_, i) => `l${String(from + i)}`),
            first: from,
            totalLines: 12,
          });
        }
        default:
          return { ok: false, error: { code: 'internal', message: method } };
      }
    },
  };
  return { client, calls, release: () => releaseMetrics?.() };
}

const detail = (): RunDetail => ({
  ...summary('r1', { state: 'running' }),
  runDir: '/runs/r1',
  logFile: '/runs/r1/engine.log',
  config: {},
  configToml: '',
  datasetToml: null,
  prompts: [],
  launch: null,
  startup: null,
  saves: [],
  samples: [],
});

describe('runs store', () => {
  it('loads the list and the selected run, then appends live updates without refetching', async () => {
    const fake = fakeClient(detail(), [point(1), point(2)]);
    const store = createRunsStore(fake.client);
    await store.getState().load();
    expect(store.getState().runs.map((r) => r.id)).toEqual(['r1']);
    fake.release();
    await store.getState().select('r1');
    expect(store.getState().points).toHaveLength(2);
    expect(store.getState().log).toEqual({ lines: ['l10', 'l11'], first: 10, total: 12 });
    const callsBefore = fake.calls.length;

    store.getState().receiveUpdate(
      update('r1', {
        newPoints: [point(3)],
        newLogLines: ['l12'],
        newSaves: [
          {
            file: 'output/a.safetensors',
            name: 'a',
            kind: 'epoch',
            epoch: 1,
            step: 3,
            sizeBytes: 10,
            savedAt: 'x',
          },
        ],
      }),
    );
    const state = store.getState();
    expect(state.points.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(state.log.lines.at(-1)).toBe('l12');
    expect(state.detail?.saves).toHaveLength(1);
    expect(state.runs[0]?.state).toBe('running');
    expect(fake.calls.length).toBe(callsBefore);
  });

  it('keeps points that arrive while the metrics are loading, once each', async () => {
    const fake = fakeClient(detail(), [point(1), point(2)]);
    const store = createRunsStore(fake.client);
    const selecting = store.getState().select('r1');
    store.getState().receiveUpdate(update('r1', { newPoints: [point(2), point(3)] }));
    fake.release();
    await selecting;
    expect(store.getState().points.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  it('ignores updates of other runs for the detail but still updates their list entry', async () => {
    const fake = fakeClient(detail(), []);
    fake.release();
    const store = createRunsStore(fake.client);
    store.getState().receiveList([summary('r1', { state: 'running' }), summary('r2', { state: 'queued' })]);
    await store.getState().select('r1');
    store.getState().receiveUpdate(update('r2', { state: 'failed', newPoints: [point(9)] }));
    expect(store.getState().points).toHaveLength(0);
    expect(store.getState().runs.find((r) => r.id === 'r2')?.state).toBe('failed');
  });

  it('fetches older log pages in front of the window', async () => {
    const fake = fakeClient(detail(), []);
    fake.release();
    const store = createRunsStore(fake.client);
    await store.getState().select('r1');
    await store.getState().loadOlderLog();
    expect(store.getState().log.first).toBe(0);
    expect(store.getState().log.lines.slice(0, 2)).toEqual(['l0', 'l1']);
    expect(store.getState().log.lines).toHaveLength(12);
  });
});
