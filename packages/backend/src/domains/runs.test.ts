import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { GpuReport, RunSummary, RunUpdate } from '@danlu/contracts';
import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createBackend } from '../backend.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const noGpu = (): Promise<GpuReport> =>
  Promise.resolve({ gpus: [], source: 'none', checkedAt: new Date().toISOString() });

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir('backend-runs');
});
afterEach(() => temp.cleanup());

async function config() {
  const images = join(temp.dir, '图片');
  await mkdir(images, { recursive: true });
  await writeFile(join(images, 'a.png'), 'x');
  await writeFile(join(temp.dir, 'model.safetensors'), 'x');
  return {
    family: 'sd1',
    trainingType: 'lora',
    values: { pretrained_model_name_or_path: join(temp.dir, 'model.safetensors'), max_train_epochs: 2 },
    subsets: [{ imageDir: images, numRepeats: 2 }],
  };
}

describe('runs domain', () => {
  it('says there is no engine before queueing anything', async () => {
    const backend = await createBackend({ dataDir: temp.dir, transport: 'server', queryGpus: noGpu });
    const result = await backend.dispatch('runs.create', { config: await config() });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await backend.dispatch('runs.list', {})).toEqual({ ok: true, data: [] });
    await backend.close();
  });

  it('runs the attached engine and pushes runs.changed / runs.update', async () => {
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
      encoding: 'utf8',
    }).trim();
    const sds = join(repo, 'test', 'fixtures', 'fake-sd-scripts');
    await writeFile(
      join(temp.dir, 'engines.json'),
      JSON.stringify({
        version: 1,
        engines: [
          {
            id: 'fake',
            kind: 'sd-scripts',
            root: sds,
            sdScriptsDir: sds,
            pythonExe: python,
            pythonLayout: 'posix-prefix',
            scripts: ['train_network.py'],
            label: { zh: '测试引擎', en: 'Test engine' },
            env: {
              PYTHONPATH: join(repo, 'test', 'fixtures', 'fake-python'),
              FAKE_KOHYA_STEP_SECONDS: '0.005',
            },
          },
        ],
      }),
    );
    const backend = await createBackend({
      dataDir: temp.dir,
      transport: 'server',
      queryGpus: noGpu,
      resourcesDir: join(repo, 'resources'),
    });
    const updates: RunUpdate[] = [];
    const lists: RunSummary[][] = [];
    backend.events.subscribe((event, payload) => {
      if (event === 'runs.update') updates.push(payload as RunUpdate);
      if (event === 'runs.changed') lists.push(payload as RunSummary[]);
    });
    const created = await backend.dispatch('runs.create', { config: await config(), name: '第一次' });
    expect(created).toMatchObject({ ok: true, data: { state: 'queued', name: '第一次' } });
    const id = (created as { data: RunSummary }).data.id;
    for (let i = 0; i < 300 && !updates.some((u) => u.id === id && u.state === 'completed'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(updates.at(-1)).toMatchObject({ id, state: 'completed', diagnosis: null });
    expect(lists.at(-1)?.[0]).toMatchObject({ id, state: 'completed', exitCode: 0 });
    const metrics = await backend.dispatch('runs.metrics', { id, maxPoints: 10 });
    expect(metrics).toMatchObject({ ok: true, data: { total: 4 } });
    const log = await backend.dispatch('runs.log', { id, search: 'model saved' });
    expect(log).toMatchObject({
      ok: true,
      data: { lines: [expect.stringContaining('model saved') as string] },
    });
    const evil = await backend.dispatch('runs.image', { id, file: '../../settings.json' });
    expect(evil).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    await backend.close();
  });
});
