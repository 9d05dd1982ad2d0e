import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { apiMethods, methodNames, type GpuReport } from '@danlu/contracts';
import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createBackend } from './backend.js';
import { callApi } from './rpc/dispatch.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.cleanup());

const noGpu = (): Promise<GpuReport> =>
  Promise.resolve({ gpus: [], source: 'none', checkedAt: new Date().toISOString() });

describe('createBackend', () => {
  it('serves every contract method', async () => {
    const backend = await createBackend({ dataDir: temp.dir, transport: 'server', queryGpus: noGpu });
    expect(Object.keys(backend.handlers).sort()).toEqual([...methodNames].sort());
    const noArgument = methodNames.filter((name) => apiMethods[name].input.safeParse({}).success);
    for (const method of noArgument.filter((name) => !name.includes('dismiss') && name !== 'settings.set')) {
      expect(await backend.dispatch(method, {}), method).toMatchObject({ ok: true });
    }
  });

  it('answers bad calls with bad_request and keeps working', async () => {
    const backend = await createBackend({ dataDir: temp.dir, transport: 'server', queryGpus: noGpu });
    expect(await backend.dispatch('no.such', {})).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await backend.dispatch(42, {})).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const wrong = await backend.dispatch('settings.set', { language: 'klingon' });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('language') as string },
    });
    expect(await backend.dispatch('settings.set', 'not an object')).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await backend.dispatch('settings.get', {})).toMatchObject({
      ok: true,
      data: { language: 'zh-CN' },
    });
  });

  it('pushes settings.changed to subscribers and persists across a restart', async () => {
    const first = await createBackend({ dataDir: temp.dir, transport: 'server', queryGpus: noGpu });
    const seen: unknown[] = [];
    first.events.subscribe((event, payload) => seen.push([event, payload]));
    await callApi(first.dispatch, 'settings.set', { theme: 'dark', experienceLevel: 'expert' });
    expect(seen).toEqual([['settings.changed', expect.objectContaining({ theme: 'dark' })]]);

    const second = await createBackend({ dataDir: temp.dir, transport: 'server', queryGpus: noGpu });
    expect(await callApi(second.dispatch, 'settings.get', {})).toMatchObject({
      theme: 'dark',
      experienceLevel: 'expert',
    });
  });

  it('turns a corrupt settings file into a notice instead of a crash', async () => {
    await writeFile(join(temp.dir, 'settings.json'), Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
    const backend = await createBackend({ dataDir: temp.dir, transport: 'server', queryGpus: noGpu });
    const notices = await callApi(backend.dispatch, 'notices.list', {});
    expect(notices).toEqual([expect.objectContaining({ code: 'settings_reset', level: 'warning' })]);
    const backup = notices[0]!.params['backup']!;
    expect(await readdir(temp.dir)).toContain(backup.slice(temp.dir.length + 1));
    expect(await callApi(backend.dispatch, 'notices.dismiss', { id: notices[0]!.id })).toEqual([]);
  });

  it('asks for GPUs once and again only on refresh', async () => {
    let calls = 0;
    const backend = await createBackend({
      dataDir: temp.dir,
      transport: 'server',
      queryGpus: () => {
        calls++;
        return noGpu();
      },
    });
    await callApi(backend.dispatch, 'system.gpus', {});
    await callApi(backend.dispatch, 'system.gpus', {});
    expect(calls).toBe(1);
    await callApi(backend.dispatch, 'system.gpus', { refresh: true });
    expect(calls).toBe(2);
  });

  it('reports a failed settings write as io_error, not a crash', async () => {
    const backend = await createBackend({ dataDir: temp.dir, transport: 'server', queryGpus: noGpu });
    if (process.getuid?.() === 0) {
      // root ignores permission bits; replace the file with a folder so the rename fails instead.
      const { rm, mkdir } = await import('node:fs/promises');
      await rm(backend.info.paths.settingsFile);
      await mkdir(join(backend.info.paths.settingsFile, 'x'), { recursive: true });
    } else {
      await chmod(temp.dir, 0o500);
    }
    const result = await backend.dispatch('settings.set', { theme: 'dark' });
    await chmod(temp.dir, 0o700);
    expect(result).toMatchObject({ ok: false, error: { code: 'io_error' } });
  });

  it('refuses to start on a data folder it cannot write, naming it', async () => {
    const blocker = join(temp.dir, 'plain file');
    await writeFile(blocker, '');
    await expect(createBackend({ dataDir: join(blocker, '数据'), transport: 'cli' })).rejects.toMatchObject({
      code: 'data_dir_unwritable',
      message: expect.stringContaining(join(blocker, '数据')) as string,
    });
  });
});
