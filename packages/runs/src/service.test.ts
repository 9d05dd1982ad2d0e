import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { RunSummary, RunUpdate } from '@danlu/contracts';
import { makeTempDir } from '@danlu/node-utils/testing';
import type { TrainingConfig } from '@danlu/params';

import type { RunEngine } from './record.js';
import { RunService, gpusConflict } from './service.js';
import { linuxGroupMembers, processStartToken } from './supervisor/procinfo.js';
import { makeMiniEngine } from './testing/miniEngine.js';

let dir: string;
let cleanup: () => Promise<void>;
let engine: RunEngine;
let resourcesDir: string;
let config: TrainingConfig;
const services: RunService[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('runs'));
  ({ engine, resourcesDir } = await makeMiniEngine(dir));
  const images = join(dir, '数据 集');
  await mkdir(images, { recursive: true });
  await writeFile(join(images, 'a.png'), 'x');
  await writeFile(join(dir, 'model.safetensors'), 'x');
  config = {
    family: 'sd1',
    trainingType: 'lora',
    values: { pretrained_model_name_or_path: join(dir, 'model.safetensors'), output_name: '角色 lora' },
    subsets: [{ imageDir: images, numRepeats: 1 }],
  };
});

afterEach(async () => {
  for (const service of services.splice(0)) await service.dispose();
  await cleanup();
});

async function open(
  env: Record<string, string> = {},
  extra: Partial<Parameters<typeof RunService.open>[0]> = {},
) {
  const updates: RunUpdate[] = [];
  const changes: RunSummary[][] = [];
  const service = await RunService.open({
    runsDir: join(dir, 'data', 'runs'),
    resourcesDir,
    resolveEngine: () => Promise.resolve({ ...engine, env: { ...engine.env, ...env } }),
    onUpdate: (u) => updates.push(u),
    onChanged: (l) => changes.push(l),
    pollMs: 40,
    stopGraceMs: 2000,
    ...extra,
  });
  services.push(service);
  return { service, updates, changes };
}

describe('run service with the mini engine', () => {
  it('runs to completion with progress, metrics, saves, samples and the full log', async () => {
    const { service, updates } = await open();
    const created = await service.create({ config, samplePrompts: ['a cat --d 1'] });
    expect(created.state).toBe('queued');
    const done = await service.waitFor(created.id, 15_000);
    expect(done.state).toBe('completed');
    expect(done.exitCode).toBe(0);
    expect(done.diagnosis).toBeNull();

    const states = new Set(updates.map((u) => u.state));
    expect(states).toContain('running');
    const points = updates.flatMap((u) => u.newPoints);
    expect(points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(points[0]?.lr).toEqual({ unet: 1e-4 });
    expect(
      updates
        .flatMap((u) => u.newSaves)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['角色 lora-step00000002.safetensors', '角色 lora.safetensors']);
    const samples = updates.flatMap((u) => u.newSamples);
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ promptIndex: 0, step: 2, prompt: 'a cat --d 1' });

    const detail = await service.get(created.id);
    expect(detail.progress).toMatchObject({ step: 6, totalSteps: 6 });
    expect(detail.launch?.args).toContain('accelerate.commands.launch');
    expect(detail.configToml).toContain('console_log_simple = true');
    expect(detail.saves.map((s) => s.kind).sort()).toEqual(['final', 'step']);

    const metrics = await service.metrics(created.id);
    expect(metrics.total).toBe(6);
    const log = await service.log(created.id, { from: 0, limit: 100 });
    expect(log.lines).toContain('model saved.');
    expect(log.lines.some((l) => l.startsWith('steps: 100%'))).toBe(true);
    const found = await service.log(created.id, { search: 'MODEL SAVED' });
    expect(found.lines).toEqual(['model saved.']);
  });

  it('refuses a missing python before anything is queued', async () => {
    const { service } = await open(
      {},
      {
        resolveEngine: () => Promise.resolve({ ...engine, python: join(dir, '没有', 'python') }),
      },
    );
    await expect(service.create({ config })).rejects.toThrow(/Python not found/);
    expect(service.list()).toEqual([]);
  });

  it('queues runs on one GPU one after another; a failure in the middle does not stop the queue', async () => {
    let nextEnv: Record<string, string> = {};
    const { service } = await open(
      {},
      {
        resolveEngine: () =>
          Promise.resolve({ ...engine, env: { ...engine.env, MINI_STEP_SECONDS: '0.02', ...nextEnv } }),
      },
    );
    const first = await service.create({ config, gpus: [0] });
    nextEnv = { MINI_FAIL: 'oom' };
    const second = await service.create({ config, gpus: [0] });
    nextEnv = {};
    const third = await service.create({ config, gpus: [0] });
    // while the first runs, the others wait in order
    expect(service.list().find((r) => r.id === third.id)?.queuePosition).toBe(1);
    const a = await service.waitFor(first.id, 15_000);
    const b = await service.waitFor(second.id, 15_000);
    const c = await service.waitFor(third.id, 15_000);
    expect([a.state, b.state, c.state]).toEqual(['completed', 'failed', 'completed']);
    expect(b.exitCode).toBe(1);
    expect(b.diagnosis?.code).toBe('cuda_oom');
    expect(b.diagnosis?.evidence).toMatch(/out of memory/i);
    // one at a time: each started after the previous ended
    expect(Date.parse(b.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(a.endedAt ?? ''));
    expect(Date.parse(c.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(b.endedAt ?? ''));
  });

  it('runs on different GPUs at the same time', async () => {
    const { service } = await open({ MINI_STEP_SECONDS: '0.1' });
    const a = await service.create({ config, gpus: [0] });
    const b = await service.create({ config, gpus: [1] });
    await new Promise((r) => setTimeout(r, 300));
    const states = service.list().map((r) => r.state);
    expect(states.every((s) => s === 'starting' || s === 'running')).toBe(true);
    await service.waitFor(a.id, 15_000);
    await service.waitFor(b.id, 15_000);
  });

  it('stops a run: polite signal, then the whole process group — no orphans', async () => {
    const { service } = await open({ MINI_STEPS: '500', MINI_STEP_SECONDS: '0.05', MINI_CHILD: '1' });
    const created = await service.create({ config });
    await waitUntil(() => service.list()[0]?.state === 'running');
    const pid = service.record(created.id).process?.pid ?? 0;
    expect(pid).toBeGreaterThan(0);
    await waitUntil(async () => (await linuxGroupMembers(pid)).length >= 4); // wrapper, launcher, trainer, worker
    const stopping = await service.stop(created.id);
    expect(stopping.state).toBe('stopping');
    const ended = await service.waitFor(created.id, 15_000);
    expect(ended.state).toBe('stopped');
    expect(ended.diagnosis).toBeNull();
    expect(await linuxGroupMembers(pid)).toEqual([]);
  });

  it('an engine killed from outside is failed (killed), with what it saved', async () => {
    const { service } = await open({ MINI_STEPS: '300', MINI_STEP_SECONDS: '0.02' });
    const created = await service.create({ config });
    await waitUntil(async () => (await service.get(created.id)).saves.length > 0);
    const pid = service.record(created.id).process?.pid ?? 0;
    process.kill(-pid, 'SIGKILL'); // Task Manager / OOM killer: the whole tree at once, no exit.json
    const ended = await service.waitFor(created.id, 15_000);
    expect(ended.state).toBe('failed');
    expect(ended.diagnosis?.code).toBe('killed');
    expect((await service.get(created.id)).saves.map((s) => s.kind)).toEqual(['step']);
  });

  it('stops a run asked to stop while it is still being spawned', async () => {
    const { service } = await open({ MINI_STEPS: '500' });
    const created = await service.create({ config });
    await waitUntil(() => service.list()[0]?.state !== 'queued', 5000);
    await service.stop(created.id);
    const ended = await service.waitFor(created.id, 15_000);
    expect(ended.state).toBe('stopped');
    const pid = service.record(created.id).process?.pid ?? 0;
    if (pid > 0) expect(await linuxGroupMembers(pid)).toEqual([]);
  });

  it('survives the app: a new service re-attaches, the metrics are complete and the run finishes', async () => {
    const first = await open({ MINI_STEPS: '30', MINI_STEP_SECONDS: '0.05' });
    const created = await first.service.create({ config });
    await waitUntil(() => first.updates.some((u) => u.newPoints.length > 0));
    await first.service.dispose(); // "kill the app": watchers stop, the engine goes on
    const pid = first.service.record(created.id).process?.pid ?? 0;
    expect(await processStartToken(pid)).not.toBeNull();

    const second = await open();
    const run = second.service.list().find((r) => r.id === created.id);
    expect(run?.state).toBe('running');
    expect(run?.progress?.totalSteps).toBe(30);
    const done = await second.service.waitFor(created.id, 15_000);
    expect(done.state).toBe('completed');
    const metrics = await second.service.metrics(created.id);
    expect(metrics.points.map((p) => p.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('never signals a recorded pid whose start time differs (pid reuse)', async () => {
    // A process that is not ours, recorded as if it were the run's wrapper with another start time.
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore', detached: true });
    const strangerPid = stranger.pid ?? 0;
    try {
      const { service } = await open({ MINI_STEPS: '300', MINI_STEP_SECONDS: '0.05' });
      const created = await service.create({ config });
      await waitUntil(() => service.list()[0]?.state === 'running');
      const real = service.record(created.id).process;
      await service.dispose();
      // the data says "pid = stranger, start token = something else"
      const file = join(dir, 'data', 'runs', created.id, 'run.json');
      const json = JSON.parse(await readFile(file, 'utf8')) as {
        process: { pid: number; startToken: string };
      };
      json.process.pid = strangerPid;
      json.process.startToken = 'linux:1';
      await writeFile(file, JSON.stringify(json));
      const again = await open();
      const run = again.service.list().find((r) => r.id === created.id);
      expect(run?.state).toBe('interrupted');
      await again.service.stop(created.id);
      expect(await processStartToken(strangerPid)).not.toBeNull(); // still alive, untouched
      if (real) process.kill(-real.pid, 'SIGKILL');
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('a second app instance on the same data folder runs as a guest while the first is alive', async () => {
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await mkdir(join(dir, 'data', 'runs', '20260101-000000-aaaaaa'), { recursive: true });
      const token = await processStartToken(other.pid ?? 0);
      await writeFile(join(dir, 'data', 'runs', 'owner.json'), JSON.stringify({ pid: other.pid, token }));
      const { service } = await open();
      expect(service.exclusive).toBe(false);
    } finally {
      other.kill('SIGKILL');
    }
    // once the owner is gone, the next instance takes over
    await new Promise((r) => setTimeout(r, 100));
    const { service: next } = await open();
    expect(next.exclusive).toBe(true);
  });

  it('marks a run with a damaged run.json interrupted, keeps the original and does not crash', async () => {
    const runs = join(dir, 'data', 'runs', '20260101-000000-abcdef');
    await mkdir(runs, { recursive: true });
    await writeFile(join(runs, 'run.json'), '{"version": 1, "id": "20260101-00');
    const { service } = await open();
    const [run] = service.list();
    expect(run).toMatchObject({ id: '20260101-000000-abcdef', state: 'interrupted' });
    expect(run?.notice).toMatch(/run\.json was damaged; the original was kept as .*\.bad/);
    const detail = await service.get('20260101-000000-abcdef');
    expect(detail.state).toBe('interrupted');
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(runs)).some((f) => f.startsWith('run.json.') && f.endsWith('.bad'))).toBe(true);
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 30));
  }
}

describe('gpu sets', () => {
  it('conflict when they share a device or one is the default device', () => {
    expect(gpusConflict([0], [1])).toBe(false);
    expect(gpusConflict([0, 1], [1])).toBe(true);
    expect(gpusConflict([], [3])).toBe(true);
  });
});
