import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { GpuReport, PresetSummary } from '@danlu/contracts';
import { makeTempDir } from '@danlu/node-utils/testing';
import { TrainingConfigSchema } from '@danlu/params';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createBackend, type Backend } from '../backend.js';
import { writeModelFixture } from '../models/fixtures.js';
import { callApi } from '../rpc/dispatch.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let backend: Backend;
const noGpu = (): Promise<GpuReport> =>
  Promise.resolve({ gpus: [], source: 'none', checkedAt: new Date().toISOString() });

beforeEach(async () => {
  temp = await makeTempDir();
  backend = await createBackend({
    dataDir: join(temp.dir, '数据 目录'),
    transport: 'server',
    queryGpus: noGpu,
  });
});
afterEach(() => temp.cleanup());

const call = <M extends Parameters<typeof callApi>[1]>(method: M, input: Parameters<typeof callApi<M>>[2]) =>
  callApi(backend.dispatch, method, input);

describe('training domain: presets', () => {
  it('lists the bundled presets with their configurations', async () => {
    const list = await call('presets.list', {});
    const ids = list.presets.map((p) => p.id);
    expect(ids).toContain('sd15-anime-character');
    expect(list.presets.every((p) => p.source === 'bundled')).toBe(true);
    const anime = list.presets.find((p) => p.id === 'sd15-anime-character')!;
    expect(TrainingConfigSchema.parse(anime.config).values.max_train_epochs).toBe(20);
    expect(list.broken).toEqual([]);
  });

  it('saves, renames and deletes a user preset with a Chinese name and spaces; unset values survive', async () => {
    const list = await call('presets.list', {});
    const anime = TrainingConfigSchema.parse(
      list.presets.find((p) => p.id === 'sd15-anime-character')!.config,
    );
    const config = { ...anime, values: { ...anime.values, max_train_epochs: null, max_train_steps: 1600 } };
    const saved: PresetSummary = await call('presets.save', { name: '我的 角色 预设', config });
    expect(saved.source).toBe('user');
    expect(saved.id).toMatch(/^user-/);
    const files = await readdir(join(backend.info.paths.data, 'presets'));
    expect(files).toEqual([`${saved.id}.toml`]);

    const again = await call('presets.list', {});
    const mine = again.presets.find((p) => p.id === saved.id)!;
    expect(mine.name.zh).toBe('我的 角色 预设');
    expect(TrainingConfigSchema.parse(mine.config).values).toMatchObject({
      max_train_epochs: null,
      max_train_steps: 1600,
    });

    const renamed = await call('presets.rename', { id: saved.id, name: '改名 之后' });
    expect(renamed.name.en).toBe('改名 之后');
    expect(TrainingConfigSchema.parse(renamed.config).values.max_train_epochs).toBeNull();

    const afterDelete = await call('presets.delete', { id: saved.id });
    expect(afterDelete.presets.some((p) => p.id === saved.id)).toBe(false);
    expect(await readdir(join(backend.info.paths.data, 'presets'))).toEqual([]);
  });

  it('refuses to change a bundled preset and reports a missing one', async () => {
    expect(await backend.dispatch('presets.delete', { id: 'sd15-anime-character' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await backend.dispatch('presets.rename', { id: 'user-abcdef', name: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await backend.dispatch('presets.save', { name: 'bad', config: { family: 'sd9' } })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });

  it('reports a corrupt user preset next to the good ones and ignores temp files', async () => {
    const dir = join(backend.info.paths.data, 'presets');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'user-broken1.toml'),
      '[meta]\nid = "user-broken1"\nversion = 1\nname = { zh = "半',
    );
    await writeFile(join(dir, 'user-x.toml.123.abcd.tmp'), 'half written');
    const list = await call('presets.list', {});
    expect(list.broken).toHaveLength(1);
    expect(list.broken[0]?.file).toContain('user-broken1.toml');
    expect(list.presets.length).toBeGreaterThan(5);
  });
});

describe('training domain: import, export, models', () => {
  it('exports kohya TOML (+ dataset TOML) to a folder with Chinese and spaces, and refuses to overwrite', async () => {
    const out = join(temp.dir, '导出 文件');
    await mkdir(out);
    const config = {
      family: 'sd1',
      trainingType: 'lora',
      values: { max_train_epochs: 12, pretrained_model_name_or_path: 'C:\\m.safetensors' },
      subsets: [{ imageDir: join(temp.dir, '10_角色'), numRepeats: 10 }],
    };
    const r = await call('presets.export', { path: join(out, '配置.toml'), format: 'kohya', config });
    expect(r.script).toBe('train_network.py');
    expect(r.files).toEqual([join(out, '配置.toml'), join(out, '配置.dataset.toml')]);
    const toml = parse(await readFile(join(out, '配置.toml'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(toml.training?.max_train_epochs).toBe(12);
    expect(toml.dataset?.dataset_config).toBe(join(out, '配置.dataset.toml'));
    expect(
      await backend.dispatch('presets.export', { path: join(out, '配置.toml'), format: 'kohya', config }),
    ).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('already exists') as string },
    });
  });

  it('round-trips a Danlu preset through export and import', async () => {
    const config = {
      family: 'sdxl',
      trainingType: 'lora',
      values: { network_dim: 24, text_encoder_lr: null },
      subsets: [],
    };
    const path = join(temp.dir, '我的 预设.toml');
    await call('presets.export', { path, format: 'danlu', config });
    const back = await call('presets.import', { path });
    expect(back.format).toBe('danlu-preset');
    expect(back.name?.zh).toBe('我的 预设');
    expect(TrainingConfigSchema.parse(back.config)).toMatchObject({
      family: 'sdxl',
      values: { network_dim: 24, text_encoder_lr: null },
    });
  });

  it('imports a kohya file and names the line of a syntax error', async () => {
    const good = join(temp.dir, 'kohya.toml');
    await writeFile(good, 'network_dim = 8\nmax_train_steps = 900\nwandb_api_key = "secret"\n');
    const r = await call('presets.import', { path: good, family: 'sd1' });
    expect(TrainingConfigSchema.parse(r.config).values).toMatchObject({
      network_dim: 8,
      max_train_epochs: null,
    });
    const bad = join(temp.dir, 'bad.toml');
    await writeFile(bad, 'network_dim = 8\nlearning_rate = = 1\n');
    const failed = await backend.dispatch('presets.import', { path: bad });
    expect(failed).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('bad.toml:2') as string },
    });
  });

  it('inspects a base model and lists the configured model folders', async () => {
    const models = join(temp.dir, '模型 库');
    await mkdir(models);
    await writeModelFixture(join(models, 'xl base.safetensors'), 'sdxl');
    await call('settings.set', { modelFolders: [models] });
    const r = await call('models.inspect', { path: join(models, 'xl base.safetensors'), family: 'sd1' });
    expect(r).toMatchObject({ family: 'sdxl', usable: false, switchTo: 'sdxl' });
    const list = await call('models.list', {});
    expect(list.models.map((m) => m.name)).toEqual(['xl base.safetensors']);
    expect(
      await backend.dispatch('models.inspect', { path: join(models, 'nothing.safetensors') }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('Path does not exist') as string },
    });
  });
});
