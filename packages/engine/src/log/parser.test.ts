import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { syntheticKohyaLog } from './bench.js';
import { createLogParser } from './parser.js';
import { parseStepsBar } from './progress.js';
import { joinRecords } from './records.js';
import type { LogEvent } from './types.js';

const fixtures = join(import.meta.dirname, 'fixtures');
/** A real sd-scripts 48d368fa run (SD1.5, CPU, 20 steps, Rich console at 80 columns), as engine.log holds it. */
const realLog = readFileSync(join(fixtures, 'real-sd15-cpu.log'), 'utf8');

function parseAll(text: string, chunks?: number[]): LogEvent[] {
  const parser = createLogParser();
  const events: LogEvent[] = [];
  if (!chunks) events.push(...parser.push(text));
  else {
    let at = 0;
    for (const size of chunks) {
      events.push(...parser.push(text.slice(at, at + size)));
      at += size;
    }
    events.push(...parser.push(text.slice(at)));
  }
  events.push(...parser.end());
  return events;
}

const of = <K extends LogEvent['kind']>(events: LogEvent[], kind: K) =>
  events.filter((e): e is Extract<LogEvent, { kind: K }> => e.kind === kind);

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('createLogParser on a real kohya log', () => {
  const events = parseAll(realLog);

  it('reads the start-up totals from the running-training block', () => {
    const startup = of(events, 'startup').at(-1)?.startup;
    expect(startup).toEqual({
      images: 8,
      regImages: 0,
      batchesPerEpoch: 8,
      epochs: 3,
      batchSize: 1,
      gradientAccumulation: 1,
      totalSteps: 20,
      buckets: [],
    });
  });

  it('follows the steps bar, epochs, samples, saves and the end line', () => {
    expect(of(events, 'epoch').map((e) => `${e.epoch}/${e.totalEpochs}`)).toEqual(['1/3', '2/3', '3/3']);
    expect(of(events, 'sampling').map((e) => e.step)).toEqual([10, 20]);
    expect(of(events, 'saved').map((e) => e.path)).toEqual([
      '/tmp/etwork-ref/out/et_lora-step00000010.safetensors',
      '/tmp/etwork-ref/out/et_lora-step00000020.safetensors',
      '/tmp/etwork-ref/out/et_lora.safetensors',
    ]);
    expect(of(events, 'finished')).toHaveLength(1);
    expect(of(events, 'error')).toEqual([]);
    const last = of(events, 'progress').at(-1)?.progress;
    expect(last).toMatchObject({
      step: 20,
      totalSteps: 20,
      epoch: 3,
      totalEpochs: 3,
      averageLoss: 1.08,
      etaSeconds: 0,
    });
    expect(last?.phase).toBe('finishing');
    expect(last?.stepsPerSecond).toBeCloseTo(1 / 15.7, 5);
  });

  it('goes through the phases in the real order', () => {
    const phases: string[] = [];
    for (const e of of(events, 'progress'))
      if (phases.at(-1) !== e.progress.phase) phases.push(e.progress.phase);
    expect(phases).toEqual([
      'preparing',
      'caching',
      'preparing',
      'training',
      'sampling',
      'saving',
      'training',
      'sampling',
      'saving', // the step-20 save; the redraw at the same step does not count as training
      'finishing',
    ]);
  });

  it('emits every line once, collapsed to its last redraw, without control characters', () => {
    const lines = of(events, 'line');
    expect(lines.map((l) => l.lineNo)).toEqual(lines.map((_, i) => i));
    expect(lines.length).toBe(realLog.split('\n').length - 1);
    for (const line of lines) expect(line.text.includes('\r') || line.text.includes('\u001b')).toBe(false);
    const bar = lines.find((l) => l.text.startsWith('steps:  40%'));
    expect(bar?.text).toBe('steps:  40%|████      | 8/20 [03:33<05:20, 26.72s/it, avr_loss=1.12]');
  });

  /**
   * Everything but progress must be identical however the stream is cut. Progress events are snapshots
   * coalesced per chunk, so their number depends on the chunks; their phase sequence and the last one
   * must not.
   */
  const invariant = (list: LogEvent[]) => {
    const phases: string[] = [];
    for (const e of of(list, 'progress'))
      if (phases.at(-1) !== e.progress.phase) phases.push(e.progress.phase);
    return JSON.stringify({
      events: list.filter((e) => e.kind !== 'progress'),
      phases,
      last: of(list, 'progress').at(-1),
    });
  };

  it('gives the same events however the stream is cut (chunk boundary fuzz)', () => {
    const whole = invariant(events);
    const random = seeded(7);
    for (let round = 0; round < 25; round++) {
      const sizes: number[] = [];
      for (let total = 0; total < realLog.length;) {
        const size = 1 + Math.floor(random() * (round % 3 === 0 ? 8 : 400));
        sizes.push(size);
        total += size;
      }
      expect(invariant(parseAll(realLog, sizes)) === whole).toBe(true);
    }
  });

  it('reads the same log with Windows line breaks', () => {
    const crlf = realLog.replace(/\n/g, '\r\n');
    const random = seeded(3);
    const sizes = Array.from({ length: 400 }, () => 1 + Math.floor(random() * 120));
    const strip = (list: LogEvent[]) => invariant(list.filter((e) => e.kind !== 'line'));
    expect(strip(parseAll(crlf, sizes)) === strip(events)).toBe(true);
    expect(of(parseAll(crlf, sizes), 'line').map((l) => l.text)).toEqual(
      of(events, 'line').map((l) => l.text),
    );
  });
});

describe('Rich records', () => {
  it('joins folded paths and word-wrapped text back into one message', () => {
    const records = joinRecords(realLog.split('\n').slice(0, 40));
    const messages = records.map((r) => r.message);
    expect(messages).toContain('Loading settings from /tmp/etwork-ref/cfg/config.toml...');
    expect(messages).toContain('load tokenizer from cache: /work/main/.et/tok/openai_clip-vit-large-patch14');
    expect(messages).toContain('found directory /tmp/etwork-ref/data/img contains 8 image files');
    expect(records.find((r) => r.message.startsWith('no regularization'))?.level).toBe('WARNING');
  });

  it('joins a Chinese/Japanese message folded at double-width characters (real "No data found")', () => {
    const log = readFileSync(join(fixtures, 'real-no-data.log'), 'utf8');
    const record = joinRecords(log.split('\n')).find((r) => r.level === 'ERROR');
    expect(record?.message).toBe(
      'No data found. Please verify arguments (train_data_dir must be the parent of folders with images) / ' +
        '画像がありません。引数指定を確認してください（train_data_dirには画像があるフォルダではなく、画像があるフォルダの親フォルダを指定する必要があります）',
    );
    const events = parseAll(log);
    expect(of(events, 'error').map((e) => e.text.slice(0, 13))).toEqual(['No data found']);
  });

  it('keeps multi-line messages (the [Dataset 0] block) as separate lines', () => {
    const record = joinRecords(realLog.split('\n')).find((r) => r.message.startsWith('[Dataset 0]\n'));
    expect(record?.message.split('\n')).toContain('    image_dir: "/tmp/etwork-ref/data/img"');
    expect(record?.message.split('\n')).toContain('    caption_dropout_every_n_epochs: 0');
  });

  it('reads a wide console (COLUMNS=250) and a folded Windows path in a narrow one', () => {
    const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));
    const wide =
      `2026-02-16 10:00:00 INFO     ${pad('saving checkpoint: D:\\训练\\输出 目录\\my_lora-000002.safetensors', 250 - 29 - 1 - 18)} train_util.py:5889\n` +
      `                    INFO     ${pad('model saved.', 250 - 29 - 1 - 15)} train_db.py:508\n`;
    const events = parseAll(wide);
    expect(of(events, 'saved').map((e) => e.path)).toEqual([
      'D:\\训练\\输出 目录\\my_lora-000002.safetensors',
    ]);
    expect(of(events, 'finished')).toHaveLength(1);
    // 80 columns: message column = 80 - 29 - 1 - len("train_util.py:5889") = 32 cells
    const narrow = [
      '2026-02-16 10:00:00 INFO     saving checkpoint:               train_util.py:5889',
      '                             C:\\Users\\小明\\Danlu\\runs\\a1b2\\ou                   ',
      '                             t\\小明的LoRA-000001.safetensors                    ',
      '                    INFO     model saved.                       train_db.py:508',
      '',
    ].join('\r\n');
    expect(of(parseAll(narrow), 'saved').map((e) => e.path)).toEqual([
      'C:\\Users\\小明\\Danlu\\runs\\a1b2\\out\\小明的LoRA-000001.safetensors',
    ]);
  });

  it('finds a record written on the line of a progress bar', () => {
    const log =
      '\rsteps:  50%|█████     | 10/20 [03:49<03:49, 22.99s/it, avr_loss=1.12]2026-12-02 14:20:56 INFO                                      train_util.py:6393\n' +
      '                    INFO     generating sample images at step train_util.py:6394\n' +
      '                             / サンプル画像生成 ステップ: 10                    \n';
    const events = parseAll(log);
    expect(of(events, 'sampling')).toEqual([{ kind: 'sampling', step: 10, epoch: null }]);
    expect(of(events, 'progress').at(-1)?.progress).toMatchObject({ step: 10, phase: 'sampling' });
  });
});

describe('plain lines (--console_log_simple, prints, tracebacks)', () => {
  const simple = [
    'Loading dataset config from C:\\Users\\张三\\Danlu\\runs\\r1\\dataset.toml',
    '40 train images with repeats.',
    '0 reg images with repeats.',
    'make buckets',
    'bucket 0: resolution (832, 1216), count: 120',
    'bucket 1: resolution (1024, 1024), count: 280',
    'override steps. steps for 10 epochs is / 指定エポックまでのステップ数: 2000',
    'running training / 学習開始',
    '  num train images * repeats / 学習画像の数×繰り返し回数: 400',
    '  num reg images / 正則化画像の数: 0',
    '  num batches per epoch / 1epochのバッチ数: 200',
    '  num epochs / epoch数: 10',
    '  batch size per device / バッチサイズ: 2',
    '  gradient accumulation steps / 勾配を合計するステップ数 = 1',
    '  total optimization steps / 学習ステップ数: 2000',
    '',
    'epoch 1/10',
    '',
  ].join('\n');

  it('reads the start-up figures and buckets', () => {
    const startup = of(parseAll(simple), 'startup').at(-1)?.startup;
    expect(startup).toEqual({
      images: 400,
      regImages: 0,
      batchesPerEpoch: 200,
      epochs: 10,
      batchSize: 2,
      gradientAccumulation: 1,
      totalSteps: 2000,
      buckets: [
        { width: 832, height: 1216, count: 120 },
        { width: 1024, height: 1024, count: 280 },
      ],
    });
  });

  it('reads train_db.py\'s "gradient ccumulation" spelling', () => {
    const events = parseAll('  gradient ccumulation steps / 勾配を合計するステップ数 = 4\n');
    expect(of(events, 'startup').at(-1)?.startup.gradientAccumulation).toBe(4);
  });

  it('reports the exception line of each traceback, chained ones included', () => {
    const log = [
      'Traceback (most recent call last):',
      '  File "C:\\sd-scripts\\library\\train_util.py", line 4892, in get_optimizer',
      '    import bitsandbytes as bnb',
      "ModuleNotFoundError: No module named 'bitsandbytes'",
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "C:\\sd-scripts\\train_network.py", line 1913, in <module>',
      '    trainer.train(args)',
      '           ^^^^^^^^^^^',
      'ImportError: No bitsandbytes / bitsandbytesがインストールされていないようです',
      '',
    ].join('\n');
    expect(of(parseAll(log), 'error').map((e) => [e.text, e.lineNo])).toEqual([
      ["ModuleNotFoundError: No module named 'bitsandbytes'", 3],
      ['ImportError: No bitsandbytes / bitsandbytesがインストールされていないようです', 11],
    ]);
  });

  it('strips ANSI colours (LyCORIS logs with them even into files)', () => {
    const log = '2026-02-16 10:00:00|[LyCORIS]-\x1b[32mINFO\x1b[0m: Using rank adaptation algo: lokr\n';
    const lines = of(parseAll(log), 'line');
    expect(lines[0]?.text).toBe('2026-02-16 10:00:00|[LyCORIS]-INFO: Using rank adaptation algo: lokr');
  });

  it('reports a NaN loss once, as an error', () => {
    const log =
      '\rsteps:  10%|#         | 10/100 [00:10<01:30,  1.00it/s, avr_loss=0.12]' +
      '\rsteps:  11%|#1        | 11/100 [00:11<01:29,  1.00it/s, avr_loss=nan]' +
      '\rsteps:  12%|#2        | 12/100 [00:12<01:28,  1.00it/s, avr_loss=nan]\n';
    const events = parseAll(log);
    expect(of(events, 'error')).toHaveLength(1);
    expect(of(events, 'error')[0]?.text).toContain('avr_loss=nan');
    expect(of(events, 'progress').at(-1)?.progress).toMatchObject({ step: 12, averageLoss: null });
  });
});

describe('parseStepsBar', () => {
  it.each([
    [
      'steps:  12%|█▏        | 120/1000 [01:23<10:12,  1.44it/s, avr_loss=0.0912]',
      {
        step: 120,
        total: 1000,
        elapsedSeconds: 83,
        etaSeconds: 612,
        stepsPerSecond: 1.44,
        averageLoss: 0.0912,
      },
    ],
    [
      'steps: 100%|##########| 40/40 [1:00:42<00:00,  4.00s/it, avr_loss=0.145]',
      { step: 40, total: 40, elapsedSeconds: 3642, etaSeconds: 0, stepsPerSecond: 0.25, averageLoss: 0.145 },
    ],
    [
      'steps:   0%|          | 0/1000 [00:00<?, ?it/s]',
      { step: 0, total: 1000, elapsedSeconds: 0, etaSeconds: null, stepsPerSecond: null, averageLoss: null },
    ],
    [
      'steps:   0%|          | 3/1000 [00:05<28:41,  1.73s/it, Average key norm=0.512, Keys Scaled=3, avr_loss=1.23e+3]',
      { step: 3, total: 1000, elapsedSeconds: 5, etaSeconds: 1721, averageLoss: 1230 },
    ],
    ['steps:  50% 5/10 [00:05<00:05,  1.00it/s, avr_loss=0.2]', { step: 5, total: 10, averageLoss: 0.2 }],
  ])('%s', (text, expected) => {
    expect(parseStepsBar(text)).toMatchObject(expected);
  });

  it('ignores other bars', () => {
    expect(parseStepsBar('validation steps:  50%|█████     | 1/2 [00:01<00:01,  1.00it/s]')).toBeNull();
    expect(parseStepsBar(' 10%|█         | 1/10 [00:08<01:20,  9.00s/it]')).toBeNull();
  });
});

describe('bounded memory', () => {
  it('caps a 100 MB single line fed in pieces and keeps going', () => {
    const parser = createLogParser({ maxLineChars: 4096 });
    const piece = 'x'.repeat(1 << 20);
    const before = process.memoryUsage().heapUsed;
    let lines = 0;
    for (let i = 0; i < 100; i++) lines += of(parser.push(piece), 'line').length;
    const during = process.memoryUsage().heapUsed;
    const tail = parser.push('\nepoch 1/2\n');
    const capped = of(tail, 'line')[0];
    expect(lines).toBe(0);
    expect(capped?.text.length).toBeLessThan(4200);
    expect(capped?.text).toMatch(/… \[104853504 more characters\]$/);
    expect(of(tail, 'epoch')).toEqual([{ kind: 'epoch', epoch: 1, totalEpochs: 2 }]);
    // holding the line would take 200 MB (UTF-16); allow generous slack for the collector's timing
    expect(during - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('caps a line made of endless \\r redraws', () => {
    const parser = createLogParser({ maxLineChars: 1024 });
    const redraw = `\r${'steps:   1%|          | 1/100 [00:01<01:39,  1.00it/s, avr_loss=0.1]'.padEnd(2000, ' ')}`;
    for (let i = 0; i < 2000; i++) parser.push(redraw);
    const line = of(parser.end(), 'line')[0];
    expect(line?.text.startsWith('steps:   1%')).toBe(true);
    expect(line?.text.length).toBeLessThan(1100);
    expect(parser.state().progress).toMatchObject({ step: 1, totalSteps: 100 });
  });
});

describe('the benchmark log', () => {
  it('parses to what it contains (so the benchmark measures a working parser)', () => {
    const events = parseAll(syntheticKohyaLog(1000));
    expect(of(events, 'saved')).toHaveLength(2);
    expect(of(events, 'sampling').map((e) => e.step)).toEqual([500, 1000]);
    expect(of(events, 'epoch')).toHaveLength(10);
    expect(of(events, 'progress').at(-1)?.progress).toMatchObject({ step: 1000, totalSteps: 100_000 });
    expect(of(events, 'error')).toEqual([]);
  });
});

describe('live tail options', () => {
  const row = '2026-02-16 10:00:00 INFO     model saved.                  train_network.py:1729\n';

  it('flushAtChunkEnd makes the last Rich record visible without waiting for the next line', () => {
    const live = createLogParser({ flushAtChunkEnd: true, firstLineNo: 500 });
    const events = live.push(row);
    expect(of(events, 'finished')).toEqual([{ kind: 'finished', lineNo: 500 }]);
    expect(live.state()).toMatchObject({ finished: true, lineCount: 501 });
    // by default the record stays open (it may continue on the next row) until more arrives or end()
    const file = createLogParser();
    expect(of(file.push(row), 'finished')).toEqual([]);
    expect(of(file.end(), 'finished')).toHaveLength(1);
  });
});
