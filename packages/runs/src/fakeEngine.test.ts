import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { RunUpdate } from '@danlu/contracts';
import { makeTempDir } from '@danlu/node-utils/testing';
import type { TrainingConfig } from '@danlu/params';

import type { RunEngine } from './record.js';
import { RunService } from './service.js';
import { linuxGroupMembers } from './supervisor/procinfo.js';
import { makeMiniEngine, python3 } from './testing/miniEngine.js';

/**
 * The run service against engineer A's fake sd-scripts (test/fixtures): the real launcher shim, the
 * stand-in accelerate, kohya's console output on the real streams, real safetensors and sample PNGs.
 */
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const resourcesDir = join(repo, 'resources');

let dir: string;
let cleanup: () => Promise<void>;
let config: TrainingConfig;
let nextEnv: Record<string, string>;
let service: RunService;
let updates: RunUpdate[];

beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('fake-engine'));
  const images = join(dir, '图片 集');
  await mkdir(images, { recursive: true });
  for (const name of ['a', 'b', 'c', 'd']) {
    await writeFile(join(images, `${name}.png`), 'x');
    await writeFile(join(images, `${name}.txt`), `1girl, ${name}`);
  }
  await writeFile(join(dir, 'model.safetensors'), 'x');
  config = {
    family: 'sd1',
    trainingType: 'lora',
    values: {
      pretrained_model_name_or_path: join(dir, 'model.safetensors'),
      output_name: '角色 lora',
      max_train_epochs: 3,
      save_every_n_epochs: 1,
      sample_every_n_epochs: 1,
      save_state: true,
    },
    subsets: [{ imageDir: images, numRepeats: 2, captionExtension: '.txt' }],
  };
  nextEnv = {};
  updates = [];
  const engine: RunEngine = {
    profileId: null,
    python: python3(),
    sdScriptsDir: join(repo, 'test', 'fixtures', 'fake-sd-scripts'),
    env: { PYTHONPATH: join(repo, 'test', 'fixtures', 'fake-python') },
  };
  service = await RunService.open({
    runsDir: join(dir, 'data', 'runs'),
    resourcesDir,
    resolveEngine: () =>
      Promise.resolve({ ...engine, env: { ...engine.env, FAKE_KOHYA_STEP_SECONDS: '0.01', ...nextEnv } }),
    onUpdate: (u) => updates.push(u),
    pollMs: 40,
    stopGraceMs: 3000,
  });
});

afterEach(async () => {
  await service.dispose();
  await cleanup();
});

describe('the run service driving the fake sd-scripts', () => {
  it('completes with start-up totals, per-step metrics from the shim, epoch saves, states and samples', async () => {
    const created = await service.create({
      config,
      samplePrompts: ['1girl, smile --d 1', '1girl, sitting --d 2'],
    });
    const done = await service.waitFor(created.id, 20_000);
    expect(done.state).toBe('completed');
    expect(done.diagnosis).toBeNull();

    const startup = updates
      .map((u) => u.startup)
      .filter(Boolean)
      .at(-1);
    expect(startup).toMatchObject({ images: 8, epochs: 3, totalSteps: 24 });
    const detail = await service.get(created.id);
    expect(detail.progress).toMatchObject({ step: 24, totalSteps: 24 });
    const kinds = detail.saves.map((s) => `${s.kind}:${s.epoch ?? ''}`).sort();
    expect(kinds).toEqual(expect.arrayContaining(['epoch:1', 'epoch:2', 'final:']));
    expect(detail.saves.some((s) => s.kind === 'state')).toBe(true);
    expect(detail.samples.map((s) => [s.epoch, s.promptIndex])).toEqual(
      expect.arrayContaining([
        [1, 0],
        [1, 1],
      ]),
    );

    const metrics = await service.metrics(created.id);
    expect(metrics.total).toBe(24);
    expect(metrics.points[0]?.loss).not.toBeNull();
    expect(Object.keys(metrics.points[0]?.lr ?? {})).toContain('unet');
    expect(metrics.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    // live: every point was pushed once
    expect(updates.flatMap((u) => u.newPoints)).toHaveLength(24);

    const meta = await service.modelMetadata(created.id, 'output/角色 lora.safetensors');
    expect(meta.metadata['ss_output_name']).toBe('角色 lora');
    const thumb = await service.image(created.id, detail.samples[0]?.file ?? '', 'thumb');
    expect(thumb.width).toBeGreaterThan(0);

    const resumed = await service.continueRun({ id: created.id, mode: 'resume_state' });
    expect((await service.waitFor(resumed.id, 20_000)).state).toBe('completed');
  });

  it('three queued runs with the middle one out of memory: diagnosed, and the queue goes on', async () => {
    const first = await service.create({ config });
    nextEnv = { FAKE_KOHYA_FAIL: 'oom' };
    const second = await service.create({ config });
    nextEnv = {};
    const third = await service.create({ config });
    const results = [
      await service.waitFor(first.id, 20_000),
      await service.waitFor(second.id, 20_000),
      await service.waitFor(third.id, 20_000),
    ];
    expect(results.map((r) => r.state)).toEqual(['completed', 'failed', 'completed']);
    expect(results[1]?.diagnosis?.code).toBe('cuda_oom');
    expect(results[1]?.diagnosis?.fixes.some((f) => f.patch)).toBe(true);
    const fix = results[1]?.diagnosis?.fixes.find((f) => f.patch);
    const fixed = await service.applyFix(second.id, fix?.id ?? '');
    expect(fixed.continuesFrom).toBe(second.id);
    expect((await service.waitFor(fixed.id, 20_000)).state).toBe('completed');
  });

  it('"No data found" exits 0 and is still a failure', async () => {
    nextEnv = { FAKE_KOHYA_FAIL: 'no_data' };
    const created = await service.create({ config });
    const done = await service.waitFor(created.id, 20_000);
    expect(done.exitCode).toBe(0);
    expect(done.state).toBe('failed');
    expect(done.diagnosis?.code).toBe('no_data');
  });

  it("without the shim, the charts come from kohya's TensorBoard file (live and afterwards)", async () => {
    const plain = await makeMiniEngine(join(dir, 'plain')); // its shim only runs the script
    const points: RunUpdate[] = [];
    const other = await RunService.open({
      runsDir: join(dir, 'data2', 'runs'),
      resourcesDir: plain.resourcesDir,
      resolveEngine: () =>
        Promise.resolve({
          profileId: null,
          python: python3(),
          sdScriptsDir: join(repo, 'test', 'fixtures', 'fake-sd-scripts'),
          env: { PYTHONPATH: join(repo, 'test', 'fixtures', 'fake-python'), FAKE_KOHYA_STEP_SECONDS: '0.02' },
        }),
      onUpdate: (u) => points.push(u),
      pollMs: 40,
    });
    try {
      const created = await other.create({ config });
      const done = await other.waitFor(created.id, 20_000);
      expect(done.state).toBe('completed');
      const live = points.flatMap((u) => u.newPoints).map((p) => p.step);
      expect(live).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      const metrics = await other.metrics(created.id);
      expect(metrics.total).toBe(24);
      expect(metrics.points[5]?.lr['unet']).toBeGreaterThan(0);
    } finally {
      await other.dispose();
    }
  });

  it('a flood of output is not forwarded line by line; the counts tell the page what to read', async () => {
    nextEnv = { FAKE_KOHYA_FLOOD: '3000' };
    const created = await service.create({ config });
    await service.waitFor(created.id, 20_000);
    const mine = updates.filter((u) => u.id === created.id);
    expect(Math.max(...mine.map((u) => u.newLogLines.length))).toBeLessThanOrEqual(500);
    const forwarded = mine.reduce((n, u) => n + u.newLogLines.length, 0);
    const last = mine.at(-1)?.totalLogLines ?? 0;
    const page = await service.log(created.id, { from: 0, limit: 10 });
    expect(last).toBeGreaterThan(3000);
    expect(page.totalLines).toBe(last);
    expect(forwarded).toBeLessThanOrEqual(last);
  });

  it('stops a hanging engine: polite signal, bounded wait, the whole group gone', async () => {
    nextEnv = { FAKE_KOHYA_HANG: '1' };
    const created = await service.create({ config });
    let pid = 0;
    for (let i = 0; i < 200 && pid === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      if (service.list()[0]?.state === 'running') pid = service.record(created.id).process?.pid ?? 0;
    }
    expect(pid).toBeGreaterThan(0);
    await service.stop(created.id);
    const done = await service.waitFor(created.id, 20_000);
    expect(done.state).toBe('stopped');
    expect(await linuxGroupMembers(pid)).toEqual([]);
  });
});
