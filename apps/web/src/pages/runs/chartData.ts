import type { MetricPoint } from '@danlu/contracts';

/** One row of the loss/LR charts; recharts draws every key that is a number and skips the nulls. */
export interface ChartRow {
  step: number;
  loss: number | null;
  smoothed: number | null;
  average: number | null;
  /** `lr:<group>` keys, one per learning-rate group. */
  [lr: `lr:${string}`]: number | null;
}

/**
 * TensorBoard's smoothing: an exponential moving average, de-biased so the first points are not pulled
 * towards zero. Missing and non-finite values stay null and do not move the average.
 */
export function emaSmooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  const out = new Array<number | null>(values.length);
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined || !Number.isFinite(value)) {
      out[i] = null;
      continue;
    }
    last = last * w + (1 - w) * value;
    count++;
    out[i] = w === 0 ? value : last / (1 - Math.pow(w, count));
  }
  return out;
}

/** Index of the first point whose step is >= step (points are sorted by step). */
export function lowerBound(points: readonly { step: number }[], step: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid]?.step ?? Infinity) < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Picks at most about `maxPoints` indices of [from, to) for drawing: per bucket the first, the lowest and
 * the highest value of `values`, so spikes survive however far the chart is zoomed out. Sorted, unique.
 */
export function minMaxIndices(
  values: readonly (number | null)[],
  from: number,
  to: number,
  maxPoints: number,
): number[] {
  const count = to - from;
  if (count <= 0) return [];
  if (count <= maxPoints) return Array.from({ length: count }, (_, i) => from + i);
  const buckets = Math.max(1, Math.floor(maxPoints / 3));
  const size = count / buckets;
  const picked: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = from + Math.floor(b * size);
    const end = Math.min(to, from + Math.floor((b + 1) * size));
    if (end <= start) continue;
    let minAt = -1;
    let maxAt = -1;
    for (let i = start; i < end; i++) {
      const value = values[i];
      if (value === null || value === undefined || !Number.isFinite(value)) continue;
      if (minAt < 0 || value < (values[minAt] as number)) minAt = i;
      if (maxAt < 0 || value > (values[maxAt] as number)) maxAt = i;
    }
    const inBucket = [start, minAt, maxAt].filter((i) => i >= 0).sort((a, b2) => a - b2);
    for (const i of inBucket) if (picked.at(-1) !== i) picked.push(i);
  }
  if (picked.at(-1) !== to - 1) picked.push(to - 1);
  return picked;
}

export interface ChartSeries {
  rows: ChartRow[];
  lrGroups: string[];
  /** Points inside the visible range before downsampling. */
  visible: number;
}

/**
 * All the loss/LR chart needs for one frame: smoothing over the whole run (so zooming does not change the
 * curve), then the visible step range cut out and downsampled for drawing. The store keeps every point.
 */
export function buildChartSeries(
  points: readonly MetricPoint[],
  options: { smoothing: number; maxPoints: number; range?: readonly [number, number] | null },
): ChartSeries {
  const losses = points.map((p) => p.loss);
  const smoothed = emaSmooth(losses, options.smoothing);
  const groups = new Set<string>();
  // LR groups rarely change mid-run; looking at a spread of points finds them without a full pass.
  const stride = Math.max(1, Math.floor(points.length / 200));
  for (let i = 0; i < points.length; i += stride)
    for (const key of Object.keys(points[i]?.lr ?? {})) groups.add(key);
  const last = points.at(-1);
  if (last) for (const key of Object.keys(last.lr)) groups.add(key);
  const lrGroups = [...groups].sort();
  const from = options.range ? lowerBound(points, options.range[0]) : 0;
  const to = options.range ? lowerBound(points, options.range[1] + 1) : points.length;
  const indices = minMaxIndices(losses, from, to, options.maxPoints);
  const rows = indices.map((i) => {
    const point = points[i] as MetricPoint;
    const row: ChartRow = {
      step: point.step,
      loss: point.loss,
      smoothed: smoothed[i] ?? null,
      average: point.averageLoss,
    };
    for (const group of lrGroups) row[`lr:${group}`] = point.lr[group] ?? null;
    return row;
  });
  return { rows, lrGroups, visible: Math.max(0, to - from) };
}
