import { open } from 'node:fs/promises';

import type { EpochMetric, MetricPoint, RunMetrics } from '@danlu/contracts';

export interface MetricsRecord {
  point?: MetricPoint;
  epoch?: EpochMetric;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * One accelerate `log(values, step)` call as a step point and/or an epoch point. The tag names are
 * kohya's (reference §6.6): loss/current, loss/average, lr/<group>, loss/epoch_average (x = epoch),
 * older loss/epoch; train_db's `loss`.
 */
export function metricsFromValues(
  step: number,
  time: number,
  values: Record<string, unknown>,
): MetricsRecord {
  const out: MetricsRecord = {};
  const epochLoss = values['loss/epoch_average'] ?? values['loss/epoch'];
  if (epochLoss !== undefined) {
    // kohya logs the epoch average with step = epoch number.
    out.epoch = { epoch: Math.max(0, Math.round(step)), averageLoss: num(epochLoss), step: null };
  }
  const lr: Record<string, number> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith('lr/') && typeof value === 'number' && Number.isFinite(value))
      lr[key.slice(3)] = value;
  }
  const loss = num(values['loss/current'] ?? values['loss']);
  const averageLoss = num(values['loss/average']);
  if (loss !== null || averageLoss !== null || Object.keys(lr).length > 0) {
    out.point = { step: Math.max(0, Math.round(step)), loss, averageLoss, lr, time };
  }
  return out;
}

/**
 * A line of metrics.jsonl as the shim writes it: `{"step": n, "time": seconds-or-ms, "values": {tag: x}}`
 * (flat `{step, tag: x}` accepted too). Broken lines give null and are skipped.
 */
export function parseMetricsLine(line: string): MetricsRecord | null {
  const text = line.trim();
  if (text === '' || text[0] !== '{') return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Record<string, unknown>;
  const step = num(o['step']);
  if (step === null) return null;
  const rawTime = num(o['time']) ?? num(o['t']) ?? Date.now();
  // Python's time.time() is seconds; the contract wants ms.
  const time = rawTime < 1e11 ? rawTime * 1000 : rawTime;
  const values =
    typeof o['values'] === 'object' && o['values'] !== null ? (o['values'] as Record<string, unknown>) : o;
  return metricsFromValues(step, time, values);
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
