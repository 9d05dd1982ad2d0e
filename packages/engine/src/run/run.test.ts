import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { makeTempDir } from '@danlu/node-utils/testing';
import { defaultConfig } from '@danlu/params';

import { prepareRun, safeOutputName, writeRunFiles } from './files.js';
import { buildEngineLaunch, checkEngine, setEnv, shimPath } from './launch.js';
import { parseSampleName, parseSaveName, scanSaves, scanSamples } from './outputs.js';
import { readSafetensorsHeader, tagFrequency } from './safetensors.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await makeTempDir('engine-run'));
});
afterEach(() => cleanup());

/** A minimal safetensors file: header length, JSON header, tensor bytes. */
function safetensorsBytes(metadata: Record<string, string>): Buffer {
  const header = Buffer.from(
    JSON.stringify({ __metadata__: metadata, w: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }),
  );
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  return Buffer.concat([length, header, Buffer.alloc(4)]);
}

describe('kohya output names', () => {
  it('tells epoch, step, final and state saves apart', () => {
    expect(parseSaveName('my lora-000002.safetensors', false, 'my lora')).toEqual({
      kind: 'epoch',
      epoch: 2,
      step: null,
    });
    expect(parseSaveName('my lora-step00000010.safetensors', false, 'my lora')).toEqual({
      kind: 'step',
      epoch: null,
      step: 10,
    });
    expect(parseSaveName('my lora.safetensors', false, 'my lora')?.kind).toBe('final');
    expect(parseSaveName('last.ckpt', false, null)?.kind).toBe('final');
    expect(parseSaveName('other.safetensors', false, 'my lora')).toBeNull();
    expect(parseSaveName('my lora-000002-state', true, 'my lora')).toEqual({
      kind: 'state',
      epoch: 2,
      step: null,
    });
    expect(parseSaveName('my lora-state', true, 'my lora')).toEqual({
      kind: 'state',
      epoch: null,
      step: null,
    });
    expect(parseSaveName('notes.txt', false, 'my lora')).toBeNull();
  });

  it('parses sample names of step and epoch samples, with and without seed', () => {
    expect(parseSampleName('my_lora_000010_01_20261122101500_42.png')).toEqual({
      promptIndex: 1,
      epoch: null,
      step: 10,
      stamp: '20261122101500',
      seed: 42,
    });
    expect(parseSampleName('角色_e000002_00_20261122101500.png')).toMatchObject({
      epoch: 2,
      step: null,
      seed: null,
    });
    expect(parseSampleName('e000000_03_20261122101500_7.png')).toMatchObject({ epoch: 0, promptIndex: 3 });
    expect(parseSampleName('random.png')).toBeNull();
  });

  it('scans the output folder of a run', async () => {
    await mkdir(join(dir, 'output', 'sample'), { recursive: true });
    await mkdir(join(dir, 'output', 'x-000001-state'));
    await writeFile(join(dir, 'output', 'x-000001-state', 'train_state.json'), '{}');
    await writeFile(join(dir, 'output', 'x-000001.safetensors'), Buffer.alloc(10));
    await writeFile(join(dir, 'output', 'x.safetensors'), Buffer.alloc(20));
    await writeFile(join(dir, 'output', 'sample', 'x_e000001_00_20261122101500_1.png'), Buffer.alloc(3));
    const saves = await scanSaves(dir, 'x');
    expect(saves.map((s) => [s.file, s.kind, s.sizeBytes]).sort()).toEqual(
      [
        ['output/x-000001-state', 'state', 2],
        ['output/x-000001.safetensors', 'epoch', 10],
        ['output/x.safetensors', 'final', 20],
      ].sort(),
    );
    const samples = await scanSamples(dir);
    expect(samples.map((s) => s.file)).toEqual(['output/sample/x_e000001_00_20261122101500_1.png']);
  });
});

describe('run files and launch', () => {
  it('writes the run folder paths and plain console lines into the kohya config', async () => {
    const runDir = join(dir, '运行 1');
    const config = {
      ...defaultConfig('sd1', 'lora'),
      values: {
        pretrained_model_name_or_path: '/m/model.safetensors',
        output_dir: '/elsewhere',
        sample_every_n_epochs: 1,
      },
      subsets: [{ imageDir: join(dir, '图片 集'), numRepeats: 2 }],
    };
    const prepared = await prepareRun(config, {
      runDir,
      samplePrompts: ['a cat --d 1', '', '# note', 'a dog'],
    });
    await writeRunFiles(prepared);
    expect(prepared.script).toBe('train_network.py');
    expect(prepared.prompts).toEqual(['a cat --d 1', 'a dog']);
    expect(prepared.configToml).toContain(`output_dir = "${join(runDir, 'output')}"`);
    expect(prepared.configToml).toContain(`logging_dir = "${join(runDir, 'logs')}"`);
    expect(prepared.configToml).toContain('console_log_simple = true');
    expect(prepared.configToml).toContain(`sample_prompts = "${join(runDir, 'prompts.txt')}"`);
    expect(prepared.datasetToml).toContain('图片 集');
  });

  it('drops sampling when there are no prompts (kohya would crash at the first preview)', async () => {
    const config = { ...defaultConfig('sdxl', 'lora'), values: { sample_every_n_epochs: 1 }, subsets: [] };
    const prepared = await prepareRun(config, { runDir: dir, outputName: 'my: run.' });
    expect(prepared.configToml).not.toContain('sample_every_n_epochs');
    expect(prepared.script).toBe('sdxl_train_network.py');
    expect(prepared.outputName).toBe('my_ run');
  });

  it('makes names safe for Windows', () => {
    expect(safeOutputName('CON')).toBe('lora');
    expect(safeOutputName('a/b\\c?')).toBe('a_b_c_');
    expect(safeOutputName('角色 v1. ')).toBe('角色 v1');
  });

  it('builds the launch as an argument array with UTF-8 env, metrics file and GPUs', () => {
    const launch = buildEngineLaunch({
      python: '/venv/bin/python',
      sdScriptsDir: '/sd scripts',
      script: 'train_network.py',
      configToml: '/runs/a/config.toml',
      datasetToml: '/runs/a/dataset.toml',
      metricsFile: '/runs/a/metrics.jsonl',
      resourcesDir: '/res',
      gpus: [1, 3],
      profileEnv: { PYTHONPATH: '/extra', PYTHONUNBUFFERED: '0' },
      baseEnv: { Path: '/bin', ELECTRON_RUN_AS_NODE: '1' },
    });
    expect(launch.command).toBe('/venv/bin/python');
    expect(launch.cwd).toBe('/sd scripts');
    const i = launch.args.indexOf(shimPath('/res'));
    expect(launch.args.slice(0, 5)).toEqual(['-X', 'utf8', '-u', '-m', 'accelerate.commands.launch']);
    expect(launch.args).toContain('--multi_gpu');
    expect(launch.args[launch.args.indexOf('--num_processes') + 1]).toBe('2');
    expect(launch.args.slice(i + 1)).toEqual([
      join('/sd scripts', 'train_network.py'),
      '--config_file',
      '/runs/a/config.toml',
      '--dataset_config',
      '/runs/a/dataset.toml',
    ]);
    expect(launch.env).toMatchObject({
      PYTHONUNBUFFERED: '1',
      PYTHONUTF8: '1',
      PYTHONIOENCODING: 'utf-8',
      DANLU_METRICS_FILE: '/runs/a/metrics.jsonl',
      CUDA_VISIBLE_DEVICES: '1,3',
      PYTHONPATH: '/extra',
      Path: '/bin',
    });
    expect(launch.env['ELECTRON_RUN_AS_NODE']).toBeUndefined();
  });

  it('replaces every case variant of an environment key', () => {
    const env: Record<string, string> = { Path: 'a', path: 'b' };
    setEnv(env, 'PATH', 'c');
    expect(env).toEqual({ PATH: 'c' });
  });

  it('refuses a missing python or script before anything starts', async () => {
    const missing = await checkEngine({
      python: join(dir, 'nope', 'python'),
      sdScriptsDir: dir,
      script: 'train_network.py',
      resourcesDir: dir,
    });
    expect(missing).toMatchObject({ ok: false, code: 'engine_missing' });
    if (!missing.ok) expect(missing.message.en).toContain('Python not found');
    const relative = await checkEngine({
      python: 'python',
      sdScriptsDir: dir,
      script: 'x.py',
      resourcesDir: dir,
    });
    expect(relative.ok).toBe(false);
  });
});

describe('safetensors header', () => {
  it('reads __metadata__ and sums tag frequencies over folders', async () => {
    const file = join(dir, 'a.safetensors');
    await writeFile(
      file,
      safetensorsBytes({
        ss_network_dim: '8',
        ss_tag_frequency: JSON.stringify({ '10_a': { cat: 3, dog: 1 }, '5_b': { cat: 2, ' tree ': 4 } }),
      }),
    );
    const header = await readSafetensorsHeader(file);
    expect(header.ok).toBe(true);
    if (!header.ok) return;
    expect(header.metadata['ss_network_dim']).toBe('8');
    expect(header.tensorCount).toBe(1);
    expect(tagFrequency(header.metadata)).toEqual([
      { tag: 'cat', count: 5 },
      { tag: 'tree', count: 4 },
      { tag: 'dog', count: 1 },
    ]);
  });

  it('refuses a file whose header length is absurd', async () => {
    const file = join(dir, 'bad.safetensors');
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64LE(10n ** 12n);
    await writeFile(file, bytes);
    expect((await readSafetensorsHeader(file)).ok).toBe(false);
  });
});
