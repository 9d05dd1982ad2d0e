import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { GpuReport } from '@danlu/contracts';
import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createBackend } from '../backend.js';
import { callApi } from '../rpc/dispatch.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir('env-api');
});
afterEach(() => temp.cleanup());

const oneGpu = (): Promise<GpuReport> =>
  Promise.resolve({
    gpus: [{ index: 0, name: 'NVIDIA GeForce RTX 5090', memoryTotalMiB: 32607, driverVersion: '576.02' }],
    source: 'nvidia-smi',
    driverVersion: '576.02',
    cudaVersion: '12.9',
    checkedAt: new Date().toISOString(),
  });

const python3 = (() => {
  try {
    return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
})();

async function engineFolder(): Promise<string> {
  const root = join(temp.dir, '我的 sd-scripts');
  for (const file of ['train_network.py', 'sdxl_train_network.py', 'library/train_util.py']) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), '');
  }
  return root;
}

describe('environment API', () => {
  it('refuses a folder that is not an engine, with the files it expected', async () => {
    const backend = await createBackend({
      dataDir: join(temp.dir, 'data'),
      transport: 'server',
      queryGpus: oneGpu,
    });
    const result = await callApi(backend.dispatch, 'engine.attach', { path: temp.dir });
    if (result.ok) throw new Error('should not attach');
    expect(result.reason.en).toMatch(/not a training engine/);
    expect(result.expected).toContain('train_network.py');
  });

  it.skipIf(!python3)(
    'attaches with a chosen Python, probes, sets active and env, runs the doctor, bundles',
    async () => {
      const data = join(temp.dir, 'data');
      const backend = await createBackend({ dataDir: data, transport: 'server', queryGpus: oneGpu });
      const root = await engineFolder();
      const attached = await callApi(backend.dispatch, 'engine.attach', {
        path: root,
        python: python3 ?? '',
      });
      if (!attached.ok) throw new Error(attached.reason.en);
      const id = attached.profile.id;

      const listed = await callApi(backend.dispatch, 'engine.list', {});
      expect(listed.activeId).toBe(id);
      // Attaching probed at once: a real Python without torch.
      expect(listed.probes[id]?.status).toBe('ok');
      expect(listed.probes[id]?.report?.torch.importable).toBe(false);

      expect(await backend.dispatch('engine.setEnv', { id, env: { PATH: '/x' } })).toMatchObject({
        ok: false,
        error: { code: 'bad_request' },
      });
      expect(await backend.dispatch('engine.setEnv', { id, env: { HF_HUB_OFFLINE: '1' } })).toMatchObject({
        ok: true,
        data: { env: { HF_HUB_OFFLINE: '1' } },
      });
      expect(await backend.dispatch('engine.setActive', { id: 'eng-nope' })).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
      expect(await backend.dispatch('environment.setPrefs', { gpuIndices: [0] })).toMatchObject({
        ok: true,
        data: { prefs: { gpuIndices: [0] } },
      });

      const doctor = await callApi(backend.dispatch, 'doctor.run', {});
      expect(doctor.status).toBe('error');
      expect(doctor.cards.find((card) => card.id === 'torch.installed')?.status).toBe('error');
      expect(doctor.cards.find((card) => card.id === 'engine.found')?.status).toBe('ok');

      const bundle = await callApi(backend.dispatch, 'diagnostics.bundle', { maskUserPaths: true });
      expect(existsSync(bundle.folder)).toBe(true);
      expect(existsSync(bundle.zip ?? '')).toBe(true);
      expect(bundle.files).toContain('probes.json');
    },
  );

  it('plans an install for the detected GPU, with China mirrors when asked', async () => {
    const backend = await createBackend({
      dataDir: join(temp.dir, 'data'),
      transport: 'server',
      queryGpus: oneGpu,
    });
    const plan = await callApi(backend.dispatch, 'engine.installPlan', { mirror: 'cn' });
    expect(plan).toMatchObject({ gpu: 'rtx50', mirror: 'cn', gpuDetected: true });
    expect(plan.printed.en).toContain('torch==2.7.0+cu128');
    expect(plan.printed.en).toContain('pypi.tuna.tsinghua.edu.cn');
    expect(plan.downloadGb).toBeGreaterThan(2);
    expect(plan.stages.every((stage) => !stage.done)).toBe(true);
    // Starting needs an explicit confirmation; nothing runs from an empty call.
    expect(await backend.dispatch('engine.install', {})).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await backend.dispatch('engine.installStatus', {})).toMatchObject({
      ok: true,
      data: { running: false },
    });
  });
});
