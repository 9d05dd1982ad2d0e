import { open } from 'node:fs/promises';

import type { EpochMetric, MetricPoint, RunMetrics } from '@danlu/contracts';
import { parseShimLine } from '@danlu/engine';

export interface MetricsRecord {
  point?: MetricPoint;
  epoch?: EpochMetric;
}

/**
 * A line of metrics.jsonl as the launcher shim writes it (`{"step", "time" (ms), "values": {tag: x}}`),
 * mapped by @danlu/engine (loss/current, loss/average, lr/<group>, loss/epoch_average). Broken lines → null.
 */
export function parseMetricsLine(line: string): MetricsRecord | null {
  const mapped = parseShimLine(line);
  return mapped.point || mapped.epoch ? mapped : null;
}

/** Reads metrics.jsonl line by line (streamed: a 100,000-step file is never held as one string). */
export async function forEachMetricsLine(file: string, onLine: (line: string) => void): Promise<void> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return;
  }
  try {
    const buffer = Buffer.alloc(256 * 1024);
    const decoder = new TextDecoder('utf-8');
    let rest = '';
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const text = rest + decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    }
    // A last line without newline may still be being written: only a complete JSON object counts.
    if (rest.trim() !== '') onLine(rest);
  } finally {
    await handle.close();
  }
}

/**
 * The run's metrics, downsampled to about `maxPoints` for drawing: per bucket of consecutive steps the
 * points with the lowest and the highest loss are kept (in step order), so spikes stay visible.
 * Epoch points are few and always complete. Two streaming passes: count, then pick.
 */
export async function readMetrics(file: string, maxPoints?: number): Promise<RunMetrics> {
  let total = 0;
  const epochs = new Map<number, RunMetrics['epochs'][number]>();
  await forEachMetricsLine(file, (line) => {
    const record = parseMetricsLine(line);
    if (record?.point) total++;
    if (record?.epoch) epochs.set(record.epoch.epoch, record.epoch);
  });
  const points: MetricPoint[] = [];
  const limit = maxPoints ?? Number.POSITIVE_INFINITY;
  if (total <= limit) {
    await forEachMetricsLine(file, (line) => {
      const point = parseMetricsLine(line)?.point;
      if (point) points.push(point);
    });
  } else {
    const bucketSize = Math.ceil(total / Math.max(1, Math.floor(limit / 2)));
    let index = 0;
    let low: MetricPoint | null = null;
    let high: MetricPoint | null = null;
    const flush = () => {
      if (low && high) {
        if (low === high) points.push(low);
        else if (low.step <= high.step) points.push(low, high);
        else points.push(high, low);
      }
      low = high = null;
    };
    const value = (p: MetricPoint) => p.loss ?? p.averageLoss ?? 0;
    await forEachMetricsLine(file, (line) => {
      const point = parseMetricsLine(line)?.point;
      if (!point) return;
      if (!low || value(point) < value(low)) low = point;
      if (!high || value(point) > value(high)) high = point;
      index++;
      if (index % bucketSize === 0) flush();
    });
    flush();
  }
  return { points, epochs: [...epochs.values()].sort((a, b) => a.epoch - b.epoch), total };
}
