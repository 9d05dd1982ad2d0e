import type { BenchResult } from '@danlu/params';

import { createLogParser } from './parser.js';

/**
 * A realistic slice of a long kohya run, as engine.log holds it: `\r` redraws of the steps bar (two per
 * step: update, then set_postfix), epoch lines, Rich records wrapped at 80 columns, sample blocks with the
 * sampler's own bar, saves, and Python warnings.
 */
export function syntheticKohyaLog(steps: number, startStep = 0, total = 100_000): string {
  const out: string[] = [];
  const pad = (s: string) => s.padEnd(80, ' ');
  for (let i = 1; i <= steps; i++) {
    const step = startStep + i;
    const pct = Math.floor((step / total) * 100);
    const bar = `steps: ${String(pct).padStart(3)}%|█▏        | ${step}/${total} [1:23:45<10:12:00,  1.44it/s`;
    out.push(`\r${bar}, avr_loss=0.0912]`, `\r${bar}, avr_loss=0.0913]`);
    if (i % 10 === 0) {
      out.push(
        '\n',
        `${pad('2026-02-16 10:00:00 WARNING  torch/utils/checkpoint.py:61: UserWarning:        utils.py:212')}\n`,
        `${pad('                             None of the inputs have requires_grad=True.')}\n`,
        `${pad('                             Gradients will be None')}\n`,
      );
    }
    if (i % 100 === 0) {
      out.push(`\n\nepoch ${step / 100}/1000\n\n`);
      out.push(
        `${pad('                    INFO     epoch is incremented.             train_util.py:784')}\n`,
      );
      out.push(
        `${pad(`                             current_epoch: ${step / 100 - 1}, epoch: ${step / 100}`)}\n`,
      );
    }
    if (i % 500 === 0) {
      out.push(
        `${pad('                    INFO                                      train_util.py:6393')}\n`,
      );
      out.push(
        `${pad('                    INFO     generating sample images at step train_util.py:6394')}\n`,
      );
      out.push(`${pad(`                             / サンプル画像生成 ステップ: ${step}`)}\n`);
      for (let p = 0; p < 4; p++) {
        out.push(
          `${pad('                    INFO     prompt: 1girl, solo, long hair,  train_util.py:6542')}\n`,
        );
        out.push(`${pad('                             looking at viewer, 中文 提示词')}\n`);
        out.push(
          `${pad('                    INFO     negative_prompt: lowres, bad     train_util.py:6543')}\n`,
        );
        out.push(`${pad('                             anatomy')}\n`);
        for (let s = 0; s <= 28; s++) out.push(`\r ${s}/28 [00:0${s % 10}<00:05,  4.80it/s]\x1b[A\n`);
      }
      out.push(
        `\nsaving checkpoint: C:\\Users\\小明\\Danlu\\runs\\r1\\output\\my_lora-step${String(step).padStart(8, '0')}.safetensors\n`,
      );
    }
  }
  return out.join('');
}

export function benchLog(): Promise<BenchResult[]> {
  const block = syntheticKohyaLog(10_000);
  const target = 1_000_000;
  // warm-up
  const warm = createLogParser();
  warm.push(block);
  warm.end();

  const before = process.memoryUsage().heapUsed;
  const parser = createLogParser({ flushAtChunkEnd: false });
  let lines = 0;
  let bytes = 0;
  let peak = before;
  const t0 = performance.now();
  while (lines < target) {
    // feed in 64 KiB pieces, as a file tail would
    for (let at = 0; at < block.length; at += 65_536) {
      for (const event of parser.push(block.slice(at, at + 65_536))) if (event.kind === 'line') lines++;
    }
    bytes += block.length;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  for (const event of parser.end()) if (event.kind === 'line') lines++;
  const seconds = (performance.now() - t0) / 1000;
  const rate = lines / seconds;
  return Promise.resolve([
    {
      area: 'log parser',
      measure: `${(lines / 1e6).toFixed(2)}M-line kohya log, lines/s`,
      value: Math.round(rate),
      unit: 'lines/s',
      target: '≥ 500,000',
      pass: rate >= 500_000,
    },
    {
      area: 'log parser',
      measure: 'throughput',
      value: Math.round(bytes / seconds / 1e5) / 10,
      unit: 'MB/s (chars)',
    },
    {
      area: 'log parser',
      measure: 'heap growth while parsing (peak − start)',
      value: Math.round((peak - before) / 1e5) / 10,
      unit: 'MB',
      target: '< 64 (bounded)',
      pass: peak - before < 64 * 1024 * 1024,
    },
  ]);
}
