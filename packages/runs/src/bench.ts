import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { BenchResult } from '@danlu/params';

import { createParser } from './engineBridge.js';
import { LogIndex } from './logfile.js';
import { readMetrics } from './metrics.js';
import { RunWatcher } from './watcher.js';

/** A real GC before each heap reading (pnpm bench runs without --expose-gc). */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}
const gc = exposeGc();

function heapMb(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** What the engine writes for `steps` steps: bar redraws on engine.log, one JSON line per step on metrics.jsonl. */
function stepChunk(from: number, to: number, total: number): { log: string; metrics: string } {
  let log = '';
  let metrics = '';
  for (let s = from; s < to; s++) {
    log += `\rsteps: ${Math.floor((s * 100) / total)}%|███▌      | ${s}/${total} [01:23<10:12,  20.0it/s, avr_loss=0.0912]`;
    if (s % 1000 === 0) log += `\nepoch ${s / 1000}/${total / 1000}\n`;
    metrics += `{"step": ${s}, "time": ${1_700_000_000_000 + s}, "values": {"loss/current": ${0.1 + (s % 7) / 100}, "loss/average": 0.1, "lr/unet": 0.0001, "lr/textencoder": 0.00005}}\n`;
  }
  return { log, metrics };
}

/**
 * Run-service benchmarks: memory while following a 100,000-step run (the watcher must stay flat: the
 * files are the store), tail throughput, reading a page deep in a million-line log, metrics downsampling.
 */
export async function benchRuns(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'danlu-bench-runs '));
  const results: BenchResult[] = [];
  try {
    const total = 100_000;
    await writeFile(join(dir, 'engine.log'), '');
    await writeFile(join(dir, 'metrics.jsonl'), '');
    const watcher = new RunWatcher(dir, 'bench', createParser, [], 60_000);
    let points = 0;
    let atTenth = 0;
    const started = performance.now();
    for (let s = 1; s <= total; s += 500) {
      const chunk = stepChunk(s, s + 500, total);
      await appendFile(join(dir, 'engine.log'), chunk.log);
      await appendFile(join(dir, 'metrics.jsonl'), chunk.metrics);
      await watcher.poll();
      points += watcher.takeBatch()?.newPoints.length ?? 0;
      if (s === 10_001) atTenth = heapMb();
    }
    const seconds = (performance.now() - started) / 1000;
    const growth = heapMb() - atTenth;
    await watcher.close();
    results.push({
      area: 'runs',
      measure: `heap growth following steps 10k→100k${gc ? '' : ' (no --expose-gc: noisy)'}`,
      value: Math.round(growth * 10) / 10,
      unit: 'MB',
      target: '< 16',
      pass: growth < 16 && points === total,
    });
    results.push({
      area: 'runs',
      measure: 'live follow: steps read per second (log + metrics)',
      value: Math.round(total / seconds),
      unit: 'steps/s',
      target: '≥ 20,000',
      pass: total / seconds >= 20_000,
    });

    const t0 = performance.now();
    const metrics = await readMetrics(join(dir, 'metrics.jsonl'), 2000);
    results.push({
      area: 'runs',
      measure: 'runs.metrics 100,000 points → 2,000 (min/max buckets)',
      value: Math.round(performance.now() - t0),
      unit: 'ms',
      target: '< 1500',
      pass: performance.now() - t0 < 1500 && metrics.total === total,
    });

    const big = join(dir, 'big.log');
    const line = 'some logger line with a few words in it, like kohya prints them: 123\n';
    await writeFile(big, line.repeat(1_000_000));
    const index = new LogIndex(big);
    const t1 = performance.now();
    await index.update();
    const indexMs = performance.now() - t1;
    results.push({
      area: 'runs',
      measure: 'log index of 1,000,000 lines',
      value: Math.round(1_000_000 / (indexMs / 1000)),
      unit: 'lines/s',
      target: '≥ 1,000,000',
      pass: 1_000_000 / (indexMs / 1000) >= 1_000_000,
    });
    const t2 = performance.now();
    const page = await index.page(900_000, 500, true);
    results.push({
      area: 'runs',
      measure: 'runs.log page at line 900,000 of 1,000,000',
      value: Math.round((performance.now() - t2) * 10) / 10,
      unit: 'ms',
      target: '< 50',
      pass: performance.now() - t2 < 50 && page.lines.length === 500,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}
