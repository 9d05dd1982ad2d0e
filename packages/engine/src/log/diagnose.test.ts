import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DiagnosisSchema } from '@danlu/contracts';
import { catalogue } from '@danlu/params';
import { describe, expect, it } from 'vitest';

import { diagnose, DiagnosisTail, type DiagnoseInput } from './diagnose.js';
import { summarizeLog } from './summary.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const ids = new Set(catalogue.map((entry) => entry.id));

/** Runs the catalogue and checks every diagnosis against the contract and the parameter catalogue. */
function check(input: Partial<DiagnoseInput> & { lines: readonly string[] }) {
  const result = diagnose({ exitCode: 1, ...input });
  if (result) {
    expect(DiagnosisSchema.parse(result)).toEqual(result);
    for (const fix of result.fixes) {
      for (const id of Object.keys(fix.patch ?? {})) expect(ids, `${fix.id} patches ${id}`).toContain(id);
    }
    expect(result.title.zh).not.toBe(result.title.en);
    expect(result.explanation.zh.length).toBeGreaterThan(10);
  }
  return result;
}

const traceback = (...tail: string[]) => [
  'Traceback (most recent call last):',
  '  File "C:\\lora-scripts\\sd-scripts\\train_network.py", line 1913, in <module>',
  '    trainer.train(args)',
  ...tail,
];

describe('diagnose', () => {
  it('CUDA out of memory, with fixes tailored to the configuration', () => {
    const result = check({
      lines: traceback(
        '  File "C:\\lora-scripts\\sd-scripts\\train_network.py", line 1427, in train',
        'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.50 GiB. GPU 0 has a total capacity of 7.99 GiB of which 0 bytes is free.',
        "subprocess.CalledProcessError: Command '['python', 'train_network.py']' returned non-zero exit status 1.",
      ),
      config: {
        family: 'sdxl',
        values: {
          train_batch_size: 4,
          gradient_checkpointing: true,
          optimizer_type: 'AdamW',
          resolution: '1024,1024',
        },
      },
    });
    expect(result?.code).toBe('cuda_oom');
    expect(result?.evidence).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory/);
    const patches = Object.fromEntries(result?.fixes.map((f) => [f.id, f.patch]) ?? []);
    expect(patches.lower_batch).toEqual({ train_batch_size: 2 });
    expect(patches.gradient_checkpointing).toBeUndefined(); // already on
    expect(patches.adamw8bit).toEqual({ optimizer_type: 'AdamW8bit' });
    expect(patches.sdxl_unet_only).toEqual({
      network_train_unet_only: true,
      cache_text_encoder_outputs: true,
    });
    expect(patches.lower_resolution).toEqual({ resolution: '768,768' });
  });

  it('old-torch OOM wording is recognised too', () => {
    expect(check({ lines: ['RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB'] })?.code).toBe(
      'cuda_oom',
    );
  });

  it('NaN in latents (fatal) and a NaN loss in a run that exited 0', () => {
    const latents = check({
      lines: traceback('RuntimeError: NaN detected in latents: D:\\数据集\\10_girl\\img 003.png'),
    });
    expect(latents?.code).toBe('nan_loss');
    expect(latents?.explanation.zh).toContain('D:\\数据集\\10_girl\\img 003.png');
    const quiet = check({
      lines: ['steps:  30%|###       | 30/100 [00:30<01:10,  1.00it/s, avr_loss=nan]', 'model saved.'],
      exitCode: 0,
      savedModelCount: 3,
      config: { values: { mixed_precision: 'fp16', learning_rate: 0.0004 } },
    });
    expect(quiet?.code).toBe('nan_loss');
    expect(quiet?.fixes.map((f) => f.patch)).toEqual([
      { no_half_vae: true },
      { mixed_precision: 'bf16' },
      { learning_rate: 0.0002 },
    ]);
  });

  it.each([
    [
      [
        "ModuleNotFoundError: No module named 'bitsandbytes'",
        'ImportError: No bitsandbytes / bitsandbytesがインストールされていないようです',
      ],
      'bitsandbytes',
      'pip install bitsandbytes',
      { optimizer_type: 'AdamW' },
    ],
    [
      [
        "ModuleNotFoundError: No module named 'xformers'",
        'ImportError: No xformers / xformersがインストールされていないようです',
      ],
      'xformers',
      'pip install xformers',
      { xformers: false, sdpa: true },
    ],
    [
      ["ModuleNotFoundError: No module named 'lycoris'"],
      'lycoris',
      'pip install lycoris-lora',
      { network_module: 'networks.lora' },
    ],
    [
      ['ImportError: No Prodigy / Prodigyがインストールされていないようです'],
      'prodigyopt',
      'pip install prodigyopt',
      { optimizer_type: 'AdamW' },
    ],
  ])('missing module %#', (lines, module, pip, patch) => {
    const result = check({ lines: traceback(...lines) });
    expect(result?.code).toBe('missing_module');
    expect(result?.title.en).toBe(`Missing Python module: ${module}`);
    expect(result?.fixes[0]?.label.en).toContain(pip);
    expect(result?.fixes[1]?.patch).toEqual(patch);
  });

  it('a missing sd-scripts module means a broken engine folder', () => {
    expect(check({ lines: traceback("ModuleNotFoundError: No module named 'library'") })?.code).toBe(
      'engine_missing',
    );
    expect(
      check({
        lines: [
          "python: can't open file 'D:\\\\sd-scripts\\\\train_network.py': [Errno 2] No such file or directory",
        ],
      })?.code,
    ).toBe('engine_missing');
  });

  it('"No data found" exits 0 and is still a failure (real log)', () => {
    const summary = summarizeLog(read('real-no-data.log'), { exitCode: 0, savedModelCount: 0 });
    expect(summary.diagnosis?.code).toBe('no_data');
    expect(summary.status).toBe('failed');
  });

  it('folders without the N_ prefix', () => {
    const result = check({
      lines: [
        '2026-02-16 10:00:00 WARNING  ignore directory without repeats /    train_util.py:2034',
        '                             繰り返し回数のないディレクトリを無視します: girl                    ',
        '                    ERROR    No data found. Please verify      train_network.py:576',
        '                             arguments (train_data_dir must be                   ',
      ],
      exitCode: 0,
      savedModelCount: 0,
    });
    expect(result?.code).toBe('bad_folder_name');
    expect(result?.explanation.en).toContain('skipped: girl');
  });

  it('SDXL checkpoint in SD1.5 mode, and the reverse', () => {
    const sd1 = check({
      lines: traceback(
        'RuntimeError: Error(s) in loading state_dict for UNet2DConditionModel:',
        '\tsize mismatch for down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight: copying a param with shape torch.Size([640, 2048]) from checkpoint, the shape in current model is torch.Size([640, 768]).',
      ),
      config: { family: 'sd1' },
    });
    expect(sd1?.code).toBe('wrong_model_family');
    expect(sd1?.explanation.en).toContain('SD1.5 mode loaded an SDXL');
    const sdxl = check({
      lines: traceback(
        'RuntimeError: Error(s) in loading state_dict for SdxlUNet2DConditionModel:',
        '\tMissing key(s) in state_dict: "input_blocks.0.0.weight". ',
      ),
    });
    expect(sdxl?.code).toBe('wrong_model_family');
    expect(sdxl?.explanation.en).toContain('SDXL training was chosen');
  });

  it('model file missing (real log) and a damaged file', () => {
    const summary = summarizeLog(read('real-model-missing.log'), { exitCode: 1 });
    expect(summary.diagnosis?.code).toBe('model_load_failed');
    expect(summary.diagnosis?.evidence).toContain('is neither a valid local path nor a valid repo id');
    expect(
      check({
        lines: traceback(
          'safetensors_rust.SafetensorError: Error while deserializing header: HeaderTooLarge',
        ),
      })?.code,
    ).toBe('model_load_failed');
  });

  it('tokenizer download failure offline', () => {
    const result = check({
      lines: traceback(
        "OSError: Can't load tokenizer for 'openai/clip-vit-large-patch14'. If you were trying to load it from 'https://huggingface.co/models', make sure you don't have a local directory with the same name.",
      ),
    });
    expect(result?.code).toBe('tokenizer_download');
    expect(result?.explanation.zh).toContain('hf-mirror.com');
  });

  it('a crash inside sample generation', () => {
    const result = check({
      lines: traceback(
        '  File "/sd-scripts/train_network.py", line 1487, in train',
        '    self.sample_images(',
        '  File "/sd-scripts/library/train_util.py", line 6409, in sample_images_common',
        '    sample_image_inference(',
        'IndexError: index 11 is out of bounds for dimension 0 with size 11',
      ),
    });
    expect(result?.code).toBe('sample_failed');
    expect(result?.evidence).toBe('IndexError: index 11 is out of bounds for dimension 0 with size 11');
    expect(result?.fixes[0]?.patch).toEqual({
      sample_every_n_steps: null,
      sample_every_n_epochs: null,
      sample_at_first: false,
    });
  });

  it.each([
    'OSError: [Errno 28] No space left on device',
    'OSError: [WinError 112] There is not enough space on the disk',
    'RuntimeError: [enforce fail at inline_container.cc:595] . unexpected pos 1234 vs 5678 (errno 28)',
  ])('disk full: %s', (line) => {
    expect(check({ lines: traceback(line) })?.code).toBe('disk_full');
  });

  it('stuck: silent for longer than the threshold while running', () => {
    const lines = ['steps:  10%|#         | 10/100 [00:10<01:30,  1.00it/s, avr_loss=0.1]'];
    expect(check({ lines, exitCode: null, silentSeconds: 60 })).toBeNull();
    const result = check({ lines, exitCode: null, silentSeconds: 1500 });
    expect(result?.code).toBe('stuck');
    expect(result?.explanation.en).toContain('25 minutes');
    expect(check({ lines, exitCode: null, silentSeconds: 90, stuckAfterSeconds: 60 })?.code).toBe('stuck');
  });

  it('exit 0 without a saved model', () => {
    expect(
      check({
        lines: ['steps: 100%|##########| 10/10 [00:10<00:00,  1.00it/s, avr_loss=0.1]'],
        exitCode: 0,
        savedModelCount: 0,
      })?.code,
    ).toBe('no_model_saved');
    expect(check({ lines: ['model saved.'], exitCode: 0, savedModelCount: 1 })).toBeNull();
  });

  it.each([
    [137, null, 'SIGKILL'],
    [null, 'SIGKILL', 'SIGKILL'],
    [-1073740791, null, '0xC0000409'],
    [3221225477, null, '0xC0000005'],
  ] as const)('killed: exit %s signal %s', (exitCode, signal, shown) => {
    const result = check({ lines: ['steps:  10%|#         | 10/100'], exitCode, signal });
    expect(result?.code).toBe('killed');
    expect(`${result?.explanation.en ?? ''} ${result?.evidence ?? ''}`).toContain(shown);
  });

  it('a user stop is no failure', () => {
    expect(check({ lines: traceback('KeyboardInterrupt'), exitCode: 130, stoppedByUser: true })).toBeNull();
    expect(check({ lines: [], exitCode: null, signal: 'SIGTERM', stoppedByUser: true })).toBeNull();
  });

  it('a generic traceback quotes the exception, not the launcher', () => {
    const result = check({
      lines: [
        ...traceback("AttributeError: 'int' object has no attribute 'split'"),
        'Traceback (most recent call last):',
        '  File "<frozen runpy>", line 198, in _run_module_as_main',
        "subprocess.CalledProcessError: Command '['/venv/bin/python', 'train_network.py']' returned non-zero exit status 1.",
      ],
    });
    expect(result?.code).toBe('python_error');
    expect(result?.evidence).toBe("AttributeError: 'int' object has no attribute 'split'");
  });

  it('known Python errors get their own words: dataset key typo (real log), warm-up, no GPU', () => {
    const typo = summarizeLog(read('real-dataset-typo.log'), { exitCode: 1 }).diagnosis;
    expect(typo?.code).toBe('python_error');
    expect(typo?.explanation.en).toContain(
      "extra keys not allowed @ data['datasets'][0]['subsets'][0]['num_repeat']",
    );
    const warmup = check({
      lines: traceback('ValueError: constant does not require `num_warmup_steps`. Set None or 0.'),
    });
    expect(warmup?.fixes[0]?.patch).toEqual({ lr_warmup_steps: 0 });
    expect(check({ lines: traceback('ValueError: fp16 mixed precision requires a GPU') })?.title.en).toBe(
      'The engine cannot use the GPU',
    );
  });

  it('unknown non-zero exit, and nothing to say about a clean run', () => {
    expect(check({ lines: ['something odd'], exitCode: 3 })?.code).toBe('unknown_exit');
    expect(
      check({ lines: read('real-sd15-cpu.log').split('\n'), exitCode: 0, savedModelCount: 3 }),
    ).toBeNull();
  });
});

describe('DiagnosisTail', () => {
  it('keeps the last lines plus earlier error lines, bounded', () => {
    const tail = new DiagnosisTail(5, 2);
    tail.push("ModuleNotFoundError: No module named 'x'");
    for (let i = 0; i < 1000; i++) tail.push(`line ${i}`);
    tail.push('Traceback (most recent call last):');
    expect(tail.lines()).toEqual([
      "ModuleNotFoundError: No module named 'x'",
      'line 996',
      'line 997',
      'line 998',
      'line 999',
      'Traceback (most recent call last):',
    ]);
  });
});
