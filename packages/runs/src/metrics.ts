import { open } from 'node:fs/promises';

import type { EpochMetric, MetricPoint, RunMetrics } from '@danlu/contracts';
import { findTensorboardFiles, parseShimLine, readTensorboardEvents } from '@danlu/engine';
import { stat } from 'node:fs/promises';

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

/** Keeps about `maxPoints` of `points` (min and max loss per bucket, in step order). */
export function downsamplePoints(points: readonly MetricPoint[], maxPoints: number): MetricPoint[] {
  if (points.length <= maxPoints) return [...points];
  const bucketSize = Math.ceil(points.length / Math.max(1, Math.floor(maxPoints / 2)));
  const value = (p: MetricPoint) => p.loss ?? p.averageLoss ?? 0;
  const out: MetricPoint[] = [];
  for (let i = 0; i < points.length; i += bucketSize) {
    let low = points[i];
    let high = points[i];
    for (let j = i; j < Math.min(points.length, i + bucketSize); j++) {
      const p = points[j];
      if (!p || !low || !high) continue;
      if (value(p) < value(low)) low = p;
      if (value(p) > value(high)) high = p;
    }
    if (!low || !high) continue;
    if (low === high) out.push(low);
    else out.push(...(low.step <= high.step ? [low, high] : [high, low]));
  }
  return out;
}

/**
 * The run's metrics: metrics.jsonl from the launcher shim; when it has nothing (an engine that ran without
 * the shim, or the shim could not hook in), kohya's own TensorBoard files under logging_dir.
 */
export async function readRunMetrics(
  metricsFile: string,
  loggingDir: string,
  maxPoints?: number,
): Promise<RunMetrics> {
  const size = (await stat(metricsFile).catch(() => null))?.size ?? 0;
  if (size > 0) {
    const fromShim = await readMetrics(metricsFile, maxPoints);
    if (fromShim.total > 0 || fromShim.epochs.length > 0) return fromShim;
  }
  const points = new Map<number, MetricPoint>();
  const epochs = new Map<number, RunMetrics['epochs'][number]>();
  for (const file of await findTensorboardFiles(loggingDir)) {
    const read = await readTensorboardEvents(file).catch(() => null);
    for (const p of read?.points ?? []) points.set(p.step, p);
    for (const e of read?.epochs ?? []) epochs.set(e.epoch, e);
  }
  const all = [...points.values()].sort((a, b) => a.step - b.step);
  return {
    points: maxPoints ? downsamplePoints(all, maxPoints) : all,
    epochs: [...epochs.values()].sort((a, b) => a.epoch - b.epoch),
    total: all.length,
  };
}
