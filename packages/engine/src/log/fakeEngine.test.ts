import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseShimLine } from '../metrics/shimLine.js';
import { findTensorboardFiles, readTensorboardEvents } from '../metrics/tfevents.js';
import { createLogParser } from './parser.js';
import { joinRecords } from './records.js';
import { parseLogFile, summarizeLog } from './summary.js';

/**
 * The fake sd-scripts engine (test/fixtures) driven the way the run service drives the real one:
 * `python -m accelerate.commands.launch <shim> <sd-scripts>/<script> --config_file … --dataset_config …`,
 * stdout and stderr into one engine.log. Its output must parse to the totals the configuration implies.
 */
const root = resolve(import.meta.dirname, '../../../..');
const sdScripts = join(root, 'test/fixtures/fake-sd-scripts');
const fakePython = join(root, 'test/fixtures/fake-python');
const shim = join(root, 'resources/python/danlu_train_shim.py');
const python = process.env.PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');

let work = '';
let cleanup: () => Promise<void> = () => Promise.resolve();
let runNo = 0;

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  log: string;
  logFile: string;
  dir: string;
}

interface RunOptions {
  script?: string;
  config?: Record<string, string | number | boolean>;
  extraArgs?: string[];
  env?: Record<string, string>;
  /** Called once the log contains this text; gets the child to signal it. */
  onText?: { text: string; signal: NodeJS.Signals };
}

function toml(values: Record<string, string | number | boolean>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} = ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}

async function runFake(options: RunOptions = {}): Promise<Outcome> {
  const dir = join(work, `run ${++runNo}`);
  await mkdir(dir, { recursive: true });
  const config = {
    pretrained_model_name_or_path: join(work, 'model', 'base 模型.safetensors'),
    network_module: 'networks.lora',
    network_dim: 8,
    network_alpha: 4,
    optimizer_type: 'AdamW',
    learning_rate: 0.0001,
    max_train_epochs: 3,
    save_every_n_epochs: 1,
    seed: 7,
    cache_latents: true,
    sdpa: true,
    output_dir: join(dir, 'output'),
    output_name: '测试 lora',
    logging_dir: join(dir, 'logs'),
    log_prefix: 'danlu_',
    sample_every_n_epochs: 1,
    sample_prompts: join(work, 'prompts.txt'),
    sample_sampler: 'euler_a',
    ...options.config,
  };
  const configFile = join(dir, 'config.toml');
  await writeFile(configFile, toml(config));
  const logFile = join(dir, 'engine.log');
  const fd = openSync(logFile, 'w');
  const args = [
    '-m',
    'accelerate.commands.launch',
    '--num_cpu_threads_per_process',
    '1',
    shim,
    join(sdScripts, options.script ?? 'train_network.py'),
    '--config_file',
    configFile,
    '--dataset_config',
    join(work, 'dataset.toml'),
    ...(options.extraArgs ?? []),
  ];
  // Own process group, as the run service starts it: a stop signals the launcher and the trainer.
  const child = spawn(python, args, {
    cwd: sdScripts,
    detached: process.platform !== 'win32',
    stdio: ['ignore', fd, fd],
    env: {
      ...process.env,
      PYTHONPATH: fakePython,
      PYTHONUNBUFFERED: '1',
      PYTHONIOENCODING: 'utf-8',
      PYTHONDONTWRITEBYTECODE: '1', // no __pycache__ in the fixtures
      DANLU_METRICS_FILE: join(dir, 'metrics.jsonl'),
      ...options.env,
    },
  });
  closeSync(fd);
  let watcher: ReturnType<typeof setInterval> | undefined;
  if (options.onText) {
    const { text, signal } = options.onText;
    watcher = setInterval(() => {
      void readFile(logFile, 'utf8').then((log) => {
        if (watcher && log.includes(text)) {
          clearInterval(watcher);
          watcher = undefined;
          if (child.pid !== undefined) process.kill(-child.pid, signal);
        }
      });
    }, 25);
  }
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) =>
    child.on('exit', (c, s) => {
      done([c, s]);
    }),
  );
  if (watcher) clearInterval(watcher);
  return { code, signal, log: await readFile(logFile, 'utf8'), logFile, dir };
}

/** The log's messages with Rich records joined, as a person reading the console would see them. */
function messages(log: string): string[] {
  const lines = createLogParser()
    .push(`${log}\n`)
    .flatMap((e) => (e.kind === 'line' ? [e.text] : []));
  return joinRecords(lines).map((r) => r.message);
}

async function modelFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, 'output'))).filter((f) => f.endsWith('.safetensors')).sort();
  } catch {
    return [];
  }
}

async function metadataOf(file: string): Promise<Record<string, string>> {
  const bytes = await readFile(file);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as {
    __metadata__: Record<string, string>;
  };
  return header.__metadata__;
}

beforeAll(async () => {
  ({ dir: work, cleanup } = await makeTempDir('假 引擎'));
  const images = join(work, 'data', '我的 角色');
  const reg = join(work, 'data', 'reg');
  await mkdir(images, { recursive: true });
  await mkdir(reg, { recursive: true });
  await mkdir(join(work, 'model'), { recursive: true });
  await writeFile(join(work, 'model', 'base 模型.safetensors'), 'not really a model');
  for (let i = 1; i <= 6; i++) {
    await writeFile(join(images, `${i}.png`), 'png');
    await writeFile(join(images, `${i}.txt`), i % 2 ? 'sks girl, smile, red hair' : 'sks girl, outdoors');
  }
  await writeFile(join(reg, 'r1.jpg'), 'jpg');
  // 6 images × 5 repeats = 30, batch 4 → 8 batches per epoch (+ 1 reg image × 2 repeats = 2 samples → 32/4 = 8)
  await writeFile(
    join(work, 'dataset.toml'),
    [
      '[general]',
      'caption_extension = ".txt"',
      '[[datasets]]',
      'resolution = [768, 768]',
      'batch_size = 4',
      '  [[datasets.subsets]]',
      `  image_dir = ${JSON.stringify(images)}`,
      '  num_repeats = 5',
      '  [[datasets.subsets]]',
      `  image_dir = ${JSON.stringify(reg)}`,
      '  num_repeats = 2',
      '  is_reg = true',
    ].join('\n'),
  );
  await writeFile(
    join(work, 'prompts.txt'),
    '# preview prompts\nsks girl, smile --n lowres --w 512 --h 512 --d 11\n\nsks girl, outdoors --s 20 --l 6.5\n',
  );
});

afterAll(async () => {
  await cleanup();
});

describe('fake sd-scripts engine, parsed', () => {
  it('a full LoRA run: totals, saves, samples, metrics from the shim and from TensorBoard', async () => {
    const run = await runFake();
    expect(run.code).toBe(0);
    const summary = await parseLogFile(run.logFile, {
      exitCode: run.code,
      savedModelCount: (await modelFiles(run.dir)).length,
    });
    expect(summary.startup).toEqual({
      images: 30,
      regImages: 2,
      batchesPerEpoch: 8,
      epochs: 3,
      batchSize: 4,
      gradientAccumulation: 1,
      totalSteps: 24,
      buckets: [],
    });
    expect(summary.status).toBe('completed');
    expect(summary.diagnosis).toBeNull();
    expect(summary.progress).toMatchObject({
      step: 24,
      totalSteps: 24,
      epoch: 3,
      totalEpochs: 3,
      phase: 'finishing',
    });
    expect(summary.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(summary.samples).toHaveLength(3);
    const files = await modelFiles(run.dir);
    expect(files).toEqual([
      '测试 lora-000001.safetensors',
      '测试 lora-000002.safetensors',
      '测试 lora.safetensors',
    ]);
    expect(summary.saves.map((s) => s.path)).toEqual(files.map((f) => join(run.dir, 'output', f)));

    const samples = (await readdir(join(run.dir, 'output', 'sample'))).sort();
    expect(samples).toHaveLength(6); // 2 prompts × 3 epochs
    expect(samples[0]).toMatch(/^测试 lora_e000001_00_\d{14}_11\.png$/);
    expect(samples[1]).toMatch(/^测试 lora_e000001_01_\d{14}\.png$/);
    const png = await readFile(join(run.dir, 'output', 'sample', samples[0] ?? ''));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');

    const meta = await metadataOf(join(run.dir, 'output', '测试 lora.safetensors'));
    expect(meta.ss_output_name).toBe('测试 lora');
    expect(meta.ss_network_dim).toBe('8');
    expect(meta.ss_base_model_version).toBe('sd_v1');
    expect(JSON.parse(meta.ss_tag_frequency ?? '{}')).toEqual({
      '我的 角色': { 'sks girl': 6, smile: 3, 'red hair': 3, outdoors: 3 },
      reg: {},
    });

    const shimLines = (await readFile(join(run.dir, 'metrics.jsonl'), 'utf8')).split('\n');
    const mapped = shimLines.map(parseShimLine);
    const points = mapped.flatMap((m) => (m.point ? [m.point] : []));
    const epochs = mapped.flatMap((m) => (m.epoch ? [m.epoch] : []));
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(Object.keys(points[0]?.lr ?? {}).sort()).toEqual(['group1', 'textencoder', 'unet']);
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);

    const [events] = await findTensorboardFiles(join(run.dir, 'logs'));
    expect(events).toMatch(/danlu_\d{14}[\\/]network_train[\\/]events\.out\.tfevents\./);
    const tb = await readTensorboardEvents(events ?? '');
    expect(tb.points.map((p) => p.step)).toEqual(points.map((p) => p.step));
    tb.points.forEach((p, i) => {
      expect(p.loss).toBeCloseTo(points[i]?.loss ?? NaN, 5);
    });
    expect(tb.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    // the bar's rounded avr_loss agrees with the structured average
    expect(summary.lastAverageLoss).toBeCloseTo(points.at(-1)?.averageLoss ?? NaN, 2);
  });

  it('wide and simple consoles give the same facts as the 80-column Rich console', async () => {
    const facts = (log: string) => {
      const s = summarizeLog(log, { exitCode: 0 });
      return {
        startup: s.startup,
        saves: s.saves.map((x) => x.path.replace(/run \d+/, 'run')),
        epochs: s.epochs,
        samples: s.samples,
        finished: s.finished,
      };
    };
    const narrow = await runFake();
    const wide = await runFake({ env: { COLUMNS: '250' } });
    const simple = await runFake({ extraArgs: ['--console_log_simple'], env: { FAKE_KOHYA_ASCII: '1' } });
    expect(facts(wide.log)).toEqual(facts(narrow.log));
    expect(facts(simple.log)).toEqual(facts(narrow.log));
    expect(simple.log).toContain('steps: 100%|##########| 24/24');
  });

  it.each([
    ['oom', 'cuda_oom', 1],
    ['nan', 'nan_loss', 0],
    ['missing_module', 'missing_module', 1],
    ['no_data', 'no_data', 0],
    ['wrong_model', 'wrong_model_family', 1],
    ['tokenizer', 'tokenizer_download', 1],
    ['sample_crash', 'sample_failed', 1],
    ['disk_full', 'disk_full', 1],
    ['traceback', 'python_error', 1],
    ['exit0_no_model', 'no_model_saved', 0],
  ])('FAKE_KOHYA_FAIL=%s is diagnosed as %s', async (knob, code, exitCode) => {
    const run = await runFake({ env: { FAKE_KOHYA_FAIL: knob } });
    expect(run.code).toBe(exitCode);
    const summary = summarizeLog(run.log, {
      exitCode: run.code,
      savedModelCount: (await modelFiles(run.dir)).length,
    });
    expect(summary.diagnosis?.code).toBe(code);
    expect(summary.status).toBe('failed');
  });

  const posix = process.platform === 'win32' ? it.skip : it;

  posix('a hung engine prints nothing more; killed from outside it is diagnosed as killed', async () => {
    const run = await runFake({
      env: { FAKE_KOHYA_HANG: '1' },
      onText: { text: 'steps:   0%', signal: 'SIGKILL' },
    });
    expect(run.signal).toBe('SIGKILL');
    const parser = createLogParser();
    parser.push(run.log);
    parser.end();
    expect(parser.state().progress).toMatchObject({ step: 0, totalSteps: 24, phase: 'training' });
    expect(summarizeLog(run.log, { exitCode: null, signal: run.signal }).diagnosis?.code).toBe('killed');
  });

  posix(
    'Ctrl-C ends it like kohya: KeyboardInterrupt, nothing saved, and no failure when the user stopped it',
    async () => {
      const run = await runFake({
        env: { FAKE_KOHYA_STEP_SECONDS: '0.05' },
        onText: { text: 'epoch 1/3', signal: 'SIGINT' },
      });
      expect(run.code).not.toBe(0);
      expect(run.log).toContain('KeyboardInterrupt');
      expect(await modelFiles(run.dir)).toEqual([]);
      expect(summarizeLog(run.log, { exitCode: run.code }).diagnosis?.evidence).toBe('KeyboardInterrupt');
      expect(summarizeLog(run.log, { exitCode: run.code, stoppedByUser: true }).diagnosis).toBeNull();
    },
  );

  it('floods of output stay parseable', async () => {
    const run = await runFake({ env: { FAKE_KOHYA_FLOOD: '20000' } });
    const summary = summarizeLog(run.log, { exitCode: run.code });
    expect(summary.lines).toBeGreaterThan(20000);
    expect(summary.finished).toBe(true);
  });

  it('resume from a state folder and start from saved weights print what kohya prints', async () => {
    const first = await runFake({ extraArgs: ['--save_state'] });
    const state = join(first.dir, 'output', '测试 lora-000001-state');
    expect(JSON.parse(await readFile(join(state, 'train_state.json'), 'utf8'))).toEqual({
      current_epoch: 1,
      current_step: 8,
    });
    expect(summarizeLog(first.log).saves.map((s) => s.path)).toContain(state);

    const resumed = await runFake({ extraArgs: ['--resume', state] });
    const said = messages(resumed.log);
    expect(said).toContain(`resume training from local state: ${state}`);
    expect(said).toContain(
      `load train state from ${join(state, 'train_state.json')}: {'current_epoch': 1, 'current_step': 8}`,
    );
    const summary = summarizeLog(resumed.log, { exitCode: resumed.code });
    expect(summary.epochs.map((e) => e.epoch)).toEqual([2, 3]); // kohya skips whole epochs
    expect(summary.progress).toMatchObject({ step: 16, totalSteps: 24 });

    const weights = join(first.dir, 'output', '测试 lora.safetensors');
    const more = await runFake({ extraArgs: ['--network_weights', weights] });
    expect(more.log.replace(/\r/g, '')).toContain(
      `load network weights from ${weights}: <All keys matched successfully>`,
    );
  });

  it('the other scripts: SDXL LoRA, DreamBooth (train_db) and SDXL fine-tune', async () => {
    const sdxl = await runFake({
      script: 'sdxl_train_network.py',
      config: { network_train_unet_only: true },
    });
    expect(sdxl.code).toBe(0);
    expect((await metadataOf(join(sdxl.dir, 'output', '测试 lora.safetensors'))).ss_base_model_version).toBe(
      'sdxl_base_v1-0',
    );
    const lines = (await readFile(join(sdxl.dir, 'metrics.jsonl'), 'utf8')).split('\n').map(parseShimLine);
    expect(Object.keys(lines[0]?.point?.lr ?? {}).sort()).toEqual(['group0', 'unet']);

    for (const script of ['train_db.py', 'sdxl_train.py']) {
      const run = await runFake({ script });
      expect(run.code).toBe(0);
      const summary = summarizeLog(run.log, {
        exitCode: 0,
        savedModelCount: (await modelFiles(run.dir)).length,
      });
      expect(summary.startup.gradientAccumulation).toBe(1);
      expect(summary.saves.map((s) => s.path.slice(run.dir.length + 1))).toEqual([
        join('output', '测试 lora-000001.safetensors'),
        join('output', '测试 lora-000002.safetensors'),
        join('output', '测试 lora.safetensors'),
      ]);
      expect(summary.status).toBe('completed');
      const metrics = (await readFile(join(run.dir, 'metrics.jsonl'), 'utf8')).split('\n').map(parseShimLine);
      expect(metrics.filter((m) => m.point)).toHaveLength(24); // accelerator.log path of the shim
      expect(metrics.filter((m) => m.epoch).map((m) => m.epoch?.epoch)).toEqual([1, 2, 3]);
    }
  });
});

describe('fake engine against the real one', () => {
  /** Milestones of the real sd-scripts run in fixtures/real-sd15-cpu.log, in the order it printed them. */
  const milestones = [
    'Loading settings from ',
    'Using v1 tokenizer',
    'Loading dataset config from ',
    'prepare images.',
    'found directory ',
    ' train images with repeats.',
    ' reg images with repeats.',
    'no regularization images / ',
    '[Dataset 0]',
    '[Prepare dataset 0]',
    'loading image sizes.',
    'prepare dataset',
    'preparing accelerator',
    'accelerator device: ',
    'loading model for process 0/1',
    'load StableDiffusion checkpoint: ',
    'UNet2DConditionModel: 64, 8, 768, False, False',
    'loading u-net: <All keys matched successfully>',
    'loading vae: <All keys matched successfully>',
    'loading text encoder: <All keys matched successfully>',
    'Enable SDPA for U-Net',
    'caching latents with caching strategy.',
    'caching latents...',
    'import network module: networks.lora',
    'create LoRA network. base dim (rank): 4, alpha: 1',
    'neuron dropout: p=None, rank dropout: p=None, module dropout: p=None',
    'create LoRA for Text Encoder: 72 modules.',
    'create LoRA for U-Net: 192 modules.',
    'enable LoRA for text encoder: 72 modules',
    'enable LoRA for U-Net: 192 modules',
    'prepare optimizer, data loader etc.',
    'use AdamW optimizer | {}',
    'running training / 学習開始',
    '  num train images * repeats / 学習画像の数×繰り返し回数: 8',
    '  num batches per epoch / 1epochのバッチ数: 8',
    '  num epochs / epoch数: 3',
    '  total optimization steps / 学習ステップ数: 20',
    'unet dtype: torch.float32, device: ',
    'text_encoder [0] dtype: torch.float32, device: ',
    'epoch 1/3',
    'epoch is incremented. current_epoch: 0, epoch: 1',
    'epoch 2/3',
    'generating sample images at step / サンプル画像生成 ステップ: 10',
    'prompt: etshape, a red circle on a blue background',
    'negative_prompt: lowres, blurry',
    'sample_sampler: euler_a',
    'seed: 1234',
    'saving checkpoint: ',
    'epoch 3/3',
    'generating sample images at step / サンプル画像生成 ステップ: 20',
    'saving checkpoint: ',
    'saving checkpoint: ',
    'model saved.',
  ];

  function inOrder(said: string[]): string[] {
    const missing: string[] = [];
    let at = 0;
    for (const milestone of milestones) {
      const found = said.findIndex((m, i) => i >= at && m.includes(milestone));
      if (found === -1) missing.push(milestone);
      else at = found + 1;
    }
    return missing;
  }

  it('prints the real run’s milestones in the real order, with the same files', async () => {
    const real = readFileSync(join(import.meta.dirname, 'fixtures', 'real-sd15-cpu.log'), 'utf8');
    expect(inOrder(messages(real))).toEqual([]);

    // the real run's configuration (tools/engine-truth): 8 images, 20 steps, save and sample every 10
    const images = join(work, 'data', 'et img');
    await mkdir(images, { recursive: true });
    for (let i = 1; i <= 8; i++) await writeFile(join(images, `${i}.png`), 'png');
    const dataset = join(work, 'et-dataset.toml');
    await writeFile(
      dataset,
      `[[datasets]]\nresolution = 256\nbatch_size = 1\n  [[datasets.subsets]]\n  image_dir = ${JSON.stringify(images)}\n`,
    );
    const prompts = join(work, 'et-prompts.txt');
    await writeFile(
      prompts,
      'etshape, a red circle on a blue background --n lowres, blurry --w 256 --h 256 --d 1234 --l 7 --s 10\n',
    );
    const fake = await runFake({
      config: {
        network_dim: 4,
        network_alpha: 1,
        max_train_epochs: 0,
        max_train_steps: 20,
        save_every_n_epochs: 0,
        save_every_n_steps: 10,
        sample_every_n_epochs: 0,
        sample_every_n_steps: 10,
        sample_prompts: prompts,
        output_name: 'et_lora',
      },
      extraArgs: ['--dataset_config', dataset],
    });
    expect(fake.code).toBe(0);
    expect(inOrder(messages(fake.log))).toEqual([]);
    expect(await modelFiles(fake.dir)).toEqual([
      'et_lora-step00000010.safetensors',
      'et_lora-step00000020.safetensors',
      'et_lora.safetensors',
    ]);
    const realSummary = summarizeLog(real, { exitCode: 0 });
    const fakeSummary = summarizeLog(fake.log, { exitCode: 0 });
    expect(fakeSummary.startup).toEqual(realSummary.startup);
    expect(fakeSummary.samples).toEqual(realSummary.samples);
    expect(fakeSummary.epochs).toEqual(realSummary.epochs);
  });
});
